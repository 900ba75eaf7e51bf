/**
 * `Transactor` on PostgreSQL: one database transaction, a nested one a savepoint.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import { StoreError } from "../../domain/ground/StoreError.js"
import { Transactor } from "../../ports/Transactor.js"

const OPERATION = "Transactor.withTransaction"

/**
 * A connection lost in the middle of a transaction ends as a defect (the rollback on the dead
 * connection dies, not a typed `SqlError`): nothing of the transaction was written, and a retry on a
 * new connection may succeed, so it is the port's retryable `StoreError`. Any other defect stays one.
 */
const lostConnection = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
  // defects only: a typed failure and an interruption pass through as they are
  Effect.catchDefect(self, (defect) =>
    SqlError.isSqlError(defect)
      ? Effect.fail(new StoreError({ operation: OPERATION, retryable: true, cause: defect }))
      : Effect.die(defect)
  )

/**
 * @category layers
 */
export const PgTransactor = Layer.effect(
  Transactor,
  Effect.map(SqlClient.SqlClient, (sql) =>
    Transactor.of({
      withTransaction: (self) =>
        lostConnection(
          sql
            .withTransaction(self)
            .pipe(
              Effect.catchIf(SqlError.isSqlError, (error) =>
                Effect.fail(
                  new StoreError({ operation: OPERATION, retryable: error.cause.isRetryable, cause: error })
                )
              )
            )
        )
    })
  )
)
