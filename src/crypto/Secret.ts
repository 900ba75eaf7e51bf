import { Redacted } from "effect"

/**
 * A secret as the caller holds it: wrapped in `Redacted` (the domain's way) or plain.
 *
 * @category models
 */
export type Secret<A> = A | Redacted.Redacted<A>

/** Unwraps a secret at the last moment, inside the function that needs its value. */
export const reveal = <A>(secret: Secret<A>): A =>
  Redacted.isRedacted(secret) ? Redacted.value(secret as Redacted.Redacted<A>) : (secret as A)

/** FIPS 197 §5: the three AES key lengths. */
export const isAesKey = (key: Uint8Array): boolean =>
  key.length === 16 || key.length === 24 || key.length === 32
