/**
 * Set PIN V2 (seed 001, DOMAIN.md §6): the client sends the PIN as an ISO 9564 format-0 block sealed
 * with AES-GCM under the tenant's set-PIN key; the PIN store keeps a keyed hash of it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Redacted, Schema } from "effect"
import { decryptPinBlock, type InvalidPinBlock, isTrivialPin } from "../crypto/index.js"
import { AuditLog } from "../ports/AuditLog.js"
import { CardRepository } from "../ports/CardRepository.js"
import { PinStore } from "../ports/PinStore.js"
import { type TenantKeyMissing, TenantKeys } from "../ports/TenantKeys.js"
import { TenantPolicy } from "../ports/TenantPolicy.js"
import { Transactor } from "../ports/Transactor.js"
import type { ChangeContext } from "./audit/AuditEvent.js"
import { type Card, CardNotFound } from "./card/Card.js"
import { type MaskedPan, maskPan } from "./card/Pan.js"
import { Changer, Channel, KitNo, type TenantId } from "./Identifiers.js"
import { type PinVerifier, pinVerifier } from "./pin/PinVerifier.js"
import {
  checkCardForPin,
  type ExpiryDateMismatch,
  type InvalidCardStatusForPin,
  SET_PIN,
  setPinEvent,
  TrivialPinRefused
} from "./pin/SetPinRules.js"
import type { StoreError } from "./StoreError.js"
import { decodeTenantRequest, type ValidationError } from "./Validation.js"

/**
 * Seed 001 `expiryDate`: the card's expiry as MMYY, month 01–12 (`0729`).
 *
 * @category schemas
 */
export const ExpiryDateMmyy = Schema.String.check(
  Schema.isPattern(/^(0[1-9]|1[0-2])[0-9]{2}$/, { message: "must be MMYY with a month 01-12" })
)

/**
 * The envelope as the client sent it. Only its type is checked here: DOMAIN.md §6 makes every way it
 * can be wrong (bad Base64, wrong length, wrong tag…) the one `InvalidPinBlock`. It is held
 * `Redacted` from here on, and can never be encoded back.
 *
 * @category schemas
 */
export const PinBlockEnvelope = Schema.RedactedFromValue(Schema.String, {
  label: "pinBlock",
  disallowEncode: true
})

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
 * Every way a Set PIN attempt can fail; each carries the `code` its audit event records.
 *
 * @category models
 */
export type SetPinError =
  | ValidationError
  | CardNotFound
  | InvalidCardStatusForPin
  | ExpiryDateMismatch
  | TenantKeyMissing
  | InvalidPinBlock
  | TrivialPinRefused
  | StoreError

/**
 * @category models
 */
export type SetPinPorts = CardRepository | PinStore | TenantKeys | TenantPolicy | AuditLog | Transactor

type Command = typeof SetPinRequest.Type
type AttemptError = Exclude<SetPinError, ValidationError>

/** A refused attempt, with the card's masked number once the card was found: what its event needs. */
interface Refusal {
  readonly _tag: "SetPinRefusal"
  readonly error: AttemptError
  readonly cardNumber: MaskedPan | undefined
}

const refusal =
  (cardNumber: MaskedPan | undefined) =>
  (error: AttemptError): Refusal => ({ _tag: "SetPinRefusal", error, cardNumber })

