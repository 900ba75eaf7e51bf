/**
 * Card orders: the plastic of a physical card on its way to the customer's branch (seeds 000, 001).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { type AuditEvent, type ChangeContext, contextFields } from "../ground/AuditEvent.js"
import type { BranchId, EntityId, KitNo } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"

export { BranchId } from "../ground/Identifiers.js"

const pattern = (regExp: RegExp, rule: string) =>
  Schema.String.check(Schema.isPattern(regExp, { message: rule }))

/**
 * A card order's id, unique within its tenant (seed 001 `orderId`).
 *
 * @category models
 */
export const OrderId = pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ -").pipe(
  Schema.brand("OrderId")
)
export type OrderId = typeof OrderId.Type

/**
 * DOMAIN.md §7: RECEIVED (cancellable), PENDING (sent to the card management system), PROCESSED,
 * DISPATCHED, CANCELLED.
 *
 * @category models
 */
export const OrderStatus = Schema.Literals(["RECEIVED", "PENDING", "PROCESSED", "DISPATCHED", "CANCELLED"])
export type OrderStatus = typeof OrderStatus.Type

/**
 * Seed 000 `deliveryAddress`: which of the customer's addresses the plastic goes to.
 *
 * @category models
 */
export const DeliveryAddress = Schema.Literals(["PERMANENT", "COMMUNICATION"])
export type DeliveryAddress = typeof DeliveryAddress.Type

/**
 * @category models
 */
export interface CardOrder {
  readonly orderId: OrderId
  /** The ordered card. */
  readonly kitNo: KitNo
  readonly entityId: EntityId
  readonly branchId: BranchId
  readonly status: OrderStatus
  readonly deliveryAddress: DeliveryAddress
  /** ISO-8601 UTC instant, from `Clock`. */
  readonly createdAt: string
}

/**
 * DOMAIN.md §7: the order must exist in the tenant (an order of another tenant is not found).
 *
 * @category errors
 */
export class CardOrderNotFound extends Schema.TaggedError<CardOrderNotFound>()("CardOrderNotFound", {
  code: Schema.tag("CARD_ORDER_NOT_FOUND"),
  message: Schema.String,
  orderId: Schema.String
}) {
  // the orderId is the caller's text: one that holds a card number is kept masked
  constructor(props: { readonly orderId: string }) {
    const orderId = maskCardNumbers(props.orderId)
    super({ orderId, message: `No card order with orderId ${orderId} exists for this tenant.` })
  }
}

/**
 * Seed 001: both the orderId and the branchId must match the original order. Both are the caller's
 * text, kept with any run of 12 or more digits masked like a PAN.
 *
 * @category errors
 */
export class OrderBranchMismatch extends Schema.TaggedError<OrderBranchMismatch>()("OrderBranchMismatch", {
  code: Schema.tag("ORDER_BRANCH_MISMATCH"),
  message: Schema.String,
  orderId: Schema.String,
  branchId: Schema.String
}) {
  constructor(props: { readonly orderId: string; readonly branchId: string }) {
    const orderId = maskCardNumbers(props.orderId)
    const branchId = maskCardNumbers(props.branchId)
    super({
      orderId,
      branchId,
      message: `Card order ${orderId} was not placed at branch ${branchId}; send the branchId of the original order.`
    })
  }
}

/**
 * Seed 001, DOMAIN.md §7: only a RECEIVED order can be cancelled. The orderId is masked as in
 * {@link CardOrderNotFound}.
 *
 * @category errors
 */
export class OrderNotCancellable extends Schema.TaggedError<OrderNotCancellable>()("OrderNotCancellable", {
  code: Schema.tag("ORDER_NOT_CANCELLABLE"),
  message: Schema.String,
  orderId: Schema.String,
  status: OrderStatus
}) {
  constructor(props: { readonly orderId: string; readonly status: OrderStatus }) {
    const orderId = maskCardNumbers(props.orderId)
    super({
      orderId,
      status: props.status,
      message: `Card order ${orderId} cannot be cancelled: its status is ${props.status}; only a RECEIVED order can be.`
    })
  }
}

/**
 * The order id to try for a newly issued card: `ORD` + its kitNo, and, when an order from elsewhere
 * (another system, a fixture) already holds that id, `ORD<kitNo>-2`, `-3`… for the later attempts.
 * The kitNo is at most 32 characters, so every attempt fits OrderId's 64.
 *
 * @category constructors
 */
export const orderIdFor = (kitNo: KitNo, attempt = 1): OrderId =>
  (attempt === 1 ? `ORD${kitNo}` : `ORD${kitNo}-${attempt}`) as OrderId

/**
 * Cancels a RECEIVED order placed at `branchId`, with its audit event.
 *
 * @category transitions
 */
export const cancelOrder = (
  order: CardOrder,
  branchId: BranchId,
  context: ChangeContext
): Result.Result<
  { readonly order: CardOrder; readonly event: AuditEvent },
  OrderBranchMismatch | OrderNotCancellable
> => {
  if (order.branchId !== branchId) {
    return Result.fail(new OrderBranchMismatch({ orderId: order.orderId, branchId }))
  }
  if (order.status !== "RECEIVED") {
    return Result.fail(new OrderNotCancellable({ orderId: order.orderId, status: order.status }))
  }
  return Result.succeed({
    order: { ...order, status: "CANCELLED" },
    event: {
      at: context.at,
      action: "CANCEL_ORDER",
      subject: order.orderId,
      outcome: "OK",
      previousStatus: order.status,
      currentStatus: "CANCELLED",
      ...contextFields(context)
    }
  })
}
