/**
 * The failures of a store behind a port: it could not answer, it found a key taken, or it has no
 * identifiers left to hand out.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A port could not read or write its store (a connection lost, a serialization failure, a deadlock,
 * an injected fault). Whatever the operation had written in its transaction is rolled back.
 * `retryable` says whether the same request may succeed if sent again (a serialization failure, a
 * lost connection), or will fail the same way until someone acts (a broken schema). The store's own
 * failure is kept as the error's `cause` (`Cause.pretty` prints it, for logs): it is never encoded,
 * so it never reaches a client's JSON.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  code: Schema.tag("STORE_UNAVAILABLE"),
  message: Schema.String,
  operation: Schema.String,
  retryable: Schema.Boolean
}) {
  constructor(props: { readonly operation: string; readonly retryable?: boolean; readonly cause?: unknown }) {
    const retryable = props.retryable ?? false
    super({
      operation: props.operation,
      retryable,
      message: retryable
        ? `The store failed during ${props.operation}; nothing was changed. Retry the request.`
        : `The store failed during ${props.operation}; nothing was changed. Retrying will not help until the store is repaired.`
    })
    // an Error's own `cause`, not a field: `Cause.pretty` shows it, encoding and JSON never do
    if (props.cause !== undefined)
      Object.defineProperty(this, "cause", { value: props.cause, enumerable: false, configurable: true })
  }
}

/**
 * The keys a store keeps unique within a tenant, and that an insert can find taken.
 *
 * @category models
 * @since 0.1.0
 */
export const UniqueKey = Schema.Literals(["kitNo", "pan", "orderId"])
export type UniqueKey = typeof UniqueKey.Type

/**
 * An insert found one of its keys already taken in the tenant (by a row committed before, or by a
 * concurrent transaction that won the race): nothing of the insert was stored. It is a port's answer,
 * never a use case's: the use case names it as its own refusal where the domain has one
 * (`NEW_LOYALTY_ID_IN_USE`), or as a retryable `StoreError` where it does not. It carries no value
 * of the key: a taken PAN is never named.
 *
 * @category errors
 * @since 0.1.0
 */
export class DuplicateKey extends Schema.TaggedError<DuplicateKey>()("DuplicateKey", {
  code: Schema.tag("DUPLICATE_KEY"),
  message: Schema.String,
  operation: Schema.String,
  key: UniqueKey
}) {
  constructor(props: { readonly operation: string; readonly key: UniqueKey }) {
    super({ ...props, message: `${props.operation} found a ${props.key} already taken; nothing was stored.` })
  }
}

/**
 * DOMAIN.md §9: the store has no identifier of this kind left for the tenant (a card issuer whose
 * serial kitNos reached 2^53 − 1). Nothing was changed; a retry fails the same way until the issuer is
 * reconfigured.
 *
 * @category errors
 * @since 0.1.0
 */
export class IdentifiersExhausted extends Schema.TaggedError<IdentifiersExhausted>()("IdentifiersExhausted", {
  code: Schema.tag("IDENTIFIERS_EXHAUSTED"),
  message: Schema.String,
  identifier: Schema.Literals(["kitNo", "pan"])
}) {
  constructor(props: { readonly identifier: "kitNo" | "pan" }) {
    super({
      ...props,
      message: `No ${props.identifier} is left to issue for this tenant; nothing was changed. The issuer must be reconfigured.`
    })
  }
}
