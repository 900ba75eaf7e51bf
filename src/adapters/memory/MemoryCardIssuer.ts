import { Effect, Layer, Random } from "effect"
import { luhnCheckDigit, makePan, type PanDigits } from "../../domain/card/Pan.js"
import type { KitNo, TenantId } from "../../domain/Identifiers.js"
import type { StoreError } from "../../domain/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/** kitNos issued here start at this serial, clear of hand-written fixture ids. */
const FIRST_SERIAL = 4_240_200_000

/** The tenant's next free serial kitNo, taken. */
const nextKitNo = (t: Tables, tenant: TenantId): KitNo => {
  let serial = Table.getOrUndefined(t.issuerSerial, tenant, "") ?? FIRST_SERIAL
  while (Table.has(t.cards, tenant, String(serial))) serial++
  Table.set(t.issuerSerial, tenant, "", serial + 1)
  return String(serial) as KitNo
}

/**
 * Takes the PAN `digits` if it is free, with the caller's kitNo or the next free one, reserving
 * both; undefined when the PAN is taken. One synchronous write: atomic inside or outside a
 * transaction.
 */
const reserve = (
  t: Tables,
  tenant: TenantId,
  digits: PanDigits,
  wanted: KitNo | undefined
): IssuedIdentity | undefined => {
  if (Table.has(t.kitNoByPan, tenant, digits)) return undefined
  const kitNo = wanted ?? nextKitNo(t, tenant)
  // reserved now, so that a second issue in the same transaction draws another PAN
  Table.set(t.kitNoByPan, tenant, digits, kitNo)
  return { kitNo, pan: makePan(digits) }
}

/**
 * kitNo = the tenant's next free serial; PAN = the BIN, random digits up to 15, and the Luhn check
 * digit, drawn again while it is taken. The PAN is random, not derived from the kitNo: a kitNo and a
 * masked PAN (both in every result) must not give the full PAN back. Effect's `Random` is not a
 * cryptographic generator: this issuer is for tests, demos and embedded use; a production issuer
 * allocates PANs in the card management system or HSM behind this port.
 *
 * @category layers
 */
export const MemoryCardIssuer = Layer.effect(
  CardIssuer,
  Effect.map(MemoryDatabase, (db) => {
    const issue = (tenant: TenantId, bin: string, kitNo?: KitNo): Effect.Effect<IssuedIdentity, StoreError> => {
      const width = 15 - bin.length
      return Effect.flatMap(Random.nextIntBetween(0, 10 ** width, { halfOpen: true }), (n) => {
        const body = bin + String(n).padStart(width, "0")
        // joined, not concatenated: one flat string, quicker to hash and compare as a map key than
        // a concatenation's rope
        const digits = [body, luhnCheckDigit(body)].join("") as PanDigits
        return Effect.flatMap(
          db.write("CardIssuer.issue", (t) => reserve(t, tenant, digits, kitNo)),
          (identity) => (identity === undefined ? issue(tenant, bin, kitNo) : Effect.succeed(identity))
        )
      })
    }
    return CardIssuer.of({ issue })
  })
)
