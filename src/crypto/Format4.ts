import { ecb } from "@noble/ciphers/aes.js"
import { randomBytes } from "@noble/ciphers/utils.js"
import { Result } from "effect"
import { InvalidKey, type InvalidPinBlock, type InvalidPinInput } from "./Errors.js"
import {
  checkInput,
  decoded,
  draw,
  fillMustBe,
  isPan,
  type PinBlockFormat,
  pinField,
  type RandomSource,
  readPinField,
  xorInto
} from "./PinBlockFormat.js"
import { isAesKey } from "./Secret.js"

/**
 * ISO 9564-1:2017 §9.4.2.2.2: the 16-byte plaintext PIN field. Its first 8 bytes are `4 N P… A…`
 * (fill 1010); the last 8 are random (§9.4.2.2.2, "R").
 */
const plainPinField = (pin: string, random: RandomSource): Uint8Array => {
  const field = new Uint8Array(16)
  const head = pinField(0x4, pin, () => 0xa)
  field.set(head)
  head.fill(0)
  const fill = draw(random, 8)
  field.set(fill, 8)
  fill.fill(0)
  return field
}

/**
 * ISO 9564-1:2017 §9.4.2.2.3: the 16-byte plaintext PAN field. Nibble M = PAN length − 12, then the
 * whole PAN, check digit included, left-justified, then zeros. (A PAN under 12 digits would be
 * right-justified in 12 nibbles with M = 0; our PANs have at least 12 digits.)
 */
const plainPanField = (pan: string): Uint8Array => {
  const field = new Uint8Array(16)
  field[0] = (pan.length - 12) << 4
  // Stryker disable next-line EqualityOperator: with i <= pan.length the extra step ORs NaN (as 0) into the field, or writes past its end: no byte changes
  for (let i = 0; i < pan.length; i++) {
    const nibble = i + 1
    // Stryker disable next-line ArithmeticOperator: (c + 48) << 4 and (c - 48) << 4 differ by 96 << 4 = 0x600, which a Uint8Array byte drops
    field[nibble >> 1]! |= (nibble & 1) === 0 ? (pan.charCodeAt(i) - 48) << 4 : pan.charCodeAt(i) - 48
  }
  return field
}

// One AES block in ECB mode, no padding. @noble refuses a second encrypt() on one cipher object (its
// guard against nonce reuse), so each step gets its own.
const aes = (key: Uint8Array) => ecb(key, { disablePadding: true })

/**
 * ISO 9564-1:2017 §9.4.2 encipherment: A = E(K, PIN field); B = A XOR PAN field; block = E(K, B).
 * AES in single-block ECB from @noble/ciphers; `key` must already be an AES key.
 */
const encipher = (pin: string, pan: string, key: Uint8Array, random: RandomSource): Uint8Array => {
  const pinPart = plainPinField(pin, random)
  const panPart = plainPanField(pan)
  const intermediate = xorInto(aes(key).encrypt(pinPart), panPart)
  const block = aes(key).encrypt(intermediate)
  pinPart.fill(0)
  panPart.fill(0)
  intermediate.fill(0)
  return block
}

/** The inverse: B = D(K, block); A = B XOR PAN field; PIN field = D(K, A); then every check. */
const decipher = (block: Uint8Array, pan: string, key: Uint8Array): string | undefined => {
  const panPart = plainPanField(pan)
  const intermediate = xorInto(aes(key).decrypt(block), panPart)
  const field = aes(key).decrypt(intermediate)
  // The random half (bytes 8–15) may hold anything; only the first 8 bytes are checked.
  const pin = readPinField(field, 0x4, fillMustBe(0xa))
  panPart.fill(0)
  intermediate.fill(0)
  field.fill(0)
  return pin
}

const encode = (
  pin: string,
  pan: string,
  key: Uint8Array,
  random: RandomSource = randomBytes
): Result.Result<Uint8Array, InvalidPinInput | InvalidKey> =>
  !isAesKey(key)
    ? Result.fail(new InvalidKey())
    : Result.map(checkInput(pin, pan), () => encipher(pin, pan, key, random))

const decode = (block: Uint8Array, pan: string, key: Uint8Array): Result.Result<string, InvalidPinBlock> =>
  decoded(block.length === 16 && isPan(pan) && isAesKey(key) ? decipher(block, pan, key) : undefined)

/**
 * ISO 9564-1:2017 §9.4.2 format 4, the AES PIN block: 16 bytes, enciphered under an AES-128/192/256
 * key as part of the format itself. `encode(pin, pan, key, random?)` gives the enciphered block,
 * `decode(block, pan, key)` the PIN; `withKey` fixes the key (and random source) to give a plain
 * `PinBlockFormat`.
 *
 * @category constructors
 */
export const Format4 = {
  format: 4,
  blockLength: 16,
  encode,
  decode,
  withKey: (
    key: Uint8Array,
    random: RandomSource = randomBytes
  ): Result.Result<PinBlockFormat, InvalidKey> =>
    isAesKey(key)
      ? Result.succeed({
          format: 4,
          blockLength: 16,
          encode: (pin, pan) => Result.map(checkInput(pin, pan), () => encipher(pin, pan, key, random)),
          decode: (block, pan) => decode(block, pan, key)
        })
      : Result.fail(new InvalidKey())
} as const
