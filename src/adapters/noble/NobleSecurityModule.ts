/**
 * The portable security module: the `SecurityModule` port on `@noble/ciphers` and `@noble/hashes`,
 * with the keys of a `KeyConfiguration` held in its own closure. Runs wherever JavaScript runs (no
 * `node:*`); the formats are the port's, so what it makes is opened and checked by any other module.
 *
 * @since 0.1.0
 */
import { gcm } from "@noble/ciphers/aes.js"
import { randomBytes } from "@noble/ciphers/utils.js"
import { utf8ToBytes } from "@noble/hashes/utils.js"
import { type Config, Effect, Layer, Redacted, Result } from "effect"
import { Base64 } from "effect/encoding"
import { hmacSha256Hex, InvalidPinBlock, InvalidPinInput, macHexEquals } from "../../crypto/index.js"
import {
  encryptPinBlockWithIv,
  envelopeBytes,
  IV_BYTES,
  openEnvelopeBytes
} from "../../crypto/PinBlockEnvelope.js"
import { isPan } from "../../crypto/PinBlockFormat.js"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import {
  CiphertextRejected,
  type EncryptedPan,
  type InvalidKeyConfiguration,
  type KeyPurpose,
  type PinHolder,
  REQUEST_FINGERPRINT_PREFIX,
  SecurityModule,
  TenantKeyMissing,
  UnknownKeyId
} from "../../ports/SecurityModule.js"
import { cardPinMethods } from "../keys/CardPins.js"
import type { KeyConfiguration } from "../keys/KeyConfiguration.js"
import { keyConfigurationConfig } from "../keys/KeyConfigurationConfig.js"
import { type KeyRing, keyRing, type RingKey } from "../keys/KeyRing.js"
import { randomIvs } from "../keys/RandomIvs.js"
import {
  PAN_IV_BYTES,
  STORED_PAN_BYTES_MAX,
  STORED_PAN_BYTES_MIN,
  storedPanMethods
} from "../keys/StoredPans.js"

const COLON = 0x3a

/** The ASCII bytes of `kitNo ":" PAN ":" PIN`: the port's verifier message. The caller wipes it. */
const verifierMessage = (card: PinHolder, pin: Redacted.Redacted<string>): Uint8Array => {
  const pan = Redacted.value(card.pan)
  const digits = Redacted.value(pin)
  const parts = [card.kitNo, pan, digits]
  const message = new Uint8Array(card.kitNo.length + pan.length + digits.length + 2)
  let at = 0
  for (const [i, part] of parts.entries()) {
    if (i > 0) message[at++] = COLON
    for (let c = 0; c < part.length; c++) message[at++] = part.charCodeAt(c)
  }
  return message
}

const macOf = (key: RingKey, card: PinHolder, pin: Redacted.Redacted<string>): string => {
  const message = verifierMessage(card, pin)
  const mac = hmacSha256Hex(key.key, message)
  message.fill(0)
  return mac
}

// Strict Base64 that re-encodes to the same text: no whitespace, padding or alphabet variants.
const panCiphertextBytes = (text: string): Uint8Array | undefined => {
  if (typeof text !== "string" || text.length > 4 * Math.ceil(STORED_PAN_BYTES_MAX / 3)) return undefined
  const bytes = Result.getOrUndefined(Base64.decode(text))
  return bytes !== undefined &&
    bytes.length >= STORED_PAN_BYTES_MIN &&
    bytes.length <= STORED_PAN_BYTES_MAX &&
    Base64.encode(bytes) === text
    ? bytes
    : undefined
}

/** The PAN's digits out of its ciphertext under `key`, with `aad` as additional data, if they are `valid`. */
const openPan = (
  key: Uint8Array,
  aad: string,
  bytes: Uint8Array,
  valid: (digits: string) => boolean
): string | undefined => {
  // @noble throws on a wrong tag, and checks the tag before it decrypts anything
  const clear = Result.getOrUndefined(
    Result.try({
      try: () =>
        gcm(key, bytes.subarray(0, PAN_IV_BYTES), utf8ToBytes(aad)).decrypt(bytes.subarray(PAN_IV_BYTES)),
      catch: () => undefined
    })
  )
  if (clear === undefined) return undefined
  const digits = String.fromCharCode(...clear)
  clear.fill(0)
  return valid(digits) ? digits : undefined
}

