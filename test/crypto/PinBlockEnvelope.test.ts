import { Cause, Effect, Exit, Redacted, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decryptPinBlock,
  encryptPinBlock,
  InvalidKey,
  InvalidPinBlock,
  InvalidPinInput
} from "../../src/crypto/index.js"
import { encryptPinBlockWithIv } from "../../src/crypto/PinBlockEnvelope.js"
import * as root from "../../src/index.js"
import { failureOf, nodeOpen, nodeSeal, panArb, pinArb, referenceFormat0 } from "./support.js"

const PIN = "4821"
const PAN = "4111111111111111"
const IV = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)
const keyOf = (bytes: number) => Uint8Array.from({ length: bytes }, (_, i) => (i * 37 + 11) & 0xff)
const KEY_SIZES = [16, 24, 32] as const
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

const encrypt = (input: Parameters<typeof encryptPinBlock>[0]) => Effect.runSync(encryptPinBlock(input))
const encryptWithIv = (input: Parameters<typeof encryptPinBlock>[0], iv: Uint8Array) =>
  Effect.runSync(encryptPinBlockWithIv(input, iv))
const decrypt = (input: Parameters<typeof decryptPinBlock>[0]) =>
  Redacted.value(Effect.runSync(decryptPinBlock(input)))

describe("encryptPinBlock", () => {
  it.each(KEY_SIZES)("with a %i-byte key gives what node:crypto gives for the same IV", (bytes) => {
    const key = keyOf(bytes)
    const expected = nodeSeal(key, IV, referenceFormat0(PIN, PAN))
    expect(encryptWithIv({ pin: PIN, pan: PAN, key }, IV)).toBe(expected)
  })

  it.each(KEY_SIZES)("with a %i-byte key opens with node:crypto to the format-0 block", (bytes) => {
    const key = keyOf(bytes)
    fc.assert(
      fc.property(pinArb, panArb, (pin, pan) => {
        expect(nodeOpen(key, encrypt({ pin, pan, key }))).toEqual(referenceFormat0(pin, pan))
      }),
      { numRuns: 50 }
    )
  })

  it("writes Base64(IV ‖ 8-byte ciphertext ‖ 16-byte tag): 56 characters, 40 bytes, the IV first", () => {
    const envelope = encryptWithIv({ pin: PIN, pan: PAN, key: keyOf(32) }, IV)
    const bytes = Buffer.from(envelope, "base64")
    expect([envelope.length, bytes.length]).toEqual([56, 40])
    expect(bytes.subarray(0, 16)).toEqual(Buffer.from(IV))
  })

  it("takes PIN, PAN and key as Redacted values too", () => {
    const key = keyOf(16)
    const plain = encryptWithIv({ pin: PIN, pan: PAN, key }, IV)
    const redacted = encryptWithIv(
      { pin: Redacted.make(PIN), pan: Redacted.make(PAN), key: Redacted.make(key) },
      IV
    )
    expect(redacted).toBe(plain)
  })

  it("does not wipe or change the caller's key and IV", () => {
    const key = keyOf(32)
    const iv = IV.slice()
    encryptWithIv({ pin: PIN, pan: PAN, key }, iv)
    expect([key, iv]).toEqual([keyOf(32), IV])
  })

  it("draws a fresh IV for every envelope: the package root offers no way to fix one", () => {
    const key = keyOf(16)
    const ivs = Array.from({ length: 20 }, () =>
      Buffer.from(encrypt({ pin: PIN, pan: PAN, key }), "base64")
        .subarray(0, 16)
        .toString("hex")
    )
    expect(new Set(ivs).size).toBe(20)
    expect(encrypt({ pin: PIN, pan: PAN, key, iv: IV } as Parameters<typeof encryptPinBlock>[0])).not.toBe(
      encryptWithIv({ pin: PIN, pan: PAN, key }, IV)
    )
    expect(Object.keys(root)).not.toContain("encryptPinBlockWithIv")
  })

  it("refuses, with a fixed IV, one that is not 16 bytes, with InvalidPinInput", () => {
    const error = failureOf(encryptPinBlockWithIv({ pin: PIN, pan: PAN, key: keyOf(16) }, IV.subarray(0, 12)))
    expect(error).toMatchObject({ _tag: "InvalidPinInput", field: "iv" })
  })

  it.each([
    ["a 3-digit PIN", { pin: "123", pan: PAN, key: keyOf(16) }, "pin"],
    ["a PIN with a letter", { pin: "12a4", pan: PAN, key: keyOf(16) }, "pin"],
    ["an 11-digit PAN", { pin: PIN, pan: "41111111111", key: keyOf(16) }, "pan"]
  ] as const)("refuses %s with InvalidPinInput", (_, input, field) => {
    const error = failureOf(encryptPinBlock(input))
    expect(error).toBeInstanceOf(InvalidPinInput)
    expect((error as InvalidPinInput).field).toBe(field)
  })

  it.each([0, 15, 20, 64])("refuses a %i-byte key with InvalidKey", (bytes) => {
    expect(failureOf(encryptPinBlock({ pin: PIN, pan: PAN, key: new Uint8Array(bytes) }))).toBeInstanceOf(
      InvalidKey
    )
  })
})

