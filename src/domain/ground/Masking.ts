/**
 * Masking of digits in text: the one rule by which every error, log line and audit event shows a
 * card number, or digits that could be one, whatever field a caller typed them into and however they
 * wrote them (docs/errors.md, "What an error repeats").
 *
 * @since 0.1.0
 */

/**
 * Below this many digits, the first 6 and the last 4 would leave fewer than 2 digits hidden, and a
 * single hidden digit of a Luhn-valid number is given away by its check digit.
 */
const SHOW_FIRST_SIX_FROM = 12

/**
 * The masked form of a string of digits, as DOMAIN.md §2 masks a PAN: from 12 digits up, the first 6,
 * `X` for each hidden digit, the last 4 (`608040XXXXXX6384`); shorter, `X` for each digit but the
 * last 4 (`XXXXX4567`). Meant for 9 digits or more: every mask then hides at least 2 digits, and
 * never shows more than the first 6 and the last 4.
 *
 * @category constructors
 */
export const maskDigits = (digits: string): string =>
  digits.length >= SHOW_FIRST_SIX_FROM
    ? digits.slice(0, 6) + "X".repeat(digits.length - 10) + digits.slice(-4)
    : "X".repeat(Math.max(digits.length - 4, 0)) + digits.slice(-4)

/**
 * What may stand between two digits of one number as a person writes it: 0 to 3 characters that are
 * neither ASCII digits nor letters. Spaces of every kind (U+0020, U+00A0, U+2007, U+202F…), dots,
 * dashes, slashes, underscores, punctuation, symbols, marks and invisible characters all count, so
 * `4111 1111 1111 1111`, `4111.1111.1111.1111`, `4111\u00a01111…` and `4111 / 1111 - …` are one
 * number. A letter ends a number: that is what keeps a masked form (`411111XXXXXX1111`) from being
 * read as part of one, and masking idempotent.
 */
const SEPARATOR = "[^0-9\\p{L}]{0,3}"

const patterns = new Map<number, RegExp>()

// a run is maximal: the separator class holds no digit, so each step has one way to match
const runsOf = (minDigits: number): RegExp => {
  let pattern = patterns.get(minDigits)
  if (pattern === undefined) {
    pattern = new RegExp(`[0-9](?:${SEPARATOR}[0-9]){${minDigits - 1},}`, "gu")
    patterns.set(minDigits, pattern)
  }
  return pattern
}

/**
 * Replaces every run of `minDigits` or more digits in `text` (with separators between them, see
 * above) by the masked form of its digits ({@link maskDigits}), the separators dropped:
 * `card 4111 1111 1111 1111!` becomes `card 411111XXXXXX1111!`. Text without such a run is returned
 * as it is, and masked text masks to itself.
 *
 * @category constructors
 */
export const maskDigitRuns = (text: string, minDigits: number): string =>
  text.replace(runsOf(minDigits), (run) => maskDigits(run.replace(/[^0-9]/g, "")))

/**
 * A card number has 12 to 19 digits (ISO/IEC 7812-1); a longer run may hold one.
 */
const CARD_NUMBER_MIN_DIGITS = 12

/**
 * Masks every run of 12 or more digits in caller-supplied text, as `maskPan` masks a PAN
 * (`411111XXXXXX1111`). An identifier field is free text to the caller: if a card number is sent as a
 * kitNo, a plasticCode or a reason, the errors and audit events that name it show it masked only.
 *
 * @category constructors
 */
export const maskCardNumbers = (text: string): string => maskDigitRuns(text, CARD_NUMBER_MIN_DIGITS)
