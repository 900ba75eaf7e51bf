/**
 * Card Upgrade (seed 000, DOMAIN.md §4): the card is REPLACED by one or two new cards of a higher
 * tier or another product, on the same account.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Schema } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardIssuer } from "../../ports/CardIssuer.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { SecurityModule } from "../../ports/SecurityModule.js"
import { Transactor } from "../../ports/Transactor.js"
import { type Card, CardNotFound, CardType, changeStatus } from "../card/Card.js"
import { protectPan } from "../card/CardPan.js"
import { CustomerNotFound } from "../customer/Customer.js"
import type { UpgradeCardError } from "../DomainError.js"
import { type AuditEvent, type ChangeContext, contextFields, isoTimestamp } from "../ground/AuditEvent.js"
import {
  type AccountNo,
  Changer,
  Channel,
  EntityId,
  KitNo,
  Reason,
  type TenantId
} from "../ground/Identifiers.js"
import type { MaskedPan } from "../ground/Pan.js"
import { type DuplicateKey, StoreError } from "../ground/StoreError.js"
import { boundedArray, boundedStruct, decodeTenantRequest } from "../ground/Validation.js"
import { expiryDate, PlasticCode, type Product, TierType } from "../product/Product.js"
import { type CardOrder, DeliveryAddress, type OrderId, orderIdFor } from "./CardOrder.js"
import { checkKitInfo, chooseProducts } from "./UpgradePlan.js"

/**
 * One `kitInfo` entry of seed 000: the card asked for.
 *
 * @category schemas
 */
export const KitInfoEntry = boundedStruct({
  aliasName: Schema.optionalKey(
    Schema.String.check(
      Schema.isPattern(/^[^\p{Cc}]{1,64}$/u, {
        message: "must be 1-64 characters without control characters"
      })
    )
  ),
  cardType: CardType,
  plasticCode: PlasticCode,
  tierType: TierType
})

/**
 * DOMAIN.md §4: `kitInfo` holds 1 to 2 entries. A longer one is refused as a bad field, its length
 * checked before any entry is decoded; an empty one is `KitInfoCountOutOfRange`.
 *
 * @category models
 */
export const MAX_KIT_INFO_ENTRIES = 2

/**
 * Seed 000's request, plus the audit fields every change records (DOMAIN.md §2: `changer`,
 * `channel`, `reason`, as seed 002 names them). The lower entry count and the one-per-cardType rule
 * are checked after decoding, each with its own error.
 *
 * @category schemas
 */
export const UpgradeCardRequest = Schema.Struct({
  entityId: EntityId,
  kitNo: KitNo,
  /** PERMANENT when omitted (DOMAIN.md §4). */
  deliveryAddress: Schema.optionalKey(DeliveryAddress),
  kitInfo: boundedArray(KitInfoEntry, MAX_KIT_INFO_ENTRIES),
  reason: Schema.optionalKey(Reason),
  changer: Schema.optionalKey(Changer),
  channel: Schema.optionalKey(Channel)
})
export type UpgradeCardRequest = typeof UpgradeCardRequest.Encoded

/**
 * One new card, with seed 000's field names and types (`accountNo` a number, `expDate` a string).
 *
 * @category models
 */
export interface UpgradedKit {
  readonly accountNo: AccountNo
  readonly bin: string
  readonly cardCategory: Product["cardCategory"]
  readonly cardNumber: MaskedPan
  readonly cardStatus: "ASSIGNED"
  readonly cardType: CardType
  /**
   * DOMAIN.md §4: the PAN's keyed hash (`SecurityModule.cardNumberHash`: HMAC-SHA-256 of its digits
   * under the tenant's active `cardNumber` key, lower-case hex). It identifies a PAN without revealing
   * it, so it goes in the result only, never in an error or an audit event.
   */
  readonly encryptedCardNumber: string
  readonly entityId: string
  readonly expDate: string
  readonly kitNo: string
  readonly networkType: string
  readonly productId: string
  readonly productName: string
  /**
   * Not in seed 000: the id of the card order placed for a PHYSICAL card, which `cancelCardOrder`
   * takes. Absent for a VIRTUAL card, which is not ordered.
   */
  readonly orderId?: string
}

/**
 * Seed 000's `result`.
 *
 * @category models
 */
export interface UpgradeCardResult {
  readonly entityId: string
  readonly kitInfo: ReadonlyArray<UpgradedKit>
}

/**
 * @category models
 */
export type UpgradeCardPorts =
  | CardRepository
  | CustomerRepository
  | ProductCatalog
  | CardOrderRepository
  | CardIssuer
  | SecurityModule
  | AuditLog
  | Transactor

const decode = decodeTenantRequest(UpgradeCardRequest)

// DOMAIN.md §2: the new card and its order are changes too; their `reason` names the card they
// replace, then the caller's reason
const issueContext = (context: ChangeContext, oldKitNo: KitNo): ChangeContext => {
  const upgradeOf = `UPGRADE of kitNo ${oldKitNo}`
  return { ...context, reason: context.reason === undefined ? upgradeOf : `${upgradeOf}: ${context.reason}` }
}

