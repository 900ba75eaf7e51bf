import { equalBytes } from "@noble/ciphers/utils.js"
import { hmac } from "@noble/hashes/hmac.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js"
import { reveal, type Secret } from "./Secret.js"

/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1) of `message` under `key`, as lower-case hex. A string message
 * is taken as UTF-8. DOMAIN.md §6: the PIN store keeps this of kitNo and PIN under the tenant's
 * PIN-store key, never the PIN. The UTF-8 copy of the message and the MAC bytes are wiped after use.
 *
 * @category constructors
 */
export const hmacSha256Hex = (key: Secret<Uint8Array>, message: Secret<string> | Uint8Array): string => {
  const text = message instanceof Uint8Array ? undefined : reveal(message)
  const bytes = text === undefined ? (message as Uint8Array) : utf8ToBytes(text)
  const mac = hmac(sha256, reveal(key), bytes)
  const hex = bytesToHex(mac)
  mac.fill(0)
  if (text !== undefined) bytes.fill(0)
  return hex
}

/**
 * Whether two MACs given in hex are the same text, compared in constant time with `@noble/ciphers`'
 * `equalBytes`: where they differ never shows in the time taken. The hex is compared as its ASCII
 * bytes (`utf8ToBytes`, the engine's own encoder), not decoded: a hex decoder branches on every
 * character's value, before the constant-time part. The text must match exactly, so both must be
 * written the same way (`hmacSha256Hex` writes lower case). Only the lengths, which are public, may
 * end the comparison early.
 *
 * @category predicates
 */
export const macHexEquals = (a: Secret<string>, b: Secret<string>): boolean => {
  const x = reveal(a)
  const y = reveal(b)
  // Stryker disable next-line ConditionalExpression: equalBytes gives false for texts of different lengths too; this only ends the comparison early
  if (x.length !== y.length) return false
  const left = utf8ToBytes(x)
  const right = utf8ToBytes(y)
  const equal = equalBytes(left, right)
  left.fill(0)
  right.fill(0)
  return equal
}
