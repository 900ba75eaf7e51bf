import { Context, type Effect, type Redacted, Schema } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * The purposes a tenant holds a secret key for: `cardNumber` (HMAC of PANs), `setPin` (AES-GCM key of
 * Set PIN V2), `pinStore` (HMAC of stored PINs), `panStore` (AES-GCM of stored PANs). Each key serves
 * one purpose only.
 *
 * @category models
 * @since 0.1.0
 */
export const KeyPurpose = Schema.Literals(["cardNumber", "setPin", "pinStore", "panStore"])
export type KeyPurpose = typeof KeyPurpose.Type

/**
 * The tenant has no key for the purpose: the operation cannot run until one is provisioned.
 *
 * @category errors
 * @since 0.1.0
 */
export class TenantKeyMissing extends Schema.TaggedError<TenantKeyMissing>()("TenantKeyMissing", {
  code: Schema.tag("TENANT_KEY_MISSING"),
  message: Schema.String,
  purpose: KeyPurpose
}) {
  constructor(props: { readonly purpose: KeyPurpose }) {
    super({
      purpose: props.purpose,
      message: `This tenant has no ${props.purpose} key; provision one before calling this operation.`
    })
  }
}

/**
 * A tenant's secret keys: `cardNumber` (HMAC of PANs, seed 000 `encryptedCardNumber`), `setPin`
 * (AES-GCM key of Set PIN V2), `pinStore` (HMAC of stored PINs). Keys never leave a `Redacted`.
 *
 * @category services
 * @since 0.1.0
 */
export class TenantKeys extends Context.Service<
  TenantKeys,
  {
    readonly keyFor: (
      tenant: TenantId,
      purpose: KeyPurpose
    ) => Effect.Effect<Redacted.Redacted<Uint8Array>, TenantKeyMissing | StoreError>
  }
>()("card-lifecycle/TenantKeys") {}
