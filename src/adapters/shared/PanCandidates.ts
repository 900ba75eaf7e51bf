/**
 * How an issuer of this library draws a new card's PAN, the same in every adapter: random draws on
 * the BIN, then, on a BIN small enough, every PAN in order. Each adapter decides which candidate is
 * free (by its keyed hash: no store holds a clear PAN).
 *
 * @since 0.1.0
 */
import type { Random } from "effect"
import { luhnCheckDigit, type PanDigits } from "../../domain/ground/Pan.js"

/**
 * kitNos issued by a serial start here, clear of hand-written fixture ids, unless the tenant's
 * fixture sets `nextKitNo`.
 *
 * @category constants
 */
export const FIRST_SERIAL = 4_240_200_000

/** Random draws of a PAN that find it taken before the issuer looks for a free one in order. */
const PAN_DRAWS = 1_000
/**
 * The largest number of PANs on a BIN that the issuer scans in order; past it, the draws decide. Each
 * candidate costs a keyed hash (the security module's), so the scan stays short.
 */
const PAN_SCAN_LIMIT = 10_000

const panOf = (bin: string, serial: number, width: number): PanDigits => {
  const body = bin + String(serial).padStart(width, "0")
  return (body + luhnCheckDigit(body)) as PanDigits
}

/**
 * The PANs an issue tries, in order: the BIN, random digits up to 15 (the fiber's `Random`) and the
 * Luhn check digit, drawn 1 000 times; then, on a BIN of at most 10 000 PANs, every PAN of the BIN
 * in order. The PAN is random, not derived from the kitNo: a kitNo and a masked PAN (both in every
 * result) must not give the full PAN back.
 *
 * @category constructors
 */
export function* panCandidates(bin: string, random: Random.Random): Generator<PanDigits> {
  const width = 15 - bin.length
  for (let draw = 0; draw < PAN_DRAWS; draw++)
    yield panOf(bin, Math.floor(random.nextDoubleUnsafe() * 10 ** width), width)
  if (10 ** width > PAN_SCAN_LIMIT) return
  for (let serial = 0; serial < 10 ** width; serial++) yield panOf(bin, serial, width)
}
