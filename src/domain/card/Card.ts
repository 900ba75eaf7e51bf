/**
 * The card aggregate (a *kit* in DCMS words) and the one pure function that changes its status.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { type AuditEvent, type ChangeContext, type ContextFields, withContext } from "../ground/AuditEvent.js"
import type { AccountNo, EntityId, KitNo } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import {
  type CardOperation,
  type CardStatus,
  CardStatus as CardStatusSchema,
  isAllowed,
  type LockableStatus,
  transitionTable
} from "./CardStatus.js"

/**
 * @category models
 */
export const CardType = Schema.Literals(["PHYSICAL", "VIRTUAL"])
export type CardType = typeof CardType.Type

/**
 * Seed 000's expiry shape: the last day of the expiry month at midnight UTC,
 * `2029-07-31T00:00:00.000+00:00` (DOMAIN.md §4: a card expires at the end of a month, so any other
 * day, and a day the month does not have, is refused).
 *
 * @category models
 */
export const ExpDate = Schema.String.check(
  Schema.makeFilter(
    (s: string) => /^[0-9]{4}-(0[1-9]|1[0-2])-[0-3][0-9]T00:00:00\.000\+00:00$/.test(s),
    { message: "must look like 2029-07-31T00:00:00.000+00:00" },
    true
  ),
  Schema.makeFilter(
    (s: string) => {
      const year = Number(s.slice(0, 4))
      const month = Number(s.slice(5, 7))
      // the Gregorian calendar: February has 29 days in a leap year
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      const lastDay = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
      return Number(s.slice(8, 10)) === lastDay
    },
    { message: "must be the last day of its month, like 2029-02-28 or 2028-02-29" }
  )
)

/**
 * A card as the domain holds it and a store keeps it. Plain data: the PAN is held only protected
 * (encrypted, masked and hashed); the clear PAN is asked of the security module where a use case
 * needs it (`revealPan`).
 *
 * @category models
 */
export interface Card {
  readonly kitNo: KitNo
  readonly entityId: EntityId
  readonly accountNo: AccountNo
  readonly productId: string
  readonly tierType: string
  readonly cardType: CardType
  readonly pan: ProtectedPan
  /** Seed 000's shape: the last day of the expiry month, `2029-07-31T00:00:00.000+00:00`. */
  readonly expDate: string
  readonly status: CardStatus
  /** Present exactly when `status` is LOCKED: where UNLOCK returns to. */
  readonly lockedFrom?: LockableStatus
}

/**
 * No card with this kitNo in the tenant (DOMAIN.md §1: a card of another tenant is not found).
 *
 * @category errors
 */
export class CardNotFound extends Schema.TaggedError<CardNotFound>()("CardNotFound", {
  code: Schema.tag("CARD_NOT_FOUND"),
  message: Schema.String,
  kitNo: Schema.String
}) {
  // the kitNo is the caller's text: one that holds a card number is kept masked
  constructor(props: { readonly kitNo: string }) {
    const kitNo = maskCardNumbers(props.kitNo)
    super({ kitNo, message: `No card with kitNo ${kitNo} exists for this tenant.` })
  }
}

/**
 * DOMAIN.md §2: the operation is not allowed from the card's status. `kitNo` is kept as text, a run of
 * 12 or more digits masked like a PAN.
 *
 * @category errors
 */
export class InvalidStatusTransition extends Schema.TaggedError<InvalidStatusTransition>()(
  "InvalidStatusTransition",
  {
    code: Schema.tag("INVALID_STATUS_TRANSITION"),
    message: Schema.String,
    kitNo: Schema.String,
    status: CardStatusSchema,
    operation: Schema.String
  }
) {
  // DOMAIN.md §9: a card number sent (or stored) as a kitNo is kept masked, as in CardNotFound
  constructor(props: { readonly kitNo: string; readonly status: CardStatus; readonly operation: string }) {
    const kitNo = maskCardNumbers(props.kitNo)
    super({
      kitNo,
      status: props.status,
      operation: props.operation,
      message: `Cannot ${props.operation} card ${kitNo}: its status is ${props.status}.`
    })
  }
}

/**
 * Applies an operation of the transition table, or refuses it.
 *
 * @category transitions
 */
export const applyOperation = (
  card: Card,
  operation: CardOperation
): Result.Result<Card, InvalidStatusTransition> => {
  if (!isAllowed(operation, card.status)) {
    return Result.fail(new InvalidStatusTransition({ kitNo: card.kitNo, status: card.status, operation }))
  }
  const to = transitionTable[operation].to
  // only LOCKED carries `lockedFrom`; every other status leaves the field out
  const rest: Card = card.lockedFrom === undefined ? card : withoutLockedFrom(card)
  if (to === "LOCKED_FROM") {
    // a LOCKED card always remembers its origin; a row without it (written by another system) comes
    // back ASSIGNED: it must be activated again, never activated by an unlock
    return Result.succeed({ ...rest, status: card.lockedFrom ?? "ASSIGNED" })
  }
  if (to === "LOCKED") {
    return Result.succeed({ ...rest, status: "LOCKED", lockedFrom: card.status as LockableStatus })
  }
  return Result.succeed({ ...rest, status: to })
}

const withoutLockedFrom = ({ lockedFrom: _, ...rest }: Card): Card => rest

/**
 * Applies an operation and records it: the changed card and its audit event.
 *
 * @category transitions
 */
export const changeStatus = (
  card: Card,
  operation: CardOperation,
  context: ChangeContext
): Result.Result<{ readonly card: Card; readonly event: AuditEvent }, InvalidStatusTransition> =>
  Result.map(applyOperation(card, operation), (next) => {
    const event = withContext<ContextFields & AuditEvent>(
      {
        at: context.at,
        action: operation,
        subject: card.kitNo,
        outcome: "OK",
        cardNumber: card.pan.masked,
        previousStatus: card.status,
        currentStatus: next.status
      },
      context
    )
    return { card: next, event }
  })
