/**
 * The one masking rule of caller text (src/domain/ground/Masking.ts): what counts as one number, what
 * its masked form is, and that masking never hides less, never changes text without such a number,
 * and masks masked text to itself.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskCardNumbers, maskDigitRuns, maskDigits } from "../../src/domain/ground/Masking.js"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import { maskAccountPans } from "../../src/domain/token/AccountPan.js"
import { makePan, maskPan, PanDigits } from "../../src/index.js"

const PAN = "4111111111111111"

describe("maskCardNumbers", () => {
  it.each([
    ["plain", "4111111111111111"],
    ["groups split by spaces", "4111 1111 1111 1111"],
    ["several spaces", "4111   1111  1111 1111"],
    ["dots", "4111.1111.1111.1111"],
    ["no-break spaces", "4111\u00a01111\u202f1111\u20071111"],
    ["slashes", "4111/1111/1111/1111"],
    ["dashes", "4111-1111-1111-1111"],
    ["underscores", "4111_1111_1111_1111"],
    ["a mix", "4111 - 1111/1111._1111"],
    ["a separator between every digit", "4.1.1.1 1 1 1 1-1-1-1-1/1/1/1/1"]
  ])("masks a card number written with %s as maskPan masks it", (_, written) => {
    expect(maskCardNumbers(`card ${written}!`)).toBe("card 411111XXXXXX1111!")
    expect(maskPan(makePan(PanDigits.make(PAN)))).toBe("411111XXXXXX1111")
  })

  it("masks 12 to 19 digits, and a longer run that may hold a card number", () => {
    expect(maskCardNumbers("400000000002")).toBe("400000XX0002")
    expect(maskCardNumbers("6011000000000000004")).toBe("601100XXXXXXXXX0004")
    expect(maskCardNumbers("12345678901234567890123")).toBe("123456XXXXXXXXXXXXX0123")
  })

  it("leaves shorter runs, and runs 4 separators apart or split by a letter, as they are", () => {
    for (const text of [
      "4240181652",
      "+9876543210",
      "4111 1111    1111 1111",
      "411111a111111",
      "ORD4240181595"
    ])
      expect(maskCardNumbers(text)).toBe(text)
  })

  it("masks each number of a text on its own", () => {
    expect(maskCardNumbers("old 4111 1111 1111 1111, new 5500-0000-0000-0004")).toBe(
      "old 411111XXXXXX1111, new 550000XXXXXX0004"
    )
  })
})

describe("maskDigitRuns", () => {
  it("masks runs of the given length up, shorter ones as an account PAN (only the last 4)", () => {
    expect(maskDigitRuns("id 541 234 567", 9)).toBe("id XXXXX4567")
    expect(maskDigitRuns("id 54123456", 9)).toBe("id 54123456")
    expect(maskDigits("54123456789")).toBe("XXXXXXX6789")
  })

  it("is what maskAccountPans applies from 9 digits", () => {
    expect(maskAccountPans("5412.3456.7")).toBe("XXXXX4567")
  })

  /** A Luhn-valid card number, written with 0 to 3 separator characters in each gap, in any text. */
  const sentence = fc
    .tuple(
      fc.integer({ min: 11, max: 18 }).chain((n) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${n - 1}}$`))),
      fc.array(fc.constantFrom("", " ", "  ", ".", "\u00a0", "\u202f", "/", "-", "_", " - ", "._")),
      fc.string(),
      fc.string()
    )
    .map(([body, separators, before, after]) => {
      const digits = body + luhnCheckDigit(body)
      const written = [...digits]
        .map((d, i) => d + (i < digits.length - 1 ? (separators[i] ?? "") : ""))
        .join("")
      return { digits, text: before + written + after }
    })

  it("never leaves 12 consecutive digits of the number, separators taken out", () => {
    fc.assert(
      fc.property(sentence, ({ digits, text }) => {
        const flat = maskCardNumbers(text).replace(/[^0-9\p{L}]/gu, "")
        for (let i = 0; i + 12 <= digits.length; i++) expect(flat).not.toContain(digits.slice(i, i + 12))
      }),
      { numRuns: 500 }
    )
  })

  it("masks masked text to itself, at both thresholds", () => {
    fc.assert(
      fc.property(sentence, fc.constantFrom(9, 12), ({ text }, minDigits) => {
        const masked = maskDigitRuns(text, minDigits)
        expect(maskDigitRuns(masked, minDigits)).toBe(masked)
      }),
      { numRuns: 500 }
    )
  })

  it("changes no text without a run of that many digits", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/[0-9](?:[^0-9\p{L}]{0,3}[0-9]){8,}/u.test(text))
        expect(maskDigitRuns(text, 9)).toBe(text)
      })
    )
  })
})
