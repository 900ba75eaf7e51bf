/**
 * The primary account number: held as `Redacted` everywhere, shown only masked.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
import { maskDigits } from "./Masking.js"

/**
 * ISO/IEC 7812-1 Annex B: the Luhn (mod 10) check over every digit, check digit included.
 *
 * @category predicates
 */
export const luhnValid = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    // Stryker disable next-line AssignmentOperator: subtracting sums to the negated total, and -s % 10 === 0 exactly when s % 10 === 0
    sum += d
  }
  return digits.length > 0 && sum % 10 === 0
}

/**
 * The Luhn check digit that completes `body`.
 *
 * @category constructors
 */
export const luhnCheckDigit = (body: string): string => {
  // the check digit will stand rightmost, so the body's rightmost digit is the first one doubled
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}

/**
 * A PAN in clear: 12–19 digits (ISO/IEC 7812-1), the last one a Luhn check digit. Never leaves a
 * `Redacted` once decoded.
 *
 * @category models
 */
export const PanDigits = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((s: string) => /^[0-9]{12,19}$/.test(s), { message: "must be 12-19 digits" }, true),
    Schema.makeFilter(luhnValid, { message: "must pass the Luhn check" })
  ),
  Schema.brand("PanDigits")
)
export type PanDigits = typeof PanDigits.Type

/**
 * A PAN as the domain holds it.
 *
 * @category models
 */
export type Pan = Redacted.Redacted<PanDigits>

/**
 * Decodes a clear PAN from untrusted input into a `Redacted` (the clear value is never echoed in
 * an error).
 *
 * @category schemas
 */
export const PanFromString = Schema.RedactedFromValue(PanDigits, { label: "PAN" })

/**
 * A masked card number: the first 6 digits, `X` for each hidden digit, the last 4 (DOMAIN.md §2,
 * `608040XXXXXX6384`).
 *
 * @category models
 */
export type MaskedPan = string & { readonly MaskedPan: unique symbol }

/**
 * @category constructors
 */
export const maskPan = (pan: Pan): MaskedPan => maskDigits(Redacted.value(pan)) as MaskedPan

/**
 * @category constructors
 */
export const makePan = (digits: PanDigits): Pan => Redacted.make(digits, { label: "PAN" })
