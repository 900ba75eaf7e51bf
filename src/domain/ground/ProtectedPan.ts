/**
 * A card's PAN as it is stored and passed around: encrypted by the security module, beside its masked
 * form and its keyed hash. No port but the security module (and the issuer, which hands out a new
 * card's PAN) ever sees a clear card PAN (PCI DSS requirement 3, docs/pin-blocks.md).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { MaskedPan } from "./Pan.js"

/**
 * The id of one key of a tenant and purpose: 1–64 characters of `A-Z a-z 0-9 . _ -`. Stored beside
 * what the key made (a verifier, an encrypted PAN), so that the value is checked or opened with the
 * same key after the tenant has moved on to a new one.
 *
 * @category models
 */
export const KeyId = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9._-]{1,64}$/, { message: "must be 1-64 characters of A-Z a-z 0-9 . _ -" })
).pipe(Schema.brand("KeyId"))
export type KeyId = typeof KeyId.Type

/**
 * A PAN as the security module encrypted it: the ciphertext (Base64) and the id of the `panStore` key
 * that made it.
 *
 * @category models
 */
export interface EncryptedPan {
  readonly keyId: KeyId
  readonly ciphertext: string
}

/**
 * A card's PAN at rest: the ciphertext with its key id, the masked form (what results and audit
 * events show), and the keyed hash (`SecurityModule.cardNumberHash` under the tenant's `cardNumber`
 * key: seed 000's `encryptedCardNumber`, and the key a store looks a PAN up by and keeps unique).
 * Plain data: none of it is the PAN, so none of it needs `Redacted`.
 *
 * @category models
 */
export interface ProtectedPan {
  readonly encrypted: EncryptedPan
  readonly masked: MaskedPan
  readonly hash: string
}
