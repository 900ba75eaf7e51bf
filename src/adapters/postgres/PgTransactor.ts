/**
 * `Transactor` on PostgreSQL: one database transaction, a nested one a savepoint.
 *
 * The outermost transaction is effect/sql's (`BEGIN`, `COMMIT`, `ROLLBACK`). A nested one is a
 * `SAVEPOINT` of this module's, rolled back to if the inner effect fails, and released only when a
 * later savepoint of the same level is taken (the commit releases the last one): effect/sql's own
 * nesting sends `RELEASE SAVEPOINT` after every inner transaction, a round trip that changes nothing
 * the commit would not.
 *
 * @since 0.1.0
 */
import { Context, Effect, Exit, Layer } from "effect"
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

/** A level of this module's transactions: its depth, and whether it holds a savepoint not released. */
interface Level {
  readonly depth: number
  savepointHeld: boolean
}

let transactors = 0

/**
 * @category layers
 */
export const PgTransactor = Layer.effect(
  Transactor,
  Effect.map(SqlClient.SqlClient, (sql) => {
    /** The level the current fiber runs at in this layer's transactions; none outside them. */
    const CurrentLevel = Context.Reference<Level | undefined>(
      `card-lifecycle/postgres/TransactionLevel/${transactors++}`,
      { defaultValue: () => undefined }
    )
    /** `self` in a savepoint of `level`'s transaction; on failure the savepoint is rolled back to. */
    const savepoint = <A, E, R>(level: Level, self: Effect.Effect<A, E, R>) => {
      const name = `card_lifecycle_${level.depth}`
      // a savepoint taken before at this level goes first: savepoints left held would nest
      const take = level.savepointHeld
        ? Effect.andThen(sql.unsafe(`RELEASE SAVEPOINT ${name}`), sql.unsafe(`SAVEPOINT ${name}`))
        : sql.unsafe(`SAVEPOINT ${name}`)
      return Effect.uninterruptibleMask((restore) =>
        Effect.andThen(
          Effect.tap(take, () =>
            Effect.sync(() => {
              level.savepointHeld = true
            })
          ),
          Effect.onExit(
            restore(
              Effect.provideService(self, CurrentLevel, { depth: level.depth + 1, savepointHeld: false })
            ),
            (exit) =>
              Exit.isSuccess(exit) ? Effect.void : Effect.orDie(sql.unsafe(`ROLLBACK TO SAVEPOINT ${name}`))
          )
        )
      )
    }
    return Transactor.of({
      withTransaction: (self) =>
        lostConnection(
          Effect.gen(function* () {
            const level = yield* CurrentLevel
            return yield* level === undefined
              ? sql.withTransaction(
                  Effect.provideService(self, CurrentLevel, { depth: 1, savepointHeld: false })
                )
              : savepoint(level, self)
          }).pipe(
            Effect.catchIf(SqlError.isSqlError, (error) =>
              Effect.fail(
                new StoreError({ operation: OPERATION, retryable: error.cause.isRetryable, cause: error })
              )
            )
          )
        )
    })
  })
)
