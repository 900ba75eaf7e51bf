/**
 * The pure rules of a card upgrade (seed 000, DOMAIN.md §4): which products the `kitInfo` entries
 * name, and whether each is an upgrade of the card.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type { Card } from "../card/Card.js"
import { maskCardNumbers } from "../ground/Masking.js"
import {
  findProduct,
  type Product,
  ProductNotFound,
  type ProductVariant,
  type TierLadder,
  TierNotOnLadder,
  tierRank
} from "../product/Product.js"

/**
 * DOMAIN.md §4: `kitInfo` holds 1 to 2 entries.
 *
 * @category errors
 */
export class KitInfoCountOutOfRange extends Schema.TaggedError<KitInfoCountOutOfRange>()(
  "KitInfoCountOutOfRange",
  { code: Schema.tag("KIT_INFO_COUNT_OUT_OF_RANGE"), message: Schema.String, count: Schema.Number }
) {
  constructor(props: { readonly count: number }) {
    super({
      count: props.count,
      message: `kitInfo holds ${props.count} entries; an upgrade asks for 1 or 2 cards (at most one PHYSICAL and one VIRTUAL).`
    })
  }
}

/**
 * DOMAIN.md §4: at most one `kitInfo` entry per `cardType`.
 *
 * @category errors
 */
export class DuplicateCardType extends Schema.TaggedError<DuplicateCardType>()("DuplicateCardType", {
  code: Schema.tag("DUPLICATE_CARD_TYPE"),
  message: Schema.String,
  cardType: Schema.String
}) {
  constructor(props: { readonly cardType: string }) {
    super({
      cardType: props.cardType,
      message: `kitInfo asks for two ${props.cardType} cards; send at most one entry per cardType.`
    })
  }
}

/**
 * DOMAIN.md §4: a lower tier is refused. The kitNo and the tiers are kept as text, a run of 12 or
 * more digits masked like a PAN (the kitNo is the one the caller sent).
 *
 * @category errors
 */
export class TierDowngrade extends Schema.TaggedError<TierDowngrade>()("TierDowngrade", {
  code: Schema.tag("TIER_DOWNGRADE"),
  message: Schema.String,
  kitNo: Schema.String,
  currentTier: Schema.String,
  requestedTier: Schema.String
}) {
  constructor(props: {
    readonly kitNo: string
    readonly currentTier: string
    readonly requestedTier: string
  }) {
    const kitNo = maskCardNumbers(props.kitNo)
    const currentTier = maskCardNumbers(props.currentTier)
    const requestedTier = maskCardNumbers(props.requestedTier)
    super({
      kitNo,
      currentTier,
      requestedTier,
      message: `Card ${kitNo} is ${currentTier}; ${requestedTier} is a lower tier, and an upgrade never lowers the tier.`
    })
  }
}

/**
 * DOMAIN.md §4: within the same tier, only a different product is an upgrade. The kitNo and the
 * productId are masked as in {@link TierDowngrade}.
 *
 * @category errors
 */
export class SameProductUpgrade extends Schema.TaggedError<SameProductUpgrade>()("SameProductUpgrade", {
  code: Schema.tag("SAME_PRODUCT_UPGRADE"),
  message: Schema.String,
  kitNo: Schema.String,
  productId: Schema.String
}) {
  constructor(props: { readonly kitNo: string; readonly productId: string }) {
    const kitNo = maskCardNumbers(props.kitNo)
    const productId = maskCardNumbers(props.productId)
    super({
      kitNo,
      productId,
      message: `Card ${kitNo} already is product ${productId}; ask for a higher tier or another product of the same tier.`
    })
  }
}

/**
 * @category models
 */
export type UpgradeRuleError = ProductNotFound | TierNotOnLadder | TierDowngrade | SameProductUpgrade

/**
 * The entry-count and cardType rules, which need nothing but the request.
 *
 * @category predicates
 */
export const checkKitInfo = (
  entries: ReadonlyArray<{ readonly cardType: string }>
): Result.Result<void, KitInfoCountOutOfRange | DuplicateCardType> => {
  if (entries.length < 1 || entries.length > 2)
    return Result.fail(new KitInfoCountOutOfRange({ count: entries.length }))
  const [first, second] = entries
  // Stryker disable next-line ConditionalExpression: `first` is there whenever `second` is (1 or 2 entries, checked above)
  if (first !== undefined && second !== undefined && first.cardType === second.cardType) {
    return Result.fail(new DuplicateCardType({ cardType: first.cardType }))
  }
  return Result.void
}

/**
 * The product of each entry, in entry order, each checked against the card's tier: above it, or
 * the same tier with a different product.
 *
 * @category transitions
 */
export const chooseProducts = (
  card: Card,
  entries: ReadonlyArray<ProductVariant>,
  products: ReadonlyArray<Product>,
  ladder: TierLadder
): Result.Result<ReadonlyArray<Product>, UpgradeRuleError> => {
  const chosen: Array<Product> = []
  for (const entry of entries) {
    const product = findProduct(products, entry)
    if (product === undefined) return Result.fail(new ProductNotFound(entry))
    const current = tierRank(ladder, card.tierType)
    if (current < 0) return Result.fail(new TierNotOnLadder({ tierType: card.tierType }))
    const requested = tierRank(ladder, product.tierType)
    if (requested < 0) return Result.fail(new TierNotOnLadder({ tierType: product.tierType }))
    if (requested < current) {
      return Result.fail(
        new TierDowngrade({ kitNo: card.kitNo, currentTier: card.tierType, requestedTier: product.tierType })
      )
    }
    // Stryker disable next-line ConditionalExpression: the same product is on the same tier, so the tier test only reads as the rule does
    if (requested === current && product.productId === card.productId) {
      return Result.fail(new SameProductUpgrade({ kitNo: card.kitNo, productId: product.productId }))
    }
    chosen.push(product)
  }
  return Result.succeed(chosen)
}
