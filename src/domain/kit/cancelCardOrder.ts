/**
 * Cancel Card Order (seed 001, DOMAIN.md §7): a RECEIVED order is cancelled, and its card, not yet
 * delivered, with it.
 *
 * @since 0.1.0
 */
import { Effect, Option, Result, Schema } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { type Card, CardNotFound, changeStatus } from "../card/Card.js"
import type { CardStatus } from "../card/CardStatus.js"
import type { CancelCardOrderError } from "../DomainError.js"
import type { AuditEvent } from "../ground/AuditEvent.js"
import { auditTime } from "../ground/AuditEvent.js"
import { Changer, Channel, Reason } from "../ground/Identifiers.js"
import { decodeTenantRequest } from "../ground/Validation.js"
import { BranchId, CardOrderNotFound, cancelOrder, OrderId, type OrderStatus } from "./CardOrder.js"

/**
 * Seed 001's request: `orderId` and `branchId` of the original order, and the audit fields every
 * change records (DOMAIN.md §2: `reason`, `changer`, `channel`).
 *
 * @category schemas
 */
export const CancelCardOrderRequest = Schema.Struct({
  orderId: OrderId,
  branchId: BranchId,
  reason: Schema.optionalKey(Reason),
  changer: Schema.optionalKey(Changer),
  channel: Schema.optionalKey(Channel)
})
export type CancelCardOrderRequest = typeof CancelCardOrderRequest.Encoded

/**
 * The cancelled order and where its card ended (seed 001 gives no response body).
 *
 * @category models
 */
export interface CancelCardOrderResult {
  readonly orderId: string
  readonly branchId: string
  readonly orderStatus: OrderStatus
  readonly kitNo: string
  readonly cardStatus: CardStatus
}

/**
 * @category models
 */
export type CancelCardOrderPorts = CardOrderRepository | CardRepository | AuditLog | Transactor

const decode = decodeTenantRequest(CancelCardOrderRequest)

/**
 * Seed 001 Cancel Card Order.
 *
 * @category use cases
 */
export const cancelCardOrder = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<CancelCardOrderResult, CancelCardOrderError, CancelCardOrderPorts> {
  const { tenant: tenantId, request: req } = yield* decode(tenant, request)
  const orders = yield* CardOrderRepository
  const cards = yield* CardRepository
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const at = yield* auditTime
  const context = { at, changer: req.changer, channel: req.channel, reason: req.reason }
  return yield* transactor.withTransaction(
    Effect.gen(function* () {
      const found = yield* orders.findByIdForUpdate(tenantId, req.orderId)
      if (Option.isNone(found)) return yield* new CardOrderNotFound({ orderId: req.orderId })
      const cancelled = yield* Effect.fromResult(cancelOrder(found.value, req.branchId, context))
      const ordered = yield* cards.findByKitNoForUpdate(tenantId, found.value.kitNo)
      if (Option.isNone(ordered)) return yield* new CardNotFound({ kitNo: found.value.kitNo })
      const events: Array<AuditEvent> = [cancelled.event]
      let card: Card = ordered.value
      // DOMAIN.md §7: only a card still ASSIGNED goes with its order (the CANCEL_ORDER row of the
      // transition table); a card already activated, locked or blocked stays as it is
      const changed = changeStatus(card, "CANCEL_ORDER", context)
      if (Result.isSuccess(changed)) {
        card = changed.success.card
        events.push(changed.success.event)
        yield* cards.updateAll(tenantId, [card])
      }
      yield* orders.updateAll(tenantId, [cancelled.order])
      yield* audit.append(tenantId, events)
      return {
        orderId: cancelled.order.orderId,
        branchId: cancelled.order.branchId,
        orderStatus: cancelled.order.status,
        kitNo: card.kitNo,
        cardStatus: card.status
      }
    })
  )
})
