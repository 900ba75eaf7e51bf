import { Effect, Layer, Option, Redacted } from "effect"
import { luhnCheckDigit, makePan, type PanDigits } from "../../domain/card/Pan.js"
import type { KitNo } from "../../domain/Identifiers.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/** kitNos issued here start at this serial, clear of hand-written fixture ids. */
const FIRST_SERIAL = 4_240_200_000

/**
 * Sequential identities: kitNo = the tenant's next serial; PAN = BIN + serial, zero-padded to 15
 * digits, + the Luhn check digit. A serial whose kitNo or PAN is taken is skipped.
 *
 * @category layers
 */
export const MemoryCardIssuer = Layer.effect(
  CardIssuer,
  Effect.map(MemoryDatabase, (db) =>
    CardIssuer.of({
      issue: (tenant, bin) =>
        Effect.flatMap(
          db.read((t) => {
            let serial = Option.getOrElse(Table.get(t.issuerSerial, tenant, ""), () => FIRST_SERIAL)
            for (;;) {
              const kitNo = String(serial) as KitNo
              const body =
                bin +
                String(serial)
                  .slice(-(15 - bin.length))
                  .padStart(15 - bin.length, "0")
              const pan = makePan((body + luhnCheckDigit(body)) as PanDigits)
              serial++
              const taken =
                Table.has(t.cards, tenant, kitNo) || Table.has(t.kitNoByPan, tenant, Redacted.value(pan))
              if (!taken) return { identity: { kitNo, pan } satisfies IssuedIdentity, next: serial }
            }
          }),
          ({ identity, next }) =>
            Effect.as(
              db.write("CardIssuer.issue", (t) => ({
                ...t,
                issuerSerial: Table.set(t.issuerSerial, tenant, "", next)
              })),
              identity
            )
        )
    })
  )
)
