/**
 * `Transactor` on PostgreSQL: one database transaction, a nested one a savepoint.
 *
 * The outermost transaction is effect/sql's (`BEGIN`, `COMMIT`, `ROLLBACK`). A nested one is a
 * `SAVEPOINT` of this module's, rolled back to if the inner effect fails, and released only when a
 * later savepoint of the same level is taken (the commit releases the last one): effect/sql's own
 * nesting sends `RELEASE SAVEPOINT` after every inner transaction, a round trip that changes nothing
 * the commit would not.
 *
 * A flat transaction takes no savepoint at all: its nested transactions join it. If one of them fails
 * and the flat one goes on to succeed, the writes the failed one made cannot be undone alone: the
 * whole transaction is rolled back and run again as an ordinary one, with savepoints. It also holds
 * the audit log's appends back, to send them with a later statement (HeldAppends.ts).
 *
 * @since 0.1.0
 */
import { Context, Data, Effect, Exit, Layer } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import { StoreError } from "../../domain/ground/StoreError.js"
import { Transactor } from "../../ports/Transactor.js"
import { CurrentHeldAppends, type HeldAppends, sendHeld } from "./HeldAppends.js"

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
 * A level of this module's transactions: its depth, and whether it holds a savepoint not released.
 * A flat level takes no savepoints; `spoiled` once a transaction that joined it failed.
 */
interface Level {
  readonly depth: number
  savepointHeld: boolean
  readonly flat: boolean
  spoiled: boolean
}

/** Ends a flat transaction that a failed nested one spoiled: rolled back, to be run again. */
class Spoiled extends Data.TaggedError("Spoiled") {}

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
    const levelAt = (depth: number, flat: boolean): Level => ({
      depth,
      savepointHeld: false,
      flat,
      spoiled: false
    })
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
            restore(Effect.provideService(self, CurrentLevel, levelAt(level.depth + 1, false))),
            (exit) =>
              Exit.isSuccess(exit) ? Effect.void : Effect.orDie(sql.unsafe(`ROLLBACK TO SAVEPOINT ${name}`))
          )
        )
      )
    }
    /** `self` joining a flat level's transaction: its failure spoils the level. */
    const join = <A, E, R>(level: Level, self: Effect.Effect<A, E, R>) =>
      Effect.onExit(self, (exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) level.spoiled = true
        })
      )
    const nested = <A, E, R>(level: Level, self: Effect.Effect<A, E, R>) =>
      level.flat ? join(level, self) : savepoint(level, self)
    /** The port's typed failure for what the driver reported, and a lost connection. */
    const asStoreError = <A, E, R>(
      self: Effect.Effect<A, E | SqlError.SqlError, R>
    ): Effect.Effect<A, E | StoreError, R> =>
      lostConnection(
        Effect.catchIf(self, SqlError.isSqlError, (error) =>
          Effect.fail(
            new StoreError({ operation: OPERATION, retryable: error.cause.isRetryable, cause: error })
          )
        )
      )
    const outermost = <A, E, R>(self: Effect.Effect<A, E, R>) =>
      sql.withTransaction(Effect.provideService(self, CurrentLevel, levelAt(1, false)))
    /**
     * `self` as a flat transaction: `Spoiled` (all rolled back) if a joined one failed. The audit
     * log's appends it holds back (HeldAppends.ts) are sent before it commits.
     */
    const flat = <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.suspend(() => {
        const top = levelAt(1, true)
        const held: HeldAppends = { sql, tenant: undefined, events: [] }
        return sql.withTransaction(
          Effect.flatMap(
            Effect.provideService(Effect.provideService(self, CurrentLevel, top), CurrentHeldAppends, held),
            (value): Effect.Effect<A, Spoiled | SqlError.SqlError> =>
              top.spoiled
                ? Effect.fail(new Spoiled())
                : Effect.as(Effect.provideService(sendHeld(sql), CurrentHeldAppends, held), value)
          )
        )
      })
    const flatOrOrdinary = <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.catchIf(
        flat(self),
        (error): error is Spoiled => error instanceof Spoiled,
        () => outermost(self)
      )
    return Transactor.of({
      withTransaction: (self) =>
        asStoreError(
          Effect.flatMap(CurrentLevel, (current) =>
            current === undefined ? outermost(self) : nested(current, self)
          )
        ),
      withFlatTransaction: (self) =>
        asStoreError(
          Effect.flatMap(CurrentLevel, (current) =>
            current === undefined ? flatOrOrdinary(self) : nested(current, self)
          )
        )
    })
  })
)
