/**
 * A tenant's account ranges: the blocks of PANs a product is issued from. Seed 004 lets a token
 * move to a new account PAN only within one range.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
import type { AccountPan } from "./AccountPan.js"

const Prefix = Schema.String.check(Schema.isPattern(/^[0-9]{1,19}$/, { message: "must be 1-19 digits" }))

/**
 * The PANs whose first `low.length` digits lie between `low` and `high`, both included: `low` and
 * `high` are PAN prefixes of the same length (`541234`–`541234` is one BIN,
 * `54123400000`–`54123499999` an 11-digit range).
 *
 * @category models
 */
export const AccountRange = Schema.Struct({ low: Prefix, high: Prefix }).check(
  Schema.makeFilter((r) => {
    if (r.low.length !== r.high.length) return { path: ["high"], issue: "must have as many digits as low" }
    return r.low <= r.high || { path: ["high"], issue: "must not be below low" }
  })
)
export type AccountRange = typeof AccountRange.Type

/**
 * Whether a PAN lies in the range. Prefixes of one length compare as strings exactly as they
 * compare as numbers.
 *
 * @category predicates
 */
export const accountRangeContains = (range: AccountRange, pan: AccountPan): boolean => {
  const digits = Redacted.value(pan)
  if (digits.length < range.low.length) return false
  const prefix = digits.slice(0, range.low.length)
  return range.low <= prefix && prefix <= range.high
}

/**
 * Whether two ranges share a PAN: each range spans from `low` padded with 0s to `high` padded with
 * 9s, over 19 digits.
 *
 * @category predicates
 */
export const accountRangesOverlap = (a: AccountRange, b: AccountRange): boolean => {
  const span = (r: AccountRange) => [r.low.padEnd(19, "0"), r.high.padEnd(19, "9")] as const
  const [aLow, aHigh] = span(a)
  const [bLow, bHigh] = span(b)
  return aLow <= bHigh && bLow <= aHigh
}
