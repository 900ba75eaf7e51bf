/**
 * What setPin and verifyPin share about an audited PIN attempt (DOMAIN.md §6): the card its event
 * names, how an attempt that failed inside its transaction is concluded (its event in a write of its
 * own once the transaction has rolled back, its log line, then the error or the defect again), and
 * how a request that did not decode is audited.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Option, Schema } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import type { ChangeContext } from "../ground/AuditEvent.js"
import { Changer, Channel, KitNo, TenantId } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"
import type { MaskedPan } from "../ground/Pan.js"
import type { StoreError } from "../ground/StoreError.js"
import type { ValidationError } from "../ground/Validation.js"
import { INTERNAL_ERROR, NO_SUBJECT, pinAttemptEvent } from "./SetPinRules.js"

/**
 * What an attempt's event and log line name, as far as the attempt got.
 *
 * @category models
 */
export interface Subject {
  /** The card's stored kitNo once it is found; before that the kitNo sent, card numbers masked. */
  readonly kitNo: string
  readonly cardNumber: MaskedPan | undefined
}

/**
 * How an attempt that decoded failed, with what its event names: refused with a typed error, or
 * died (a defect; its dies only are kept, to be raised again once audited).
 *
 * @category models
 */
export type Failure<E> =
  | { readonly _tag: "PinAttemptRefusal"; readonly error: E; readonly subject: Subject }
  | { readonly _tag: "PinAttemptDefect"; readonly defects: Cause.Cause<never>; readonly subject: Subject }

/**
 * @category constructors
 */
export const refused = <E>(subject: Subject, error: E): Failure<E> => ({
  _tag: "PinAttemptRefusal",
  error,
  subject
})

/**
 * @category constructors
 */
export const died = (subject: Subject, cause: Cause.Cause<unknown>): Failure<never> => ({
  _tag: "PinAttemptDefect",
  defects: Cause.fromReasons(cause.reasons.filter(Cause.isDieReason)),
  subject
})

/**
 * Every way `self` can fail, typed errors and defects alike, as a `Failure` naming `subject`.
 *
 * @category combinators
 */
export const failingAs = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  subject: Subject
): Effect.Effect<A, Failure<E>, R> =>
  self.pipe(
    Effect.mapError((error) => refused(subject, error)),
    Effect.catchCauseIf(Cause.hasDies, (cause) => Effect.fail(died(subject, cause)))
  )

/**
 * A failed attempt's event, in a write of its own once the attempt's transaction has rolled back,
 * then its log line; then the refusal again, or the defect. A defect is what the caller must see: if
 * its event cannot be written either, that is logged, not raised in its place.
 *
 * @category combinators
 */
export const conclude = <E extends { readonly code: string }>(
  action: string,
  tenant: TenantId,
  context: ChangeContext,
  failure: Failure<E>
): Effect.Effect<never, E | StoreError, AuditLog> =>
  Effect.flatMap(AuditLog, (audit) => {
    const { kitNo, cardNumber } = failure.subject
    const outcome = failure._tag === "PinAttemptRefusal" ? failure.error.code : INTERNAL_ERROR
    const written = audit.append(tenant, [pinAttemptEvent(action, kitNo, outcome, cardNumber, context)])
    const line = { tenant: maskCardNumbers(tenant), kitNo, outcome }
    return failure._tag === "PinAttemptRefusal"
      ? written.pipe(
          Effect.andThen(Effect.logDebug(action, line, failure.error)),
          Effect.andThen(Effect.fail(failure.error))
        )
      : written.pipe(
          Effect.catch((error) => Effect.logWarning(action, line, "the audit event was not written", error)),
          Effect.andThen(Effect.logDebug(action, line)),
          Effect.andThen(Effect.failCause(failure.defects))
        )
  })

const kitNoAlone = Schema.decodeUnknownOption(KitNo)
const tenantAlone = Schema.decodeUnknownOption(TenantId)
const channelAlone = Schema.decodeUnknownOption(Channel)
const changerAlone = Schema.decodeUnknownOption(Changer)

/**
 * DOMAIN.md §6: a request that does not decode is an attempt too. Its event names the kitNo if that
 * field decodes on its own (card numbers masked), else `NO_SUBJECT`, with those of the request's
 * `auditFields` (its channel, its changer) that decode. The audit log is partitioned by tenant: with
 * no valid tenant there is nowhere to write the event, and only the log line is left.
 *
 * @category combinators
 */
export const refuseRequest = Effect.fnUntraced(function* (
  action: string,
  auditFields: ReadonlyArray<"channel" | "changer">,
  tenant: unknown,
  request: unknown,
  error: ValidationError,
  at: string
): Effect.fn.Return<never, ValidationError | StoreError, AuditLog> {
  const fields = (typeof request === "object" && request !== null ? request : {}) as {
    readonly [field: string]: unknown
  }
  const subject = Option.match(kitNoAlone(fields.kitNo), {
    onNone: () => NO_SUBJECT,
    onSome: maskCardNumbers
  })
  const tenantId = Option.getOrUndefined(tenantAlone(tenant))
  if (tenantId !== undefined) {
    const context: ChangeContext = {
      at,
      channel: auditFields.includes("channel")
        ? Option.getOrUndefined(channelAlone(fields.channel))
        : undefined,
      changer: auditFields.includes("changer")
        ? Option.getOrUndefined(changerAlone(fields.changer))
        : undefined
    }
    yield* (yield* AuditLog).append(tenantId, [
      pinAttemptEvent(action, subject, error.code, undefined, context)
    ])
  }
  yield* Effect.logDebug(
    action,
    {
      ...(tenantId === undefined ? {} : { tenant: maskCardNumbers(tenantId) }),
      kitNo: subject,
      outcome: error.code
    },
    error
  )
  return yield* Effect.fail(error)
})
