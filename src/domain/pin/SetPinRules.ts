/**
 * The rules of Set PIN V2 that need no port (DOMAIN.md §6, seed 001): which cards take a PIN, the
 * expiry check, and the audit event every PIN attempt leaves.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type { Card } from "../card/Card.js"
import { type CardStatus, CardStatus as CardStatusSchema } from "../card/CardStatus.js"
import { type AuditEvent, type ChangeContext, contextFields } from "../ground/AuditEvent.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { MaskedPan } from "../ground/Pan.js"

/**
 * The audit action of every Set PIN attempt.
 *
 * @category constants
 */
export const SET_PIN = "SET_PIN"

/**
 * The outcome of a PIN attempt that died (a defect: a host fault such as a set-PIN key that is not an
 * AES key). The defect itself is raised to the caller, never written to the trail.
 *
 * @category constants
 */
export const INTERNAL_ERROR = "INTERNAL_ERROR"

/**
 * The subject of an attempt whose kitNo did not decode: there is no kitNo to name.
 *
 * @category constants
 */
export const NO_SUBJECT = "-"

/**
 * DOMAIN.md §6: the statuses a card can take a PIN in. A terminal card never gets one.
 *
 * @category models
 */
export const pinSettableStatuses: ReadonlySet<CardStatus> = new Set<CardStatus>([
  "ASSIGNED",
  "ACTIVE",
  "LOCKED"
])

/**
 * DOMAIN.md §6: a PIN is set only on an ASSIGNED, ACTIVE or LOCKED card, and verifyPin verifies one
 * only there. The kitNo, here and in the errors below, is the one the caller sent: a run of 12 or
 * more digits in it is masked like a PAN.
 *
 * @category errors
 */
export class InvalidCardStatusForPin extends Schema.TaggedError<InvalidCardStatusForPin>()(
  "InvalidCardStatusForPin",
  {
    code: Schema.tag("INVALID_CARD_STATUS"),
    message: Schema.String,
    kitNo: Schema.String,
    status: CardStatusSchema
  }
) {
  constructor(props: { readonly kitNo: string; readonly status: CardStatus }) {
    const kitNo = maskCardNumbers(props.kitNo)
    super({
      kitNo,
      status: props.status,
      message: `Card ${kitNo} cannot take a PIN while it is ${props.status}; only ASSIGNED, ACTIVE or LOCKED cards can.`
    })
  }
}

/**
 * Seed 001: "The expiryDate must match the card expiry date in MMYY format." The message names neither
 * the expiry sent nor the card's.
 *
 * @category errors
 */
export class ExpiryDateMismatch extends Schema.TaggedError<ExpiryDateMismatch>()("ExpiryDateMismatch", {
  code: Schema.tag("EXPIRY_DATE_MISMATCH"),
  message: Schema.String,
  kitNo: Schema.String
}) {
  constructor(props: { readonly kitNo: string }) {
    super({ kitNo: maskCardNumbers(props.kitNo), message: "The expiry date does not match the card." })
  }
}

/**
 * DOMAIN.md §6: a PIN of one repeated digit or a straight run is refused unless the tenant allows it.
 * The message says which kind of PIN is refused, with no digit in it: an example could be the PIN.
 *
 * @category errors
 */
export class TrivialPinRefused extends Schema.TaggedError<TrivialPinRefused>()("TrivialPinRefused", {
  code: Schema.tag("TRIVIAL_PIN"),
  message: Schema.String,
  kitNo: Schema.String
}) {
  constructor(props: { readonly kitNo: string }) {
    super({
      kitNo: maskCardNumbers(props.kitNo),
      message:
        "The PIN is one digit repeated or a straight run of digits, which this tenant does not accept; choose another PIN."
    })
  }
}

/**
 * The card's expiry as seed 001 writes it, MMYY, from seed 000's `expDate`
 * (`2029-07-31T00:00:00.000+00:00` → `0729`).
 *
 * @category constructors
 */
export const cardExpiryMmyy = (expDate: string): string => expDate.slice(5, 7) + expDate.slice(2, 4)

/**
 * The checks on the card, in order: its status, then its expiry.
 *
 * @category rules
 */
export const checkCardForPin = (
  card: Card,
  expiryDate: string
): Result.Result<Card, InvalidCardStatusForPin | ExpiryDateMismatch> => {
  if (!pinSettableStatuses.has(card.status))
    return Result.fail(new InvalidCardStatusForPin({ kitNo: card.kitNo, status: card.status }))
  // the expiry is not secret (it is printed on the card), so a plain comparison is fine
  if (cardExpiryMmyy(card.expDate) !== expiryDate)
    return Result.fail(new ExpiryDateMismatch({ kitNo: card.kitNo }))
  return Result.succeed(card)
}

/**
 * DOMAIN.md §6: the event of one PIN attempt, good or bad, of `action` (`SET_PIN`, `VERIFY_PIN`):
 * kitNo, masked PAN (once the card is found), channel, changer, outcome, time. Nothing of the PIN,
 * the block, the keys or the verifier. `subject` is the card's stored kitNo once the card is found;
 * before that, the kitNo the caller sent with any card number in it masked (`maskCardNumbers`), or
 * `NO_SUBJECT` if no kitNo decoded.
 *
 * @category constructors
 */
export const pinAttemptEvent = (
  action: string,
  subject: string,
  outcome: string,
  cardNumber: MaskedPan | undefined,
  context: ChangeContext
): AuditEvent => ({
  at: context.at,
  action,
  subject,
  outcome,
  ...(cardNumber === undefined ? {} : { cardNumber }),
  ...contextFields(context)
})

/**
 * The event of one Set PIN attempt (`pinAttemptEvent` of `SET_PIN`).
 *
 * @category constructors
 */
export const setPinEvent = (
  subject: string,
  outcome: string,
  cardNumber: MaskedPan | undefined,
  context: ChangeContext
): AuditEvent => pinAttemptEvent(SET_PIN, subject, outcome, cardNumber, context)
