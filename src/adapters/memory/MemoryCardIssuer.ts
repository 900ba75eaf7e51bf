import { Context, Effect, Layer, Random, Result } from "effect"
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { makePan, type PanDigits } from "../../domain/ground/Pan.js"
import { IdentifiersExhausted } from "../../domain/ground/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import { FIRST_SERIAL, panCandidates } from "../shared/PanCandidates.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

export { FIRST_SERIAL } from "../shared/PanCandidates.js"

/** The tenant's next serial that no card holds, taken; none once the serials pass 2^53 − 1. */
const nextKitNo = (t: Tables, tenant: TenantId): KitNo | undefined => {
  let serial = Table.getOrUndefined(t.issuerSerial, tenant, "") ?? FIRST_SERIAL
  while (Number.isSafeInteger(serial) && Table.has(t.cards, tenant, String(serial))) serial++
  if (!Number.isSafeInteger(serial)) return undefined
  Table.set(t.issuerSerial, tenant, "", serial + 1)
  return String(serial) as KitNo
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
          for (const digits of panCandidates(bin, random)) {
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
