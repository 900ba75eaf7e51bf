import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { blockToHex, Format1, InvalidPinBlock, InvalidPinInput } from "../../src/crypto/index.js"
import { failureOfResult, fixedRandom, hex, loadVectors, pinArb, recordingRandom } from "./support.js"

interface Vectors {
  readonly valid: ReadonlyArray<{ pin: string; fill: string; block: string; source: string }>
}
const vectors = loadVectors<Vectors>("iso9564-format1.json")
const PAN = "5432101234567891"

// Format1 takes one random byte per fill nibble and keeps its low half, so a published fill nibble
// string maps to these bytes (the high halves are set to show that they are ignored).
const bytesForFill = (fill: string) => Uint8Array.from(fill, (nibble) => 0xf0 | Number.parseInt(nibble, 16))

describe("Format1.encode", () => {
  it.each(vectors.valid)("gives $block for PIN $pin and fill $fill", ({ pin, fill, block }) => {
    const format = Format1.withRandom(fixedRandom(bytesForFill(fill)))
    expect(blockToHex(Result.getOrThrow(format.encode(pin, PAN)))).toBe(block)
  })

  it("does not depend on the PAN: format 1 is for when there is none", () => {
    const encode = (pan: string) =>
      Format1.withRandom(fixedRandom(bytesForFill("ABCDEF0123"))).encode("1234", pan)
    expect(encode("")).toEqual(encode(PAN))
  })

  it("fills with fresh random nibbles by default", () => {
    const blocks = new Set(
      Array.from({ length: 50 }, () => blockToHex(Result.getOrThrow(Format1.encode("1234", PAN))))
    )
    expect(blocks.size).toBe(50)
    for (const block of blocks) expect(block.slice(0, 6)).toBe("141234")
  })

  it("wipes the random bytes it drew", () => {
    const { random, served } = recordingRandom()
    Result.getOrThrow(Format1.withRandom(random).encode("123456", PAN))
    expect(served.map((bytes) => bytes.every((b) => b === 0))).toEqual([true])
  })

  it.each(["123", "1234567890123", "12a4", ""])("refuses the PIN %j", (pin) => {
    const error = failureOfResult(Format1.encode(pin, PAN))
    expect(error).toBeInstanceOf(InvalidPinInput)
    expect(error.field).toBe("pin")
  })
})

describe("Format1.decode", () => {
  it.each(vectors.valid)("gives PIN $pin from $block", ({ pin, block }) => {
    expect(Format1.decode(hex(block), PAN)).toEqual(Result.succeed(pin))
  })

  it("accepts any fill nibble (ISO 9564-1:2017 §9.3.3 transaction field)", () => {
    expect(Format1.decode(hex("1412340123456789"), PAN)).toEqual(Result.succeed("1234"))
  })

  it.each([
    ["control nibble 0", "041234FFFFFFFFFF"],
    ["control nibble 3", "341234FFFFFFFFFF"],
    ["length nibble 3", "13123FFFFFFFFFFF"],
    ["length nibble 13", "1D12345678901234"],
    ["a PIN digit F", "15123FFFFFFFFFFF"]
  ])("refuses a block with %s", (_, block) => {
    expect(Format1.decode(hex(block), PAN)).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it("gives back every PIN of 4 to 12 digits whatever the fill", () => {
    fc.assert(
      fc.property(pinArb, fc.uint8Array({ minLength: 10, maxLength: 10 }), (pin, fill) => {
        const block = Result.getOrThrow(Format1.withRandom(fixedRandom(fill)).encode(pin, PAN))
        expect(Format1.decode(block, "")).toEqual(Result.succeed(pin))
      })
    )
  })
})
