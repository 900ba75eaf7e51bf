/**
 * The account PAN a token maps to (seed 004 `currentAccountPan`, `newAccountPan`): held as
 * `Redacted` everywhere, shown only masked.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
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
 * Below this length the first 6 and last 4 would leave fewer than 2 digits hidden, and a single
 * hidden digit of a Luhn-valid PAN is given away by its check digit.
 */
const SHOW_FIRST_SIX_FROM = 12

/**
 * A masked account PAN. From 12 digits up, as a card's PAN (DOMAIN.md §2): the first 6, `X` for
 * each hidden digit, the last 4 (`541234XXXXXX1234`). Shorter (9–11 digits), only the last 4
 * (`XXXXX1234`): see docs/token-update.md.
 *
 * @category constructors
 */
export const maskAccountPan = (pan: AccountPan): MaskedPan => {
  const digits = Redacted.value(pan)
  const masked =
    digits.length >= SHOW_FIRST_SIX_FROM
      ? digits.slice(0, 6) + "X".repeat(digits.length - 10) + digits.slice(-4)
      : "X".repeat(digits.length - 4) + digits.slice(-4)
  return masked as MaskedPan
}

/**
 * Caller text (a cardholderId, a tokenUniqueReference) with every run of 9 or more digits, spaces or
 * dashes allowed between them, masked as {@link maskAccountPan} masks an account PAN: DOMAIN.md §8
 * account PANs start at 9 digits, and §9 lets no error show one in clear, even one sent in the wrong
 * field.
 *
 * @category constructors
 */
export const maskAccountPans = (text: string): string =>
  text.replace(/[0-9](?:[ -]?[0-9]){8,}/g, (run) =>
    maskAccountPan(makeAccountPan(run.replace(/[ -]/g, "") as AccountPanDigits))
  )