describe("decryptPinBlock", () => {
  it.each(KEY_SIZES)("with a %i-byte key opens what node:crypto sealed", (bytes) => {
    const key = keyOf(bytes)
    fc.assert(
      fc.property(pinArb, panArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), (pin, pan, iv) => {
        expect(decrypt({ pinBlock: nodeSeal(key, iv, referenceFormat0(pin, pan)), pan, key })).toBe(pin)
      }),
      { numRuns: 50 }
    )
  })

  it("gives the PIN Redacted, so that it prints as <redacted:PIN>", () => {
    const key = keyOf(16)
    const pin = Effect.runSync(
      decryptPinBlock({ pinBlock: encrypt({ pin: PIN, pan: PAN, key }), pan: PAN, key })
    )
    expect([String(pin), Redacted.value(pin)]).toEqual(["<redacted:PIN>", PIN])
  })

  it("takes PAN and key as Redacted values too", () => {
    const key = keyOf(24)
    const pinBlock = encrypt({ pin: PIN, pan: PAN, key })
    expect(decrypt({ pinBlock, pan: Redacted.make(PAN), key: Redacted.make(key) })).toBe(PIN)
  })

  it.each([
    ["the URL-safe alphabet", (b64: string) => b64.replaceAll("+", "-").replaceAll("/", "_")],
    ["no padding", (b64: string) => b64.replace(/=+$/, "")],
    ["a line break", (b64: string) => `${b64.slice(0, 28)}\n${b64.slice(28, 55)}`],
    ["a trailing space", (b64: string) => `${b64.slice(0, 55)} `],
    // the last data character carries 2 bits of byte 40 and 4 bits that must be zero
    [
      "non-zero trailing bits",
      (b64: string) => `${b64.slice(0, 53)}${ALPHABET[ALPHABET.indexOf(b64[53]!) | 1]}==`
    ]
  ])("refuses Base64 with %s", (_, mangle) => {
    const key = keyOf(16)
    // An IV and PIN whose envelope uses + and / is drawn from a fixed IV, so each mangling bites.
    const envelope = nodeSeal(
      key,
      Buffer.from("fbfffbfffbfffbfffbfffbfffbfffbff", "hex"),
      referenceFormat0(PIN, PAN)
    )
    expect(envelope).toMatch(/[+/]/)
    expect(decrypt({ pinBlock: envelope, pan: PAN, key })).toBe(PIN)
    const mangled = mangle(envelope)
    expect(mangled).not.toBe(envelope)
    // node's lenient decoder still finds the same 40 bytes in every one of these
    expect(Buffer.from(mangled, "base64")).toEqual(Buffer.from(envelope, "base64"))
    expect(failureOf(decryptPinBlock({ pinBlock: mangled, pan: PAN, key }))).toBeInstanceOf(InvalidPinBlock)
  })

  it.each([undefined, null, 42, {}, ["x"]])(
    "refuses %j where the envelope should be, without crashing",
    (pinBlock) => {
      const input = { pinBlock, pan: PAN, key: keyOf(16) } as unknown as Parameters<typeof decryptPinBlock>[0]
      expect(failureOf(decryptPinBlock(input))).toBeInstanceOf(InvalidPinBlock)
    }
  )

  it("dies, rather than blame the client, when the host's key is not an AES key", () => {
    const exit = Effect.runSyncExit(
      decryptPinBlock({ pinBlock: encrypt({ pin: PIN, pan: PAN, key: keyOf(16) }), pan: PAN, key: keyOf(20) })
    )
    expect(Exit.hasDies(exit)).toBe(true)
    if (Exit.isFailure(exit))
      expect(Result.getOrThrow(Cause.findDefect(exit.cause))).toBeInstanceOf(InvalidKey)
  })

  it("dies, rather than blame the client, when the host's PAN is not 12–19 digits", () => {
    const key = keyOf(16)
    const exit = Effect.runSyncExit(
      decryptPinBlock({ pinBlock: encrypt({ pin: PIN, pan: PAN, key }), pan: "4111", key })
    )
    expect(Exit.hasDies(exit)).toBe(true)
    if (Exit.isFailure(exit))
      expect(Result.getOrThrow(Cause.findDefect(exit.cause))).toBeInstanceOf(InvalidPinInput)
  })
})
