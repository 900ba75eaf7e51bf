/**
 * Set PIN V2 (seed 001, DOMAIN.md §6): the client sends the PIN as an ISO 9564 format-0 block sealed
 * with AES-GCM under the tenant's set-PIN key; the PIN store keeps a keyed hash of it.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Option, Redacted, Result, Schema } from "effect"
import type { InvalidPinBlock } from "../../crypto/index.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import {
  type CiphertextRejected,
  type KeyFailure,
  SecurityModule,
  type StoredVerifier
} from "../../ports/SecurityModule.js"
import { TenantPolicy } from "../../ports/TenantPolicy.js"
import { Transactor } from "../../ports/Transactor.js"
import { type Card, CardNotFound } from "../card/Card.js"
import type { SetPinError } from "../DomainError.js"
import { auditTime, type ChangeContext } from "../ground/AuditEvent.js"
import { Changer, Channel, KitNo, type TenantId } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { MaskedPan } from "../ground/Pan.js"
import type { StoreError } from "../ground/StoreError.js"
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
import { checkCardForPin, SET_PIN, setPinEvent, TrivialPinRefused } from "./SetPinRules.js"
import { noAttempts } from "./VerifyPinRules.js"

/**
 * Seed 001 `expiryDate`: the card's expiry as MMYY, month 01–12 (`0729`).
 *
 * @category schemas
 */
export const ExpiryDateMmyy = Schema.String.check(
  Schema.isPattern(/^(0[1-9]|1[0-2])[0-9]{2}$/, { message: "must be MMYY with a month 01-12" })
)

/**
 * The most characters a `pinBlock` may hold before it is a bad field rather than a bad envelope:
 * over four times the envelope's 56, so that every envelope of a wrong length a client could
 * plausibly send is still the one `InvalidPinBlock`.
 *
 * @category models
 */
export const MAX_PIN_BLOCK_CHARS = 256

/**
 * The envelope as the client sent it. Only its type and an upper bound on its length are checked
 * here: DOMAIN.md §6 makes every way it can be wrong (bad Base64, wrong length, wrong tag…) the one
 * `InvalidPinBlock`. It is held `Redacted` from here on, and can never be encoded back.
 *
 * @category schemas
 */
export const PinBlockEnvelope = Schema.RedactedFromValue(
  Schema.String.check(
    Schema.isMaxLength(MAX_PIN_BLOCK_CHARS, { message: `must be at most ${MAX_PIN_BLOCK_CHARS} characters` })
  ),
  { label: "pinBlock", disallowEncode: true }
)

/**
 * `{ kitNo, pinBlock, expiryDate, channel?, changer? }`: seed 001's fields, and who asked through
 * which channel, for the audit trail.
 *
 * @category schemas
 */
export const SetPinRequest = Schema.Struct({
  kitNo: KitNo,
  pinBlock: PinBlockEnvelope,
  expiryDate: ExpiryDateMmyy,
  channel: Schema.optionalKey(Channel),
  changer: Schema.optionalKey(Changer)
})
export type SetPinRequest = typeof SetPinRequest.Encoded

/**
 * The answer to a PIN set: the card, its number masked, and `PIN_SET`. Nothing of the PIN.
 *
 * @category models
 */
export interface SetPinResult {
  readonly kitNo: KitNo
  readonly cardNumber: MaskedPan
  readonly status: "PIN_SET"
}

/**
 * @category models
 */
export type SetPinPorts = CardRepository | PinStore | SecurityModule | TenantPolicy | AuditLog | Transactor

type Command = typeof SetPinRequest.Type
type AttemptError = Exclude<SetPinError, ValidationError>

/**
 * The PIN's verifier, made by the security module from the envelope and the card as stored (its PAN
 * opened there: neither the PIN nor the PAN leaves the module); then DOMAIN.md §6: a trivial PIN only
 * where the tenant allows it. The verifier comes first so that a tenant without a `pinStore` key is
 * told so before its client is asked for another PIN.
 */
const verifierOf = Effect.fnUntraced(function* (
  tenant: TenantId,
  card: Card,
  envelope: Redacted.Redacted<string>
): Effect.fn.Return<
  StoredVerifier,
  TrivialPinRefused | InvalidPinBlock | KeyFailure | CiphertextRejected | StoreError,
  SecurityModule | TenantPolicy
> {
  // the PAN comes from the card record, never from the request (seed 001 step 1 binds the block to it)
  const made = yield* (yield* SecurityModule).verifierFromEnvelope(
    tenant,
    { kitNo: card.kitNo, pan: card.pan.encrypted },
    Redacted.value(envelope)
  )
  if (made.trivial && !(yield* (yield* TenantPolicy).policyOf(tenant)).allowTrivialPins)
    return yield* new TrivialPinRefused({ kitNo: card.kitNo })
  return made.verifier
})