// `ORD` + kitNo, unless an order from elsewhere (another system, a fixture) already holds that id
const freeOrderId = Effect.fnUntraced(function* (tenant: TenantId, kitNo: KitNo) {
  const orders = yield* CardOrderRepository
  for (let attempt = 1; ; attempt++) {
    const orderId: OrderId = orderIdFor(kitNo, attempt)
    if (Option.isNone(yield* orders.findById(tenant, orderId))) return orderId
  }
})

// The issuer hands out identities no card holds, and `freeOrderId` found the orderId free: a key
// taken at insert was taken by a concurrent transaction since, and a retry draws new ones.
const retryOnDuplicate = (write: Effect.Effect<void, DuplicateKey | StoreError>) =>
  Effect.catchTag(write, "DuplicateKey", (duplicate) =>
    Effect.fail(new StoreError({ operation: duplicate.operation, retryable: true, cause: duplicate }))
  )

/**
 * Seed 000 `POST /kit-manager/upgradeCard`.
 *
 * @category use cases
 */
export const upgradeCard = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<UpgradeCardResult, UpgradeCardError, UpgradeCardPorts> {
  const { tenant: tenantId, request: req } = yield* decode(tenant, request)
  yield* Effect.fromResult(checkKitInfo(req.kitInfo))
  const cards = yield* CardRepository
  const customers = yield* CustomerRepository
  const catalog = yield* ProductCatalog
  const orders = yield* CardOrderRepository
  const issuer = yield* CardIssuer
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const now = yield* DateTime.now
  const context: ChangeContext = {
    at: isoTimestamp(DateTime.toEpochMillis(now)),
    changer: req.changer,
    channel: req.channel,
    reason: req.reason
  }
  return yield* transactor.withTransaction(
    Effect.gen(function* () {
      const found = yield* cards.findByKitNoForUpdate(tenantId, req.kitNo)
      // DOMAIN.md §4: a card of another customer is not found, like a card of another tenant
      if (Option.isNone(found) || found.value.entityId !== req.entityId) {
        return yield* new CardNotFound({ kitNo: req.kitNo })
      }
      const card = found.value
      const replaced = yield* Effect.fromResult(changeStatus(card, "UPGRADE", context))
      const customer = yield* customers.findByEntityId(tenantId, card.entityId)
      if (Option.isNone(customer))
        return yield* new CustomerNotFound({ selector: "entityId", value: card.entityId })
      const products = yield* Effect.fromResult(
        chooseProducts(
          card,
          req.kitInfo,
          yield* catalog.findAll(tenantId),
          yield* catalog.findTierLadder(tenantId)
        )
      )
      const issued = issueContext(context, card.kitNo)

      const newCards: Array<Card> = []
      const newOrders: Array<CardOrder> = []
      const events: Array<AuditEvent> = [replaced.event]
      const kitInfo: Array<UpgradedKit> = []
      for (const product of products) {
        let orderId: string | undefined
        const issuedCard = yield* issuer.issue(tenantId, product.bin)
        const kitNo = issuedCard.kitNo
        const pan = yield* protectPan(tenantId, kitNo, issuedCard.pan)
        const expDate = expiryDate(now, product.validityYears)
        const cardNumber = pan.masked
        const encryptedCardNumber = pan.hash
        newCards.push({
          kitNo,
          entityId: card.entityId,
          accountNo: card.accountNo,
          productId: product.productId,
          tierType: product.tierType,
          cardType: product.cardType,
          pan,
          expDate,
          status: "ASSIGNED"
        })
        events.push({
          at: context.at,
          action: "ISSUE",
          subject: kitNo,
          outcome: "OK",
          cardNumber,
          currentStatus: "ASSIGNED",
          ...contextFields(issued)
        })
        // DOMAIN.md §4: a physical card is ordered at the customer's branch
        if (product.cardType === "PHYSICAL") {
          const order: CardOrder = {
            orderId: yield* freeOrderId(tenantId, kitNo),
            kitNo,
            entityId: card.entityId,
            branchId: customer.value.branchId,
            status: "RECEIVED",
            deliveryAddress: req.deliveryAddress ?? "PERMANENT",
            createdAt: context.at
          }
          newOrders.push(order)
          orderId = order.orderId
          events.push({
            at: context.at,
            action: "ORDER_CARD",
            subject: order.orderId,
            outcome: "OK",
            cardNumber,
            currentStatus: "RECEIVED",
            ...contextFields(issued)
          })
        }
        kitInfo.push({
          accountNo: card.accountNo,
          bin: product.bin,
          cardCategory: product.cardCategory,
          cardNumber,
          cardStatus: "ASSIGNED",
          cardType: product.cardType,
          encryptedCardNumber,
          entityId: card.entityId,
          expDate,
          kitNo,
          networkType: product.networkType,
          productId: product.productId,
          productName: product.productName,
          ...(orderId === undefined ? {} : { orderId })
        })
      }
      yield* cards.updateAll(tenantId, [replaced.card])
      yield* retryOnDuplicate(cards.insertAll(tenantId, newCards))
      // Stryker disable next-line ConditionalExpression,EqualityOperator: inserting no order changes nothing; the test saves a round trip
      if (newOrders.length > 0) yield* retryOnDuplicate(orders.insertAll(tenantId, newOrders))
      yield* audit.append(tenantId, events)
      return { entityId: card.entityId, kitInfo }
    })
  )
})
