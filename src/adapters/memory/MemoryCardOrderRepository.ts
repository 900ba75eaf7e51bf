import { Effect, Layer } from "effect"
import type { TenantId } from "../../domain/Identifiers.js"
import type { CardOrder } from "../../domain/order/CardOrder.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * Inserts or replaces orders, by orderId.
 *
 * @category constructors
 */
export const putOrders = (tables: Tables, tenant: TenantId, orders: ReadonlyArray<CardOrder>): Tables => ({
  ...tables,
  orders: Table.mutate(tables.orders, (rows) => {
    for (const order of orders) Table.set(rows, tenant, order.orderId, order)
  })
})

/**
 * @category layers
 */
export const MemoryCardOrderRepository = Layer.effect(
  CardOrderRepository,
  Effect.map(MemoryDatabase, (db) =>
    CardOrderRepository.of({
      findById: (tenant, orderId) => db.read((t) => Table.get(t.orders, tenant, orderId)),
      saveAll: (tenant, orders) =>
        db.write("CardOrderRepository.saveAll", (t) => putOrders(t, tenant, orders))
    })
  )
)
