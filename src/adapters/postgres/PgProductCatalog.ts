/**
 * `ProductCatalog` on PostgreSQL: a tenant's products, one row each, and its tier ladder, one row per
 * tier with its rank (0 the lowest). Only reads: a host writes the catalog.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { CardType } from "../../domain/card/Card.js"
import type { Product } from "../../domain/product/Product.js"
import { ProductCatalog } from "../../ports/ProductCatalog.js"
import { statement } from "./Store.js"

interface ProductRow {
  readonly product_id: string
  readonly product_name: string
  readonly tier_type: string
  readonly card_type: string
  readonly plastic_code: string
  readonly bin: string
  readonly network_type: string
  readonly card_category: string
  readonly validity_years: number
}

/** A row as the domain's product: the values were the domain's when written. */
const productOf = (row: ProductRow): Product => ({
  productId: row.product_id,
  productName: row.product_name,
  tierType: row.tier_type,
  cardType: row.card_type as CardType,
  plasticCode: row.plastic_code,
  bin: row.bin,
  networkType: row.network_type,
  cardCategory: row.card_category as Product["cardCategory"],
  validityYears: row.validity_years
})

/**
 * @category layers
 */
export const PgProductCatalog = Layer.effect(
  ProductCatalog,
  Effect.map(SqlClient.SqlClient, (sql) =>
    ProductCatalog.of({
      findAll: (tenant) =>
        sql<ProductRow>`SELECT product_id, product_name, tier_type, card_type, plastic_code, bin, network_type,
            card_category, validity_years
          FROM products WHERE tenant = ${tenant} ORDER BY product_id`.pipe(
          Effect.map((rows) => rows.map(productOf)),
          statement("ProductCatalog.findAll")
        ),
      // the replacement's candidates only: a tenant's catalog may be long, its rows wide
      findByTier: (tenant, tierType, cardType) =>
        sql<ProductRow>`SELECT product_id, product_name, tier_type, card_type, plastic_code, bin, network_type,
            card_category, validity_years
          FROM products WHERE tenant = ${tenant} AND tier_type = ${tierType} AND card_type = ${cardType}
          ORDER BY product_id`.pipe(
          Effect.map((rows) => rows.map(productOf)),
          statement("ProductCatalog.findByTier")
        ),
      findTierLadder: (tenant) =>
        sql<{ readonly tier_type: string }>`SELECT tier_type FROM tier_ladders
          WHERE tenant = ${tenant} ORDER BY rank`.pipe(
          Effect.map((rows) => rows.map((row) => row.tier_type)),
          statement("ProductCatalog.findTierLadder")
        )
    })
  )
)
