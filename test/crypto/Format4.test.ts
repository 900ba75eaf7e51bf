import { createCipheriv } from "node:crypto"
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { blockToHex, Format4, InvalidKey, InvalidPinBlock, InvalidPinInput } from "../../src/crypto/index.js"
import {
  aesKeyArb,
  failureOfResult,
  fixedRandom,
  hex,
  loadVectors,
  panArb,
  pinArb,
  recordingRandom,
  xor
} from "./support.js"

interface Vectors {
  readonly valid: ReadonlyArray<{
    key: string
    pin: string
    pan: string
    random: string | null
    block: string
  }>
  readonly invalid: ReadonlyArray<{ key: string; block: string; pan: string; reason: string }>
}
const vectors = loadVectors<Vectors>("iso9564-format4.json")
const encodable = vectors.valid.flatMap((v) => (v.random === null ? [] : [{ ...v, random: v.random }]))
const KEY = hex("00112233445566778899AABBCCDDEEFF")
const PAN = "4111111111111111"

// An independent reference with node:crypto, from hex strings: PIN field and PAN field as
// ISO 9564-1:2017 §9.4.2.2.2 / §9.4.2.2.3 print them, then E(K, E(K, PIN field) XOR PAN field).
const referenceFormat4 = (key: Uint8Array, pin: string, pan: string, random: Uint8Array): Buffer => {
  const aes = (block: Uint8Array) => {
    const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false)
    return Buffer.concat([cipher.update(block), cipher.final()])
  }
  const pinField = Buffer.concat([
    Buffer.from(`4${pin.length.toString(16)}${pin}`.padEnd(16, "A"), "hex"),
    Buffer.from(random)
  ])
  const panField = Buffer.from(`${pan.length - 12}${pan}`.padEnd(32, "0"), "hex")
  return aes(xor(aes(pinField), panField))
}

describe("Format4.encode", () => {
  it.each(encodable)("gives $block under key $key", ({ key, pin, pan, random, block }) => {
    expect(blockToHex(Result.getOrThrow(Format4.encode(pin, pan, hex(key), fixedRandom(hex(random)))))).toBe(
      block
    )
  })

  it("matches a node:crypto reference for AES-128, AES-192 and AES-256 keys", () => {
    fc.assert(
      fc.property(
        aesKeyArb,
        pinArb,
        panArb,
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (key, pin, pan, random) => {
          const block = Result.getOrThrow(Format4.encode(pin, pan, key, fixedRandom(random)))
          expect(Buffer.from(block)).toEqual(referenceFormat4(key, pin, pan, random))
        }
      )
    )
  })

  it("draws 8 random bytes and wipes them", () => {
    const { random, served } = recordingRandom()
    Result.getOrThrow(Format4.encode("1234", PAN, KEY, random))
    expect(served.map((bytes) => [bytes.length, bytes.every((b) => b === 0)])).toEqual([[8, true]])
  })

  it("gives a different block each time for the same PIN, PAN and key", () => {
    const blocks = new Set(
      Array.from({ length: 50 }, () => blockToHex(Result.getOrThrow(Format4.encode("1234", PAN, KEY))))
    )
    expect(blocks.size).toBe(50)
  })

  it.each([0, 8, 15, 17, 31, 33])("refuses a key of %i bytes with InvalidKey", (length) => {
    expect(failureOfResult(Format4.encode("1234", PAN, new Uint8Array(length)))).toBeInstanceOf(InvalidKey)
  })

  it.each([
    ["123", PAN, "pin"],
    ["1234", "41111111111", "pan"],
    ["1234", "41111111111111111111", "pan"]
  ] as const)("refuses PIN %j with PAN %j", (pin, pan, field) => {
    const error = failureOfResult(Format4.encode(pin, pan, KEY))
    expect(error).toBeInstanceOf(InvalidPinInput)
    expect((error as InvalidPinInput).field).toBe(field)
  })
})

describe("Format4.decode", () => {
  it.each(vectors.valid)("gives PIN $pin from $block", ({ key, pin, pan, block }) => {
    expect(Format4.decode(hex(block), pan, hex(key))).toEqual(Result.succeed(pin))
  })

  it.each(vectors.invalid)("refuses $block ($reason)", ({ key, block, pan }) => {
    expect(Format4.decode(hex(block), pan, hex(key))).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it("refuses a key that is not an AES key with the same InvalidPinBlock", () => {
    const block = Result.getOrThrow(Format4.encode("1234", PAN, KEY))
    expect(Format4.decode(block, PAN, KEY.subarray(0, 15))).toEqual(Result.fail(new InvalidPinBlock()))
  })

  it("gives back every PIN under every key size, PIN length and PAN length", () => {
    fc.assert(
      fc.property(aesKeyArb, pinArb, panArb, (key, pin, pan) => {
        expect(Format4.decode(Result.getOrThrow(Format4.encode(pin, pan, key)), pan, key)).toEqual(
          Result.succeed(pin)
        )
      })
    )
  })

  it("never gives the PIN back under another key or a PAN differing in any digit, check digit included", () => {
    fc.assert(
      fc.property(aesKeyArb, aesKeyArb, pinArb, panArb, fc.nat(), (key, otherKey, pin, pan, at) => {
        const block = Result.getOrThrow(Format4.encode(pin, pan, key))
        const i = at % pan.length
        const otherPan = pan.slice(0, i) + String((Number(pan[i]) + 1) % 10) + pan.slice(i + 1)
        for (const decoded of [Format4.decode(block, pan, otherKey), Format4.decode(block, otherPan, key)]) {
          expect(Result.isFailure(decoded) || decoded.success !== pin).toBe(true)
        }
      })
    )
  })
})

describe("Format4.withKey", () => {
  it("gives a PinBlockFormat bound to the key", () => {
    const format = Result.getOrThrow(Format4.withKey(KEY))
    expect([format.format, format.blockLength]).toEqual([4, 16])
    expect(format.decode(Result.getOrThrow(format.encode("987654", PAN)), PAN)).toEqual(
      Result.succeed("987654")
    )
  })

  it("refuses a key that is not an AES key", () => {
    expect(failureOfResult(Format4.withKey(new Uint8Array(20)))).toBeInstanceOf(InvalidKey)
  })
})