/** DOMAIN.md §6: a trivial PIN only where the tenant allows it; then the PIN's verifier. */
const verifierOf = Effect.fnUntraced(function* (
  tenant: TenantId,
  kitNo: KitNo,
  pin: Redacted.Redacted<string>,
  key: Redacted.Redacted<Uint8Array>
): Effect.fn.Return<PinVerifier, TrivialPinRefused | StoreError, TenantPolicy> {
  if (isTrivialPin(pin) && !(yield* (yield* TenantPolicy).policyOf(tenant)).allowTrivialPins)
    return yield* new TrivialPinRefused({ kitNo })
  return pinVerifier(key, kitNo, pin)
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
  const keys = yield* TenantKeys
  const setPinKey = yield* keys.keyFor(tenant, "setPin")
  const pinStoreKey = yield* keys.keyFor(tenant, "pinStore")
  // the PAN comes from the card record, never from the request (seed 001 step 1 binds the block to it)
  const pin = yield* decryptPinBlock({
    pinBlock: Redacted.value(command.pinBlock),
    pan: card.pan,
    key: setPinKey
  })
  const verifier = yield* Effect.ensuring(
    verifierOf(tenant, card.kitNo, pin, pinStoreKey),
    Effect.sync(() => Redacted.wipeUnsafe(pin))
  )
  yield* (yield* PinStore).save(tenant, card.kitNo, verifier)
  // the success event is written in the PIN's own transaction: both are stored, or neither
  yield* (yield* AuditLog).append(tenant, [setPinEvent(card.kitNo, "OK", cardNumber, context)])
  return { kitNo: card.kitNo, cardNumber, status: "PIN_SET" }
})

const attempt = Effect.fnUntraced(function* (
  tenant: TenantId,
  command: Command,
  context: ChangeContext
): Effect.fn.Return<SetPinResult, Refusal, Exclude<SetPinPorts, Transactor>> {
  const cards = yield* CardRepository
  // DOMAIN.md §1: another tenant's card is not found
  const found = yield* Effect.mapError(cards.findByKitNo(tenant, command.kitNo), refusal(undefined))
  if (Option.isNone(found))
    return yield* Effect.fail(refusal(undefined)(new CardNotFound({ kitNo: command.kitNo })))
  const cardNumber = maskPan(found.value.pan)
  return yield* Effect.mapError(
    setOnCard(tenant, found.value, cardNumber, command, context),
    refusal(cardNumber)
  )
})

const decode = decodeTenantRequest(SetPinRequest)

/**
 * Set PIN V2. Checks, in order: the request's fields (`ValidationError`, not audited: there is no card
 * to name yet), the card in the tenant (`CardNotFound`), its status (`InvalidCardStatusForPin`), its
 * expiry (`ExpiryDateMismatch`), the tenant's `setPin` and `pinStore` keys (`TenantKeyMissing`), the
 * envelope (`InvalidPinBlock`, whatever is wrong with it), a trivial PIN (`TrivialPinRefused`, unless
 * the tenant allows them). Then the PIN's verifier replaces any earlier one in the `PinStore`.
 *
 * Every attempt that gets past validation leaves one `SET_PIN` audit event with its outcome (`OK` or
 * the error's `code`): a success in the PIN's transaction, a refusal in its own write once the
 * attempt's transaction has rolled back. If that write fails, the call fails with its `StoreError`.
 *
 * @category use cases
 */
export const setPin = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<SetPinResult, SetPinError, SetPinPorts> {
  const { tenant: tenantId, request: command } = yield* decode(tenant, request)
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const context: ChangeContext = {
    at: DateTime.formatIso(yield* DateTime.now),
    changer: command.changer,
    channel: command.channel
  }
  return yield* transactor.withTransaction(attempt(tenantId, command, context)).pipe(
    Effect.tap(() => Effect.logDebug(SET_PIN, { tenant: tenantId, kitNo: command.kitNo, outcome: "OK" })),
    Effect.catch((failure) => {
      const { error, cardNumber } =
        failure._tag === "SetPinRefusal" ? failure : { error: failure, cardNumber: undefined }
      return audit
        .append(tenantId, [setPinEvent(command.kitNo, error.code, cardNumber, context)])
        .pipe(
          Effect.andThen(
            Effect.logDebug(SET_PIN, { tenant: tenantId, kitNo: command.kitNo, outcome: error.code }, error)
          ),
          Effect.andThen(Effect.fail(error))
        )
    })
  )
})
