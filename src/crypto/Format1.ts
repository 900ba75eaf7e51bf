import { randomBytes } from "@noble/ciphers/utils.js"
import { Result } from "effect"
import {
  anyFill,
  checkPin,
  decoded,
  draw,
  type PinBlockFormat,
  pinField,
  type RandomSource,
  readPinField
} from "./PinBlockFormat.js"

const make = (random: RandomSource): PinBlockFormat => ({
  format: 1,
  blockLength: 8,
  encode: (pin) =>
    Result.map(checkPin(pin), () => {
      // ISO 9564-1:2017 §9.3.3: the 14 − N fill nibbles are the transaction field, any 4-bit values
      // unique to the transaction; here one random byte per nibble, its low half.
      const fill = draw(random, 14 - pin.length)
      const block = pinField(0x1, pin, (i) => fill[i]! & 0x0f)
      fill.fill(0)
      return block
    }),
  decode: (block) => decoded(block.length === 8 ? readPinField(block, 0x1, anyFill) : undefined)
})

/**
 * ISO 9564-1:2017 §9.3.3 format 1 (ECI-4): `1 N P… T…`, for when no PAN is available. The block is not
 * bound to an account, so the `pan` argument of `encode`/`decode` is ignored. `withRandom` swaps the
 * source of the transaction field (tests use a fixed one).
 *
 * @category constructors
 */
export const Format1: PinBlockFormat & { readonly withRandom: (random: RandomSource) => PinBlockFormat } = {
  ...make(randomBytes),
  withRandom: make
}
