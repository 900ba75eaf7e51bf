import { Effect, Layer } from "effect"
import { PinStore } from "../../ports/PinStore.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * One verifier per card, keyed `tenant/kitNo`; a new one replaces the old.
 *
 * @category layers
 */
export const MemoryPinStore = Layer.effect(
  PinStore,
  Effect.map(MemoryDatabase, (db) =>
    PinStore.of({
      save: (tenant, kitNo, verifier) =>
        db.write("PinStore.save", (t) => Table.set(t.pinVerifiers, tenant, kitNo, verifier)),
      find: (tenant, kitNo) => db.read((t) => Table.get(t.pinVerifiers, tenant, kitNo))
    })
  )
)
