/**
 * `EventOutbox` in memory: the pending events by tenant and sequence, and the audit log's appends
 * that put them there (`appendPending`), in the appending transaction.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import { EventOutbox } from "../../ports/EventOutbox.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * Puts `events` in the tenant's outbox, each with the tenant's next sequence: what the audit log's
 * append does in the same write.
 *
 * @category constructors
 */
export const appendPending = (t: Tables, tenant: string, events: ReadonlyArray<AuditEvent>): void => {
  let next = Table.getOrUndefined(t.outboxSequence, tenant, "") ?? 1
  for (const event of events) {
    Table.set(t.outbox, tenant, next, { sequence: next, event, attempts: 0, dueAt: 0, leaseUntil: 0 })
    next += 1
  }
  Table.set(t.outboxSequence, tenant, "", next)
}

/**
 * @category layers
 */
export const MemoryEventOutbox = Layer.effect(
  EventOutbox,
  Effect.map(MemoryDatabase, (db) =>
    EventOutbox.of({
      lease: (tenant, now, leaseUntil, limit) =>
        db.write("EventOutbox.lease", (t) => {
          // a subject's oldest pending event holds back the others: in order per subject
          const subjects = new Set<string>()
          const firsts = Table.valuesOf(t.outbox, tenant)
            .sort((a, b) => a.sequence - b.sequence)
            .filter(
              (row) => !subjects.has(row.event.subject) && subjects.add(row.event.subject) !== undefined
            )
          const due = firsts.filter((row) => row.dueAt <= now && row.leaseUntil <= now).slice(0, limit)
          for (const row of due) Table.set(t.outbox, tenant, row.sequence, { ...row, leaseUntil })
          return due.map(({ sequence, event, attempts }) => ({ sequence, event, attempts }))
        }),
      delivered: (tenant, sequences) =>
        db.write("EventOutbox.delivered", (t) => {
          for (const sequence of sequences) Table.remove(t.outbox, tenant, sequence)
        }),
      failed: (tenant, sequence, retryAt) =>
        db.write("EventOutbox.failed", (t) => {
          Table.modify(t.outbox, tenant, sequence, (row) => ({
            ...row,
            attempts: row.attempts + 1,
            dueAt: retryAt,
            leaseUntil: 0
          }))
        })
    })
  )
)
