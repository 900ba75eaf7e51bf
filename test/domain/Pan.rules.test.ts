/**
 * Rules of a PAN in clear (src/domain/ground/Pan.ts): the Luhn check of ISO/IEC 7812-1 Annex B and
 * its check digit agree on every body, an empty string is no number, a PAN has 12 to 19 digits and
 * nothing else, and a decoded PAN shows only its label.
 */
import { Redacted, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  luhnCheckDigit,
  luhnValid,
  makePan,
  maskPan,
  PanDigits,
  PanFromString
} from "../../src/domain/ground/Pan.js"

const body = fc.stringMatching(/^[0-9]{1,25}$/)

describe("the Luhn check", () => {
  it("accepts a body completed by its check digit, and refuses every other last digit", () => {
    fc.assert(
      fc.property(body, (b) => {
        const check = luhnCheckDigit(b)
        for (let d = 0; d <= 9; d++) expect(luhnValid(b + String(d))).toBe(String(d) === check)
      })
    )
  })

  it("reads a doubled digit over 9 as the sum of its digits: 5 to 9 doubled count 1 to 9", () => {
    // 9 doubled is 18, counted 9: "91" sums 9 + 1 = 10
    expect(luhnValid("91")).toBe(true)
    expect(luhnCheckDigit("9")).toBe("1")
    expect(luhnValid("59")).toBe(true)
    expect(luhnCheckDigit("5")).toBe("9")
    expect(luhnValid("79927398713")).toBe(true)
  })

  it("finds no number in the empty string", () => {
    expect(luhnValid("")).toBe(false)
  })
})

describe("PanDigits", () => {
  const decode = Schema.decodeUnknownResult(PanDigits)
  const luhnComplete = (b: string) => b + luhnCheckDigit(b)

  it("refuses a Luhn-valid run of 20 digits or more: a PAN has 12 to 19", () => {
    const twenty = luhnComplete("4111111111111111111")
    expect(twenty).toHaveLength(20)
    expect(luhnValid(twenty)).toBe(true)
    expect(decode(twenty)._tag).toBe("Failure")
    expect(decode(luhnComplete("411111111111111111"))._tag).toBe("Success")
  })

  it("refuses 12 to 19 Luhn-valid digits with anything but digits before or after them", () => {
    const pan = luhnComplete("411111111111111")
    const notOnlyDigits = fc.string({ minLength: 1, maxLength: 3 }).filter((s) => /[^0-9]/.test(s))
    fc.assert(
      fc.property(notOnlyDigits, fc.boolean(), (extra, before) => {
        const text = before ? extra + pan : pan + extra
        expect(decode(text)._tag).toBe("Failure")
      })
    )
  })
})

describe("PanFromString", () => {
  it("holds the decoded PAN as a Redacted labelled PAN, which prints as its label only", () => {
    const pan = Schema.decodeUnknownSync(PanFromString)("4111111111111111")
    expect(Redacted.value(pan)).toBe("4111111111111111")
    expect(pan.label).toBe("PAN")
    expect(String(pan)).toBe("<redacted:PAN>")
    expect(JSON.stringify({ pan })).toBe('{"pan":"<redacted:PAN>"}')
  })
})

describe("makePan", () => {
  it("holds the digits as a Redacted labelled PAN, which prints as its label only and masks as a PAN", () => {
    const pan = makePan(PanDigits.make("4111111111111111"))
    expect(Redacted.value(pan)).toBe("4111111111111111")
    expect(pan.label).toBe("PAN")
    expect(String(pan)).toBe("<redacted:PAN>")
    expect(maskPan(pan)).toBe("411111XXXXXX1111")
  })
})
