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
 * What a request claims a key with: the operation and the keyed fingerprint of the request it is
 * first used for, never the request itself.
 *
 * @category models
 * @since 0.1.0
 */
export interface IdempotencyClaim {
  readonly key: string
  readonly operation: string
  readonly fingerprint: RequestFingerprint
}

/**
 * A key's record once its request ran: the claim, its answer, and when the record expires.
 *
 * @category models
 * @since 0.1.0
 */
export interface IdempotencyRecord extends IdempotencyClaim {
  readonly answer: StoredAnswer
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
     * expired one), `claim` is stored in its place, without an answer yet, expiring the tenant's
     * retention after `now` (its `TenantPolicy`'s `idempotencyRetentionHours`, read by the store in
     * the same step), and `None` returned. Either way the key stays locked until the transaction
     * ends: a concurrent `claim` of the same key waits, then sees what the first transaction
     * committed (its record, or nothing if it rolled back). A transaction that claims a key completes
     * it before it commits, so a committed key always has its answer.
     */
    readonly claim: (
      tenant: TenantId,
      claim: IdempotencyClaim,
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
