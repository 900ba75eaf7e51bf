/**
 * `CardIssuer` on PostgreSQL, as the memory issuer behaves: kitNo = the caller's, or a serial of the
 * tenant that no card holds (from `issuer_serials`); PAN = the BIN, random digits (the fiber's
 * `Random`) and the Luhn check digit, reserved by its keyed hash in `pan_reservations` when no card
 * of the tenant holds it and no reservation does. Both writes are the caller's transaction's: a
 * rolled-back issue leaves no trace.
 *
 * Concurrent issues are safe without SERIALIZABLE, and do not queue. A tenant's serials come from 16
 * stripes, rows of `issuer_serials`: stripe k hands out `first + k + 16·j`, so no two stripes ever
 * hand out the same serial. An issue takes the stripe with the lowest next serial that no other
 * transaction holds (`FOR UPDATE SKIP LOCKED`) and keeps its lock until the caller's transaction
 * ends: up to 16 transactions of one tenant issue at once, and a lone caller gets consecutive
 * serials. Only when all 16 are held does an issue wait, for the lowest. A PAN is reserved by an
 * insert that the primary key `(tenant, pan_hash)` arbitrates: an issue that meets another's
 * uncommitted reservation of the same hash waits for it, then inserts nothing if it committed (and
 * draws another PAN) or takes the hash if it rolled back. A serial and the first PAN's reservation
 * are one statement (one round trip per issue); a PAN drawn after a taken one is reserved alone.
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
 * The rows a tenant's serials come from: as many transactions of one tenant issue at once. The
 * migration that made them (`4_issuer_stripes`) checks this number; changing it takes a migration.
 */
const STRIPES = 16

/**
 * Creates the tenant's stripes, stripe k starting at `first + k`, unless it has them: on a tenant's
 * first issue, and when a fixture seeds a tenant's first serial.
 *
 * @category constructors
 */
export const createStripes = (sql: SqlClient.SqlClient, tenant: TenantId, first: number) =>
  sql`INSERT INTO issuer_serials (tenant, stripe, next_serial)
    SELECT ${tenant}, k, ${first}::bigint + k FROM generate_series(0, ${STRIPES - 1}) AS k
    ON CONFLICT (tenant, stripe) DO NOTHING`

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
     * A serial of the tenant that no card holds, taken from a stripe (locked until the caller's
     * transaction ends): the stripe's serials that cards hold walked over (one index probe each), the
     * stripe's next serial stored after the one taken; and, in the same statement, the PAN of `hash`
     * reserved for it if no card of the tenant and no reservation holds it (`reserved`). No row when
     * no stripe could be taken (`wait` false and all held, or none yet), or when the serials reached
     * 2^53 − 1.
     */
    const takeAndReserve = (tenant: TenantId, hash: string, wait: boolean) =>
      sql<{ readonly serial: string; readonly reserved: boolean }>`WITH RECURSIVE stripe AS (
          SELECT stripe, next_serial FROM issuer_serials
          WHERE tenant = ${tenant} AND next_serial <= ${Number.MAX_SAFE_INTEGER}::bigint
          ORDER BY next_serial LIMIT 1 FOR UPDATE ${sql.literal(wait ? "" : "SKIP LOCKED")}
        ), walk (serial) AS (
          SELECT next_serial FROM stripe
          UNION ALL
          SELECT serial + ${STRIPES} FROM walk
          WHERE serial <= ${Number.MAX_SAFE_INTEGER - STRIPES}::bigint
            AND EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND kit_no = serial::text)
        ), last AS (SELECT max(serial) AS serial FROM walk
        ), taken AS (
          UPDATE issuer_serials SET next_serial = last.serial + ${STRIPES} FROM stripe, last
          WHERE issuer_serials.tenant = ${tenant} AND issuer_serials.stripe = stripe.stripe
            AND NOT EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND kit_no = last.serial::text)
          RETURNING last.serial::text AS serial
        ), reserved AS (
          INSERT INTO pan_reservations (tenant, pan_hash, kit_no)
          SELECT ${tenant}, ${hash}, taken.serial FROM taken
          WHERE NOT EXISTS (SELECT 1 FROM cards WHERE tenant = ${tenant} AND pan_hash = ${hash})
          ON CONFLICT (tenant, pan_hash) DO NOTHING
          RETURNING kit_no
        )
        SELECT taken.serial, EXISTS (SELECT 1 FROM reserved) AS reserved FROM taken`.pipe(
        Effect.map((rows) => rows[0]),
        statement(operation)
      )

    /**
     * A free serial of the tenant, and whether the PAN of `hash` is now reserved for it: a stripe no
     * one holds, else (all held, or the tenant's first issue) the lowest once its holder ends. None
     * once the serials pass 2^53 − 1.
     */
    const nextKitNo = (
      tenant: TenantId,
      hash: string
    ): Effect.Effect<
      { readonly kitNo: KitNo; readonly reserved: boolean },
      IdentifiersExhausted | StoreError
    > =>
      Effect.gen(function* () {
        // bigint's text is the serial's decimal digits, as String(serial) gives them
        const free =
          (yield* takeAndReserve(tenant, hash, false)) ??
          (yield* Effect.andThen(
            createStripes(sql, tenant, FIRST_SERIAL).pipe(statement(operation)),
            takeAndReserve(tenant, hash, true)
          ))
        if (free === undefined) return yield* new IdentifiersExhausted({ identifier: "kitNo" })
        return { kitNo: free.serial as KitNo, reserved: free.reserved }
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
            if (kitNo === undefined) {
              // the serial and the first PAN's reservation in one statement
              const taken = yield* nextKitNo(tenant, hash)
              kitNo = taken.kitNo
              if (taken.reserved) return { kitNo, pan }
            } else if (yield* reserve(tenant, hash, kitNo)) return { kitNo, pan }
          }
          // the BIN is full (or, past the scan limit, so nearly full that a thousand draws found no free PAN)
          return yield* new IdentifiersExhausted({ identifier: "pan" })
        })
    })
  })
)
