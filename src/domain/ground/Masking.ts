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
const DIGIT = "[\\p{Nd}\\u00b2\\u00b3\\u00b9\\u2070\\u2074-\\u2079\\u2080-\\u2089\\u2460-\\u2468\\u24ea]"

const isDigit = new RegExp(`^${DIGIT}$`, "u")
const isDecimal = /^\p{Nd}$/u

/**
 * The ASCII digit of a digit character (`４` → `4`, `٤` → `4`, `²` → `2`). Compatibility forms
 * (full-width, mathematical, superscript…) have their ASCII digit as NFKC form. The others
 * (Arabic-Indic, Devanagari, Thai…) have none, but Unicode encodes each set of decimal digits as 10
 * consecutive code points from 0 to 9, so a digit's value is its place, modulo 10, in the range of
 * consecutive decimal digits it belongs to. Any other character is returned as it is.
 */
const asciiDigit = (char: string): string => {
  // Stryker disable next-line StringLiteral: the ASCII range is a shortcut; an ASCII digit left to the full rule below comes out as itself
  if ((char >= "0" && char <= "9") || !isDigit.test(char)) return char
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

/** The masked form of a number of `count` digits, from its first 6 and last 4 (see `maskDigits`). */
const masked = (count: number, first6: ReadonlyArray<string>, last4: ReadonlyArray<string>): string => {
  const shown = (digits: ReadonlyArray<string>) => digits.map(asciiDigit).join("")
  return count >= SHOW_FIRST_SIX_FROM
    ? shown(first6) + "X".repeat(count - 10) + shown(last4)
    : "X".repeat(Math.max(count - 4, 0)) + shown(last4)
}

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
  return masked(chars.length, chars.slice(0, 6), chars.slice(-4))
}

/**
 * What a pass over the text stops at: a digit (captured) or a letter. Everything it steps over is a
 * separator, so what may stand between two digits of one number is any run, of any length, of
 * characters that are neither digits nor letters: spaces of every kind and any number of them
 * (U+0020, U+00A0, U+2007, U+202F…), dots, dashes, slashes, underscores, punctuation, symbols, marks,
 * controls and invisible characters (U+200B, U+2060, U+FEFF). `4111 1111 1111 1111`,
 * `4111    1111.1111/1111` and `4\u200b1\u200b1\u200b1…` are one number. A letter ends a number:
 * that is what keeps a masked form (`411111XXXXXX1111`) from being read as part of one, and masking
 * idempotent.
 *
 * The pattern matches one character and repeats nothing, so the pass takes time linear in the text
 * and constant stack whatever its length (a pattern repeated over a whole number backtracks on a
 * stack that a few megabytes of digits exhaust).
 */
const DIGIT_OR_LETTER = new RegExp(`(${DIGIT})|\\p{L}`, "gu")

const ANY_DIGIT = new RegExp(DIGIT, "gu")

/** Whether `text` holds fewer than `n` digits in all: then no run can reach `n`, and it is left as is. */
// Stryker disable next-line BlockStatement: a shortcut only; without it every text takes the full pass, which leaves text without a long enough number as it is
const fewerDigitsThan = (text: string, n: number): boolean => {
  // plain ASCII, the usual case, is counted by code unit; any other character takes the full rule
  let ascii = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 0x7f) return fewerDigitsInUnicode(text, n)
    // Stryker disable next-line LogicalOperator: either form only returns false (take the full pass) sooner, and returns true only for text with fewer than n characters or no digit
    if (code >= 0x30 && code <= 0x39 && ++ascii >= n) return false
  }
  // Stryker disable next-line BooleanLiteral: false only sends text with too few digits to the full pass, which leaves it as it is
  return true
}

// Stryker disable next-line BlockStatement: a shortcut only; without it every text takes the full pass, which leaves text without a long enough number as it is
const fewerDigitsInUnicode = (text: string, n: number): boolean => {
  ANY_DIGIT.lastIndex = 0
  // Stryker disable next-line BooleanLiteral: false only sends text with too few digits to the full pass, which leaves it as it is
  for (let found = 0; found < n; found++) if (ANY_DIGIT.exec(text) === null) return true
  return false
}

/**
 * Replaces every number of `minDigits` or more digits in `text` (digits with anything but letters
 * between them, see above) by the masked form of its digits ({@link maskDigits}), the separators
 * between them dropped: `card 4111 1111 1111 1111!` becomes `card 411111XXXXXX1111!`. Text without
 * such a number is returned as it is, and masked text masks to itself.
 *
 * @category constructors
 */
export const maskDigitRuns = (text: string, minDigits: number): string => {
  if (fewerDigitsThan(text, minDigits)) return text
  const pieces: Array<string> = []
  let kept = 0 // the text before this index is in `pieces`
  // the number being read: where it starts and ends, how many digits it has, its first 6 and last 4
  let start = 0
  let end = 0
  let count = 0
  let first6: Array<string> = []
  let last4: Array<string> = []
  const endNumber = () => {
    if (count >= minDigits) {
      pieces.push(text.slice(kept, start), masked(count, first6, last4))
      kept = end
    }
    count = 0
    first6 = []
    last4 = []
  }
  for (const { 1: digit, index } of text.matchAll(DIGIT_OR_LETTER)) {
    if (digit === undefined) {
      endNumber()
      continue
    }
    if (count === 0) start = index
    end = index + digit.length
    count++
    if (first6.length < 6) first6.push(digit)
    last4.push(digit)
    if (last4.length > 4) last4.shift()
  }
  endNumber()
  return kept === 0 ? text : pieces.join("") + text.slice(kept)
}

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
