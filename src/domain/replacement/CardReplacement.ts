/**
 * Card replacement (seed 003, DOMAIN.md §5): the order in which the rows of the error table
 * (`ReplacementErrorTable.ts`) are checked, the product the new card is issued on, and the pure
 * replacement itself.
 *
 * @since 0.1.0
 */
import { DateTime, Result, Schema } from "effect"
import { type Card, type CardType, changeStatus, InvalidStatusTransition } from "../card/Card.js"
import { type CardOperation, isAllowed } from "../card/CardStatus.js"
import type { Account } from "../customer/Customer.js"
import { type AuditEvent, isoTimestamp } from "../ground/AuditEvent.js"
import type { Changer, Channel, KitNo } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import type { Product } from "../product/Product.js"
import { CardReplacementRefused, type ReplacementRefusal } from "./ReplacementErrorTable.js"
import { hasReplacementSlot } from "./ReplacementLimit.js"

/**
 * Seed 003: "The update status must be one of the 3 end states for cards".
 *
 * @category models
 */
export const ReplacementStatus = Schema.Literals(["DAMAGED", "CANCELLED", "LOST_OR_STOLEN"])
export type ReplacementStatus = typeof ReplacementStatus.Type

const isReplacementStatus = Schema.is(ReplacementStatus)

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/**
 * The operation of the transition table that takes a card to each end state.
 *
 * @category models
 */
export const replaceOperation = {
  DAMAGED: "REPLACE_DAMAGED",
  CANCELLED: "REPLACE_CANCELLED",
  LOST_OR_STOLEN: "REPLACE_LOST_OR_STOLEN"
} as const satisfies Record<ReplacementStatus, CardOperation>

/**
 * What the checks look at, read inside the replacement's transaction.
 *
 * @category models
 */
export interface ReplacementFacts {
  readonly account: Account
  readonly oldLoyaltyId: KitNo
  /** The card with `oldLoyaltyId` in the tenant, if any (it may be on another account). */
  readonly card: Card | undefined
  /** As the request gave it: the status is a row of the table, not a field rule. */
  readonly status: unknown
  /**
   * The tenant's migration is "in transition" (`TenantPolicy`). It decides only for accounts that
   * are not REGISTERED, so a use case may leave it false for a REGISTERED one without reading it.
   */
  readonly migrationInTransition: boolean
  readonly newLoyaltyIdInUse: boolean
  readonly now: DateTime.Utc
}

/**
 * @category models
 */
export type ReplacementCheckError = CardReplacementRefused | InvalidStatusTransition

/**
 * One step of the checks: the rule it enforces (a row of the error table, or the transition table)
 * and when it refuses.
 *
 * @category models
 */
export interface ReplacementCheck {
  readonly rule: ReplacementRefusal | "TRANSITION_TABLE"
  readonly refuses: (facts: ReplacementFacts) => boolean
}

const onAccount = (facts: ReplacementFacts) => facts.card?.accountNo === facts.account.accountNo

/**
 * DOMAIN.md §5's order: the first check that refuses decides the answer.
 *
 * @category models
 */
export const replacementChecks: ReadonlyArray<ReplacementCheck> = [
  { rule: "ACCOUNT_CLOSED", refuses: (f) => f.account.status === "CLOSED" },
  { rule: "ACCOUNT_SUSPENDED", refuses: (f) => f.account.status === "SUSPENDED" },
  { rule: "ACCOUNT_NOT_ACTIVE", refuses: (f) => f.account.status !== "ACTIVE" },
  // seed 003: ghost and unregistered accounts only while the tenant's migration is "in transition"
  {
    rule: "ACCOUNT_NOT_REGISTERED",
    refuses: (f) => f.account.registration !== "REGISTERED" && !f.migrationInTransition
  },
  // an unknown kitNo, or one of another tenant, is "not associated" too: the answer tells nothing
  { rule: "LOYALTY_ID_NOT_ON_ACCOUNT", refuses: (f) => !onAccount(f) },
  { rule: "INVALID_REPLACEMENT_STATUS", refuses: (f) => !isReplacementStatus(f.status) },
  { rule: "CARD_CANCELLED", refuses: (f) => f.card?.status === "CANCELLED" },
  { rule: "CARD_DAMAGED", refuses: (f) => f.card?.status === "DAMAGED" },
  { rule: "CARD_LOST_OR_STOLEN", refuses: (f) => f.card?.status === "LOST_OR_STOLEN" },
  // DOMAIN.md §2 for an end state the seed has no row for: a REPLACED (upgraded) card
  {
    rule: "TRANSITION_TABLE",
    refuses: (f) =>
      f.card !== undefined &&
      isReplacementStatus(f.status) &&
      !isAllowed(replaceOperation[f.status], f.card.status)
  },
  { rule: "REPLACEMENT_LIMIT_EXCEEDED", refuses: (f) => !hasReplacementSlot(f.account, f.now) },
  { rule: "NEW_LOYALTY_ID_IN_USE", refuses: (f) => f.newLoyaltyIdInUse }
]

const refusal = (rule: ReplacementCheck["rule"], facts: ReplacementFacts): ReplacementCheckError =>
  rule === "TRANSITION_TABLE"
    ? new InvalidStatusTransition({
        // the caller's identifier: a card number sent as oldLoyaltyId is kept masked (DOMAIN.md §9)
        kitNo: maskCardNumbers(facts.oldLoyaltyId),
        status: facts.card!.status,
        operation: replaceOperation[facts.status as ReplacementStatus]
      })
    : new CardReplacementRefused({
        code: rule,
        kitNo: facts.oldLoyaltyId
      })

