/**
 * PIN verification as issuers run it (DOMAIN.md §6): the PIN offered is checked against the card's
 * verifier in the PIN store, wrong PINs in a row are counted up to the tenant's try limit, and every
 * attempt is audited.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Option, Redacted, Result, Schema } from "effect"
import { PIN_PATTERN } from "../../crypto/index.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import { SecurityModule, type StoredVerifier } from "../../ports/SecurityModule.js"
import { TenantPolicy } from "../../ports/TenantPolicy.js"
import { Transactor } from "../../ports/Transactor.js"
import type { Card } from "../card/Card.js"
import type { VerifyPinError } from "../DomainError.js"
import { auditTime, type ChangeContext } from "../ground/AuditEvent.js"
import { Channel, KitNo, type TenantId } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"
import { decodeTenantRequest, type ValidationError } from "../ground/Validation.js"
import {
  conclude,
  died,
  type Failure,
  failingAs,
  refused,
  refuseRequest,
  type Subject
} from "./PinAttempt.js"
import { InvalidCardStatusForPin } from "./SetPinRules.js"
import {
  countAttempt,
  isPinBlocked,
  PinTriesExceeded,
  VERIFY_PIN,
  VerifyOutcome,
  verifiesPin,
  verifyPinEvent
} from "./VerifyPinRules.js"

/**
 * ISO 9564-1 §8.1: a PIN is 4 to 12 decimal digits. Held `Redacted` once decoded; never encoded back.
 *
 * @category schemas
 */
export const PinFromString = Schema.RedactedFromValue(
  Schema.String.check(Schema.isPattern(PIN_PATTERN, { message: "must be 4-12 digits" })),
  { label: "PIN", disallowEncode: true }
)

/**
 * `{ kitNo, pin, channel? }`: the PIN in clear (the host has already opened whatever carried it), and
 * the channel it came through, for the audit trail.
 *
 * @category schemas
 */
export const VerifyPinRequest = Schema.Struct({
  kitNo: KitNo,
  pin: PinFromString,
  channel: Schema.optionalKey(Channel)
})
export type VerifyPinRequest = typeof VerifyPinRequest.Encoded

/**
 * @category models
 */
export type VerifyPinPorts = CardRepository | PinStore | SecurityModule | TenantPolicy | AuditLog | Transactor

type Command = typeof VerifyPinRequest.Type
type Refusal = InvalidCardStatusForPin | PinTriesExceeded
/** What makes an attempt's transaction roll back. */
type AttemptError = Exclude<VerifyPinError, ValidationError | Refusal>

/**
 * What an attempt that ran to its end decided, stored with its event and its count: an answer, or a
 * refusal. Either way the transaction commits; a refusal is raised once it has.
 */
type Verdict =
  | { readonly _tag: "Answer"; readonly answer: boolean; readonly outcome: string }
  | { readonly _tag: "Refusal"; readonly error: Refusal; readonly outcome: string }

// Stryker disable next-line StringLiteral: a verdict is read by `_tag === "Refusal"` only, so any other tag is an answer
const answer = (value: boolean, outcome: string): Verdict => ({ _tag: "Answer", answer: value, outcome })

const refusal = (error: Refusal, outcome: string = error.code): Verdict => ({
  _tag: "Refusal",
  error,
  outcome
})

/**
 * Whether `pin` is the PIN `stored` was made of on `card`, bound to its kitNo and PAN, under the key
 * that made it: the one place verifyPin checks a PIN. The card's PAN is opened by the security module
 * and never leaves it.
 */
const pinMatches = (tenant: TenantId, card: Card, pin: Redacted.Redacted<string>, stored: StoredVerifier) =>
  Effect.flatMap(SecurityModule, (module) =>
    module.checkCardVerifier(tenant, { kitNo: card.kitNo, pan: card.pan.encrypted }, pin, stored)
  )

/** The rules on a card that exists, in order; then the counter's write. */
const decide = Effect.fnUntraced(function* (
  tenant: TenantId,
  card: Card,
  pin: Redacted.Redacted<string>
): Effect.fn.Return<Verdict, AttemptError, PinStore | SecurityModule | TenantPolicy> {
  if (!verifiesPin(card))
    return refusal(new InvalidCardStatusForPin({ kitNo: card.kitNo, status: card.status }))
  const pins = yield* PinStore
  // the count decides the answer: read for update, so that racing attempts are counted one by one
  const stored = yield* pins.findForUpdate(tenant, card.kitNo)
  if (Option.isNone(stored)) return answer(false, VerifyOutcome.NO_PIN)
  const { pinTryLimit } = yield* (yield* TenantPolicy).policyOf(tenant)
  if (isPinBlocked(stored.value, pinTryLimit)) return refusal(new PinTriesExceeded({ kitNo: card.kitNo }))
  const matches = yield* pinMatches(tenant, card, pin, stored.value.verifier)
  const counted = countAttempt(stored.value, matches, pinTryLimit)
  // only a right PIN on a count of 0 leaves the count as it was
  // Stryker disable next-line ConditionalExpression: writing the same count again changes nothing; the test saves a write
  if (counted.attempts.failedAttempts !== stored.value.failedAttempts)
    yield* pins.recordAttempts(tenant, card.kitNo, counted.attempts)
  return counted.outcome === VerifyOutcome.PIN_BLOCKED
    ? refusal(new PinTriesExceeded({ kitNo: card.kitNo }), counted.outcome)
    : answer(matches, counted.outcome)
})

