import { accountBoundFormat, fillMustBe, type PinBlockFormat, readAccountBound } from "./PinBlockFormat.js"

/**
 * Format 0's decode without an error attached: the PIN, or `undefined` whatever is wrong. For the Set
 * PIN V2 envelope, which makes its own one `InvalidPinBlock` (not exported from the package).
 */
export const readFormat0 = readAccountBound(0, fillMustBe(0xf))

/**
 * ISO 9564-1:2017 §9.3.2 format 0 (ANSI X9.8, VISA-1, ECI-1), the block Set PIN V2 wraps:
 * PIN field `0 N P… F…` (§9.3.2.2, every fill nibble 1111) XOR account-number field `0000 A1…A12`
 * (§9.3.2.3, the 12 rightmost PAN digits before the check digit).
 *
 * @category constructors
 */
export const Format0: PinBlockFormat = accountBoundFormat(
  0,
  (count) => new Uint8Array(count).fill(0xf),
  readFormat0
)
