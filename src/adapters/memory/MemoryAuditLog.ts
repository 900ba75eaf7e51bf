import { Effect, Layer } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import * as Log from "./Log.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import { appendPending } from "./MemoryEventOutbox.js"

/**
 * @category layers
 */
export const MemoryAuditLog = Layer.effect(
  AuditLog,
  Effect.map(MemoryDatabase, (db) =>
    AuditLog.of({
      // the outbox's pending events go with the trail's, in the same write (docs/events.md)
      append: (tenant, events) =>
        db.write("AuditLog.append", (t) => {
          Log.append(t.audit, tenant, events)
          appendPending(t, tenant, events)
        }),
      findBySubject: (tenant, subject) => db.read((t) => Log.byKey(t.audit, tenant, subject))
    })
  )
)
