/**
 * Rules of the masking of caller text (docs/errors.md, "Masking") at the edges of its threshold: a
 * mask turns only digits into ASCII digits, a number shorter than its last 4 digits masks to itself
 * whatever the threshold, and every number reaching the threshold is masked, however low the
 * threshold and whatever the script of the text around it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskDigitRuns, maskDigits } from "../../src/domain/ground/Masking.js"

describe("maskDigits", () => {
  it("shows a character that is not a digit as it was written, never as a digit", () => {
    expect(maskDigits("ABCDEFGHIJKLMNOP")).toBe("ABCDEFXXXXXXMNOP")
    expect(maskDigits("abcde")).toBe("Xbcde")
  })

  it("shows every digit it keeps as its ASCII digit, ASCII digits included", () => {
    expect(maskDigits("0123456789012")).toBe("012345XXX9012")
    expect(maskDigits("٠١٢٣٤٥٦٧٨٩٠١٢")).toBe("012345XXX9012")
  })
})

describe("maskDigitRuns at a low threshold", () => {
  it("masks a number of 5 or more ASCII digits once it reaches a threshold of 1", () => {
    expect(maskDigitRuns("12345", 1)).toBe("X2345")
    expect(maskDigitRuns("id 1234567", 1)).toBe("id XXX4567")
  })

  it("masks every number with a threshold of 0, in text that is not plain ASCII as in text that is", () => {
    expect(maskDigitRuns("é12345", 0)).toBe("éX2345")
    expect(maskDigitRuns("12345", 0)).toBe("X2345")
    expect(maskDigitRuns("ü", 0)).toBe("ü")
  })

  it("shows every digit of a number of fewer than 5 digits, first or after a masked number", () => {
    expect(maskDigitRuns("ab 12 cd 345 ef 6", 1)).toBe("ab 12 cd 345 ef 6")
    expect(maskDigitRuns("123456789 x 12", 1)).toBe("XXXXX6789 x 12")
    // masked, its separators are dropped, as any masked number's
    expect(maskDigitRuns("123456789 x 1-2", 1)).toBe("XXXXX6789 x 12")
  })

  it("masks to itself any text whose numbers all have fewer than 5 digits, whatever the threshold", () => {
    const short = fc.stringMatching(/^[0-9]{1,4}$/)
    const word = fc.stringMatching(/^[a-zé ]{0,3}[a-zé]$/)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(word, short), { maxLength: 6 }),
        fc.integer({ min: 0, max: 12 }),
        (parts, n) => {
          const text = parts.map(([w, d]) => w + d).join("")
          expect(maskDigitRuns(text, n)).toBe(text)
        }
      )
    )
  })
})
