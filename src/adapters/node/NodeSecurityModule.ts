/**
 * The security module on node:crypto (OpenSSL): the formats of `SecurityModule`, byte for byte, with
 * each key imported once as a `KeyObject` when the layer is built.
 *
 * @since 0.1.0
 */
import { createCipheriv, createDecipheriv, createHmac, randomFillSync, timingSafeEqual } from "node:crypto"
import { type Config, Effect, Layer, Redacted, Result } from "effect"
import { InvalidPinBlock, InvalidPinInput } from "../../crypto/Errors.js"
import { Format0, readFormat0 } from "../../crypto/Format0.js"
import { ENVELOPE_BYTES, ENVELOPE_CHARS, IV_BYTES } from "../../crypto/PinBlockEnvelope.js"
import { isPan } from "../../crypto/PinBlockFormat.js"
import { isTrivialPin } from "../../crypto/TrivialPin.js"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import {
  CiphertextRejected,
  type EncryptedPan,
  type InvalidKeyConfiguration,
  type KeyPurpose,
  REQUEST_FINGERPRINT_PREFIX,
  SecurityModule,
  type StoredVerifier,
  TenantKeyMissing,
  UnknownKeyId
} from "../../ports/SecurityModule.js"
import type { KeyConfiguration } from "../keys/KeyConfiguration.js"
import { keyConfigurationConfig } from "../keys/KeyConfigurationConfig.js"
import { keyRing } from "../keys/KeyRing.js"
import { randomIvs } from "../keys/RandomIvs.js"
import {
  cardPanDigits,
  PAN_IV_BYTES,
  STORED_PAN_BYTES_MAX,
  STORED_PAN_BYTES_MIN,
  storedPanMethods
} from "../keys/StoredPans.js"
import { importKeys, type NodeKey as Key, type NodeKeys, type NodeRing as Ring } from "./KeyObjects.js"

// NIST SP 800-38D: a 128-bit tag, always; a 96-bit IV for stored PANs (GCM's own IV length), the
// seed's 16-byte IV for the Set PIN V2 envelope.
const TAG_BYTES = 16
const HMAC_HEX_CHARS = 64

/** AES-GCM (NIST SP 800-38D) of `clear` under `key`: ciphertext ‖ tag written after `iv` in one buffer. */
const seal = (key: Key, iv: Uint8Array, clear: Uint8Array, aad?: Uint8Array): Buffer => {
  const cipher = createCipheriv(key.cipher, key.secret, iv, { authTagLength: TAG_BYTES })
  if (aad !== undefined) cipher.setAAD(aad)
  const out = Buffer.alloc(iv.length + clear.length + TAG_BYTES)
  out.set(iv)
  const body = cipher.update(clear)
  out.set(body, iv.length)
  body.fill(0)
  cipher.final() // GCM holds nothing back: final() only computes the tag
  out.set(cipher.getAuthTag(), iv.length + clear.length)
  return out
}

/**
 * The clear bytes of `iv ‖ ciphertext ‖ tag` under `key`, or `undefined` when the tag does not match
 * (OpenSSL checks it in constant time). Node hands the clear bytes out before `final()` checks the
 * tag, so they are wiped when it fails.
 */
const open = (key: Key, bytes: Uint8Array, ivBytes: number, aad?: Uint8Array): Buffer | undefined => {
  const decipher = createDecipheriv(key.cipher, key.secret, bytes.subarray(0, ivBytes), {
    authTagLength: TAG_BYTES
  })
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  if (aad !== undefined) decipher.setAAD(aad)
  const clear = decipher.update(bytes.subarray(ivBytes, bytes.length - TAG_BYTES))
  // node:crypto reports a wrong tag only by throwing; the adapter turns it into `undefined` here
  try {
    decipher.final()
    return clear
  } catch {
    clear.fill(0)
    return undefined
  }
}

/**
 * HMAC-SHA-256 (FIPS 198-1) of the ASCII `parts` joined by ":" (the PIN verifier's
 * `kitNo ":" PAN ":" PIN`, or the PAN alone), as 64 lower-case hex digits. The message is written
 * straight into one buffer, wiped once hashed.
 */
const macHex = (key: Key, parts: ReadonlyArray<string>): string => {
  let length = parts.length - 1
  for (const part of parts) length += Buffer.byteLength(part, "utf8")
  const message = Buffer.alloc(length)
  let at = 0
  for (const [i, part] of parts.entries()) {
    if (i > 0) at = message.write(":", at, "latin1") + at
    at += message.write(part, at, "utf8")
  }
  const hex = createHmac("sha256", key.secret).update(message).digest("hex")
  message.fill(0)
  return hex
}

