/**
 * `PinStore` on PostgreSQL: a card's verifier (its key id and keyed hash) and try counter, one row.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import type { KeyId } from "../../domain/ground/ProtectedPan.js"
import { type PinRecord, PinStore } from "../../ports/PinStore.js"
import { statement } from "./Store.js"

interface PinRow {
  readonly verifier_key_id: string
  readonly verifier_mac: string
  readonly failed_attempts: number
  readonly blocked: boolean
}

const recordOf = (row: PinRow): PinRecord => ({
  verifier: {
    keyId: row.verifier_key_id as KeyId,
    mac: Redacted.make(row.verifier_mac, { label: "PIN verifier" })
  },
  failedAttempts: row.failed_attempts,
  blocked: row.blocked
})

/**
 * @category layers
 */
export const PgPinStore = Layer.effect(
  PinStore,
  Effect.map(SqlClient.SqlClient, (sql) => {
    const find = (operation: string, tenant: string, kitNo: string, lock: boolean) =>
      sql<PinRow>`SELECT verifier_key_id, verifier_mac, failed_attempts, blocked FROM pin_records
        WHERE tenant = ${tenant} AND kit_no = ${kitNo} ${sql.literal(lock ? "FOR UPDATE" : "")}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), recordOf)),
        statement(operation)
      )
    return PinStore.of({
      save: (tenant, kitNo, record) =>
        sql`INSERT INTO pin_records (tenant, kit_no, verifier_key_id, verifier_mac, failed_attempts, blocked)
          VALUES (${tenant}, ${kitNo}, ${record.verifier.keyId}, ${Redacted.value(record.verifier.mac)},
            ${record.failedAttempts}, ${record.blocked})
          ON CONFLICT (tenant, kit_no) DO UPDATE SET verifier_key_id = excluded.verifier_key_id,
            verifier_mac = excluded.verifier_mac, failed_attempts = excluded.failed_attempts,
            blocked = excluded.blocked`.pipe(Effect.asVoid, statement("PinStore.save")),
      find: (tenant, kitNo) => find("PinStore.find", tenant, kitNo, false),
      findForUpdate: (tenant, kitNo) => find("PinStore.findForUpdate", tenant, kitNo, true),
      recordAttempts: (tenant, kitNo, attempts) =>
        sql`UPDATE pin_records SET failed_attempts = ${attempts.failedAttempts}, blocked = ${attempts.blocked}
          WHERE tenant = ${tenant} AND kit_no = ${kitNo}`.pipe(
          Effect.asVoid,
          statement("PinStore.recordAttempts")
        )
    })
  })
)