/**
 * Runs the checks in order: the card to replace and its end status, or the first refusal.
 *
 * @category transitions
 */
export const checkReplacement = (
  facts: ReplacementFacts
): Result.Result<{ readonly card: Card; readonly status: ReplacementStatus }, ReplacementCheckError> => {
  for (const check of replacementChecks)
    if (check.refuses(facts)) return Result.fail(refusal(check.rule, facts))
  // every check passed, so the card is on the account and the status is an end state
  return Result.succeed({ card: facts.card!, status: facts.status as ReplacementStatus })
}

/**
 * The product line of a productId: what comes before its first `_` (`2001` of `2001_PHYSICAL`).
 */
const productLine = (productId: string): string => {
  const end = productId.indexOf("_")
  return end === -1 ? productId : productId.slice(0, end)
}

/**
 * The product a replacement card is issued on: one of the old card's tierType with the new
 * cardType. Of several, the old card's own product, else one of the same product line (the
 * productId's prefix before `_`: `2001_PHYSICAL` → `2001_VIRTUAL`), else the first by productId.
 * None: the host's catalog lacks it (`ReplacementProductNotFound`).
 *
 * @category getters
 */
export const replacementProduct = (
  products: ReadonlyArray<Product>,
  card: Card,
  cardType: CardType
): Product | undefined => {
  const line = productLine(card.productId)
  let sameLine: Product | undefined
  let first: Product | undefined
  for (const product of products) {
    if (product.tierType !== card.tierType || product.cardType !== cardType) continue
    if (product.productId === card.productId) return product
    if (
      productLine(product.productId) === line &&
      (sameLine === undefined || product.productId < sameLine.productId)
    )
      sameLine = product
    if (first === undefined || product.productId < first.productId) first = product
  }
  return sameLine ?? first
}

/**
 * DOMAIN.md §2: a card carries its product, and a PAN on that product's BIN. The tenant's catalog
 * has no product of the old card's tier in the card type the replacement needs: a misconfiguration
 * of the host, not a row of seed 003's table (docs/card-replacement.md). Nothing was changed.
 *
 * @category errors
 */
export class ReplacementProductNotFound extends Schema.TaggedError<ReplacementProductNotFound>()(
  "ReplacementProductNotFound",
  {
    code: Schema.tag("REPLACEMENT_PRODUCT_NOT_FOUND"),
    message: Schema.String,
    kitNo: Schema.String,
    tierType: Schema.String,
    cardType: Schema.String
  }
) {
  constructor(props: { readonly kitNo: string; readonly tierType: string; readonly cardType: string }) {
    const kitNo = maskCardNumbers(props.kitNo)
    const tierType = maskCardNumbers(props.tierType)
    super({
      kitNo,
      tierType,
      cardType: props.cardType,
      message: `Card ${kitNo} cannot be replaced: no product of this tenant is a ${tierType} ${props.cardType} card. Add one to the catalog; meanwhile BLOCK the card if it is lost or stolen.`
    })
  }
}

/**
 * The replacement card's identity and product: where they come from is the use case's business.
 *
 * @category models
 */
export interface ReplacementIdentity {
  readonly kitNo: KitNo
  /** Protected by the security module before it gets here: the domain stores no clear PAN. */
  readonly pan: ProtectedPan
  readonly productId: string
  readonly cardType: CardType
}

/**
 * The outcome of a replacement: what to store, in one transaction.
 *
 * @category models
 */
export interface Replacement {
  readonly oldCard: Card
  readonly newCard: Card
  readonly account: Account
  readonly events: ReadonlyArray<AuditEvent>
}

/**
 * Replaces a checked card: the old one takes the end status, the new one is ACTIVE on the same
 * account and customer, with the old card's tier and `expDate` and the identity's kitNo, PAN,
 * product and card type; the account remembers the instant (seed 003's limit).
 *
 * @category transitions
 */
export const replace = (
  checked: { readonly card: Card; readonly status: ReplacementStatus },
  account: Account,
  identity: ReplacementIdentity,
  context: {
    readonly now: DateTime.Utc
    readonly changer?: Changer | undefined
    readonly channel?: Channel | undefined
  }
): Result.Result<Replacement, InvalidStatusTransition> => {
  const at = isoTimestamp(DateTime.toEpochMillis(context.now))
  const operation = replaceOperation[checked.status]
  const old = checked.card
  return Result.map(
    changeStatus(old, operation, { at, changer: context.changer, channel: context.channel }),
    (changed) => {
      // field by field: the old card's `lockedFrom` (if LOCKED) does not carry over to an ACTIVE card
      const newCard: Card = {
        kitNo: identity.kitNo,
        entityId: old.entityId,
        accountNo: old.accountNo,
        productId: identity.productId,
        tierType: old.tierType,
        cardType: identity.cardType,
        pan: identity.pan,
        expDate: old.expDate,
        status: "ACTIVE"
      }
      const issued: Mutable<AuditEvent> = {
        at,
        action: "ISSUE",
        subject: newCard.kitNo,
        outcome: "OK",
        cardNumber: newCard.pan.masked,
        currentStatus: newCard.status
      }
      // exact optional fields, as changeStatus sets them: only what the caller gave
      if (context.changer !== undefined) issued.changer = context.changer
      if (context.channel !== undefined) issued.channel = context.channel
      issued.reason = `${operation} of kitNo ${old.kitNo}`
      return {
        oldCard: changed.card,
        newCard,
        account: { ...account, replacements: [...account.replacements, context.now] },
        events: [changed.event, issued]
      }
    }
  )
}
