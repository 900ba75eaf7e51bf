import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { blockToHex, Format3, InvalidPinBlock, InvalidPinInput } from "../../src/crypto/index.js"
import {
  failureOfResult,
  fixedRandom,
  loadVectors,
  panArb,
  pinArb,
  recordingRandom,
  referencePanField0,
  xor
} from "./support.js"

interface Vectors {
  readonly valid: ReadonlyArray<{ pin: string; pan: string; fill: string; block: string; source: string }>
  readonly invalid: ReadonlyArray<{ block: string; pan: string; reason: string; source: string }>
}
const vectors = loadVectors<Vectors>("iso9564-format3.json")
const PAN = "5432101234567891"

// Format3 scales one random byte b to the fill nibble 0xA + ⌊6b/256⌋; the smallest byte that gives
// nibble v is ⌈(v − 10)·256/6⌉.
const bytesForFill = (fill: string) =>
  Uint8Array.from(fill, (nibble) => Math.ceil(((Number.parseInt(nibble, 16) - 10) * 256) / 6))

describe("Format3.encode", () => {
  it.each(vectors.valid)("gives $block for PIN $pin, PAN $pan, fill $fill", ({ pin, pan, fill, block }) => {
    const format = Format3.withRandom(fixedRandom(bytesForFill(fill)))
    expect(blockToHex(Result.getOrThrow(format.encode(pin, pan)))).toBe(block)
  })

  it("maps every random byte to a fill nibble from A to F, each of them reachable", () => {
    const seen = new Set<string>()
    for (let byte = 0; byte < 256; byte++) {
      const format = Format3.withRandom(fixedRandom(Uint8Array.of(byte, byte)))
      const block = Result.getOrThrow(format.encode("123456789012", PAN)) // 2 fill nibbles
      seen.add(xor(block, referencePanField0(PAN)).toString("hex").slice(-1).toUpperCase())
    }
    expect([...seen].sort()).toEqual(["A", "B", "C", "D", "E", "F"])
  })

  it("wipes the random bytes it drew", () => {
    const { random, served } = recordingRandom()
    Result.getOrThrow(Format3.withRandom(random).encode("1234", PAN))
    expect(served.map((bytes) => bytes.every((b) => b === 0))).toEqual([true])
  })

  it("gives different blocks for the same PIN and PAN by default", () => {
    const blocks = new Set(
      Array.from({ length: 50 }, () => blockToHex(Result.getOrThrow(Format3.encode("1234", PAN))))
    )
    expect(blocks.size).toBe(50)
  })

  it.each([
    ["123", PAN, "pin"],
    ["12345678901234", PAN, "pin"],
    ["1234", "12345678901", "pan"],
    ["1234", "54321012345678912345", "pan"]
  ] as const)("refuses PIN %j with PAN %j", (pin, pan, field) => {
    const error = failureOfResult(Format3.encode(pin, pan))
    expect(error).toBeInstanceOf(InvalidPinInput)
    expect(error.field).toBe(field)
  })
})

describe("Format3.decode", () => {
  it.each(vectors.valid)("gives PIN $pin from $block", ({ pin, pan, block }) => {
    expect(Format3.decode(Buffer.from(block, "hex"), pan)).toEqual(Result.succeed(pin))
  })

  it.each(vectors.invalid)("refuses $block ($reason)", ({ block, pan }) => {
    expect(Format3.decode(Buffer.from(block, "hex"), pan)).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it.each([
    ["fill 9", "3412349AAAAAAAAA"],
    ["fill 0 in the last nibble", "341234AAAAAAAAA0"],
    ["control nibble 0", "041234AAAAAAAAAA"],
    ["a PIN digit B", "34123BAAAAAAAAAA"]
  ])("refuses a clear PIN field with %s", (_, field) => {
    expect(Format3.decode(xor(field, referencePanField0(PAN)), PAN)).toEqual(
      Result.fail(new InvalidPinBlock())
    )
  })

  it("accepts every fill from A to F", () => {
    expect(Format3.decode(xor("341234ABCDEFABCD", referencePanField0(PAN)), PAN)).toEqual(
      Result.succeed("1234")
    )
  })

  it("never gives the PIN back under a PAN that differs beneath the PIN digits", () => {
    // Account digit k (of 12) lies under nibble 4 + k; the PIN digits occupy nibbles 2 to N + 1.
    fc.assert(
      fc.property(pinArb, panArb, fc.nat(), fc.integer({ min: 1, max: 9 }), (pin, pan, k, delta) => {
        const account = 1 + (k % (pin.length - 3)) // 1 .. N − 3: under a PIN digit, never the zero pad
        const at = pan.length - 13 + account
        const other = pan.slice(0, at) + String((Number(pan[at]) + delta) % 10) + pan.slice(at + 1)
        const decoded = Format3.decode(Result.getOrThrow(Format3.encode(pin, pan)), other)
        expect(Result.isFailure(decoded) || decoded.success !== pin).toBe(true)
      })
    )
  })

  it("may still give the PIN under a PAN that differs only beneath the fill (A–F XOR 1 stays in A–F)", () => {
    // A limit of format 3 itself, unlike format 0 whose fill must stay F: see docs/pin-blocks.md.
    const block = Result.getOrThrow(
      Format3.withRandom(fixedRandom(bytesForFill("EEEEEEEEEE"))).encode("1234", PAN)
    )
    expect(Format3.decode(block, "5432101234567881")).toEqual(Result.succeed("1234"))
  })
})
