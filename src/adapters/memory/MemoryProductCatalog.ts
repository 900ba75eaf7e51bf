import { Effect, Layer, Option } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { Product, TierLadder } from "../../domain/product/Product.js"
import { ProductCatalog } from "../../ports/ProductCatalog.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

const byProductId = (a: Product, b: Product) =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0

/**
 * Inserts or replaces products, by productId, and sets the tier ladder when one is given.
 *
 * @category constructors
 */
export const putCatalog = (
  tables: Tables,
  tenant: TenantId,
  products: ReadonlyArray<Product>,
  ladder?: TierLadder
): Tables => {
  const added = new Set(products.map((p) => p.productId))
  const kept = Option.getOrElse(
    Table.get(tables.products, tenant, ""),
    (): ReadonlyArray<Product> => []
  ).filter((p) => !added.has(p.productId))
  Table.set(tables.products, tenant, "", [...kept, ...products].sort(byProductId))
  if (ladder !== undefined) Table.set(tables.tierLadders, tenant, "", ladder)
  return tables
}

/**
 * @category layers
 */
export const MemoryProductCatalog = Layer.effect(
  ProductCatalog,
  Effect.map(MemoryDatabase, (db) =>
    ProductCatalog.of({
      findAll: (tenant) => db.read((t) => Option.getOrElse(Table.get(t.products, tenant, ""), () => [])),
      findByTier: (tenant, tierType, cardType) =>
        db.read((t) =>
          Option.getOrElse(Table.get(t.products, tenant, ""), () => []).filter(
            (p) => p.tierType === tierType && p.cardType === cardType
          )
        ),
      findTierLadder: (tenant) =>
        db.read((t) => Option.getOrElse(Table.get(t.tierLadders, tenant, ""), () => []))
    })
  )
)
