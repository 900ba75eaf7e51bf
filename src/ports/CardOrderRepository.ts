import { Context, type Effect, type Option } from "effect"
import type { TenantId } from "../domain/Identifiers.js"
import type { CardOrder, OrderId } from "../domain/order/CardOrder.js"
import type { StoreError } from "../domain/StoreError.js"

/**
 * Stores and fetches card orders, always within one tenant.
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
    /** Inserts or replaces the orders, by orderId, in one write. */
    readonly saveAll: (tenant: TenantId, orders: ReadonlyArray<CardOrder>) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/CardOrderRepository") {}
