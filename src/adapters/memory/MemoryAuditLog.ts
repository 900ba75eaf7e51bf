import { Effect, Layer } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { TenantId } from "../../domain/Identifiers.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { type AuditTrail, MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

const trailOf = (tables: Tables, subjectKey: string): AuditTrail | undefined =>
  Table.getOrUndefined(tables.audit, subjectKey)

const appendEvents = (tables: Tables, tenant: TenantId, events: ReadonlyArray<AuditEvent>): void => {
  const trails = new Map<string, AuditTrail>()
  for (const event of events) {
    const subjectKey = rowKey(tenant, event.subject)
    trails.set(subjectKey, { event, older: trails.get(subjectKey) ?? trailOf(tables, subjectKey) })
  }
  for (const [subjectKey, trail] of trails) Table.set(tables.audit, subjectKey, trail)
}

const eventsOf = (tables: Tables, tenant: TenantId, subject: string): ReadonlyArray<AuditEvent> => {
  const events: Array<AuditEvent> = []
  for (let link = trailOf(tables, rowKey(tenant, subject)); link !== undefined; link = link.older) {
    events.push(link.event)
  }
  return events.reverse()
}

/**
 * @category layers
 */
export const MemoryAuditLog = Layer.effect(
  AuditLog,
  Effect.map(MemoryDatabase, (db) =>
    AuditLog.of({
      append: (tenant, events) => db.write("AuditLog.append", (t) => appendEvents(t, tenant, events)),
      findBySubject: (tenant, subject) => db.read((t) => eventsOf(t, tenant, subject))
    })
  )
)
