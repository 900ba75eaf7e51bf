/**
 * `AuditLog` on PostgreSQL: each event a row of `audit_events`, in the order appended.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { statement } from "./Store.js"

/**
 * @category layers
 */
export const PgAuditLog = Layer.effect(
  AuditLog,
  Effect.map(SqlClient.SqlClient, (sql) =>
    AuditLog.of({
      append: (tenant, events) =>
        events.length === 0
          ? Effect.void
          : // the outbox's pending events go with the trail's, in the same statement (docs/events.md)
            sql`WITH appended AS (
                INSERT INTO audit_events (tenant, subject, event)
                SELECT ${tenant}, e->>'subject', e FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb)
                  WITH ORDINALITY AS v(e, n) ORDER BY n
                RETURNING tenant, seq, subject
              )
              INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM appended`.pipe(
              Effect.asVoid,
              statement("AuditLog.append")
            ),
      findBySubject: (tenant, subject) =>
        sql<{ readonly event: AuditEvent }>`SELECT event FROM audit_events
          WHERE tenant = ${tenant} AND subject = ${subject} ORDER BY seq`.pipe(
          Effect.map((rows) => rows.map((row) => row.event)),
          statement("AuditLog.findBySubject")
        )
    })
  )
)
