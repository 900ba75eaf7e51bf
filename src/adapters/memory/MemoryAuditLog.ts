import { Effect, Layer } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { TenantId } from "../../domain/Identifiers.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { type AuditTrail, MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

const appendEvents = (tables: Tables, tenant: TenantId, events: ReadonlyArray<AuditEvent>): void => {
  const trails = new Map<string, AuditTrail>()
  for (const event of events) {
    const older = trails.get(event.subject) ?? Table.getOrUndefined(tables.audit, tenant, event.subject)
    trails.set(event.subject, { event, older })
  }
  for (const [subject, trail] of trails) Table.set(tables.audit, tenant, subject, trail)
}

const eventsOf = (tables: Tables, tenant: TenantId, subject: string): ReadonlyArray<AuditEvent> => {
  const events: Array<AuditEvent> = []
  for (
    let link = Table.getOrUndefined(tables.audit, tenant, subject);
    link !== undefined;
    link = link.older
  ) {
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