const attempt = Effect.fnUntraced(function* (
  tenant: TenantId,
  command: Command,
  requested: Subject,
  context: ChangeContext
): Effect.fn.Return<
  { readonly verdict: Verdict; readonly subject: Subject },
  Failure<AttemptError>,
  Exclude<VerifyPinPorts, Transactor>
> {
  // DOMAIN.md §1: another tenant's card is not found
  const found = yield* failingAs(
    (yield* CardRepository).findByKitNoForUpdate(tenant, command.kitNo),
    requested
  )
  const subject: Subject = Option.match(found, {
    onNone: () => requested,
    onSome: (card) => ({ kitNo: card.kitNo, cardNumber: card.pan.masked })
  })
  // an unknown card is answered as a wrong PIN is, so that no answer tells a guesser which kitNos exist
  const verdict = Option.isNone(found)
    ? answer(false, VerifyOutcome.CARD_NOT_FOUND)
    : yield* failingAs(decide(tenant, found.value, command.pin), subject)
  // the event is written in the count's transaction: both are stored, or neither
  yield* failingAs(
    (yield* AuditLog).append(tenant, [
      verifyPinEvent(subject.kitNo, verdict.outcome, subject.cardNumber, context)
    ]),
    subject
  )
  return { verdict, subject }
})

const decode = decodeTenantRequest(VerifyPinRequest)

/**
 * Whether `pin` is the PIN last set on the card, counting wrong PINs (docs/pin-blocks.md,
 * "verifyPin: try limit and audit"). In order:
 *
 * 1. the request's fields (`ValidationError`);
 * 2. the card in the tenant: an unknown card is answered `false`, as a wrong PIN;
 * 3. its status: a card in an end state is refused (`InvalidCardStatusForPin`); ASSIGNED, ACTIVE and
 *    LOCKED cards verify;
 * 4. its PIN: none set is answered `false`, and nothing is counted;
 * 5. the count: a PIN blocked at the tenant's `pinTryLimit` is refused (`PinTriesExceeded`), until
 *    setPin sets a new one;
 * 6. the PIN: the card's stored PAN is decrypted (`revealPan`; `TenantKeyMissing`, `UnknownKeyId` or
 *    `CiphertextRejected` when it cannot be), and the `SecurityModule` checks the PIN against the
 *    stored verifier, which is bound to the card's kitNo and PAN, in constant time, under the
 *    `pinStore` key that made it (`UnknownKeyId` when that key is no longer held, `TenantKeyMissing`
 *    when the tenant has no `pinStore` key).
 *    Right: `true`, the count back to 0. Wrong: the count one higher, and `false`; the wrong PIN that
 *    reaches the limit blocks the PIN and is refused with `PinTriesExceeded`.
 *
 * The card and the count are read for update, and the count written in the same transaction as the
 * attempt's `VERIFY_PIN` audit event (its outcome, the masked PAN, the channel; never the PIN or the
 * verifier). An attempt that fails inside the transaction (`TenantKeyMissing`, `UnknownKeyId`,
 * `CiphertextRejected`, `StoreError`, a defect) changes nothing, counts nothing, and is audited in a write of its own, as
 * setPin's are. The PIN's `Redacted` is wiped once used.
 *
 * @category use cases
 */
export const verifyPin = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<boolean, VerifyPinError, VerifyPinPorts> {
  const at = yield* auditTime
  const decoded = yield* Effect.result(decode(tenant, request))
  if (Result.isFailure(decoded))
    return yield* refuseRequest(VERIFY_PIN, ["channel"], tenant, request, decoded.failure, at)
  const { tenant: tenantId, request: command } = decoded.success
  const context: ChangeContext = { at, channel: command.channel }
  const requested: Subject = { kitNo: maskCardNumbers(command.kitNo), cardNumber: undefined }
  const { verdict, subject } = yield* (yield* Transactor)
    .withTransaction(attempt(tenantId, command, requested, context))
    .pipe(
      // Stryker disable next-line ArrowFunction: wiping the used PIN shortens its time in memory; no answer, event or store shows it
      Effect.ensuring(Effect.sync(() => Redacted.wipeUnsafe(command.pin))),
      // a defect of the transaction itself: the attempt labels its own
      Effect.catchCauseIf(Cause.hasDies, (cause) => Effect.fail(died(requested, cause))),
      Effect.catch((failure) =>
        conclude(
          VERIFY_PIN,
          tenantId,
          context,
          failure._tag === "StoreError" ? refused(requested, failure) : failure
        )
      )
    )
  const line = { tenant: maskCardNumbers(tenantId), kitNo: subject.kitNo, outcome: verdict.outcome }
  if (verdict._tag === "Refusal") {
    yield* Effect.logDebug(VERIFY_PIN, line, verdict.error)
    return yield* Effect.fail(verdict.error)
  }
  yield* Effect.logDebug(VERIFY_PIN, line)
  return verdict.answer
})
