import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/StoreError.js"

/**
 * Runs an effect so that all of its writes are stored or none: if the effect fails (or is
 * interrupted), every write it made through the ports is rolled back. A transaction inside a
 * transaction is a savepoint: if it fails, its own writes are undone and the outer transaction
 * decides about the rest.
 *
 * @category services
 * @since 0.1.0
 */
export class Transactor extends Context.Service<
  Transactor,
  {
    readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
  }
>()("card-lifecycle/Transactor") {}
