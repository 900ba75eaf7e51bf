import { Effect, HashMap, Layer } from "effect"
import type { TenantId } from "../../domain/Identifiers.js"
import type { CardOrder } from "../../domain/order/CardOrder.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"

/**
 * Inserts or replaces orders, by orderId.
 *
 * @category constructors
 */
export const putOrders = (tables: Tables, tenant: TenantId, orders: ReadonlyArray<CardOrder>): Tables => ({
  ...tables,
  orders: HashMap.mutate(tables.orders, (rows) => {
    for (const order of orders) HashMap.set(rows, rowKey(tenant, order.orderId), order)
  })
})

/**
 * @category layers
 */
export const MemoryCardOrderRepository = Layer.effect(
  CardOrderRepository,
  Effect.map(MemoryDatabase, (db) =>
    CardOrderRepository.of({
      findById: (tenant, orderId) => db.read((t) => HashMap.get(t.orders, rowKey(tenant, orderId))),
      saveAll: (tenant, orders) =>
        db.write("CardOrderRepository.saveAll", (t) => putOrders(t, tenant, orders))
    })
  )
)
