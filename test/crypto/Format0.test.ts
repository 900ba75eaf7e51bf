import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  blockFromHex,
  blockToHex,
  Format0,
  InvalidPinBlock,
  InvalidPinInput
} from "../../src/crypto/index.js"
import {
  failureOfResult,
  hex,
  loadVectors,
  otherAccount,
  panArb,
  pinArb,
  referenceFormat0,
  referencePanField0,
  xor
} from "./support.js"

interface Vectors {
  readonly valid: ReadonlyArray<{ pin: string; pan: string; block: string; source: string }>
  readonly invalid: ReadonlyArray<{ block: string; pan: string; reason: string; source: string }>
}
const vectors = loadVectors<Vectors>("iso9564-format0.json")
const PAN = "5432101234567891"

describe("Format0.encode", () => {
  it.each(vectors.valid)("gives $block for PIN $pin, PAN $pan", ({ pin, pan, block }) => {
    expect(blockToHex(Result.getOrThrow(Format0.encode(pin, pan)))).toBe(block)
  })

  it("binds to the 12 rightmost digits before the check digit, zero-padded for a 12-digit PAN", () => {
    // ISO 9564-1:2017 §9.3.2.3: the 11 account digits are right-justified with one zero on the left
    const block = Result.getOrThrow(Format0.encode("1234", "123456789012"))
    expect(Buffer.from(block)).toEqual(xor("041234FFFFFFFFFF", "0000012345678901"))
  })

  it("matches a reference built from hex strings, for every PIN and PAN length", () => {
    fc.assert(
      fc.property(pinArb, panArb, (pin, pan) => {
        const block = Result.getOrThrow(Format0.encode(pin, pan))
        expect(Buffer.from(block)).toEqual(referenceFormat0(pin, pan))
      })
    )
  })

  it.each([
    ["a PIN of 3 digits", "123", PAN, "pin"],
    ["a PIN of 13 digits", "1234567890123", PAN, "pin"],
    ["a PIN with a letter", "12a4", PAN, "pin"],
    ["a PIN with a space", "12 34", PAN, "pin"],
    ["a PAN of 11 digits", "1234", "12345678901", "pan"],
    ["a PAN of 20 digits", "1234", "12345678901234567890", "pan"],
    ["a PAN with a dash", "1234", "5432-1012-3456-7891", "pan"]
  ] as const)("refuses %s, naming the field but not the value", (_, pin, pan, field) => {
    const error = failureOfResult(Format0.encode(pin, pan))
    expect(error).toBeInstanceOf(InvalidPinInput)
    expect(error.field).toBe(field)
    expect(error.code).toBe("INVALID_PIN_INPUT")
    expect(error.message).toMatch(field === "pin" ? /^The PIN must be/ : /^The PAN must be/)
    expect(JSON.stringify(error)).not.toContain(field === "pin" ? pin : pan)
  })
})

describe("Format0.decode", () => {
  it.each(vectors.valid)("gives PIN $pin from $block", ({ pin, pan, block }) => {
    expect(Format0.decode(hex(block), pan)).toEqual(Result.succeed(pin))
  })

  it.each(vectors.invalid)("refuses $block ($reason)", ({ block, pan }) => {
    const decoded = Format0.decode(Buffer.from(block, "hex"), pan)
    expect(decoded).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it.each([
    ["control nibble 1", "141234FFFFFFFFFF"],
    ["length nibble 3", "03123FFFFFFFFFFF"],
    ["length nibble 13", "0D1234567890123F"],
    ["a PIN digit A", "04123AFFFFFFFFFF"],
    ["fill E in the last nibble", "041234FFFFFFFFFE"],
    ["fill 0 right after the PIN", "0412340FFFFFFFFF"]
  ])("refuses a clear PIN field with %s", (_, field) => {
    const block = xor(field, referencePanField0(PAN)) // so that decoding gets exactly this field back
    expect(Format0.decode(block, PAN)).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it("refuses blocks of 0, 7, 9 and 16 bytes", () => {
    for (const length of [0, 7, 9, 16]) {
      expect(Result.isFailure(Format0.decode(new Uint8Array(length), PAN))).toBe(true)
    }
  })

  it("does not change the caller's block", () => {
    const block = hex("041215FEDCBA9876")
    Format0.decode(block, PAN)
    expect(blockToHex(block)).toBe("041215FEDCBA9876")
  })

  it("never gives the PIN back under a PAN bound to other account digits", () => {
    fc.assert(
      fc.property(pinArb, panArb, fc.nat(), fc.nat(), (pin, pan, position, delta) => {
        const block = Result.getOrThrow(Format0.encode(pin, pan))
        const decoded = Format0.decode(block, otherAccount(pan, position, delta))
        expect(Result.isFailure(decoded) || decoded.success !== pin).toBe(true)
      })
    )
  })
})

describe("blockFromHex", () => {
  it("refuses odd lengths and non-hex characters with InvalidPinBlock", () => {
    for (const text of ["041", "04121G", "04 12", "0x0412"]) {
      expect(blockFromHex(text)).toEqual(Result.fail(new InvalidPinBlock()))
    }
  })
})
