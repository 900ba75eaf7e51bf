/**
 * The fixture sections of the kit manager (seeds 000, 001): a tenant's products, tier ladder and
 * card orders.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { KitNo, type TenantId } from "../../domain/ground/Identifiers.js"
import type { FieldIssue } from "../../domain/ground/Validation.js"
import {
  BranchId,
  type CardOrder,
  DeliveryAddress,
  OrderId,
  OrderStatus
} from "../../domain/kit/CardOrder.js"
import { Product, TierType } from "../../domain/product/Product.js"
import { putOrders } from "./MemoryCardOrderRepository.js"
import type { Tables } from "./MemoryDatabase.js"
import { putCatalog } from "./MemoryProductCatalog.js"
import * as Table from "./Table.js"

const OrderFixture = Schema.Struct({
  orderId: OrderId,
  /** A card of the same tenant; the order's entityId is that card's. */
  kitNo: KitNo,
  branchId: BranchId,
  /** RECEIVED when omitted. */
  status: Schema.optionalKey(OrderStatus),
  /** PERMANENT when omitted. */
  deliveryAddress: Schema.optionalKey(DeliveryAddress),
  createdAt: Schema.String.check(
    Schema.isPattern(/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$/, { message: "must be an ISO-8601 UTC instant" })
  )
})

/**
 * The fields a tenant of the fixture may add: `products`, `tierLadder` (lowest tier first) and
 * `orders`.
 *
 * @category schemas
 */
export const KitManagerFixtureFields = {
  products: Schema.optionalKey(Schema.Array(Product)),
  tierLadder: Schema.optionalKey(Schema.Array(TierType)),
  orders: Schema.optionalKey(Schema.Array(OrderFixture))
}

type Content = {
  readonly products?: ReadonlyArray<Product>
  readonly tierLadder?: ReadonlyArray<string>
  readonly orders?: ReadonlyArray<typeof OrderFixture.Type>
}

const duplicates = <A>(items: ReadonlyArray<A>, key: (a: A) => string): ReadonlyArray<number> => {
  const seen = new Set<string>()
  const found: Array<number> = []
  for (const [i, item] of items.entries()) {
    if (seen.has(key(item))) found.push(i)
    seen.add(key(item))
  }
  return found
}

/**
 * Stores a tenant's sections, refusing what the catalog could never hold: a productId or a
 * (tierType, cardType, plasticCode) twice, a tier twice on the ladder, a product whose tier is not
 * on the ladder, an orderId twice, an order for a card the tenant does not have. Cards must be
 * stored first.
 *
 * @category constructors
 */
export const putKitManagerFixture = (
  tables: Tables,
  tenant: TenantId,
  content: Content,
  at: string
): { readonly tables: Tables; readonly issues: ReadonlyArray<FieldIssue> } => {
  const issues: Array<FieldIssue> = []
  const products = content.products ?? []
  const ladder = content.tierLadder ?? []
  for (const i of duplicates(products, (p) => p.productId))
    issues.push({ path: `${at}.products.${i}.productId`, message: "must be unique in the tenant" })
  for (const i of duplicates(products, (p) => `${p.tierType}/${p.cardType}/${p.plasticCode}`))
    issues.push({
      path: `${at}.products.${i}`,
      message: "tierType, cardType and plasticCode must name one product"
    })
  for (const i of duplicates(ladder, (t) => t))
    issues.push({ path: `${at}.tierLadder.${i}`, message: "must appear once on the ladder" })
  for (const [i, p] of products.entries())
    if (!ladder.includes(p.tierType))
      issues.push({ path: `${at}.products.${i}.tierType`, message: "must be on the tenant's tierLadder" })
  const orders: Array<CardOrder> = []
  for (const i of duplicates(content.orders ?? [], (o) => o.orderId))
    issues.push({ path: `${at}.orders.${i}.orderId`, message: "must be unique in the tenant" })
  for (const [i, order] of (content.orders ?? []).entries()) {
    const card = Table.get(tables.cards, tenant, order.kitNo)
    if (card._tag === "None") {
      issues.push({ path: `${at}.orders.${i}.kitNo`, message: "must be a card of the tenant" })
      continue
    }
    const { status = "RECEIVED", deliveryAddress = "PERMANENT", ...rest } = order
    orders.push({ ...rest, status, deliveryAddress, entityId: card.value.entityId })
  }
  const withCatalog =
    content.tierLadder === undefined && content.products === undefined
      ? tables
      : putCatalog(tables, tenant, products, ladder)
  return { tables: putOrders(withCatalog, tenant, orders), issues }
}
