import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js"
import { Result } from "effect"
import { InvalidPinBlock, InvalidPinInput, InvalidRandomSource } from "./Errors.js"

/**
 * One ISO 9564-1 PIN-block format: `encode(pin, pan)` gives the block, `decode(block, pan)` gives the
 * PIN back or `InvalidPinBlock`, whatever the cause. Blocks are bytes; see `blockToHex`/`blockFromHex`.
 *
 * @category models
 */
export interface PinBlockFormat {
  /** The ISO 9564-1 format number, also the block's control nibble. */
  readonly format: 0 | 1 | 3 | 4
  /** 8 bytes for the 64-bit-block formats 0–3, 16 bytes for format 4. */
  readonly blockLength: 8 | 16
  readonly encode: (pin: string, pan: string) => Result.Result<Uint8Array, InvalidPinInput>
  readonly decode: (block: Uint8Array, pan: string) => Result.Result<string, InvalidPinBlock>
}

/**
 * Where random fill comes from: `n` bytes. Defaults to `randomBytes` of @noble/ciphers (the platform's
 * CSPRNG); tests inject a fixed source.
 *
 * @category models
 */
export type RandomSource = (n: number) => Uint8Array

/**
 * Exactly `n` bytes from `random`. A source that gives anything else is the host's misconfiguration,
 * not bad input, so this throws `InvalidRandomSource` (inside an effect, a defect): a short source
 * would otherwise make format 3 write fill its own decode refuses, and an empty one leave format 4's
 * random half all zeros. The bytes of a wrong-sized answer are wiped first.
 */
export const draw = (random: RandomSource, n: number): Uint8Array => {
  const bytes = random(n)
  if (bytes instanceof Uint8Array && bytes.length === n) return bytes
  if (bytes instanceof Uint8Array) bytes.fill(0)
  throw new InvalidRandomSource()
}

/** Upper-case hex, the way PIN blocks are printed in the standards and HSM manuals. */
export const blockToHex = (block: Uint8Array): string => bytesToHex(block).toUpperCase()

/** Strict hex (an even number of 0-9/a-f/A-F characters); anything else is `InvalidPinBlock`. */
export const blockFromHex = (hex: string): Result.Result<Uint8Array, InvalidPinBlock> =>
  Result.try({ try: () => hexToBytes(hex), catch: () => new InvalidPinBlock() })

/**
 * ISO 9564-1:2017 §8.1 / §9.1: a PIN has 4 to 12 decimal digits. The one definition every PIN check
 * uses (the formats, `isTrivialPin`, `verifyPin`'s request schema).
 *
 * @category constants
 */
export const PIN_PATTERN = /^[0-9]{4,12}$/
// ISO/IEC 7812-1: a PAN has up to 19 digits, the last one the Luhn check digit; formats 0, 3 and 4
// need at least 12 of them to bind the block to the account.
const PAN = /^[0-9]{12,19}$/

export const isPan = (pan: string): boolean => PAN.test(pan)

export const checkInput = (pin: string, pan: string): Result.Result<void, InvalidPinInput> =>
  !PIN_PATTERN.test(pin)
    ? Result.fail(InvalidPinInput.of("pin"))
    : !isPan(pan)
      ? Result.fail(InvalidPinInput.of("pan"))
      : Result.void

export const checkPin = (pin: string): Result.Result<void, InvalidPinInput> =>
  PIN_PATTERN.test(pin) ? Result.void : Result.fail(InvalidPinInput.of("pin"))

/**
 * The 8-byte plaintext PIN field shared by formats 0, 1, 3 and the first half of format 4
 * (ISO 9564-1:2017 §9.3.2.2, §9.3.3, §9.3.5.2, §9.4.2.2.2): control nibble C, length nibble N, the N
 * PIN digits, then 14 − N fill nibbles, `fill(i)` giving the i-th. `pin` must already be checked.
 */
export const pinField = (control: number, pin: string, fill: (i: number) => number): Uint8Array => {
  const field = new Uint8Array(8)
  const length = pin.length
  field[0] = (control << 4) | length
  for (let i = 0; i < 14; i++) {
    const nibble = i < length ? pin.charCodeAt(i) - 48 : fill(i - length)
    field[(i + 2) >> 1]! |= (i & 1) === 0 ? nibble << 4 : nibble
  }
  return field
}

/**
 * The 8-byte account-number field of formats 0 and 3 (ISO 9564-1:2017 §9.3.2.3, §9.3.5.3): four zero
 * nibbles, then the 12 rightmost PAN digits excluding the check digit, right-justified and padded on
 * the left with zeros when there are fewer. `pan` must already be checked.
 */
