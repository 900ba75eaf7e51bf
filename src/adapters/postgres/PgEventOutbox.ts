/**
 * `EventOutbox` on PostgreSQL: the rows of `outbox`, each the key of a row of `audit_events`.
 *
 * A lease takes, for each subject, its oldest pending row when it is due and not leased
 * (`FOR UPDATE SKIP LOCKED`): consumers in many service instances share a tenant's events, never two
 * at once of one subject, since a subject's later rows wait while an older one is pending.
 *
 * Where a lease looks (docs/events.md, "How a lease finds events"): first among the tenant's oldest
 * {@link FRONT} pending rows, in order, where a subject's oldest row usually is; only when that finds
 * fewer than asked, subject by subject (one index probe each, a loose index scan of
 * `outbox_by_subject`), from after the subject this layer's last such walk stopped at, around to the
 * start, until it has enough. So no lease reads a deep backlog row by row, and every subject is
 * reached within a few passes however many rows others hold back.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import { EventOutbox } from "../../ports/EventOutbox.js"
import { sendHeld } from "./HeldAppends.js"
import { statement } from "./Store.js"

interface LeasedRow {
  readonly seq: number | string | bigint
  readonly attempts: number
  readonly subject: string
  readonly event: AuditEvent
}

/** How many of the tenant's oldest pending rows a lease looks among first. */
const FRONT = 1_000

/** Where a walk stopped: the last subject it leased (subjects are ASCII identifiers, ordered alike here). */
const lastOf = (rows: ReadonlyArray<LeasedRow>): string =>
  rows
    .map((row) => row.subject)
    .sort()
    .at(-1) ?? ""

/**
 * @category layers
 */
export const PgEventOutbox = Layer.effect(
  EventOutbox,
  Effect.map(SqlClient.SqlClient, (sql) => {
    /** Up to `limit` due heads among the tenant's oldest {@link FRONT} rows, oldest first. */
    const leaseFront = (tenant: string, now: number, leaseUntil: number, limit: number) =>
      sql<LeasedRow>`WITH front AS (
            SELECT seq FROM outbox WHERE tenant = ${tenant} ORDER BY seq LIMIT ${FRONT}
          ), candidates AS (
            SELECT o.seq FROM outbox o JOIN front f ON o.tenant = ${tenant} AND o.seq = f.seq
            WHERE o.due_at <= ${now} AND o.lease_until <= ${now}
              AND NOT EXISTS (
                SELECT 1 FROM outbox p WHERE p.tenant = o.tenant AND p.subject = o.subject AND p.seq < o.seq
              )
            ORDER BY o.seq LIMIT ${limit}
            FOR UPDATE OF o SKIP LOCKED
          )
          UPDATE outbox o SET lease_until = ${leaseUntil}
          FROM candidates c, audit_events e
          WHERE o.tenant = ${tenant} AND o.seq = c.seq AND e.tenant = o.tenant AND e.seq = o.seq
          RETURNING o.seq, o.attempts, o.subject, e.event`
    /**
     * Up to `limit` due heads of the subjects after `after`, in the subjects' order: the walk from
     * subject to subject stops once it has `limit` (a recursive query is evaluated as it is read).
     */
    const leaseWalking = (tenant: string, now: number, leaseUntil: number, limit: number, after: string) =>
      sql<LeasedRow>`WITH RECURSIVE walk (subject) AS (
            SELECT (SELECT min(subject) FROM outbox WHERE tenant = ${tenant} AND subject > ${after})
            UNION ALL
            SELECT (SELECT min(subject) FROM outbox WHERE tenant = ${tenant} AND subject > w.subject)
            FROM walk w WHERE w.subject IS NOT NULL
          ), candidates AS (
            SELECT o.seq FROM walk w
            CROSS JOIN LATERAL (
              SELECT seq FROM outbox WHERE tenant = ${tenant} AND subject = w.subject ORDER BY seq LIMIT 1
            ) head
            JOIN outbox o ON o.tenant = ${tenant} AND o.seq = head.seq
            WHERE w.subject IS NOT NULL AND o.due_at <= ${now} AND o.lease_until <= ${now}
            LIMIT ${limit}
            FOR UPDATE OF o SKIP LOCKED
          )
          UPDATE outbox o SET lease_until = ${leaseUntil}
          FROM candidates c, audit_events e
          WHERE o.tenant = ${tenant} AND o.seq = c.seq AND e.tenant = o.tenant AND e.seq = o.seq
          RETURNING o.seq, o.attempts, o.subject, e.event`
    /** Per tenant, the last subject a walk leased: the next walk starts after it. */
    const walkedTo = new Map<string, string>()
    const lease = (tenant: string, now: number, leaseUntil: number, limit: number) =>
      Effect.gen(function* () {
        const front = yield* leaseFront(tenant, now, leaseUntil, limit)
        if (front.length >= limit) return front
        // each statement commits its leases: a later one finds those rows leased, and skips them
        const after = walkedTo.get(tenant) ?? ""
        const walked = yield* leaseWalking(tenant, now, leaseUntil, limit - front.length, after)
        const wrapped =
          walked.length < limit - front.length && after !== ""
            ? yield* leaseWalking(tenant, now, leaseUntil, limit - front.length - walked.length, "")
            : []
        walkedTo.set(tenant, wrapped.length > 0 ? lastOf(wrapped) : lastOf(walked))
        return [...front, ...walked, ...wrapped]
      })
    return EventOutbox.of({
      // a flat transaction's held appends first: they are outbox rows too (HeldAppends.ts)
      lease: (tenant, now, leaseUntil, limit) =>
        Effect.andThen(sendHeld(sql), lease(tenant, now, leaseUntil, limit)).pipe(
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
          : Effect.andThen(
              sendHeld(sql),
              sql`DELETE FROM outbox WHERE tenant = ${tenant} AND seq = ANY(${sequences.map(String)}::bigint[])`
            ).pipe(Effect.asVoid, statement("EventOutbox.delivered")),
      failed: (tenant, sequence, retryAt) =>
        Effect.andThen(
          sendHeld(sql),
          sql`UPDATE outbox SET attempts = attempts + 1, due_at = ${retryAt}, lease_until = 0
            WHERE tenant = ${tenant} AND seq = ${sequence}`
        ).pipe(Effect.asVoid, statement("EventOutbox.failed"))
    })
  })
)
