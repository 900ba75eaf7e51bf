import { Effect, Layer, Result } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import { DuplicateKey } from "../../domain/ground/StoreError.js"
import type { CardOrder, OrderId } from "../../domain/kit/CardOrder.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * Inserts or replaces orders, by orderId.
 *
 * @category constructors
 */
export const putOrders = (tables: Tables, tenant: TenantId, orders: ReadonlyArray<CardOrder>): Tables => {
  for (const order of orders) Table.set(tables.orders, tenant, order.orderId, order)
  return tables
}

const insertOrders = (tables: Tables, tenant: TenantId, orders: ReadonlyArray<CardOrder>) => {
  const orderIds = new Set<string>()
  for (const { orderId } of orders) {
    if (orderIds.has(orderId) || Table.has(tables.orders, tenant, orderId))
      return Result.fail(new DuplicateKey({ operation: "CardOrderRepository.insertAll", key: "orderId" }))
    orderIds.add(orderId)
  }
  putOrders(tables, tenant, orders)
  return Result.succeed(undefined)
}

const updateOrders = (tables: Tables, tenant: TenantId, orders: ReadonlyArray<CardOrder>) => {
  for (const { orderId } of orders)
    if (!Table.has(tables.orders, tenant, orderId))
      throw new Error("CardOrderRepository.updateAll: an order that is not stored; insert it with insertAll")
  putOrders(tables, tenant, orders)
}

/**
 * Orders in the memory database; `findByIdForUpdate` is a plain read, as the database runs one
 * transaction at a time.
 *
 * @category layers
 */
export const MemoryCardOrderRepository = Layer.effect(
  CardOrderRepository,
  Effect.map(MemoryDatabase, (db) => {
    const findById = (tenant: TenantId, orderId: OrderId) =>
      db.read((t) => Table.get(t.orders, tenant, orderId))
    return CardOrderRepository.of({
      findById,
      findByIdForUpdate: findById,
      insertAll: (tenant, orders) =>
        db.tryWrite("CardOrderRepository.insertAll", (t) => insertOrders(t, tenant, orders)),
      updateAll: (tenant, orders) =>
        db.write("CardOrderRepository.updateAll", (t) => updateOrders(t, tenant, orders))
    })
  })
)
