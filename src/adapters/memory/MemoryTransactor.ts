import { Effect, Layer } from "effect"
import { Transactor } from "../../ports/Transactor.js"
import { MemoryDatabase } from "./MemoryDatabase.js"

/**
 * Transactions on the memory database: serialized, and all-or-nothing. A savepoint costs no more
 * than a mark in the undo log here, so a flat transaction is an ordinary one.
 *
 * @category layers
 */
export const MemoryTransactor = Layer.effect(
  Transactor,
  Effect.map(MemoryDatabase, (db) =>
    Transactor.of({ withTransaction: db.transaction, withFlatTransaction: db.transaction })
  )
)
