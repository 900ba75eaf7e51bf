// Test helpers for the security modules: keys, configurations, the module built from a layer, and
// references written with @noble over the formats of src/ports/SecurityModule.ts.
import { createHash } from "node:crypto"
import { gcm } from "@noble/ciphers/aes.js"
import { hmac } from "@noble/hashes/hmac.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js"
import { Cause, Effect, Exit, type Layer, Option, Redacted } from "effect"
import type { KeyConfiguration } from "../../src/adapters/node/index.js"
import { KitNo, TenantId } from "../../src/domain/ground/Identifiers.js"
import { luhnCheckDigit, type Pan, type PanDigits } from "../../src/domain/ground/Pan.js"
import { KeyId, type PinHolder, SecurityModule } from "../../src/ports/SecurityModule.js"
import { digits } from "../crypto/support.js"

export type Module = SecurityModule["Service"]

export const TENANT_A = TenantId.make("ACME_BANK")
export const TENANT_B = TenantId.make("OTHER_BANK")
export const KIT = KitNo.make("4240181652")
export const PAN = "4111111111111111"

/** Distinct key bytes for every label: the first `bytes` bytes of SHA-256(label), or two hashes. */
export const keyBytes = (label: string, bytes: 16 | 24 | 32 = 32): Uint8Array => {
  const a = createHash("sha256").update(label).digest()
  const b = createHash("sha256").update(`${label}/2`).digest()
  return Uint8Array.from(Buffer.concat([a, b]).subarray(0, bytes))
}
export const keyHex = (label: string, bytes: 16 | 24 | 32 = 32): string => bytesToHex(keyBytes(label, bytes))

/** A PAN as the domain holds it; the digits are not checked (the vectors' PANs fail Luhn). */
export const pan = (digits: string): Pan => Redacted.make(digits as PanDigits, { label: "PAN" })
export const pin = (digits: string): Redacted.Redacted<string> => Redacted.make(digits, { label: "PIN" })
export const holder = (panDigits: string, kitNo: string = KIT): PinHolder => ({
  kitNo: KitNo.make(kitNo),
  pan: pan(panDigits)
})
export const keyId = (id: string) => KeyId.make(id)

/** The module a layer provides, built now. */
export const moduleOf = <E>(layer: Layer.Layer<SecurityModule, E>): Module =>
  Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        return yield* SecurityModule
      }),
      layer
    )
  )

export const run = <A, E>(effect: Effect.Effect<A, E>): A => Effect.runSync(effect)

/** The defect an effect dies with, or the test fails. */
export const defect = <A, E>(effect: Effect.Effect<A, E>): unknown => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit) || !Cause.hasDies(exit.cause)) throw new Error("expected a defect")
  return Cause.squash(exit.cause)
}

/** A Luhn-valid PAN of 12-19 digits, as the domain holds them. */
export const luhnPanArb = digits(11, 18).map((body) => body + luhnCheckDigit(body))

/** The typed failure of an effect that must fail, or the test fails. */
export const failure = <A, E>(effect: Effect.Effect<A, E>): E => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure, got a success")
  return Option.getOrThrow(Cause.findErrorOption(exit.cause))
}

/** One tenant's keys for every purpose, each under the id `<purpose>-1`, derived from `label`. */
export const tenantKeys = (label: string, bytes: 16 | 24 | 32 = 32) => ({
  cardNumber: [{ id: "cardNumber-1", hex: keyHex(`${label}/cardNumber`, bytes) }] as const,
  setPin: [{ id: "setPin-1", hex: keyHex(`${label}/setPin`, bytes) }] as const,
  pinStore: [{ id: "pinStore-1", hex: keyHex(`${label}/pinStore`, bytes) }] as const,
  panStore: [{ id: "panStore-1", hex: keyHex(`${label}/panStore`, bytes) }] as const
})

export const twoTenants = (bytes: 16 | 24 | 32 = 32): KeyConfiguration => ({
  [TENANT_A]: tenantKeys("A", bytes),
  [TENANT_B]: tenantKeys("B", bytes)
})

// The references: the formats of src/ports/SecurityModule.ts, written with @noble.

/** HMAC-SHA-256 of the ASCII message, lower-case hex. */
export const referenceMac = (key: Uint8Array, message: string): string =>
  bytesToHex(hmac(sha256, key, utf8ToBytes(message)))

/** The PIN verifier: HMAC-SHA-256 over `kitNo ":" PAN ":" PIN`. */
export const referenceVerifier = (key: Uint8Array, kitNo: string, panDigits: string, pinDigits: string) =>
  referenceMac(key, `${kitNo}:${panDigits}:${pinDigits}`)

/** An encrypted PAN: Base64(12-byte IV ‖ AES-GCM(PAN digits, AAD = tenant id) ‖ tag). */
export const referenceEncryptPan = (key: Uint8Array, iv: Uint8Array, tenant: string, digits: string) =>
  Buffer.concat([iv, gcm(key, iv, utf8ToBytes(tenant)).encrypt(utf8ToBytes(digits))]).toString("base64")

export const referenceDecryptPan = (key: Uint8Array, tenant: string, ciphertext: string): string => {
  const bytes = Buffer.from(ciphertext, "base64")
  return Buffer.from(
    gcm(key, bytes.subarray(0, 12), utf8ToBytes(tenant)).decrypt(bytes.subarray(12))
  ).toString("latin1")
}
