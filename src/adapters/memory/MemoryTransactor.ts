import { Effect, Layer } from "effect"
import { Transactor } from "../../ports/Transactor.js"
import { MemoryDatabase } from "./MemoryDatabase.js"

/**
 * Transactions on the memory database: serialized, and all-or-nothing.
 *
 * @category layers
 */
export const MemoryTransactor = Layer.effect(
  Transactor,
  Effect.map(MemoryDatabase, (db) => Transactor.of({ withTransaction: db.transaction }))
)
