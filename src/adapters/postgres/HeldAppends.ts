/**
 * The audit log's appends a flat transaction holds back (docs/adapters.md, "Transactions and
 * locks"): they go to the database with the statement that stores an idempotency key's answer, one
 * round trip for both, or, when none comes, just before the transaction commits. A read of the trail
 * or of the outbox in the transaction sends them first, so the transaction still reads its own writes.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import type { SqlClient } from "effect/sql"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import type { TenantId } from "../../domain/ground/Identifiers.js"

/** A flat transaction's held appends: one tenant's events, in the order they were appended. */
export interface HeldAppends {
  /** The client whose transaction holds them (a program may use two databases). */
  readonly sql: SqlClient.SqlClient
  tenant: TenantId | undefined
  events: Array<AuditEvent>
}

/** The held appends of the flat transaction the fiber runs in; none outside one. */
export const CurrentHeldAppends = Context.Reference<HeldAppends | undefined>(
  "card-lifecycle/postgres/HeldAppends",
  { defaultValue: () => undefined }
)

/**
 * The rows of `events` for the trail and, in the same statement, for the outbox (docs/events.md): a
 * `WITH` list to put before a statement (`WITH appended …, queued … <statement>`).
 */
export const appendedEvents = (
  sql: SqlClient.SqlClient,
  tenant: TenantId,
  events: ReadonlyArray<AuditEvent>
) =>
  sql`WITH appended AS (
      INSERT INTO audit_events (tenant, subject, event)
      SELECT ${tenant}, e->>'subject', e FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb)
        WITH ORDINALITY AS v(e, n) ORDER BY n
      RETURNING tenant, seq, subject
    ), queued AS (
      INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM appended RETURNING 1
    )`

/** The held appends of `sql`'s transaction, taken out of it (the caller sends them); none if empty. */
export const takeHeld = (
  sql: SqlClient.SqlClient,
  held: HeldAppends | undefined
): { readonly tenant: TenantId; readonly events: ReadonlyArray<AuditEvent> } | undefined => {
  if (held === undefined || held.sql !== sql || held.tenant === undefined || held.events.length === 0)
    return undefined
  const taken = { tenant: held.tenant, events: held.events }
  held.tenant = undefined
  held.events = []
  return taken
}

/** Sends the appends `sql`'s current transaction holds, if any. */
export const sendHeld = (sql: SqlClient.SqlClient) =>
  Effect.flatMap(CurrentHeldAppends, (held) => {
    const taken = takeHeld(sql, held)
    return taken === undefined
      ? Effect.void
      : Effect.asVoid(sql`${appendedEvents(sql, taken.tenant, taken.events)} SELECT count(*) FROM queued`)
  })
