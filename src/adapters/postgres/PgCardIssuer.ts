/**
 * `CardIssuer` on PostgreSQL, as the memory issuer behaves: kitNo = the caller's, or the tenant's
 * next serial that no card holds (from `issuer_serials`); PAN = the BIN, random digits (the fiber's
 * `Random`) and the Luhn check digit, reserved by its keyed hash in `pan_reservations` when no card
 * of the tenant holds it and no reservation does. Both writes are the caller's transaction's: a
 * rolled-back issue leaves no trace.
 *
 * Concurrent issues are safe without SERIALIZABLE. The serial is taken under the lock of the tenant's
 * `issuer_serials` row (an upsert whose `ON CONFLICT DO UPDATE` locks it and reads its latest committed
 * value), held until the caller's transaction ends: two issues of one tenant never read the same
 * serial. A PAN is reserved by an insert that the primary key `(tenant, pan_hash)` arbitrates: an
 * issue that meets another's uncommitted reservation of the same hash waits for it, then inserts
 * nothing if it committed (and draws another PAN) or takes the hash if it rolled back.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Random } from "effect"
import { SqlClient } from "effect/sql"
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { makePan } from "../../domain/ground/Pan.js"
import { IdentifiersExhausted, type StoreError } from "../../domain/ground/StoreError.js"
import { CardIssuer } from "../../ports/CardIssuer.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import { FIRST_SERIAL, panCandidates } from "../shared/PanCandidates.js"
import { statement } from "./Store.js"

/**
 * @category layers
 */
export const PgCardIssuer = Layer.effect(
  CardIssuer,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const module = yield* SecurityModule
    const operation = "CardIssuer.issue"

    /**
     * The tenant's next serial that no card holds, taken: the tenant's row locked and read (created at
     * the first serial on the tenant's first issue), the serials cards hold walked over, the one after
     * the serial taken stored. None once the serials pass 2^53 − 1.
     */
    const nextKitNo = (tenant: TenantId): Effect.Effect<KitNo, IdentifiersExhausted | StoreError> =>
      Effect.gen(function* () {
        const [locked] = yield* sql<{
          readonly next_serial: string
        }>`INSERT INTO issuer_serials (tenant, next_serial)
          VALUES (${tenant}, ${FIRST_SERIAL})
          ON CONFLICT (tenant) DO UPDATE SET next_serial = issuer_serials.next_serial
          RETURNING next_serial`.pipe(statement(operation))
        const start = Number(locked?.next_serial ?? FIRST_SERIAL)
        if (!Number.isSafeInteger(start)) return yield* new IdentifiersExhausted({ identifier: "kitNo" })
        // the first serial from `start` that no card holds (one index probe per serial a card holds),
        // stored as taken; no row when the walk reached 2^53 − 1 and a card holds that one too
        const [free] = yield* sql<{ readonly serial: string }>`WITH RECURSIVE walk (serial) AS (
            SELECT ${start}::bigint
            UNION ALL
            SELECT serial + 1 FROM walk
            WHERE serial < ${Number.MAX_SAFE_INTEGER}::bigint
              AND EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND kit_no = serial::text)
          ), last AS (SELECT max(serial) AS serial FROM walk)
          UPDATE issuer_serials SET next_serial = last.serial + 1 FROM last
          WHERE issuer_serials.tenant = ${tenant}
            AND NOT EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND kit_no = last.serial::text)
          RETURNING last.serial::text AS serial`.pipe(statement(operation))
        if (free === undefined) return yield* new IdentifiersExhausted({ identifier: "kitNo" })
        // bigint's text is the serial's decimal digits, as String(serial) gives them
        return free.serial as KitNo
      })

    /** Reserves the PAN of `hash` for `kitNo` if no card of the tenant and no reservation holds it. */
    const reserve = (tenant: TenantId, hash: string, kitNo: KitNo) =>
      sql<{ readonly kit_no: string }>`INSERT INTO pan_reservations (tenant, pan_hash, kit_no)
        SELECT ${tenant}, ${hash}, ${kitNo}
        WHERE NOT EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND pan_hash = ${hash})
        ON CONFLICT (tenant, pan_hash) DO NOTHING
        RETURNING kit_no`.pipe(
        Effect.map((rows) => rows.length > 0),
        statement(operation)
      )

    return CardIssuer.of({
      issue: (tenant, bin, wanted) =>
        Effect.gen(function* () {
          const random = Context.get(yield* Effect.context<never>(), Random.Random)
          let kitNo = wanted
          for (const digits of panCandidates(bin, random)) {
            const pan = makePan(digits)
            const hash = yield* module.cardNumberHash(tenant, pan)
            // taken once the PAN can be hashed: a tenant without a cardNumber key consumes no serial
            kitNo ??= yield* nextKitNo(tenant)
            if (yield* reserve(tenant, hash, kitNo)) return { kitNo, pan }
          }
          // the BIN is full (or, past the scan limit, so nearly full that a thousand draws found no free PAN)
          return yield* new IdentifiersExhausted({ identifier: "pan" })
        })
    })
  })
)