/**
 * The module over a checked key ring: each method finds the tenant's keys for its purpose (the active
 * one to make a value, the one a stored value names to use it) and runs the port's format.
 *
 * @category constructors
 */
export const fromKeyRing = (ring: KeyRing): SecurityModule["Service"] => {
  // @noble's CSPRNG (the Web Crypto getRandomValues) fills the pool the IVs are cut from
  const ivs = randomIvs((pool) => pool.set(randomBytes(pool.length)))
  const keysOf = (
    tenant: TenantId,
    purpose: KeyPurpose
  ): Result.Result<ReadonlyArray<RingKey>, TenantKeyMissing> => {
    const keys = ring.keysOf(tenant, purpose)
    return keys === undefined ? Result.fail(new TenantKeyMissing({ purpose })) : Result.succeed(keys)
  }
  const active = (tenant: TenantId, purpose: KeyPurpose) =>
    Result.map(keysOf(tenant, purpose), (keys) => keys[0]!)
  const named = (
    tenant: TenantId,
    purpose: KeyPurpose,
    keyId: string
  ): Result.Result<RingKey, TenantKeyMissing | UnknownKeyId> =>
    Result.flatMap(keysOf(tenant, purpose), (keys) => {
      const key = keys.find((k) => k.id === keyId)
      return key === undefined ? Result.fail(new UnknownKeyId({ purpose, keyId })) : Result.succeed(key)
    })
  /** The stored format of a PAN (a card's or a token's): AES-GCM under the active `panStore` key. */
  const sealPan = (tenant: TenantId, aad: string, pan: Redacted.Redacted<string>) => {
    const key = active(tenant, "panStore")
    if (Result.isFailure(key)) return Effect.fail(key.failure)
    const iv = ivs.next(PAN_IV_BYTES)
    const clear = utf8ToBytes(Redacted.value(pan))
    const sealed = gcm(Redacted.value(key.success.key), iv, utf8ToBytes(aad)).encrypt(clear)
    clear.fill(0)
    const bytes = new Uint8Array(PAN_IV_BYTES + sealed.length)
    bytes.set(iv)
    bytes.set(sealed, PAN_IV_BYTES)
    return Effect.succeed({ keyId: key.success.id, ciphertext: Base64.encode(bytes) })
  }
  /** A stored PAN's digits, under the key its id names, if they open with `aad` and are `valid`. */
  const openStoredPan = (
    tenant: TenantId,
    aad: string,
    encrypted: EncryptedPan,
    valid: (digits: string) => boolean
  ): Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected> =>
    Effect.suspend((): Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected> => {
      const key = named(tenant, "panStore", encrypted.keyId)
      if (Result.isFailure(key)) return Effect.fail(key.failure)
      const bytes = panCiphertextBytes(encrypted.ciphertext)
      const digits =
        bytes === undefined ? undefined : openPan(Redacted.value(key.success.key), aad, bytes, valid)
      return digits === undefined ? Effect.fail(new CiphertextRejected()) : Effect.succeed(digits)
    })

  const steps: Omit<SecurityModule["Service"], "verifierFromEnvelope" | "checkCardVerifier"> = {
    openPinBlock: (tenant, envelope, pan) =>
      Effect.suspend((): Effect.Effect<Redacted.Redacted<string>, InvalidPinBlock | TenantKeyMissing> => {
        const keys = keysOf(tenant, "setPin")
        if (Result.isFailure(keys)) return Effect.fail(keys.failure)
        const digits = Redacted.value(pan)
        // as decryptPinBlock: a PAN from the card record that is no PAN is the host's fault
        if (!isPan(digits)) return Effect.die(InvalidPinInput.of("pan"))
        // read once (decryptPinBlock's strict reading); then the active key first, then each older
        // one: the GCM tag tells which key sealed it
        const bytes = envelopeBytes(envelope)
        if (bytes !== undefined)
          for (const { key } of keys.success) {
            const pin = openEnvelopeBytes(bytes, digits, Redacted.value(key))
            if (pin !== undefined) return Effect.succeed(Redacted.make(pin, { label: "PIN" }))
          }
        // DOMAIN.md §6: every failure is this one error, made at this one site
        return Effect.fail(new InvalidPinBlock())
      }),
    sealPinBlock: (tenant, pin, pan) =>
      Effect.suspend(() => {
        const key = active(tenant, "setPin")
        if (Result.isFailure(key)) return Effect.fail(key.failure)
        // every key of the ring is an AES key: a refused one is a defect of this module
        return encryptPinBlockWithIv({ pin, pan, key: key.success.key }, ivs.next(IV_BYTES)).pipe(
          Effect.catchTag("InvalidKey", (error) => Effect.die(error))
        )
      }),
    makeVerifier: (tenant, card, pin) =>
      Effect.suspend(() =>
        Effect.fromResult(
          Result.map(active(tenant, "pinStore"), (key) => ({
            keyId: key.id,
            mac: Redacted.make(macOf(key, card, pin), { label: "PIN verifier" })
          }))
        )
      ),
    checkVerifier: (tenant, card, pin, stored) =>
      Effect.suspend(() =>
        Effect.fromResult(
          Result.map(named(tenant, "pinStore", stored.keyId), (key) =>
            macHexEquals(stored.mac, macOf(key, card, pin))
          )
        )
      ),
    cardNumberHash: (tenant, pan) =>
      Effect.suspend(() =>
        Effect.fromResult(Result.map(active(tenant, "cardNumber"), (key) => hmacSha256Hex(key.key, pan)))
      ),
    cardNumberHashUnder: (tenant, keyId, pan) =>
      Effect.suspend(() =>
        Effect.fromResult(
          Result.map(named(tenant, "cardNumber", keyId), (key) => hmacSha256Hex(key.key, pan))
        )
      ),
    requestFingerprint: (tenant, text) =>
      Effect.suspend(() =>
        Effect.fromResult(
          Result.map(active(tenant, "cardNumber"), (key) => ({
            keyId: key.id,
            hash: hmacSha256Hex(key.key, fingerprintMessage(text))
          }))
        )
      ),
    requestFingerprintUnder: (tenant, keyId, text) =>
      Effect.suspend(() =>
        Effect.fromResult(
          Result.map(named(tenant, "cardNumber", keyId), (key) =>
            hmacSha256Hex(key.key, fingerprintMessage(text))
          )
        )
      ),
    ...storedPanMethods({ seal: sealPan, open: openStoredPan })
  }
  return SecurityModule.of({ ...steps, ...cardPinMethods(steps) })
}

