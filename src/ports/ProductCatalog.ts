import { Context, type Effect } from "effect"
import type { CardType } from "../domain/card/Card.js"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { Product, TierLadder } from "../domain/product/Product.js"

/**
 * A tenant's card products and its tier ladder. It only fetches: which product an upgrade may
 * move to is the domain's decision.
 *
 * @category services
 * @since 0.1.0
 */
export class ProductCatalog extends Context.Service<
  ProductCatalog,
  {
    /** Every product of the tenant, in productId order. */
    readonly findAll: (tenant: TenantId) => Effect.Effect<ReadonlyArray<Product>, StoreError>
    /** The tenant's products of this tier and card type, in productId order: `findAll`'s, filtered. */
    readonly findByTier: (
      tenant: TenantId,
      tierType: string,
      cardType: CardType
    ) => Effect.Effect<ReadonlyArray<Product>, StoreError>
    /** The tenant's tiers, lowest first; empty when none is configured. */
    readonly findTierLadder: (tenant: TenantId) => Effect.Effect<TierLadder, StoreError>
  }
>()("card-lifecycle/ProductCatalog") {}
