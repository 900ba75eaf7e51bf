/**
 * What every PostgreSQL port shares: a failed statement as the port's `StoreError` (retryable when
 * the driver says a retry may succeed), never a raw `SqlError`.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { SqlError } from "effect/sql"
import { StoreError } from "../../domain/ground/StoreError.js"

/**
 * The store failed during `operation`: its `SqlError` kept as the cause (for logs; never encoded).
 *
 * @category errors
 */
export const storeError =
  (operation: string) =>
  (error: SqlError.SqlError): StoreError =>
    new StoreError({ operation, retryable: error.cause.isRetryable, cause: error })

/**
 * Runs a statement of `operation`, its failure as `StoreError`.
 *
 * @category combinators
 */
export const statement =
  (operation: string) =>
  <A, R>(self: Effect.Effect<A, SqlError.SqlError, R>): Effect.Effect<A, StoreError, R> =>
    Effect.mapError(self, storeError(operation))