/**
 * Whether the stored verifier is `ours`, compared in constant time (`timingSafeEqual`) over the hex
 * text's bytes, as `macHexEquals` does: only the lengths, which are public, end it early.
 */
const sameMac = (ours: string, stored: unknown): boolean => {
  if (typeof stored !== "string" || stored.length !== HMAC_HEX_CHARS) return false
  const a = Buffer.from(ours, "latin1")
  const b = Buffer.from(stored, "utf8")
  const equal = a.length === b.length && timingSafeEqual(a, b)
  a.fill(0)
  b.fill(0)
  return equal
}

// Strict Base64 of a stored PAN: canonical padded text of a plausible length, else `undefined`.
const panBytes = (text: unknown): Buffer | undefined => {
  // the length first: a stored value may be anything, and node decodes Base64 leniently
  if (typeof text !== "string" || text.length > 4 * Math.ceil(STORED_PAN_BYTES_MAX / 3)) return undefined
  const bytes = Buffer.from(text, "base64")
  return bytes.length >= STORED_PAN_BYTES_MIN &&
    bytes.length <= STORED_PAN_BYTES_MAX &&
    bytes.toString("base64") === text
    ? bytes
    : undefined
}

type Returns<K extends keyof SecurityModule["Service"]> = ReturnType<SecurityModule["Service"][K]>

/**
 * `envelopeBytes`' rule (src/crypto/PinBlockEnvelope.ts) on node's native Base64: exactly the
 * canonical padded encoding of 40 bytes. Node's decoder skips what is not Base64 and takes the URL
 * alphabet too, so the bytes are encoded again and compared: a text is taken only if it is that
 * encoding, which turns away the same texts as the portable reading does (a test compares both).
 */
const envelopeBuffer = (text: string): Buffer | undefined => {
  // typeof: the envelope comes from the client, and a JSON body may hold anything there
  if (typeof text !== "string" || text.length !== ENVELOPE_CHARS) return undefined
  const bytes = Buffer.from(text, "base64")
  return bytes.length === ENVELOPE_BYTES && bytes.toString("base64") === text ? bytes : undefined
}

/**
 * The module over the keys `held()` gives, until it stops giving them: once the layer's scope has closed, every
 * call dies (a thrown defect inside `Effect.suspend`) rather than answer without the keys.
 */
