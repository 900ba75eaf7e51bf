import { Context, Effect, Layer, Random } from "effect"
import { luhnCheckDigit, makePan, type PanDigits } from "../../domain/card/Pan.js"
import type { KitNo, TenantId } from "../../domain/Identifiers.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/** kitNos issued here start at this serial, clear of hand-written fixture ids. */
const FIRST_SERIAL = 4_240_200_000

const nextSerial = (t: Tables, tenant: TenantId): number =>
  Table.getOrUndefined(t.issuerSerial, tenant, "") ?? FIRST_SERIAL

/**
 * Keeps the tenant's next serial above a stored kitNo that reads as one (digits without a leading
 * zero): no serial is then ever taken, and issuing a kitNo needs no lookup of the cards.
 * `putCards` calls it for every new card, and the issuer for a caller's kitNo.
 *
 * The serial is written even when it already stands above the kitNo: the write belongs to the
 * savepoint that stores the card, so that if a concurrent savepoint that raised the serial fails,
 * its undo cannot take the serial back below this card.
 *
 * @category mutations
 */
export const keepSerialAbove = (t: Tables, tenant: TenantId, kitNo: KitNo): void => {
  const n = Number(kitNo)
  // below MAX_SAFE_INTEGER: the next serial, n + 1, must be exact too
  if (n < Number.MAX_SAFE_INTEGER && Number.isSafeInteger(n) && String(n) === kitNo)
    Table.set(t.issuerSerial, tenant, "", Math.max(n + 1, nextSerial(t, tenant)))
}

/** The tenant's next serial kitNo, taken: free, as `keepSerialAbove` keeps the serial. */
const nextKitNo = (t: Tables, tenant: TenantId): KitNo => {
  const serial = nextSerial(t, tenant)
  if (!Number.isSafeInteger(serial)) throw new Error("CardIssuer: the tenant's serial kitNos are exhausted")
  Table.set(t.issuerSerial, tenant, "", serial + 1)
  return String(serial) as KitNo
}

/**
 * Draws PANs on the BIN until one is free, and reserves it with the caller's kitNo or the next free
 * one. One synchronous write: atomic inside or outside a transaction.
 */
const reserve = (
  t: Tables,
  tenant: TenantId,
  bin: string,
  wanted: KitNo | undefined,
  random: Random.Random
): IssuedIdentity => {
  const width = 15 - bin.length
  let digits: PanDigits
  do {
    // Random.nextIntBetween(0, 10 ** width) without an effect per draw
    const body = bin + String(Math.floor(random.nextDoubleUnsafe() * 10 ** width)).padStart(width, "0")
    // joined, not concatenated: one flat string, quicker to hash and compare as a map key than a
    // concatenation's rope
    digits = [body, luhnCheckDigit(body)].join("") as PanDigits
  } while (Table.has(t.kitNoByPan, tenant, digits))
  // a caller's kitNo raises the serial now: a concurrent issue before the card is stored must not
  // hand it out
  if (wanted !== undefined) keepSerialAbove(t, tenant, wanted)
  const kitNo = wanted ?? nextKitNo(t, tenant)
  // reserved now, so that a second issue in the same transaction draws another PAN
  Table.set(t.kitNoByPan, tenant, digits, kitNo)
  return { kitNo, pan: makePan(digits) }
}

/**
 * kitNo = the caller's or the tenant's next free serial; PAN = the BIN, random digits up to 15
 * (the fiber's `Random`), and the Luhn check digit, drawn again while it is taken. The PAN is
 * random, not derived from the kitNo: a kitNo and a masked PAN (both in every result) must not give
 * the full PAN back. Effect's `Random` is not a cryptographic generator: this issuer is for tests,
 * demos and embedded use; a production issuer allocates PANs in the card management system or HSM
 * behind this port.
 *
 * @category layers
 */
export const MemoryCardIssuer = Layer.effect(
  CardIssuer,
  Effect.map(MemoryDatabase, (db) =>
    CardIssuer.of({
      issue: (tenant, bin, kitNo) =>
        db.write("CardIssuer.issue", (t, context) =>
          reserve(t, tenant, bin, kitNo, Context.get(context, Random.Random))
        )
    })
  )
)
