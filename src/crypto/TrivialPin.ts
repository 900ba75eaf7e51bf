import { PIN_PATTERN } from "./PinBlockFormat.js"
import { reveal, type Secret } from "./Secret.js"

/**
 * DOMAIN.md §6: a PIN that is all one digit (1111) or a straight run up or down (1234, 0123, 9876,
 * 3210) is refused unless the tenant allows it. A run does not wrap around (7890 is not one), so a
 * run has at most 10 digits and an 11- or 12-digit PIN is trivial only when it is all one digit.
 * Anything that is not 4 to 12 decimal digits is not a PIN and gives `false`.
 *
 * @category predicates
 */
export const isTrivialPin = (pin: Secret<string>): boolean => {
  const digits = reveal(pin)
  if (!PIN_PATTERN.test(digits)) return false
  const step = digits.charCodeAt(1) - digits.charCodeAt(0)
  if (step < -1 || step > 1) return false
  for (let i = 2; i < digits.length; i++) {
    if (digits.charCodeAt(i) - digits.charCodeAt(i - 1) !== step) return false
  }
  return true
}
