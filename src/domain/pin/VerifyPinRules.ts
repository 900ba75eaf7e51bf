/**
 * The rules of PIN verification that need no port: which cards verify a PIN, the try counter and
 * when it blocks the PIN, and the outcomes of the `VERIFY_PIN` audit event
 * (docs/pin-blocks.md, "verifyPin: try limit and audit").
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Card } from "../card/Card.js"
import { isTerminal } from "../card/CardStatus.js"
import type { AuditEvent, ChangeContext } from "../ground/AuditEvent.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { MaskedPan } from "../ground/Pan.js"
import { pinAttemptEvent } from "./SetPinRules.js"

/**
 * The audit action of every verifyPin attempt.
 *
 * @category constants
 */
export const VERIFY_PIN = "VERIFY_PIN"

/**
 * The outcomes of a `VERIFY_PIN` event besides the codes of the errors it refuses with
 * (`INVALID_CARD_STATUS`, `PIN_TRIES_EXCEEDED`, `VALIDATION_FAILED`, `TENANT_KEY_MISSING`,
 * `UNKNOWN_KEY_ID`, `STORE_UNAVAILABLE`) and `INTERNAL_ERROR`:
 *
 * - `OK`: the right PIN; the count is back to 0.
 * - `WRONG_PIN`: a wrong PIN below the limit; answered `false`, the count one higher.
 * - `PIN_BLOCKED`: the wrong PIN that reached the limit; the PIN is blocked from this attempt on,
 *   which is refused with `PinTriesExceeded`.
 * - `NO_PIN`: the card has no PIN to verify; answered `false`, nothing counted.
 * - `CARD_NOT_FOUND`: no such card in the tenant; answered `false`, as a wrong PIN is.
 *
 * @category constants
 */
export const VerifyOutcome = {
  OK: "OK",
  WRONG_PIN: "WRONG_PIN",
  PIN_BLOCKED: "PIN_BLOCKED",
  NO_PIN: "NO_PIN",
  CARD_NOT_FOUND: "CARD_NOT_FOUND"
} as const

/**
 * The try counter of a card's PIN: the wrong PINs offered in a row since the PIN was set or last
 * verified, and whether the PIN is blocked. Blocked, it stays blocked until a new PIN is set, whatever
 * the tenant's limit becomes.
 *
 * @category models
 */
export interface PinAttempts {
  readonly failedAttempts: number
  readonly blocked: boolean
}

/**
 * The counter of a PIN just set: nothing counted, not blocked.
 *
 * @category constants
 */
export const noAttempts: PinAttempts = { failedAttempts: 0, blocked: false }

/**
 * A card in an end state (BLOCKED, REPLACED, DAMAGED, CANCELLED, LOST_OR_STOLEN) never verifies a
 * PIN. A LOCKED card does: it is frozen for a while, not ended, and verifying its holder's PIN is
 * how many hosts let the holder unlock it.
 *
 * @category predicates
 */
export const verifiesPin = (card: Card): boolean => !isTerminal(card.status)

/**
 * Whether the PIN is blocked: it was blocked at the limit, or the tenant has since lowered its
 * limit to the count or below.
 *
 * @category predicates
 */
export const isPinBlocked = (attempts: PinAttempts, tryLimit: number): boolean =>
  attempts.blocked || attempts.failedAttempts >= tryLimit

/**
 * The counter after one PIN checked on a PIN that is not blocked: a right PIN puts it back to 0; a
 * wrong one adds 1, and the one that reaches `tryLimit` blocks the PIN.
 *
 * @category rules
 */
export const countAttempt = (
  attempts: PinAttempts,
  matches: boolean,
  tryLimit: number
): {
  readonly attempts: PinAttempts
  readonly outcome:
    | typeof VerifyOutcome.OK
    | typeof VerifyOutcome.WRONG_PIN
    | typeof VerifyOutcome.PIN_BLOCKED
} => {
  if (matches) return { attempts: noAttempts, outcome: VerifyOutcome.OK }
  const failedAttempts = attempts.failedAttempts + 1
  return failedAttempts >= tryLimit
    ? { attempts: { failedAttempts, blocked: true }, outcome: VerifyOutcome.PIN_BLOCKED }
    : { attempts: { failedAttempts, blocked: false }, outcome: VerifyOutcome.WRONG_PIN }
}

/**
 * The tenant's PIN try limit is reached: the card's PIN is blocked, and every attempt is refused
 * until a new PIN is set (setPin). Both the wrong PIN that reached the limit and every attempt after
 * it get this error, which says nothing of the PIN offered. The kitNo is the card's, a run of 12 or
 * more digits in it masked like a PAN.
 *
 * @category errors
 */
export class PinTriesExceeded extends Schema.TaggedError<PinTriesExceeded>()("PinTriesExceeded", {
  code: Schema.tag("PIN_TRIES_EXCEEDED"),
  message: Schema.String,
  kitNo: Schema.String
}) {
  constructor(props: { readonly kitNo: string }) {
    const kitNo = maskCardNumbers(props.kitNo)
    super({
      kitNo,
      message: `The PIN of card ${kitNo} is blocked after too many wrong PINs; set a new PIN to unblock it.`
    })
  }
}

/**
 * The event of one verifyPin attempt (`pinAttemptEvent` of `VERIFY_PIN`): nothing of the PIN or
 * the verifier.
 *
 * @category constructors
 */
export const verifyPinEvent = (
  subject: string,
  outcome: string,
  cardNumber: MaskedPan | undefined,
  context: ChangeContext
): AuditEvent => pinAttemptEvent(VERIFY_PIN, subject, outcome, cardNumber, context)