const make = (held: () => NodeKeys) => {
  const ivs = randomIvs(randomFillSync)
  const ringOf = (tenant: TenantId, purpose: KeyPurpose): Result.Result<Ring, TenantKeyMissing> => {
    const ring = held().get(tenant)?.get(purpose)
    return ring === undefined ? Result.fail(new TenantKeyMissing({ purpose })) : Result.succeed(ring)
  }
  const keyOf = (
    tenant: TenantId,
    purpose: KeyPurpose,
    id: string
  ): Result.Result<Key, TenantKeyMissing | UnknownKeyId> =>
    Result.flatMap(ringOf(tenant, purpose), (ring) => {
      const key = ring.all.find((k) => k.id === id)
      return key === undefined ? Result.fail(new UnknownKeyId({ purpose, keyId: id })) : Result.succeed(key)
    })

  // The PIN of an envelope, or `undefined` whatever is wrong: the active key first, then the older
  // ones; the tag tells which one sealed it, and only then is the block read.
  const openEnvelope = (ring: Ring, envelope: string, pan: string): string | undefined => {
    const bytes = envelopeBuffer(envelope)
    if (bytes === undefined) return undefined
    for (const key of ring.all) {
      const clear = open(key, bytes, IV_BYTES)
      if (clear === undefined) continue
      const pin = readFormat0(clear, pan)
      clear.fill(0)
      return pin
    }
    return undefined
  }

  /** The stored format of a PAN (a card's or a token's): AES-GCM under the active `panStore` key. */
  const sealPan = (
    tenant: TenantId,
    aad: string,
    pan: Redacted.Redacted<string>
  ): Effect.Effect<EncryptedPan, TenantKeyMissing> => {
    const ring = ringOf(tenant, "panStore")
    if (Result.isFailure(ring)) return Effect.fail(ring.failure)
    const key = ring.success.active
    const clear = Buffer.from(Redacted.value(pan), "latin1")
    const sealed = seal(key, ivs.next(PAN_IV_BYTES), clear, Buffer.from(aad, "utf8"))
    clear.fill(0)
    return Effect.succeed({ keyId: key.id, ciphertext: sealed.toString("base64") })
  }
  /** A stored PAN's digits, under the key its id names, if they open with `aad` and are `valid`. */
  const openStoredPan = (
    tenant: TenantId,
    aad: string,
    encrypted: EncryptedPan,
    valid: (digits: string) => boolean
  ): Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected> =>
    Effect.suspend((): Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected> => {
      const key = keyOf(tenant, "panStore", encrypted.keyId)
      if (Result.isFailure(key)) return Effect.fail(key.failure)
      const bytes = panBytes(encrypted.ciphertext)
      const clear = bytes && open(key.success, bytes, PAN_IV_BYTES, Buffer.from(aad, "utf8"))
      const digits = clear?.toString("latin1")
      clear?.fill(0)
      // an authentic plaintext that is no PAN was not made by a security module: refused alike
      return digits !== undefined && valid(digits)
        ? Effect.succeed(digits)
        : Effect.fail(new CiphertextRejected())
    })

  const cardPan = cardPanDigits(openStoredPan)

  // Each PIN rule once, on plain strings: the port's methods below take them out of their `Redacted`
  // values (or out of the module's own decryption of a stored PAN) and put the answers in effects.

  /** The PIN of an envelope under a tenant's setPin keys; `InvalidPinBlock` whatever is wrong. */
  const pinUnder = (ring: Ring, envelope: string, pan: string): Result.Result<string, InvalidPinBlock> => {
    const pin = openEnvelope(ring, envelope, pan)
    // DOMAIN.md §6: every failure is this one error, made at this one site
    return pin === undefined ? Result.fail(new InvalidPinBlock()) : Result.succeed(pin)
  }
  /** The verifier of `pin` on the card under the tenant's active pinStore key. */
  const verifierOf = (tenant: TenantId, kitNo: string, pan: string, pin: string) =>
    Result.map(ringOf(tenant, "pinStore"), ({ active: key }) => ({
      keyId: key.id,
      mac: Redacted.make(macHex(key, verifierMessage(kitNo, pan, pin)), { label: "PIN verifier" })
    }))
  /** Whether `pin` on the card is what `stored` was made of, under the key that made it. */
  const matches = (tenant: TenantId, kitNo: string, pan: string, pin: string, stored: StoredVerifier) =>
    Result.map(keyOf(tenant, "pinStore", stored.keyId), (key) =>
      sameMac(macHex(key, verifierMessage(kitNo, pan, pin)), Redacted.value(stored.mac))
    )

  return SecurityModule.of({
    // decryptPan, openPinBlock and makeVerifier in one step: the PAN and the PIN never leave it
    verifierFromEnvelope: (tenant, card, envelope) =>
      Effect.flatMap(cardPan(tenant, card), (pan) =>
        Effect.fromResult(
          Result.flatMap(
            Result.flatMap(ringOf(tenant, "setPin"), (ring) => pinUnder(ring, envelope, pan)),
            (pin) =>
              Result.map(verifierOf(tenant, card.kitNo, pan, pin), (verifier) => ({
                verifier,
                trivial: isTrivialPin(pin)
              }))
          )
        )
      ),
    checkCardVerifier: (tenant, card, pin, stored) =>
      Effect.flatMap(cardPan(tenant, card), (pan) =>
        Effect.fromResult(matches(tenant, card.kitNo, pan, Redacted.value(pin), stored))
      ),
    openPinBlock: (tenant, envelope, pan) =>
      Effect.suspend((): Returns<"openPinBlock"> => {
        const ring = ringOf(tenant, "setPin")
        if (Result.isFailure(ring)) return Effect.fail(ring.failure)
        const digits = Redacted.value(pan)
        // as decryptPinBlock: a PAN from the card record that is no PAN is the host's fault
        if (!isPan(digits)) return Effect.die(InvalidPinInput.of("pan"))
        return Effect.fromResult(
          Result.map(pinUnder(ring.success, envelope, digits), (pin) => Redacted.make(pin, { label: "PIN" }))
        )
      }),
    sealPinBlock: (tenant, pin, pan) =>
      Effect.suspend((): Returns<"sealPinBlock"> => {
        const ring = ringOf(tenant, "setPin")
        if (Result.isFailure(ring)) return Effect.fail(ring.failure)
        const block = Format0.encode(Redacted.value(pin), Redacted.value(pan))
        if (Result.isFailure(block)) return Effect.fail(block.failure)
        const sealed = seal(ring.success.active, ivs.next(IV_BYTES), block.success)
        block.success.fill(0)
        const text = sealed.toString("base64")
        sealed.fill(0)
        return Effect.succeed(text)
      }),
    makeVerifier: (tenant, card, pin) =>
      Effect.suspend(() =>
        Effect.fromResult(verifierOf(tenant, card.kitNo, Redacted.value(card.pan), Redacted.value(pin)))
      ),
    checkVerifier: (tenant, card, pin, stored) =>
      Effect.suspend(() =>
        Effect.fromResult(matches(tenant, card.kitNo, Redacted.value(card.pan), Redacted.value(pin), stored))
      ),
    cardNumberHash: (tenant, pan) =>
      Effect.suspend((): Returns<"cardNumberHash"> => {
        const ring = ringOf(tenant, "cardNumber")
        if (Result.isFailure(ring)) return Effect.fail(ring.failure)
        const digits: Redacted.Redacted<string> = pan
        return Effect.succeed(macHex(ring.success.active, [Redacted.value(digits)]))
      }),
    cardNumberHashUnder: (tenant, keyId, pan) =>
      Effect.suspend((): Returns<"cardNumberHashUnder"> => {
        const key = keyOf(tenant, "cardNumber", keyId)
        if (Result.isFailure(key)) return Effect.fail(key.failure)
        const digits: Redacted.Redacted<string> = pan
        return Effect.succeed(macHex(key.success, [Redacted.value(digits)]))
      }),
    requestFingerprint: (tenant, text) =>
      Effect.suspend((): Returns<"requestFingerprint"> => {
        const ring = ringOf(tenant, "cardNumber")
        if (Result.isFailure(ring)) return Effect.fail(ring.failure)
        const key = ring.success.active
        return Effect.succeed({
          keyId: key.id,
          hash: macHex(key, [REQUEST_FINGERPRINT_PREFIX + Redacted.value(text)])
        })
      }),
    requestFingerprintUnder: (tenant, keyId, text) =>
      Effect.suspend((): Returns<"requestFingerprintUnder"> => {
        const key = keyOf(tenant, "cardNumber", keyId)
        if (Result.isFailure(key)) return Effect.fail(key.failure)
        return Effect.succeed(macHex(key.success, [REQUEST_FINGERPRINT_PREFIX + Redacted.value(text)]))
      }),
    ...storedPanMethods({ seal: sealPan, open: openStoredPan })
  })
}

