import { Effect, Layer } from "effect"
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { PinStore } from "../../ports/PinStore.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * One PIN record per card, keyed `tenant/kitNo`: its verifier and its try counter.
 * `findForUpdate` is a plain read, as the database runs one transaction at a time.
 *
 * @category layers
 */
export const MemoryPinStore = Layer.effect(
  PinStore,
  Effect.map(MemoryDatabase, (db) => {
    const find = (tenant: TenantId, kitNo: KitNo) => db.read((t) => Table.get(t.pinVerifiers, tenant, kitNo))
    return PinStore.of({
      save: (tenant, kitNo, { verifier, failedAttempts, blocked }) =>
        db.write("PinStore.save", (t) =>
          Table.set(t.pinVerifiers, tenant, kitNo, { verifier, failedAttempts, blocked })
        ),
      find,
      findForUpdate: find,
      recordAttempts: (tenant, kitNo, { failedAttempts, blocked }) =>
        db.write("PinStore.recordAttempts", (t) =>
          Table.modify(t.pinVerifiers, tenant, kitNo, ({ verifier }) => ({
            verifier,
            failedAttempts,
            blocked
          }))
        )
    })
  })
)