/** The checks on a card that exists, then the PIN write and its event. */
const setOnCard = Effect.fnUntraced(function* (
  tenant: TenantId,
  found: Card,
  cardNumber: MaskedPan,
  command: Command,
  context: ChangeContext
): Effect.fn.Return<SetPinResult, AttemptError, Exclude<SetPinPorts, Transactor | CardRepository>> {
  const card = yield* Effect.fromResult(checkCardForPin(found, command.expiryDate))
  const verifier = yield* verifierOf(tenant, card, command.pinBlock)
  // a new PIN starts with nothing counted: setting it unblocks a PIN that verifyPin blocked
  yield* (yield* PinStore).save(tenant, card.kitNo, { verifier, ...noAttempts })
  // the success event is written in the PIN's own transaction: both are stored, or neither
  yield* (yield* AuditLog).append(tenant, [setPinEvent(card.kitNo, "OK", cardNumber, context)])
  return { kitNo: card.kitNo, cardNumber, status: "PIN_SET" }
})

const attempt = Effect.fnUntraced(function* (
  tenant: TenantId,
  command: Command,
  requested: Subject,
  context: ChangeContext
): Effect.fn.Return<SetPinResult, Failure<AttemptError>, Exclude<SetPinPorts, Transactor>> {
  const cards = yield* CardRepository
  // DOMAIN.md §1: another tenant's card is not found
  const found = yield* failingAs(cards.findByKitNoForUpdate(tenant, command.kitNo), requested)
  if (Option.isNone(found))
    return yield* Effect.fail(refused(requested, new CardNotFound({ kitNo: command.kitNo })))
  const cardNumber = found.value.pan.masked
  return yield* failingAs(setOnCard(tenant, found.value, cardNumber, command, context), {
    kitNo: found.value.kitNo,
    cardNumber
  })
})

const decode = decodeTenantRequest(SetPinRequest)

/**
 * Set PIN V2. Checks, in order: the request's fields (`ValidationError`), the card in the tenant
 * (`CardNotFound`), its status (`InvalidCardStatusForPin`), its expiry (`ExpiryDateMismatch`); then,
 * in the `SecurityModule` (`verifierFromEnvelope`), the card's stored PAN (`TenantKeyMissing` or
 * `UnknownKeyId` for its `panStore` key, `CiphertextRejected`), the tenant's `setPin` key
 * (`TenantKeyMissing`), the envelope (`InvalidPinBlock`, whatever is wrong with it, opened with the
 * card's PAN), the tenant's `pinStore` key (`TenantKeyMissing`); then a trivial PIN
 * (`TrivialPinRefused`, unless the tenant allows them). Then the
 * PIN's verifier (`StoredVerifier`: bound to the card's kitNo and PAN, with the id of the key that
 * made it) replaces any earlier one in the `PinStore`, its try counter at 0: a PIN that verifyPin
 * blocked is unblocked by setting a new one.
 *
 * DOMAIN.md §6: every attempt leaves one `SET_PIN` audit event with its outcome: `OK`, the error's
 * `code` (`VALIDATION_FAILED` included), or `INTERNAL_ERROR` for a defect, which is then raised
 * again. A success is written in the PIN's transaction; a failure in its own write once the attempt's
 * transaction has rolled back, and if that write fails, a refusal fails with its `StoreError`. The
 * subject is the card's stored kitNo once the card is found, else the kitNo sent with any card number
 * in it masked, else `-`. Only a request with no valid tenant leaves no event: there is no trail to
 * write it to.
 *
 * @category use cases
 */
export const setPin = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<SetPinResult, SetPinError, SetPinPorts> {
  const at = yield* auditTime
  const decoded = yield* Effect.result(decode(tenant, request))
  if (Result.isFailure(decoded))
    return yield* refuseRequest(SET_PIN, ["channel", "changer"], tenant, request, decoded.failure, at)
  const { tenant: tenantId, request: command } = decoded.success
  const context: ChangeContext = { at, changer: command.changer, channel: command.channel }
  const requested: Subject = { kitNo: maskCardNumbers(command.kitNo), cardNumber: undefined }
  return yield* (yield* Transactor).withTransaction(attempt(tenantId, command, requested, context)).pipe(
    // a defect of the transaction itself: the attempt labels its own
    Effect.catchCauseIf(Cause.hasDies, (cause) => Effect.fail(died(requested, cause))),
    Effect.catch((failure) =>
      conclude(
        SET_PIN,
        tenantId,
        context,
        failure._tag === "StoreError" ? refused(requested, failure) : failure
      )
    ),
    Effect.tap((result) =>
      Effect.logDebug(SET_PIN, { tenant: maskCardNumbers(tenantId), kitNo: result.kitNo, outcome: "OK" })
    )
  )
})
