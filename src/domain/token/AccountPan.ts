/**
 * The account PAN a token maps to (seed 004 `currentAccountPan`, `newAccountPan`): held as
 * `Redacted` everywhere, shown only masked.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
import { maskDigitRuns, maskDigits } from "../ground/Masking.js"
import type { MaskedPan } from "../ground/Pan.js"

/**
 * Seed 004: "Length 9 - 19 characters", digits only. Unlike a card's `PanDigits` there is no Luhn
 * check (DOMAIN.md §8: the seed's own example PANs fail it; the account-range rule is the guard).
 *
 * @category models
 */
export const AccountPanDigits = Schema.String.check(
  Schema.isPattern(/^[0-9]{9,19}$/, { message: "must be 9-19 digits" })
).pipe(Schema.brand("AccountPanDigits"))
export type AccountPanDigits = typeof AccountPanDigits.Type

/**
 * An account PAN as the domain holds it.
 *
 * @category models
 */
export type AccountPan = Redacted.Redacted<AccountPanDigits>

/**
 * Decodes a clear account PAN from untrusted input into a `Redacted` labelled "PAN"; a refusal
 * names the rule, never the value.
 *
 * @category schemas
 */
export const AccountPanFromString = Schema.RedactedFromValue(AccountPanDigits, { label: "PAN" })

/**
 * @category constructors
 */
export const makeAccountPan = (digits: AccountPanDigits): AccountPan =>
  Redacted.make(digits, { label: "PAN" })

/**
 * A masked account PAN. From 12 digits up, as a card's PAN (DOMAIN.md §2): the first 6, `X` for
 * each hidden digit, the last 4 (`541234XXXXXX1234`). Shorter (9–11 digits), only the last 4
 * (`XXXXX1234`): see docs/token-update.md.
 *
 * @category constructors
 */
export const maskAccountPan = (pan: AccountPan): MaskedPan => maskDigits(Redacted.value(pan)) as MaskedPan

/** DOMAIN.md §8: an account PAN has 9 to 19 digits. */
const ACCOUNT_PAN_MIN_DIGITS = 9

/**
 * Caller text (a cardholderId, a userId) with every run of 9 or more digits masked as
 * {@link maskAccountPan} masks an account PAN, whatever separators stand between the digits
 * (`maskDigitRuns`): DOMAIN.md §8 account PANs start at 9 digits, and §9 lets no error show one in
 * clear, even one sent in the wrong field.
 *
 * @category constructors
 */
export const maskAccountPans = (text: string): string => maskDigitRuns(text, ACCOUNT_PAN_MIN_DIGITS)
