import { Chunk, Effect, HashMap, Layer, Option } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { TenantId } from "../../domain/Identifiers.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"

const appendEvents = (tables: Tables, tenant: TenantId, events: ReadonlyArray<AuditEvent>): Tables => {
  const bySubject = new Map<string, Array<AuditEvent>>()
  for (const event of events) {
    const key = rowKey(tenant, event.subject)
    const list = bySubject.get(key)
    if (list === undefined) bySubject.set(key, [event])
    else list.push(event)
  }
  return {
    ...tables,
    audit: HashMap.mutate(tables.audit, (rows) => {
      for (const [key, added] of bySubject) {
        const before = Option.getOrElse(HashMap.get(rows, key), () => Chunk.empty<AuditEvent>())
        HashMap.set(rows, key, Chunk.appendAll(before, Chunk.fromIterable(added)))
      }
    })
  }
}

/**
 * @category layers
 */
export const MemoryAuditLog = Layer.effect(
  AuditLog,
  Effect.map(MemoryDatabase, (db) =>
    AuditLog.of({
      append: (tenant, events) => db.write("AuditLog.append", (t) => appendEvents(t, tenant, events)),
      findBySubject: (tenant, subject) =>
        db.read((t) =>
          Option.match(HashMap.get(t.audit, rowKey(tenant, subject)), {
            onNone: () => [],
            onSome: Chunk.toReadonlyArray
          })
        )
    })
  )
)
