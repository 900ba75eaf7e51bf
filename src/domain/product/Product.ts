/**
 * The card products a tenant sells, and its tier ladder (DOMAIN.md §4).
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"
import { CardType } from "../card/Card.js"
import { maskCardNumbers } from "../ground/Masking.js"

const pattern = (regExp: RegExp, rule: string) =>
  Schema.String.check(Schema.isPattern(regExp, { message: rule }))

/**
 * A tier on the tenant's ladder (seed 000 `tierType`: `SILVER`).
 *
 * @category models
 */
export const TierType = pattern(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 characters of A-Z a-z 0-9 _ -")
export type TierType = typeof TierType.Type

/**
 * The plastic (card body design) a physical card is embossed on (seed 000 `plasticCode`: `4566`).
 *
 * @category models
 */
export const PlasticCode = pattern(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 characters of A-Z a-z 0-9 _ -")
export type PlasticCode = typeof PlasticCode.Type

/**
 * The issuer identification number every PAN of the product starts with: 6 or 8 digits
 * (ISO/IEC 7812-1:2017 moved from 6 to 8).
 *
 * @category models
 */
export const Bin = pattern(/^([0-9]{6}|[0-9]{8})$/, "must be 6 or 8 digits")
export type Bin = typeof Bin.Type

/**
 * A catalog entry. Seed 000 shows every field but `plasticCode`, `tierType` and `validityYears`
 * in its response (`productId` `2003_PHYSICAL`, `bin` `608040`, `networkType` `RUPAY`,
 * `cardCategory` `DEBIT`).
 *
 * @category models
 */
export const Product = Schema.Struct({
  productId: pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ -"),
  productName: pattern(/^[^\p{Cc}]{1,128}$/u, "must be 1-128 characters without control characters"),
  tierType: TierType,
  cardType: CardType,
  plasticCode: PlasticCode,
  bin: Bin,
  networkType: pattern(/^[A-Z][A-Z0-9_]{0,31}$/, "must be 1-32 capitals, digits or _ (RUPAY, VISA…)"),
  cardCategory: Schema.Literals(["DEBIT", "CREDIT", "PREPAID"]),
  /** Years from the month of issue to the month of expiry. */
  validityYears: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 20 }))
})
export type Product = typeof Product.Type

/**
 * The tenant's tiers, lowest first (`["CLASSIC", "SILVER", "GOLD", "PLATINUM"]`).
 *
 * @category models
 */
export type TierLadder = ReadonlyArray<TierType>

/**
 * What a `kitInfo` entry asks for; a product is found by all three (DOMAIN.md §4).
 *
 * @category models
 */
export interface ProductVariant {
  readonly tierType: TierType
  readonly cardType: CardType
  readonly plasticCode: PlasticCode
}

/**
 * DOMAIN.md §4: each entry's tierType, cardType and plasticCode must name a product in the catalog.
 * `tierType` and `plasticCode` are the caller's text, 1-32 letters, digits, `_` or `-`: a card number
 * fits in that, so a run of 12 or more digits in either is masked like a PAN.
 *
 * @category errors
 */
export class ProductNotFound extends Schema.TaggedError<ProductNotFound>()("ProductNotFound", {
  code: Schema.tag("PRODUCT_NOT_FOUND"),
  message: Schema.String,
  tierType: Schema.String,
  cardType: Schema.String,
  plasticCode: Schema.String
}) {
  constructor(props: { readonly tierType: string; readonly cardType: string; readonly plasticCode: string }) {
    const tierType = maskCardNumbers(props.tierType)
    const plasticCode = maskCardNumbers(props.plasticCode)
    super({
      tierType,
      cardType: props.cardType,
      plasticCode,
      message: `No product of this tenant is a ${tierType} ${props.cardType} card on plastic ${plasticCode}; check kitInfo against the catalog.`
    })
  }
}

/**
 * DOMAIN.md §4: tiers are compared on the tenant's ladder; a tier that is not on it cannot be. The
 * tier is the catalog's or the card's, masked as {@link ProductNotFound} masks one.
 *
 * @category errors
 */
export class TierNotOnLadder extends Schema.TaggedError<TierNotOnLadder>()("TierNotOnLadder", {
  code: Schema.tag("TIER_NOT_ON_LADDER"),
  message: Schema.String,
  tierType: Schema.String
}) {
  constructor(props: { readonly tierType: string }) {
    const tierType = maskCardNumbers(props.tierType)
    super({
      tierType,
      message: `Tier ${tierType} is not on this tenant's tier ladder, so no upgrade can be judged against it; add it to the ladder.`
    })
  }
}

/**
 * The position of a tier on the ladder, or -1 when it is not on it.
 *
 * @category getters
 */
export const tierRank = (ladder: TierLadder, tier: string): number => ladder.indexOf(tier)

/**
 * The product a variant names, if any.
 *
 * @category getters
 */
export const findProduct = (products: ReadonlyArray<Product>, variant: ProductVariant): Product | undefined =>
  products.find(
    (p) =>
      p.tierType === variant.tierType &&
      p.cardType === variant.cardType &&
      p.plasticCode === variant.plasticCode
  )

const twoDigits = (n: number) => String(n).padStart(2, "0")

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysInMonth = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/**
 * DOMAIN.md §4: the last day of the month of `today` plus `validityYears`, at midnight UTC, in
 * seed 000's shape (`2029-07-31T00:00:00.000+00:00`). Only the year and month of `today` count,
 * so an upgrade on 29 February with one year of validity expires on 28 February.
 *
 * @category constructors
 */
export const expiryDate = (today: DateTime.Utc, validityYears: number): string => {
  const { year: thisYear, month } = DateTime.toPartsUtc(today)
  const year = thisYear + validityYears
  return `${String(year).padStart(4, "0")}-${twoDigits(month)}-${twoDigits(daysInMonth(year, month))}T00:00:00.000+00:00`
}
