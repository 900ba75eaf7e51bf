import { Cause, Effect, Exit, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  Format0,
  Format1,
  Format3,
  Format4,
  InvalidPinBlock,
  InvalidRandomSource,
  type PinBlockFormat,
  type RandomSource
} from "../../src/crypto/index.js"
import { draw } from "../../src/crypto/PinBlockFormat.js"
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
    // DOMAIN.md §6: within one format, not even the stack says which check failed (wrong length or
    // a bad nibble); formats may differ, as their callers know which format they asked for
    const stacks = new Map<number, Set<string | undefined>>()
    fc.assert(
      fc.property(formats, fc.uint8Array({ minLength: 0, maxLength: 20 }), panArb, (format, bytes, pan) => {
        const decoded = format.decode(bytes, pan)
        if (Result.isFailure(decoded)) {
          expect(decoded.failure).toBeInstanceOf(InvalidPinBlock)
          failures.add(JSON.stringify(decoded.failure))
          stacks.set(format.format, (stacks.get(format.format) ?? new Set()).add(decoded.failure.stack))
        }
      }),
      { numRuns: 500 }
    )
    expect([...failures]).toEqual([
      '{"_tag":"InvalidPinBlock","code":"INVALID_PIN_BLOCK","message":"The PIN block could not be decoded."}'
    ])
    expect([...stacks].map(([format, seen]) => [format, seen.size])).toEqual(
      [...stacks.keys()].map((format) => [format, 1])
    )
  })
})

describe("draw", () => {
  const serving =
    (length: number): RandomSource =>
    () =>
      new Uint8Array(length).fill(0x5a)

  it("gives the n bytes the source gave", () => {
    expect(draw(serving(8), 8)).toEqual(new Uint8Array(8).fill(0x5a))
  })

  it.each([0, 7, 9])("throws InvalidRandomSource when asked for 8 bytes and given %i", (length) => {
    expect(() => draw(serving(length), 8)).toThrow(InvalidRandomSource)
  })

  it("wipes the bytes of a source that gave too many before it throws", () => {
    const given = new Uint8Array(16).fill(0x5a)
    expect(() => draw(() => given, 8)).toThrow(InvalidRandomSource)
    expect(given.every((b) => b === 0)).toBe(true)
  })

  it("throws InvalidRandomSource for a source that gives no bytes at all", () => {
    expect(() => draw((() => undefined) as unknown as RandomSource, 8)).toThrow(InvalidRandomSource)
  })

  // Before `draw`, format 3 wrote a block its own decode refused, and format 4 an all-zero random half.
  it.each([
    ["Format1, given too few", () => Format1.withRandom(serving(3)).encode("1234", "")],
    ["Format3, given too few", () => Format3.withRandom(serving(3)).encode("1234", "5432101234567891")],
    ["Format4, given none", () => Format4.encode("1234", "5432101234567891", new Uint8Array(16), serving(0))],
    [
      "Format4.withKey, given too many",
      () =>
        Result.getOrThrow(Format4.withKey(new Uint8Array(16), serving(9))).encode("1234", "5432101234567891")
    ]
  ])("makes %s throw, a defect inside an effect", (_, encode) => {
    expect(encode).toThrow(InvalidRandomSource)
    const exit = Effect.runSyncExit(Effect.sync(encode))
    expect(Exit.isFailure(exit) && Result.getOrThrow(Cause.findDefect(exit.cause))).toBeInstanceOf(
      InvalidRandomSource
    )
  })
})