export const panField = (pan: string): Uint8Array => {
  const field = new Uint8Array(8)
  const end = pan.length - 1 // the check digit is left out
  // Stryker disable next-line EqualityOperator: with k <= 12 the extra step writes field[8], past the end of the 8-byte field, which is ignored
  for (let k = 0; k < 12; k++) {
    const at = end - 12 + k
    // Stryker disable next-line ConditionalExpression: for at < 0, charCodeAt gives NaN and NaN - 48 ORs in as 0, the same as the 0 pad digit
    const digit = at >= 0 ? pan.charCodeAt(at) - 48 : 0
    field[(k + 4) >> 1]! |= (k & 1) === 0 ? digit << 4 : digit
  }
  return field
}

/** `target ^= other`, byte by byte, in place. */
export const xorInto = (target: Uint8Array, other: Uint8Array): Uint8Array => {
  // Stryker disable next-line EqualityOperator: with i <= target.length the extra step writes past the end of a Uint8Array, which is ignored
  for (let i = 0; i < target.length; i++) target[i]! ^= other[i]!
  return target
}

// 1 when x ≠ 0, else 0, for small non-negative integers, without a branch.
const nonZero = (x: number): number => (x | -x) >>> 31

/** Fill checks for `readPinField`: 1 flags a bad fill nibble. */
export const fillMustBe =
  (value: number) =>
  (nibble: number): number =>
    nonZero(nibble ^ value)
// ISO 9564-1:2017 §9.3.5.2: format 3 fill nibbles are 1010 to 1111.
export const fillMustBeAtoF = (nibble: number): number => (nibble - 0xa) >>> 31
// ISO 9564-1:2017 §9.3.3: format 1 fill is the transaction field, any 4-bit value.
export const anyFill = (): number => 0

/**
 * Reads the PIN out of a plaintext PIN field (the first 8 bytes of `field`), or `undefined` if the
 * control nibble, the length nibble (4–12), a PIN digit (0–9) or a fill nibble is wrong.
 * All 14 nibbles are checked and the flags OR-ed together with no early exit, so the checks do the
 * same work whichever of them fails. That is all it claims: building the PIN string at the end takes
 * time that grows with the PIN's length, and JavaScript engines give no constant-time guarantee.
 */
export const readPinField = (
  field: Uint8Array,
  control: number,
  badFill: (nibble: number) => number
): string | undefined => {
  const head = field[0]!
  const length = head & 0x0f
  let bad = nonZero((head >> 4) ^ control) | ((length - 4) >>> 31) | ((12 - length) >>> 31)
  const codes = new Uint8Array(14)
  for (let i = 0; i < 14; i++) {
    const byte = field[(i + 2) >> 1]!
    const nibble = (i & 1) === 0 ? byte >> 4 : byte & 0x0f
    const inPin = (i - length) >>> 31
    // (nibble + 6) >> 4 is 1 exactly for the non-digits 10..15
    bad |= (inPin & ((nibble + 6) >> 4)) | ((inPin ^ 1) & badFill(nibble))
    codes[i] = 48 + nibble
  }
  const pin = bad === 0 ? String.fromCharCode(...codes.subarray(0, length)) : undefined
  codes.fill(0)
  return pin
}

/**
 * The outcome of a decode: the PIN, or `InvalidPinBlock` for `undefined`. DOMAIN.md §6: each public
 * decode reaches its one failure through this one call, so not even the error's stack says which
 * check failed; the steps before it fail with a bare `undefined`.
 */
export const decoded = (pin: string | undefined): Result.Result<string, InvalidPinBlock> =>
  pin === undefined ? Result.fail(new InvalidPinBlock()) : Result.succeed(pin)

/**
 * Reads the PIN out of a format 0 or 3 block bound to `pan` (ISO 9564-1:2017 §9.3.2.3 = §9.3.5.3: the
 * block XOR the account-number field is the clear PIN field), or `undefined` whatever is wrong,
 * length and PAN included.
 */
export const readAccountBound =
  (format: 0 | 3, badFill: (nibble: number) => number) =>
  (block: Uint8Array, pan: string): string | undefined => {
    if (block.length !== 8 || !isPan(pan)) return undefined
    const field = xorInto(panField(pan), block) // the account field becomes the clear PIN field
    const pin = readPinField(field, format, badFill)
    field.fill(0)
    return pin
  }

/**
 * Formats 0 and 3, which differ only in their fill: the PIN field XOR the account-number field
 * (ISO 9564-1:2017 §9.3.2.3 = §9.3.5.3). `drawFill(n)` gives the n fill nibbles, in a buffer this
 * function wipes; `read` is the format's `readAccountBound`.
 */
export const accountBoundFormat = (
  format: 0 | 3,
  drawFill: (count: number) => Uint8Array,
  read: (block: Uint8Array, pan: string) => string | undefined
): PinBlockFormat => ({
  format,
  blockLength: 8,
  encode: (pin, pan) =>
    Result.map(checkInput(pin, pan), () => {
      const fill = drawFill(14 - pin.length)
      const block = pinField(format, pin, (i) => fill[i]!)
      const account = panField(pan)
      xorInto(block, account)
      fill.fill(0)
      account.fill(0)
      return block
    }),
  decode: (block, pan) => decoded(read(block, pan))
})
