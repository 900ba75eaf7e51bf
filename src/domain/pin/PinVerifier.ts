/**
 * What the PIN store keeps instead of a PIN: a keyed hash of the card and the PIN (DOMAIN.md §6).
 *
 * @since 0.1.0
 */
import { Redacted } from "effect"
import { hmacSha256Hex, macHexEquals } from "../../crypto/index.js"
import type { KitNo } from "../ground/Identifiers.js"

/**
 * HMAC-SHA-256 of `kitNo ":" PIN` under the tenant's `pinStore` key, 64 lower-case hex digits, kept
 * `Redacted` so that it never prints. It binds the PIN to one card: the same PIN on two cards gives
 * two unrelated verifiers, and without the key a verifier cannot be tested against the 10⁴–10¹² PINs.
 *
 * @category models
 */
export type PinVerifier = Redacted.Redacted<string>

const COLON = 0x3a

/**
 * DOMAIN.md §6: the verifier of `pin` on the card `kitNo`. The message is the ASCII bytes of kitNo, a
 * colon, the ASCII digits of the PIN: a kitNo is letters and digits only (`KitNo`), so the colon
 * splits every message one way and no (kitNo, PIN) pair collides with another. The message buffer is
 * wiped once hashed.
 *
 * @category constructors
 */
export const pinVerifier = (
  key: Redacted.Redacted<Uint8Array>,
  kitNo: KitNo,
  pin: Redacted.Redacted<string>
): PinVerifier => {
  const digits = Redacted.value(pin)
  const message = new Uint8Array(kitNo.length + 1 + digits.length)
  for (let i = 0; i < kitNo.length; i++) message[i] = kitNo.charCodeAt(i)
  message[kitNo.length] = COLON
  for (let i = 0; i < digits.length; i++) message[kitNo.length + 1 + i] = digits.charCodeAt(i)
  const verifier = hmacSha256Hex(key, message)
  message.fill(0)
  return Redacted.make(verifier, { label: "PIN verifier" })
}

/**
 * Whether two verifiers are the same, compared in constant time.
 *
 * @category predicates
 */
export const verifierMatches = (a: PinVerifier, b: PinVerifier): boolean => macHexEquals(a, b)
