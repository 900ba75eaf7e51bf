import { Context, Effect, Layer, Random, Result } from "effect"
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { luhnCheckDigit, makePan, type PanDigits } from "../../domain/ground/Pan.js"
import { IdentifiersExhausted } from "../../domain/ground/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
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
/**
 * The largest number of PANs on a BIN that the issuer scans in order; past it, the draws decide. Each
 * candidate costs a keyed hash (the module's), so the scan stays short.
 */
const PAN_SCAN_LIMIT = 10_000

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

/** Whether no card of the tenant holds the PAN of this keyed hash, and no issue has reserved it. */
const isFree = (t: Tables, tenant: TenantId, hash: string): boolean =>
  !Table.has(t.kitNoByPanHash, tenant, hash)

/**
 * Reserves the PAN of `hash` with the caller's kitNo or the next free serial, if it is free: one
 * synchronous write, atomic inside or outside a transaction. `undefined`: taken, draw another.
 */
const reserve = (
  t: Tables,
  tenant: TenantId,
  digits: PanDigits,
  hash: string,
  wanted: KitNo | undefined
): Result.Result<IssuedIdentity | undefined, IdentifiersExhausted> => {
  if (!isFree(t, tenant, hash)) return Result.succeed(undefined)
  const kitNo = wanted ?? nextKitNo(t, tenant)
  if (kitNo === undefined) return Result.fail(new IdentifiersExhausted({ identifier: "kitNo" }))
  // reserved now, so that a second issue in the same transaction draws another PAN
  Table.set(t.kitNoByPanHash, tenant, hash, kitNo)
  return Result.succeed({ kitNo, pan: makePan(digits) })
}

/**
 * The PANs an issue tries, in order: drawn at random, then, on a BIN small enough to scan, every PAN
 * of the BIN in order (once the draws keep finding taken ones).
 */
function* candidates(bin: string, random: Random.Random): Generator<PanDigits> {
  const width = 15 - bin.length
  for (let draw = 0; draw < PAN_DRAWS; draw++)
    yield panOf(bin, Math.floor(random.nextDoubleUnsafe() * 10 ** width), width)
  if (10 ** width > PAN_SCAN_LIMIT) return
  for (let serial = 0; serial < 10 ** width; serial++) yield panOf(bin, serial, width)
}

/**
 * kitNo = the caller's, or the tenant's next serial that no card holds; PAN = the BIN, random digits
 * up to 15 (the fiber's `Random`), and the Luhn check digit, drawn again while it is taken. The PAN
 * is random, not derived from the kitNo: a kitNo and a masked PAN (both in every result) must not
 * give the full PAN back. Like the cards, the issuer's reservations hold no clear PAN: a PAN is known
 * taken by its keyed hash (`SecurityModule.cardNumberHash`), so a tenant without a `cardNumber` key
 * is refused with `TenantKeyMissing`. Effect's `Random` is not a cryptographic generator: this
 * issuer is for tests, demos and embedded use; a production issuer allocates PANs in the card
 * management system or HSM behind this port.
 *
 * @category layers
 */
export const MemoryCardIssuer = Layer.effect(
  CardIssuer,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const module = yield* SecurityModule
    return CardIssuer.of({
      issue: (tenant, bin, kitNo) =>
        Effect.gen(function* () {
          const random = Context.get(yield* Effect.context<never>(), Random.Random)
          for (const digits of candidates(bin, random)) {
            const hash = yield* module.cardNumberHash(tenant, makePan(digits))
            // a taken PAN is passed over on a read; only a free one is reserved, in one write that
            // checks again (the caller's transaction, or the write's own, holds the database)
            if (!(yield* db.read((t) => isFree(t, tenant, hash)))) continue
            const issued = yield* db.tryWrite("CardIssuer.issue", (t) =>
              reserve(t, tenant, digits, hash, kitNo)
            )
            if (issued !== undefined) return issued
          }
          // the BIN is full (or, past the scan limit, so nearly full that a thousand draws found no free PAN)
          return yield* new IdentifiersExhausted({ identifier: "pan" })
        })
    })
  })
)
