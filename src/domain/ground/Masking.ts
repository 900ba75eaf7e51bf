/**
 * Masking of digits in text: the one rule by which every error, log line and audit event shows a
 * card number, or digits that could be one, whatever field a caller typed them into and however they
 * wrote them (docs/errors.md, "Masking").
 *
 * @since 0.1.0
 */

/**
 * What counts as a digit: every Unicode decimal digit (`\p{Nd}`: ASCII, full-width `４`, Arabic-Indic
 * `٤`, Devanagari `४`, mathematical `𝟒`…) and the few other characters that Unicode compatibility
 * (NFKC) reads as one decimal digit: superscripts `¹²³⁰⁴…⁹`, subscripts `₀…₉`, circled `⓪①…⑨`. A
 * test walks every code point to keep this list equal to that definition.
 */
const DIGITS = "\\p{Nd}\\u00b2\\u00b3\\u00b9\\u2070\\u2074-\\u2079\\u2080-\\u2089\\u2460-\\u2468\\u24ea"

const DIGIT = `[${DIGITS}]`

/**
 * What may stand between two digits of one number as a person writes it: any run, of any length, of
 * characters that are neither digits nor letters. Spaces of every kind and any number of them
 * (U+0020, U+00A0, U+2007, U+202F…), dots, dashes, slashes, underscores, punctuation, symbols, marks,
 * controls and invisible characters (U+200B, U+2060, U+FEFF) all count, so `4111 1111 1111 1111`,
 * `4111    1111.1111/1111` and `4\u200b1\u200b1\u200b1…` are one number. A letter ends a number: that
 * is what keeps a masked form (`411111XXXXXX1111`) from being read as part of one, and masking
 * idempotent.
 *
 * The class holds no digit, so a run of digits and separators can be matched one way only: a failed
 * attempt backtracks over each separator once, and the regex stays linear in the text.
 */
const SEPARATOR = `[^${DIGITS}\\p{L}]*`

const isDigit = new RegExp(`^${DIGIT}$`, "u")
const notDigit = new RegExp(`[^${DIGITS}]`, "gu")
const isDecimal = /^\p{Nd}$/u

/**
 * The ASCII digit of a digit character (`４` → `4`, `٤` → `4`, `²` → `2`); any other character as it
 * is. Compatibility forms (full-width, mathematical, superscript…) have their ASCII digit as NFKC
 * form. The others (Arabic-Indic, Devanagari, Thai…) have none, but Unicode encodes each set of
 * decimal digits as 10 consecutive code points from 0 to 9, so a digit's value is its place, modulo 10,
 * in the range of consecutive decimal digits it belongs to.
 */
const asciiDigit = (char: string): string => {
  if (char >= "0" && char <= "9") return char
  if (!isDigit.test(char)) return char
  const compatible = char.normalize("NFKC")
  if (compatible !== char) return asciiDigit(compatible)
  const code = char.codePointAt(0) ?? 0
  let zero = code
  while (zero > 0 && isDecimal.test(String.fromCodePoint(zero - 1))) zero--
  return String((code - zero) % 10)
}

/**
 * Below this many digits, the first 6 and the last 4 would leave fewer than 2 digits hidden, and a
 * single hidden digit of a Luhn-valid number is given away by its check digit.
 */
const SHOW_FIRST_SIX_FROM = 12

/**
 * The masked form of a string of digits, as DOMAIN.md §2 masks a PAN: from 12 digits up, the first 6,
 * `X` for each hidden digit, the last 4 (`608040XXXXXX6384`); shorter, `X` for each digit but the
 * last 4 (`XXXXX4567`). Meant for 9 digits or more: every mask then hides at least 2 digits, and
 * never shows more than the first 6 and the last 4. Digits are counted as characters, whatever their
 * script, and shown as ASCII digits (`４１１１…` → `411111XXXXXX1111`): every mask reads the same.
 *
 * @category constructors
 */
export const maskDigits = (digits: string): string => {
  const chars = Array.from(digits)
  const shown = (from: number, to?: number) => chars.slice(from, to).map(asciiDigit).join("")
  return chars.length >= SHOW_FIRST_SIX_FROM
    ? shown(0, 6) + "X".repeat(chars.length - 10) + shown(-4)
    : "X".repeat(Math.max(chars.length - 4, 0)) + shown(-4)
}

const patterns = new Map<number, RegExp>()

// a run is maximal: it starts at the first digit after a letter (or the start) and the greedy
// repetition takes every digit up to the next letter (or the end)
const runsOf = (minDigits: number): RegExp => {
  let pattern = patterns.get(minDigits)
  if (pattern === undefined) {
    pattern = new RegExp(`${DIGIT}(?:${SEPARATOR}${DIGIT}){${minDigits - 1},}`, "gu")
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
  text.replace(runsOf(minDigits), (run) => maskDigits(run.replace(notDigit, "")))

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