const fingerprintMessage = (text: Redacted.Redacted<string>): Uint8Array =>
  new TextEncoder().encode(REQUEST_FINGERPRINT_PREFIX + Redacted.value(text))

/**
 * The module over `config`'s keys. The configuration is checked when the layer is built: a broken
 * rule fails the build with `InvalidKeyConfiguration`, naming each path and rule. The decoded keys
 * live in the module's closure alone, and are zeroed when the layer's scope closes.
 *
 * @category layers
 */
export const layer = (config: KeyConfiguration): Layer.Layer<SecurityModule, InvalidKeyConfiguration> =>
  Layer.effect(
    SecurityModule,
    Effect.gen(function* () {
      const ring = yield* Effect.fromResult(keyRing(config))
      yield* Effect.addFinalizer(() => Effect.sync(() => ring.wipe()))
      return fromKeyRing(ring)
    })
  )

/**
 * The module over the key configuration read from Effect's `Config`: the JSON of a
 * `KeyConfiguration` in one secret variable, `CARD_LIFECYCLE_KEYS` unless `name` says otherwise
 * (docs/pin-blocks.md, "Security modules").
 *
 * @category layers
 */
export const layerConfig = (
  name?: string
): Layer.Layer<SecurityModule, InvalidKeyConfiguration | Config.ConfigError> =>
  Layer.unwrap(Effect.map(keyConfigurationConfig(name), layer))
