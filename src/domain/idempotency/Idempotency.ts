/**
 * Idempotency keys (docs/idempotency.md): a use case run under a key runs once; a retry of the same
 * request with the same key gets the first answer, result or refusal, and changes nothing.
 *
 * @since 0.1.0
 */
import { Cause, Clock, Effect, Exit, Option, Redacted, Schema } from "effect"
import { IdempotencyStore, type StoredAnswer } from "../../ports/IdempotencyStore.js"
import { type KeyFailure, SecurityModule, type TenantKeyMissing } from "../../ports/SecurityModule.js"
import { Transactor } from "../../ports/Transactor.js"
import { errorKindOf, isModelError, ModelError } from "../ErrorModel.js"
import type { StoreError } from "../ground/StoreError.js"
import { decodeTenantRequest, type ValidationError } from "../ground/Validation.js"
import { IdempotencyKey, IdempotencyKeyReused } from "./IdempotencyKey.js"

/** A value as canonical JSON: object keys sorted, at every level; what JSON cannot hold, named. */
const canonical = (value: unknown): string => {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value)
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : `"<${value}>"`
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (typeof value === "object")
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      // Stryker disable next-line StringLiteral: each `"key":value` pair is self-delimiting (a quoted key follows a complete value), so the pairs read back the same without a comma
      .join(",")}}`
  return `"<${typeof value}>"`
}

const decode = decodeTenantRequest(Schema.Struct({ idempotencyKey: IdempotencyKey }))

/** A refusal worth keeping: the model's, but the store's and the configuration's (a retry may pass). */
const isKeptRefusal = (error: unknown): error is ModelError =>
  isModelError(error) && errorKindOf(error) !== "Unavailable"

const encodeError = Schema.encodeSync(ModelError)
const decodeError = Schema.decodeUnknownSync(ModelError)

/** The stored answer again: the same result, or the same refusal as an instance of its class. */
const replay = <A, E>(answer: StoredAnswer): Exit.Exit<A, E> =>
  answer._tag === "Success" ? Exit.succeed(answer.value as A) : Exit.fail(decodeError(answer.error) as E)

/**
 * What `withIdempotencyKey` adds to a use case's requirements.
 *
 * @category models
 * @since 0.1.0
 */
export type IdempotencyPorts = IdempotencyStore | SecurityModule | Transactor

/**
 * What `withIdempotencyKey` adds to a use case's errors.
 *
 * @category models
 * @since 0.1.0
 */
export type IdempotencyError =
  | ValidationError
  | IdempotencyKeyReused
  | StoreError
  | TenantKeyMissing
  | KeyFailure

/**
 * `useCase` under an idempotency key. In one transaction: the key is claimed (a concurrent request
 * with the same key waits for this one to end, then gets its answer), the use case runs (its own
 * transaction joins this one: a flat transaction, run again with savepoints when the use case refuses
 * inside its transaction), and its answer is stored beside its writes. A later call
 * with the same key and the same request (the same `operation`, and the same fields, compared by a
 * keyed fingerprint) gets that answer and runs nothing; with another request it is refused
 * (`IdempotencyKeyReused`). A result and a refusal of the model are kept; a failure of the store or of
 * the tenant's keys is not (the transaction rolls back with the claim, and a retry runs anew), nor is
 * a defect. Keys are per tenant and kept for the tenant's `idempotencyRetentionHours`.
 *
 * ```ts
 * const replace = withIdempotencyKey("replaceCard", replaceCard)
 * yield* replace("ACME_BANK", "3f0c9a2e-retry-safe", { correlationId: "8642135", oldLoyaltyId: 4240181595, status: "DAMAGED" })
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const withIdempotencyKey =
  <A, E, R>(operation: string, useCase: (tenant: string, request: unknown) => Effect.Effect<A, E, R>) =>
  (
    tenant: string,
    key: string,
    request: unknown
  ): Effect.Effect<A, E | IdempotencyError, R | IdempotencyPorts> =>
    Effect.gen(function* () {
      const decoded = yield* decode(tenant, { idempotencyKey: key })
      const tenantId = decoded.tenant
      const security = yield* SecurityModule
      const store = yield* IdempotencyStore
      const text = Redacted.make(canonical({ operation, request }), { label: "request" })
      const fingerprint = yield* security.requestFingerprint(tenantId, text)
      const now = yield* Clock.currentTimeMillis
      // the answer leaves the transaction as a value: a refusal kept with the key must commit with it
      const answer = yield* (yield* Transactor).withFlatTransaction(
        Effect.gen(function* () {
          // a new claim expires after the tenant's retention, which the store reads with it
          const found = yield* store.claim(tenantId, { key, operation, fingerprint }, now)
          if (Option.isSome(found)) {
            const record = found.value
            const hash =
              record.fingerprint.keyId === fingerprint.keyId
                ? fingerprint.hash
                : yield* security.requestFingerprintUnder(tenantId, record.fingerprint.keyId, text)
            if (record.operation !== operation || hash !== record.fingerprint.hash)
              return Exit.fail(new IdempotencyKeyReused())
            return replay<A, E>(record.answer)
          }
          const exit = yield* Effect.exit(useCase(tenant, request))
          if (Exit.isSuccess(exit)) {
            yield* store.complete(tenantId, key, { _tag: "Success", value: exit.value })
            return exit
          }
          const error = Cause.findErrorOption(exit.cause)
          if (Option.isSome(error) && isKeptRefusal(error.value) && !Cause.hasDies(exit.cause)) {
            yield* store.complete(tenantId, key, { _tag: "Failure", error: encodeError(error.value) })
            return Exit.fail(error.value as E)
          }
          return yield* Effect.failCause(exit.cause)
        })
      )
      return yield* answer
    })

const decodeTenant = decodeTenantRequest(Schema.Struct({}))

/**
 * Deletes the tenant's idempotency records that expired (their retention passed): what a host runs
 * now and then (an hour apart is plenty). An expired key is never answered from its record anyway; this
 * frees the space. How many went.
 *
 * @category use cases
 * @since 0.1.0
 */
export const sweepIdempotencyKeys = (
  tenant: string
): Effect.Effect<number, ValidationError | StoreError, IdempotencyStore> =>
  Effect.gen(function* () {
    const { tenant: tenantId } = yield* decodeTenant(tenant, {})
    const now = yield* Clock.currentTimeMillis
    return yield* (yield* IdempotencyStore).deleteExpired(tenantId, now)
  })
