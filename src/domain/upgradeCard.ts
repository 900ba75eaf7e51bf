/**
 * Card Upgrade (seed 000, DOMAIN.md §4): the card is REPLACED by one or two new cards of a higher
 * tier or another product, on the same account.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Schema } from "effect"
import { AuditLog } from "../ports/AuditLog.js"
import { CardIssuer } from "../ports/CardIssuer.js"
import { CardOrderRepository } from "../ports/CardOrderRepository.js"
import { CardRepository } from "../ports/CardRepository.js"
import { CustomerRepository } from "../ports/CustomerRepository.js"
import { ProductCatalog } from "../ports/ProductCatalog.js"
import { type TenantKeyMissing, TenantKeys } from "../ports/TenantKeys.js"
import { Transactor } from "../ports/Transactor.js"
import type { AuditEvent } from "./audit/AuditEvent.js"
import { type Card, CardNotFound, CardType, changeStatus, InvalidStatusTransition } from "./card/Card.js"
import { isAllowed } from "./card/CardStatus.js"
import { encryptedCardNumber } from "./card/EncryptedCardNumber.js"
import { type MaskedPan, maskPan } from "./card/Pan.js"
import { CustomerNotFound } from "./customer/Customer.js"
import { type AccountNo, EntityId, KitNo } from "./Identifiers.js"
import { type BranchId, type CardOrder, DeliveryAddress, orderIdFor } from "./order/CardOrder.js"
import { expiryDate, PlasticCode, type Product, TierType } from "./product/Product.js"
import {
  checkKitInfo,
  chooseProducts,
  type DuplicateCardType,
  type KitInfoCountOutOfRange,
  type UpgradeRuleError
} from "./product/UpgradePlan.js"
import type { StoreError } from "./StoreError.js"
import { decodeTenantRequest, type ValidationError } from "./Validation.js"

/**
 * One `kitInfo` entry of seed 000: the card asked for.
 *
 * @category schemas
 */
export const KitInfoEntry = Schema.Struct({
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
 * Seed 000's request. The entry count and one-per-cardType rules are checked after decoding, each
 * with its own error.
 *
 * @category schemas
 */
export const UpgradeCardRequest = Schema.Struct({
  entityId: EntityId,
  kitNo: KitNo,
  /** PERMANENT when omitted (DOMAIN.md §4). */
  deliveryAddress: Schema.optionalKey(DeliveryAddress),
  kitInfo: Schema.Array(KitInfoEntry)
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
  /** HMAC-SHA-256 of the PAN under the tenant's `cardNumber` key, lower-case hex. */
  readonly encryptedCardNumber: string
  readonly entityId: string
  readonly expDate: string
  readonly kitNo: string
  readonly networkType: string
  readonly productId: string
  readonly productName: string
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
export type UpgradeCardError =
  | ValidationError
  | KitInfoCountOutOfRange
  | DuplicateCardType
  | CardNotFound
  | InvalidStatusTransition
  | CustomerNotFound
  | UpgradeRuleError
  | TenantKeyMissing
  | StoreError

/**
 * @category models
 */
export type UpgradeCardPorts =
  | CardRepository
  | CustomerRepository
  | ProductCatalog
  | CardOrderRepository
  | CardIssuer
  | TenantKeys
  | AuditLog
  | Transactor

const decode = decodeTenantRequest(UpgradeCardRequest)

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
  const keys = yield* TenantKeys
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const now = yield* DateTime.now
  const at = DateTime.formatIso(now)
  return yield* transactor.withTransaction(
    Effect.gen(function* () {
      const found = yield* cards.findByKitNo(tenantId, req.kitNo)
      // DOMAIN.md §4: a card of another customer is not found, like a card of another tenant
      if (Option.isNone(found) || found.value.entityId !== req.entityId) {
        return yield* new CardNotFound({ kitNo: req.kitNo })
      }
      const card = found.value
      if (!isAllowed("UPGRADE", card.status)) {
        return yield* new InvalidStatusTransition({
          kitNo: card.kitNo,
          status: card.status,
          operation: "UPGRADE"
        })
      }
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
      const key = yield* keys.keyFor(tenantId, "cardNumber")
      const replaced = yield* Effect.fromResult(changeStatus(card, "UPGRADE", { at }))

      const newCards: Array<Card> = []
      const newOrders: Array<CardOrder> = []
      const events: Array<AuditEvent> = [replaced.event]
      const kitInfo: Array<UpgradedKit> = []
      for (const product of products) {
        const { kitNo, pan } = yield* issuer.issue(tenantId, product.bin)
        const expDate = expiryDate(now, product.validityYears)
        const cardNumber = maskPan(pan)
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
          at,
          action: "ISSUE",
          subject: kitNo,
          outcome: "OK",
          cardNumber,
          currentStatus: "ASSIGNED",
          reason: `UPGRADE of kitNo ${card.kitNo}`
        })
        // DOMAIN.md §4: a physical card is ordered at the customer's branch
        if (product.cardType === "PHYSICAL") {
          const order: CardOrder = {
            orderId: orderIdFor(kitNo),
            kitNo,
            entityId: card.entityId,
            // Customer.branchId is an unbranded string; it is the branch the order goes to as stored
            branchId: customer.value.branchId as BranchId,
            status: "RECEIVED",
            deliveryAddress: req.deliveryAddress ?? "PERMANENT",
            createdAt: at
          }
          newOrders.push(order)
          events.push({
            at,
            action: "ORDER_CARD",
            subject: order.orderId,
            outcome: "OK",
            cardNumber,
            currentStatus: "RECEIVED"
          })
        }
        kitInfo.push({
          accountNo: card.accountNo,
          bin: product.bin,
          cardCategory: product.cardCategory,
          cardNumber,
          cardStatus: "ASSIGNED",
          cardType: product.cardType,
          encryptedCardNumber: encryptedCardNumber(key, pan),
          entityId: card.entityId,
          expDate,
          kitNo,
          networkType: product.networkType,
          productId: product.productId,
          productName: product.productName
        })
      }
      yield* cards.saveAll(tenantId, [replaced.card, ...newCards])
      if (newOrders.length > 0) yield* orders.saveAll(tenantId, newOrders)
      yield* audit.append(tenantId, events)
      return { entityId: card.entityId, kitInfo }
    })
  )
})
