/**
 * Where the answers of requests made under an idempotency key are kept (docs/idempotency.md).
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { RequestFingerprint } from "./SecurityModule.js"

/**
 * The answer a request got: its result, or the refusal as the error model encodes it. Both are
 * plain JSON.
 *
 * @category models
 * @since 0.1.0
 */
export type StoredAnswer =
  | { readonly _tag: "Success"; readonly value: unknown }
  | { readonly _tag: "Failure"; readonly error: unknown }

/**
 * A key's record: the request it was first used for (its operation and keyed fingerprint, never the
 * request itself), the answer once the request ran, and when the record expires.
 *
 * @category models
 * @since 0.1.0
 */
export interface IdempotencyRecord {
  readonly key: string
  readonly operation: string
  readonly fingerprint: RequestFingerprint
  /** Absent only inside the transaction of the request that claimed the key. */
  readonly answer?: StoredAnswer
  /** Epoch milliseconds. */
  readonly expiresAt: number
}

/**
 * @category services
 * @since 0.1.0
 */
export class IdempotencyStore extends Context.Service<
  IdempotencyStore,
  {
    /**
     * Inside a transaction: the key's record unless it expired by `now`; when there is none (or an
     * expired one), `claim` is stored in its place and `None` returned. Either way the key stays
     * locked until the transaction ends: a concurrent `claim` of the same key waits, then sees what
     * the first transaction committed (its record, or nothing if it rolled back).
     */
    readonly claim: (
      tenant: TenantId,
      claim: IdempotencyRecord,
      now: number
    ) => Effect.Effect<Option.Option<IdempotencyRecord>, StoreError>
    /** Stores the answer of a key this transaction claimed. */
    readonly complete: (
      tenant: TenantId,
      key: string,
      answer: StoredAnswer
    ) => Effect.Effect<void, StoreError>
    /** Deletes the tenant's records expired by `now`; how many went. */
    readonly deleteExpired: (tenant: TenantId, now: number) => Effect.Effect<number, StoreError>
  }
>()("card-lifecycle/IdempotencyStore") {}
