import { gcm } from "@noble/ciphers/aes.js"
import { randomBytes } from "@noble/ciphers/utils.js"
import { Effect, Redacted, Result } from "effect"
import { Base64 } from "effect/encoding"
import { InvalidKey, InvalidPinBlock, InvalidPinInput } from "./Errors.js"
import { Format0, readFormat0 } from "./Format0.js"
import { draw, isPan } from "./PinBlockFormat.js"
import { isAesKey, reveal, type Secret } from "./Secret.js"

// DOMAIN.md §6 / seed 001 Set PIN V2: Base64(IV ‖ ciphertext ‖ tag) with a 16-byte IV, the 8-byte
// format-0 block and a 128-bit tag: 40 bytes, which canonical padded Base64 writes in 56 characters.
export const IV_BYTES = 16
export const ENVELOPE_BYTES = IV_BYTES + 8 + 16
export const ENVELOPE_CHARS = 56

/** @category models */
export interface EncryptPinBlockInput {
  readonly pin: Secret<string>
  readonly pan: Secret<string>
  /** The tenant's set-PIN key: 16, 24 or 32 bytes. */
  readonly key: Secret<Uint8Array>
}

/** @category models */
export interface DecryptPinBlockInput {
  /** The envelope as the client sent it. */
  readonly pinBlock: string
  /** The card's PAN, from the card record (not from the request). */
  readonly pan: Secret<string>
  readonly key: Secret<Uint8Array>
}

const seal = (
  input: EncryptPinBlockInput,
  fixedIv: Uint8Array | undefined
): Result.Result<string, InvalidPinInput | InvalidKey> => {
  const key = reveal(input.key)
  if (!isAesKey(key)) return Result.fail(new InvalidKey())
  if (fixedIv !== undefined && fixedIv.length !== IV_BYTES) return Result.fail(InvalidPinInput.of("iv"))
  return Result.map(Format0.encode(reveal(input.pin), reveal(input.pan)), (block) => {
    const iv = fixedIv ?? draw(randomBytes, IV_BYTES)
    const sealed = gcm(key, iv).encrypt(block) // ciphertext ‖ 16-byte tag
    block.fill(0)
    const envelope = new Uint8Array(ENVELOPE_BYTES)
    envelope.set(iv)
    envelope.set(sealed, IV_BYTES)
    const text = Base64.encode(envelope)
    envelope.fill(0)
    sealed.fill(0)
    return text
  })
}

// Strict Base64: exactly 56 characters that decode to 40 bytes and re-encode to the same text, which
// turns away whitespace, missing or extra padding, the URL alphabet and non-zero trailing bits.
// (Comparing with === is fine here: the envelope is ciphertext, not a secret.) `undefined` for any
// failure: the one InvalidPinBlock is made by decryptPinBlock (or by a security module that opens
// envelopes with another cipher: it reads them with this same function, so it refuses the same texts).
export const envelopeBytes = (text: string): Uint8Array | undefined => {
  // typeof: the envelope comes from the client, and a JSON body may hold anything there
  // Stryker disable next-line ConditionalExpression: only a 56-character text decodes to 40 bytes that re-encode to the same text, which the check below requires; this only ends early
  if (typeof text !== "string" || text.length !== ENVELOPE_CHARS) return undefined
  const bytes = Result.getOrUndefined(Base64.decode(text))
  return bytes !== undefined && bytes.length === ENVELOPE_BYTES && Base64.encode(bytes) === text
    ? bytes
    : undefined
}

// The PIN in the envelope, or `undefined` whatever is wrong with it.
const open = (pinBlock: string, pan: string, key: Uint8Array): string | undefined => {
  const bytes = envelopeBytes(pinBlock)
  // Stryker disable next-line ConditionalExpression: without it, bytes.subarray throws inside the Result.try below, which gives the same undefined
  if (bytes === undefined) return undefined
  return openEnvelopeBytes(bytes, pan, key)
}

/**
 * The PIN in an envelope already read by `envelopeBytes`, under `key`, for `pan` (a valid PAN, and an
 * AES key: the caller has checked both), or `undefined` whatever is wrong: what a security module
 * that holds several keys tries each key with, reading the envelope once.
 */
export const openEnvelopeBytes = (bytes: Uint8Array, pan: string, key: Uint8Array): string | undefined => {
  // @noble throws on a wrong tag; GCM checks the tag before it decrypts anything.
  const clear = Result.getOrUndefined(
    Result.try({
      try: () => gcm(key, bytes.subarray(0, IV_BYTES)).decrypt(bytes.subarray(IV_BYTES)),
      catch: () => undefined
    })
  )
  if (clear === undefined) return undefined
  const pin = readFormat0(clear, pan)
  clear.fill(0)
  return pin
}

/**
 * Set PIN V2 (DOMAIN.md §6): the PIN as an ISO 9564 format-0 block, sealed with AES-GCM under `key`
 * (a fresh random 16-byte IV, a 128-bit tag) and written as Base64(IV ‖ ciphertext ‖ tag), 56
 * characters. This is the platform's own envelope, not ISO 9564 format 4.
 *
 * Not `Effect.fn`: this is a leaf, called by a use case that carries its own span, and a span here
 * would add about 4 µs to every call.
 *
 * @category constructors
 */
export const encryptPinBlock = (
  input: EncryptPinBlockInput
): Effect.Effect<string, InvalidPinInput | InvalidKey> =>
  Effect.suspend(() => Effect.fromResult(seal(input, undefined)))

/**
 * `encryptPinBlock` with a fixed IV, for known-answer tests and for test arbitraries that replay an
 * envelope from a seed. Not exported by the package root nor by `src/crypto/index.ts`: two envelopes
 * sealed under one GCM key with one IV give away the XOR of their blocks and let anyone forge tags
 * under that key (NIST SP 800-38D §8). An IV that is not 16 bytes is `InvalidPinInput` (`iv`).
 *
 * @category constructors
 */
export const encryptPinBlockWithIv = (
  input: EncryptPinBlockInput,
  iv: Uint8Array
): Effect.Effect<string, InvalidPinInput | InvalidKey> =>
  Effect.suspend(() => Effect.fromResult(seal(input, iv)))

/**
 * Opens a Set PIN V2 envelope and returns the PIN, `Redacted`. Every way the envelope can be wrong
 * (not Base64, not 40 bytes, wrong tag, wrong key, wrong PAN, bad control nibble, bad length, bad
 * digits, bad fill) is the same `InvalidPinBlock`.
 *
 * `key` and `pan` come from the host (the tenant's key store, the card record), not from the client:
 * a key that is not 16, 24 or 32 bytes or a PAN that is not 12–19 digits is a defect (the effect dies
 * with `InvalidKey` / `InvalidPinInput`), so a misconfigured host is not mistaken for bad client input.
 *
 * @category constructors
 */
export const decryptPinBlock = (
  input: DecryptPinBlockInput
): Effect.Effect<Redacted.Redacted<string>, InvalidPinBlock> =>
  Effect.suspend(() => {
    const key = reveal(input.key)
    if (!isAesKey(key)) return Effect.die(new InvalidKey())
    const pan = reveal(input.pan)
    if (!isPan(pan)) return Effect.die(InvalidPinInput.of("pan"))
    const pin = open(input.pinBlock, pan, key)
    // DOMAIN.md §6: every failure becomes the one error here, at this one site, so that not even
    // the error's stack trace says which check failed
    return pin === undefined
      ? Effect.fail(new InvalidPinBlock())
      : Effect.succeed(Redacted.make(pin, { label: "PIN" }))
  })
