import { Context, type Effect, type Option } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { DuplicateKey, StoreError } from "../domain/ground/StoreError.js"
import type { CardOrder, OrderId } from "../domain/kit/CardOrder.js"

/**
 * Stores and fetches card orders, always within one tenant. `findByIdForUpdate` is the read a
 * decision depends on (a cancellation): inside a transaction it locks the order until the
 * transaction ends.
 *
 * @category services
 * @since 0.1.0
 */
export class CardOrderRepository extends Context.Service<
  CardOrderRepository,
  {
    readonly findById: (
      tenant: TenantId,
      orderId: OrderId
    ) => Effect.Effect<Option.Option<CardOrder>, StoreError>
    /** The order being cancelled, locked. */
    readonly findByIdForUpdate: (
      tenant: TenantId,
      orderId: OrderId
    ) => Effect.Effect<Option.Option<CardOrder>, StoreError>
    /** Stores new orders in one write; an orderId already taken fails it all with `DuplicateKey`. */
    readonly insertAll: (
      tenant: TenantId,
      orders: ReadonlyArray<CardOrder>
    ) => Effect.Effect<void, DuplicateKey | StoreError>
    /** Replaces stored orders, by orderId, in one write; each was read in the same transaction. */
    readonly updateAll: (
      tenant: TenantId,
      orders: ReadonlyArray<CardOrder>
    ) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/CardOrderRepository") {}
