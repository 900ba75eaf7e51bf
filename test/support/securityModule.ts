// Test helpers for the security modules: keys, configurations, and a module built from its layer and
// kept open for the whole test file.
import { createHash } from "node:crypto"
import { bytesToHex } from "@noble/hashes/utils.js"
import { Cause, Context, Effect, Exit, Layer, Option, Redacted, Scope } from "effect"
import type { KeyConfiguration } from "../../src/adapters/keys/KeyConfiguration.js"
import { KitNo, TenantId } from "../../src/domain/ground/Identifiers.js"
import { luhnCheckDigit, type Pan, type PanDigits } from "../../src/domain/ground/Pan.js"
import { KeyId, type KeyPurpose, type PinHolder, SecurityModule } from "../../src/ports/SecurityModule.js"
import { digits } from "../crypto/support.js"

export type Module = SecurityModule["Service"]

export const TENANT_A = TenantId.make("ACME_BANK")
export const TENANT_B = TenantId.make("OTHER_BANK")
export const KIT = KitNo.make("4240181652")
export const PAN = "4111111111111111"
export const KEY_SIZES = [16, 24, 32] as const
export type KeySize = (typeof KEY_SIZES)[number]
const PURPOSES: ReadonlyArray<KeyPurpose> = ["cardNumber", "setPin", "pinStore", "panStore"]

/** Distinct key bytes for every label: the first `bytes` bytes of SHA-256(label), or two hashes. */
export const keyBytes = (label: string, bytes: KeySize = 32): Uint8Array => {
  const a = createHash("sha256").update(label).digest()
  const b = createHash("sha256").update(`${label}/2`).digest()
  return Uint8Array.from(Buffer.concat([a, b]).subarray(0, bytes))
}
export const keyHex = (label: string, bytes: KeySize = 32): string => bytesToHex(keyBytes(label, bytes))

/** A PAN as the domain holds it; the digits are not checked (the vectors' PANs fail Luhn). */
export const pan = (digits: string): Pan => Redacted.make(digits as PanDigits, { label: "PAN" })
export const pin = (digits: string): Redacted.Redacted<string> => Redacted.make(digits, { label: "PIN" })
export const holder = (panDigits: string, kitNo: string = KIT): PinHolder => ({
  kitNo: KitNo.make(kitNo),
  pan: pan(panDigits)
})
export const keyId = (id: string) => KeyId.make(id)

/** Both tenants' keys for every purpose, each under the id `<purpose>-1`, of `bytes` bytes. */
export const twoTenants = (bytes: KeySize = 32): KeyConfiguration =>
  Object.fromEntries(
    [TENANT_A, TENANT_B].map((tenant) => [
      tenant,
      Object.fromEntries(
        PURPOSES.map((purpose) => [
          purpose,
          [{ id: `${purpose}-1`, hex: keyHex(`${tenant}/${purpose}`, bytes) }]
        ])
      )
    ])
  )

/** The module a layer provides, built now in a scope that stays open (its keys are not wiped). */
export const moduleOf = <E>(layer: Layer.Layer<SecurityModule, E>): Module =>
  Context.get(Effect.runSync(Layer.buildWithScope(layer, Scope.makeUnsafe())), SecurityModule)

export const run = <A, E>(effect: Effect.Effect<A, E>): A => Effect.runSync(effect)

/** The defect an effect dies with, or the test fails. */
export const defect = <A, E>(effect: Effect.Effect<A, E>): unknown => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit) || !Cause.hasDies(exit.cause)) throw new Error("expected a defect")
  return Cause.squash(exit.cause)
}

/** The typed failure of an effect that must fail, or the test fails. */
export const failure = <A, E>(effect: Effect.Effect<A, E>): E => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure, got a success")
  return Option.getOrThrow(Cause.findErrorOption(exit.cause))
}

/** A Luhn-valid PAN of 12-19 digits, as the domain holds them. */
export const luhnPanArb = digits(11, 18).map((body) => body + luhnCheckDigit(body))