/** What a PIN's verifier is the HMAC of: `kitNo:PAN:PIN`, binding the PIN to its card. */
const verifierMessage = (kitNo: string, pan: string, pin: string): ReadonlyArray<string> => [kitNo, pan, pin]

/**
 * `SecurityModule` on node:crypto, over the keys of `config` (`KeyConfiguration`, the same as the
 * portable module's). The configuration is checked by the rules every in-process module shares
 * (`keyRing`): a broken rule fails the build with `InvalidKeyConfiguration`, naming each path and
 * rule. Each key is then imported once into a `KeyObject`, and the decoded bytes are wiped; the
 * `KeyObject`s are dropped when the layer's scope closes, after which a call dies.
 *
 * @category layers
 */
export const layer = (config: KeyConfiguration): Layer.Layer<SecurityModule, InvalidKeyConfiguration> =>
  Layer.effect(
    SecurityModule,
    Effect.gen(function* () {
      const ring = yield* Effect.fromResult(keyRing(config))
      let keys: NodeKeys | undefined = importKeys(config, ring)
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          keys = undefined
        })
      )
      return make(() => {
        if (keys === undefined) throw new Error("The security module's layer is closed: it holds no keys.")
        return keys
      })
    })
  )

/**
 * The module over the key configuration read from Effect's `Config`: the JSON of a
 * `KeyConfiguration` in one secret variable, `CARD_LIFECYCLE_KEYS` unless `name` says otherwise, read
 * as the portable module reads it (docs/pin-blocks.md, "Security modules").
 *
 * @category layers
 */
export const layerConfig = (
  name?: string
): Layer.Layer<SecurityModule, InvalidKeyConfiguration | Config.ConfigError> =>
  Layer.unwrap(Effect.map(keyConfigurationConfig(name), layer))
