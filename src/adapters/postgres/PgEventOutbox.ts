/**
 * `EventOutbox` on PostgreSQL: the rows of `outbox`, each the key of a row of `audit_events`.
 *
 * A lease takes, for each subject, its oldest pending row when it is due and not leased
 * (`FOR UPDATE SKIP LOCKED`): consumers in many service instances share a tenant's events, never two
 * at once of one subject, since a subject's later rows wait while an older one is pending.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import { EventOutbox } from "../../ports/EventOutbox.js"
import { statement } from "./Store.js"

interface LeasedRow {
  readonly seq: number | string | bigint
  readonly attempts: number
  readonly event: AuditEvent
}

/**
 * @category layers
 */
export const PgEventOutbox = Layer.effect(
  EventOutbox,
  Effect.map(SqlClient.SqlClient, (sql) =>
    EventOutbox.of({
      lease: (tenant, now, leaseUntil, limit) =>
        sql<LeasedRow>`WITH candidates AS (
            SELECT o.seq FROM outbox o
            WHERE o.tenant = ${tenant} AND o.due_at <= ${now} AND o.lease_until <= ${now}
              AND NOT EXISTS (
                SELECT 1 FROM outbox p WHERE p.tenant = o.tenant AND p.subject = o.subject AND p.seq < o.seq
              )
            ORDER BY o.seq LIMIT ${limit}
            FOR UPDATE SKIP LOCKED
          )
          UPDATE outbox o SET lease_until = ${leaseUntil}
          FROM candidates c, audit_events e
          WHERE o.tenant = ${tenant} AND o.seq = c.seq AND e.tenant = o.tenant AND e.seq = o.seq
          RETURNING o.seq, o.attempts, e.event`.pipe(
          Effect.map((rows) =>
            rows
              .map((row) => ({ sequence: Number(row.seq), event: row.event, attempts: row.attempts }))
              .sort((a, b) => a.sequence - b.sequence)
          ),
          statement("EventOutbox.lease")
        ),
      delivered: (tenant, sequences) =>
        sequences.length === 0
          ? Effect.void
          : sql`DELETE FROM outbox WHERE tenant = ${tenant} AND seq = ANY(${sequences.map(String)}::bigint[])`.pipe(
              Effect.asVoid,
              statement("EventOutbox.delivered")
            ),
      failed: (tenant, sequence, retryAt) =>
        sql`UPDATE outbox SET attempts = attempts + 1, due_at = ${retryAt}, lease_until = 0
          WHERE tenant = ${tenant} AND seq = ${sequence}`.pipe(Effect.asVoid, statement("EventOutbox.failed"))
    })
  )
)
