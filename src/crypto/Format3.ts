import { randomBytes } from "@noble/ciphers/utils.js"
import {
  accountBoundFormat,
  draw,
  fillMustBeAtoF,
  type PinBlockFormat,
  type RandomSource,
  readAccountBound
} from "./PinBlockFormat.js"

const read = readAccountBound(3, fillMustBeAtoF)

const make = (random: RandomSource): PinBlockFormat =>
  accountBoundFormat(
    3,
    (count) => {
      // ISO 9564-1:2017 §9.3.5.2: fill nibbles are randomly selected from 1010..1111. One random byte
      // b per nibble, scaled in place to 0xA + ⌊6b/256⌋: no rejection loop; four values come up 43
      // times in 256 and two 42 times, which does not matter for fill whose only job is to vary the block.
      const fill = draw(random, count)
      // Stryker disable next-line EqualityOperator: with i <= count the extra step reads fill[count] (undefined) and writes past the end of a Uint8Array, which is ignored
      for (let i = 0; i < count; i++) fill[i] = 0xa + ((fill[i]! * 6) >> 8)
      return fill
    },
    read
  )

/**
 * ISO 9564-1:2017 §9.3.5 format 3: as format 0 (the account-number field of §9.3.5.3 is that of
 * §9.3.2.3), but the PIN field `3 N P… X…` is filled with random nibbles A–F. `withRandom` swaps the
 * random source.
 *
 * @category constructors
 */
export const Format3: PinBlockFormat & { readonly withRandom: (random: RandomSource) => PinBlockFormat } = {
  ...make(randomBytes),
  withRandom: make
}
