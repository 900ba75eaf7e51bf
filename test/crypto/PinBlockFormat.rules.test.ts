import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { blockToHex, Format0, Format1, Format3, InvalidPinBlock } from "../../src/crypto/index.js"
import { pinField, readAccountBound } from "../../src/crypto/PinBlockFormat.js"
import { hex, loadVectors, referenceFormat0 } from "./support.js"

const PAN = "5432101234567891"

interface Vectors {
  readonly valid: ReadonlyArray<{ pin: string; pan: string; block: string }>
}

describe("the ISO 9564-1 PIN field", () => {
  it.each(["1234", "123456", "123456789012"])(
    "asks for exactly 14 - N fill nibbles, in order, for PIN %s",
    (pin) => {
      const asked: Array<number> = []
      const field = pinField(0x3, pin, (i) => {
        asked.push(i)
        return 0xa
      })
      expect(asked).toEqual(Array.from({ length: 14 - pin.length }, (_, i) => i))
      expect(blockToHex(field)).toBe(`3${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, "A"))
    }
  )
})

describe("account-bound formats 0 and 3 take an 8-byte block only", () => {
  const read0 = readAccountBound(0, () => 0)
  const valid = referenceFormat0("1234", PAN)

  it("read an 8-byte format 0 block bound to its PAN", () => {
    expect(read0(Uint8Array.from(valid), PAN)).toBe("1234")
  })

  it("refuse a 16-byte block whose first 8 bytes are a valid block", () => {
    const long = new Uint8Array(16)
    long.set(valid)
    expect(read0(long, PAN)).toBeUndefined()
    expect(Format0.decode(long, PAN)).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it("refuse a 9-byte block whose first 8 bytes are a valid format 3 block", () => {
    const { pin, pan, block } = loadVectors<Vectors>("iso9564-format3.json").valid[0]!
    expect(Format3.decode(hex(block), pan)).toEqual(Result.succeed(pin))
    const long = new Uint8Array(9)
    long.set(hex(block))
    expect(Format3.decode(long, pan)).toEqual(Result.fail(new InvalidPinBlock()))
  })
})

describe("the default instances decode as their withRandom ones do", () => {
  it("format 0 decodes its published-style block", () => {
    expect(Format0.decode(Uint8Array.from(referenceFormat0("98765", PAN)), PAN)).toEqual(
      Result.succeed("98765")
    )
  })

  it("format 3 decodes the published vectors", () => {
    for (const { pin, pan, block } of loadVectors<Vectors>("iso9564-format3.json").valid) {
      expect(Format3.decode(hex(block), pan)).toEqual(Result.succeed(pin))
    }
  })

  it("format 1 decodes the published vectors, with no PAN", () => {
    for (const { pin, block } of loadVectors<Vectors>("iso9564-format1.json").valid) {
      expect(Format1.decode(hex(block), "")).toEqual(Result.succeed(pin))
    }
  })

  it("format 1 refuses a 16-byte block whose first 8 bytes are a valid block", () => {
    const { block } = loadVectors<Vectors>("iso9564-format1.json").valid[0]!
    const long = new Uint8Array(16)
    long.set(hex(block))
    expect(Format1.decode(long, "")).toEqual(Result.fail(new InvalidPinBlock()))
  })
})
