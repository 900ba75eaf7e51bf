/**
 * Seed 000 `encryptedCardNumber`: the PAN's keyed hash, the one form of a PAN a response may carry
 * besides the masked number.
 *
 * @since 0.1.0
 */
import type { Redacted } from "effect"
import { hmacSha256Hex } from "../../crypto/index.js"
import type { Pan } from "../ground/Pan.js"

/**
 * DOMAIN.md §4: HMAC-SHA-256 of the PAN's digits (ASCII) under the tenant's `cardNumber` key,
 * lower-case hex. It identifies a PAN without revealing it, so it goes in the upgrade result only,
 * never in an error or an audit event.
 *
 * @category constructors
 */
export const encryptedCardNumber = (key: Redacted.Redacted<Uint8Array>, pan: Pan): string =>
  hmacSha256Hex(key, pan)
