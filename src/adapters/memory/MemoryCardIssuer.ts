import { Context, Effect, Layer, Random, Result } from "effect"
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { luhnCheckDigit, makePan, type PanDigits } from "../../domain/ground/Pan.js"
import { IdentifiersExhausted } from "../../domain/ground/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * kitNos issued here start at this serial, clear of hand-written fixture ids, unless the tenant's
 * fixture sets `nextKitNo`.
 *
 * @category constants
 */
export const FIRST_SERIAL = 4_240_200_000

/** Random draws of a PAN that find it taken before the issuer looks for a free one in order. */
const PAN_DRAWS = 1_000
/** The largest number of PANs on a BIN that the issuer scans in order; past it, the draws decide. */
const PAN_SCAN_LIMIT = 1_000_000

/** The tenant's next serial that no card holds, taken; none once the serials pass 2^53 − 1. */
const nextKitNo = (t: Tables, tenant: TenantId): KitNo | undefined => {
  let serial = Table.getOrUndefined(t.issuerSerial, tenant, "") ?? FIRST_SERIAL
  while (Number.isSafeInteger(serial) && Table.has(t.cards, tenant, String(serial))) serial++
  if (!Number.isSafeInteger(serial)) return undefined
  Table.set(t.issuerSerial, tenant, "", serial + 1)
  return String(serial) as KitNo
}

const panOf = (bin: string, serial: number, width: number): PanDigits => {
  const body = bin + String(serial).padStart(width, "0")
  return (body + luhnCheckDigit(body)) as PanDigits
}

/**
 * A PAN on the BIN that no card of the tenant holds and no issue has reserved: drawn at random, and,
 * on a BIN small enough to scan, looked for in order once the draws keep finding taken ones. None:
 * the BIN is full (or, past the scan limit, so nearly full that a thousand draws found no free PAN).
 */
const freePan = (t: Tables, tenant: TenantId, bin: string, random: Random.Random): PanDigits | undefined => {
  const width = 15 - bin.length
  const free = (digits: PanDigits) => !Table.has(t.kitNoByPan, tenant, digits)
  for (let draw = 0; draw < PAN_DRAWS; draw++) {
    const digits = panOf(bin, Math.floor(random.nextDoubleUnsafe() * 10 ** width), width)
    if (free(digits)) return digits
  }
  if (10 ** width > PAN_SCAN_LIMIT) return undefined
  for (let serial = 0; serial < 10 ** width; serial++) {
    const digits = panOf(bin, serial, width)
    if (free(digits)) return digits
  }
  return undefined
}

/**
 * Draws a free PAN on the BIN, and reserves it with the caller's kitNo or the next free serial. One
 * synchronous write: atomic inside or outside a transaction.
 */
const reserve = (
  t: Tables,
  tenant: TenantId,
  bin: string,
  wanted: KitNo | undefined,
  random: Random.Random
): Result.Result<IssuedIdentity, IdentifiersExhausted> => {
  const digits = freePan(t, tenant, bin, random)
  if (digits === undefined) return Result.fail(new IdentifiersExhausted({ identifier: "pan" }))
  const kitNo = wanted ?? nextKitNo(t, tenant)
  if (kitNo === undefined) return Result.fail(new IdentifiersExhausted({ identifier: "kitNo" }))
  // reserved now, so that a second issue in the same transaction draws another PAN
  Table.set(t.kitNoByPan, tenant, digits, kitNo)
  return Result.succeed({ kitNo, pan: makePan(digits) })
}

/**
 * kitNo = the caller's, or the tenant's next serial that no card holds; PAN = the BIN, random digits
 * up to 15 (the fiber's `Random`), and the Luhn check digit, drawn again while it is taken. The PAN
 * is random, not derived from the kitNo: a kitNo and a masked PAN (both in every result) must not
 * give the full PAN back. Effect's `Random` is not a cryptographic generator: this issuer is for
 * tests, demos and embedded use; a production issuer allocates PANs in the card management system or
 * HSM behind this port.
 *
 * @category layers
 */
export const MemoryCardIssuer = Layer.effect(
  CardIssuer,
  Effect.map(MemoryDatabase, (db) =>
    CardIssuer.of({
      issue: (tenant, bin, kitNo) =>
        db.tryWrite("CardIssuer.issue", (t, context) =>
          reserve(t, tenant, bin, kitNo, Context.get(context, Random.Random))
        )
    })
  )
)
