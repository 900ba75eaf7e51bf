/**
 * `CardOrderRepository` on PostgreSQL: an order is one row of `card_orders`, keyed by tenant and
 * orderId; its `createdAt` is kept as the text it was given (an ISO-8601 UTC instant), so that it
 * reads back unchanged. Every statement names the tenant; `findByIdForUpdate` locks its row; a write
 * is one statement whatever the number of orders.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { BranchId, EntityId, KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { DuplicateKey, type StoreError } from "../../domain/ground/StoreError.js"
import type { CardOrder, DeliveryAddress, OrderId, OrderStatus } from "../../domain/kit/CardOrder.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { statement, storeError } from "./Store.js"

interface OrderRow {
  readonly order_id: string
  readonly kit_no: string
  readonly entity_id: string
  readonly branch_id: string
  readonly status: string
  readonly delivery_address: string
  readonly created_at: string
}

const COLUMNS = "order_id, kit_no, entity_id, branch_id, status, delivery_address, created_at"

/** A row as the domain's order: the values were the domain's when written. */
const orderOf = (row: OrderRow): CardOrder => ({
  orderId: row.order_id as OrderId,
  kitNo: row.kit_no as KitNo,
  entityId: row.entity_id as EntityId,
  branchId: row.branch_id as BranchId,
  status: row.status as OrderStatus,
  deliveryAddress: row.delivery_address as DeliveryAddress,
  createdAt: row.created_at
})

/** The columns of an order, each as one array over the orders: one parameter per column. */
const columnsOf = (orders: ReadonlyArray<CardOrder>) => ({
  orderId: orders.map((o) => o.orderId),
  kitNo: orders.map((o) => o.kitNo),
  entityId: orders.map((o) => o.entityId),
  branchId: orders.map((o) => o.branchId),
  status: orders.map((o) => o.status),
  deliveryAddress: orders.map((o) => o.deliveryAddress),
  createdAt: orders.map((o) => o.createdAt)
})

/**
 * @category layers
 */
export const PgCardOrderRepository = Layer.effect(
  CardOrderRepository,
  Effect.map(SqlClient.SqlClient, (sql) => {
    const one = (operation: string, tenant: TenantId, orderId: OrderId, lock: boolean) =>
      sql<OrderRow>`SELECT ${sql.literal(COLUMNS)} FROM card_orders
        WHERE tenant = ${tenant} AND order_id = ${orderId} ${sql.literal(lock ? "FOR UPDATE" : "")}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), orderOf)),
        statement(operation)
      )
    return CardOrderRepository.of({
      findById: (tenant, orderId) => one("CardOrderRepository.findById", tenant, orderId, false),
      findByIdForUpdate: (tenant, orderId) =>
        one("CardOrderRepository.findByIdForUpdate", tenant, orderId, true),
      insertAll: (tenant, orders) => {
        const operation = "CardOrderRepository.insertAll"
        if (orders.length === 0) return Effect.void
        const o = columnsOf(orders)
        // in a savepoint of its own: a taken orderId fails this write, and the caller's transaction goes on
        return sql
          .withTransaction(
            sql`INSERT INTO card_orders (tenant, ${sql.literal(COLUMNS)})
              SELECT ${tenant}, * FROM unnest(${o.orderId}::text[], ${o.kitNo}::text[], ${o.entityId}::text[],
                ${o.branchId}::text[], ${o.status}::text[], ${o.deliveryAddress}::text[], ${o.createdAt}::text[])`
          )
          .pipe(
            Effect.asVoid,
            Effect.mapError((error): DuplicateKey | StoreError =>
              error.cause._tag === "UniqueViolation"
                ? new DuplicateKey({ operation, key: "orderId" })
                : storeError(operation)(error)
            )
          )
      },
      updateAll: (tenant, orders) => {
        const operation = "CardOrderRepository.updateAll"
        if (orders.length === 0) return Effect.void
        const o = columnsOf(orders)
        return sql`UPDATE card_orders AS stored SET kit_no = v.kit_no, entity_id = v.entity_id,
            branch_id = v.branch_id, status = v.status, delivery_address = v.delivery_address,
            created_at = v.created_at
          FROM unnest(${o.orderId}::text[], ${o.kitNo}::text[], ${o.entityId}::text[], ${o.branchId}::text[],
            ${o.status}::text[], ${o.deliveryAddress}::text[], ${o.createdAt}::text[])
            AS v(order_id, kit_no, entity_id, branch_id, status, delivery_address, created_at)
          WHERE stored.tenant = ${tenant} AND stored.order_id = v.order_id
          RETURNING stored.order_id`.pipe(
          statement(operation),
          Effect.flatMap((rows) =>
            rows.length === new Set(o.orderId).size
              ? Effect.void
              : Effect.die(new Error(`${operation}: an order that is not stored; insert it with insertAll`))
          )
        )
      }
    })
  })
)
