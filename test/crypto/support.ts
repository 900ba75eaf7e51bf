// Test-only helpers for src/crypto: published vectors, fixed random sources, arbitraries, and an
// independent node:crypto reference for the blocks and the envelope.
import { type CipherGCMTypes, createCipheriv, createDecipheriv } from "node:crypto"
import { readFileSync } from "node:fs"
import { hexToBytes } from "@noble/hashes/utils.js"
import { Cause, Effect, Exit, Option, Result } from "effect"
import fc from "fast-check"
import type { RandomSource } from "../../src/crypto/index.js"

export const hex = (text: string): Uint8Array => hexToBytes(text)

export const loadVectors = <A>(name: string): A =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8")) as A

/** Serves `bytes` in order, then fails the test if asked for more. */
export const fixedRandom = (bytes: Uint8Array): RandomSource => {
  let at = 0
  return (n) => {
    if (at + n > bytes.length) throw new Error(`fixedRandom: asked for ${n} bytes, ${bytes.length - at} left`)
    const out = bytes.slice(at, at + n)
    at += n
    return out
  }
}

/** Remembers every buffer it hands out, to check later that the caller wiped it. */
export const recordingRandom = (): { readonly random: RandomSource; readonly served: Array<Uint8Array> } => {
  const served: Array<Uint8Array> = []
  return {
    served,
    random: (n) => {
      const out = new Uint8Array(n).fill(0x5a)
      served.push(out)
      return out
    }
  }
}

export const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength })
export const pinArb = digits(4, 12)
export const panArb = digits(12, 19)
export const aesKeyArb = fc
  .constantFrom(16, 24, 32)
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))

/** A PAN that differs from `pan` in one of the (up to) 12 digits before the check digit. */
export const otherAccount = (pan: string, position: number, delta: number): string => {
  const at = pan.length - 2 - (position % Math.min(12, pan.length - 1))
  const digit = (Number(pan[at]) + 1 + (delta % 9)) % 10
  return pan.slice(0, at) + String(digit) + pan.slice(at + 1)
}

/** Byte-wise XOR of two equal-length hex strings or buffers. */
export const xor = (a: string | Uint8Array, b: string | Uint8Array): Buffer => {
  const x = typeof a === "string" ? Buffer.from(a, "hex") : Buffer.from(a)
  const y = typeof b === "string" ? Buffer.from(b, "hex") : b
  return Buffer.from(x.map((byte, i) => byte ^ y[i]!))
}

/** Reference format-0 account field and block, built from strings the way the standards print them. */
export const referencePanField0 = (pan: string): string =>
  `0000${pan.slice(0, -1).slice(-12).padStart(12, "0")}`
export const referenceFormat0 = (pin: string, pan: string): Buffer =>
  xor(`0${pin.length.toString(16)}${pin}`.padEnd(16, "F"), referencePanField0(pan))

/** The Base64 envelope with bit `bit` (0 = the lowest bit of byte 0) flipped. */
export const flipBit = (envelope: string, bit: number): string => {
  const bytes = Buffer.from(envelope, "base64")
  bytes[bit >> 3]! ^= 1 << (bit & 7)
  return bytes.toString("base64")
}

const gcmName = (key: Uint8Array) => `aes-${key.length * 8}-gcm` as CipherGCMTypes

/** AES-GCM with node:crypto, 16-byte IV, 128-bit tag: Base64(IV ‖ ciphertext ‖ tag). */
export const nodeSeal = (key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): string => {
  const cipher = createCipheriv(gcmName(key), key, iv)
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

export const nodeOpen = (key: Uint8Array, envelope: string): Buffer => {
  const bytes = Buffer.from(envelope, "base64")
  const decipher = createDecipheriv(gcmName(key), key, bytes.subarray(0, 16))
  decipher.setAuthTag(bytes.subarray(bytes.length - 16))
  return Buffer.concat([decipher.update(bytes.subarray(16, bytes.length - 16)), decipher.final()])
}

/** The failure of a Result that must fail, or the test fails. */
export const failureOfResult = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected a failure, got a success")
  return result.failure
}

/** The failure (typed error) of an effect that must fail, or the test fails. */
export const failureOf = <A, E>(effect: Effect.Effect<A, E>): E => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure, got a success")
  return Option.getOrThrow(Cause.findErrorOption(exit.cause))
}
