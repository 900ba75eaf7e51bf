import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  Format0,
  Format1,
  Format3,
  Format4,
  InvalidPinBlock,
  type PinBlockFormat
} from "../../src/crypto/index.js"
import { aesKeyArb, panArb, pinArb } from "./support.js"

// Every format behind the one interface; format 4 with a key drawn per run.
const formats = fc.oneof(
  fc.constant<PinBlockFormat>(Format0),
  fc.constant<PinBlockFormat>(Format1),
  fc.constant<PinBlockFormat>(Format3),
  aesKeyArb.map((key) => Result.getOrThrow(Format4.withKey(key)))
)

describe("PinBlockFormat", () => {
  it("decode(encode(pin, pan), pan) = pin for every format, PIN length 4–12 and PAN length 12–19", () => {
    fc.assert(
      fc.property(formats, pinArb, panArb, (format, pin, pan) => {
        const block = Result.getOrThrow(format.encode(pin, pan))
        expect(block.length).toBe(format.blockLength)
        expect(block[0]! >> 4 === format.format || format.format === 4).toBe(true)
        expect(format.decode(block, pan)).toEqual(Result.succeed(pin))
      }),
      { numRuns: 500 }
    )
  })

  it("covers every PIN length with every PAN length at least once", () => {
    for (const format of [
      Format0,
      Format1,
      Format3,
      Result.getOrThrow(Format4.withKey(new Uint8Array(32)))
    ]) {
      for (let pinLength = 4; pinLength <= 12; pinLength++) {
        for (let panLength = 12; panLength <= 19; panLength++) {
          const pin = "9876543210987".slice(0, pinLength)
          const pan = "4000123456789012345".slice(0, panLength)
          expect(format.decode(Result.getOrThrow(format.encode(pin, pan)), pan)).toEqual(Result.succeed(pin))
        }
      }
    }
  })

  it("fails to decode random bytes with one and the same error, whatever the format", () => {
    const failures = new Set<string>()
    fc.assert(
      fc.property(formats, fc.uint8Array({ minLength: 0, maxLength: 20 }), panArb, (format, bytes, pan) => {
        const decoded = format.decode(bytes, pan)
        if (Result.isFailure(decoded)) {
          expect(decoded.failure).toBeInstanceOf(InvalidPinBlock)
          failures.add(JSON.stringify(decoded.failure))
        }
      })
    )
    expect([...failures]).toEqual([
      '{"_tag":"InvalidPinBlock","code":"INVALID_PIN_BLOCK","message":"The PIN block could not be decoded."}'
    ])
  })
})
