/**
 * `AuditLog` on PostgreSQL: each event a row of `audit_events`, in the order appended.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { appendedEvents, CurrentHeldAppends, sendHeld, takeHeld } from "./HeldAppends.js"
import { statement } from "./Store.js"

/**
 * @category layers
 */
export const PgAuditLog = Layer.effect(
  AuditLog,
  Effect.map(SqlClient.SqlClient, (sql) => {
    // the outbox's pending events go with the trail's, in the same statement (docs/events.md)
    const write = (tenant: TenantId, events: ReadonlyArray<AuditEvent>) =>
      sql`${appendedEvents(sql, tenant, events)} SELECT count(*) FROM queued`.pipe(
        Effect.asVoid,
        statement("AuditLog.append")
      )
    return AuditLog.of({
      append: (tenant, events) =>
        events.length === 0
          ? Effect.void
          : Effect.flatMap(CurrentHeldAppends, (held) => {
              // in a flat transaction the events wait for a later statement (HeldAppends.ts)
              if (held !== undefined && held.sql === sql) {
                const before = held.tenant === tenant ? undefined : takeHeld(sql, held)
                held.tenant = tenant
                held.events.push(...events)
                return before === undefined ? Effect.void : write(before.tenant, before.events)
              }
              return write(tenant, events)
            }),
      findBySubject: (tenant, subject) =>
        Effect.andThen(
          sendHeld(sql),
          sql<{ readonly event: AuditEvent }>`SELECT event FROM audit_events
            WHERE tenant = ${tenant} AND subject = ${subject} ORDER BY seq`
        ).pipe(
          Effect.map((rows) => rows.map((row) => row.event)),
          statement("AuditLog.findBySubject")
        )
    })
  })
)
