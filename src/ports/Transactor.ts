import { Context, type Effect } from "effect"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * Runs an effect as one transaction, with what SQL gives and nothing more:
 *
 * - all of its writes are stored, or none: if the effect fails or is interrupted, every write it made
 *   through the ports is rolled back;
 * - inside it, reads see its own writes; outside it, nobody sees them before it commits;
 * - a transaction inside a transaction is a savepoint: if the inner effect fails, every write made
 *   since the savepoint began is undone, and the outer transaction goes on with the rest;
 * - rows read with a port's `…ForUpdate` method stay locked until the transaction ends, so two
 *   transactions deciding on the same row behave as in some serial order.
 *
 * A transaction is one line of work: its effect should not fork fibers that write through the ports
 * (a SQL connection runs one statement at a time), nor keep one writing after it ends.
 *
 * @category services
 * @since 0.1.0
 */
export class Transactor extends Context.Service<
  Transactor,
  {
    readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
    /**
     * `withTransaction`, with the same outcome, for a transaction whose nested transactions rarely
     * fail: where a savepoint costs a round trip (SQL), the adapter may run `self` with every nested
     * transaction joining it, no savepoint taken, and, only if a nested transaction then fails while
     * `self` goes on to succeed, roll everything back and run `self` again as `withTransaction` does.
     * So `self` may run twice, as under a retry: it must act only through the ports. Inside another
     * transaction, it is `withTransaction`.
     */
    readonly withFlatTransaction: <A, E, R>(
      self: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | StoreError, R>
  }
>()("card-lifecycle/Transactor") {}
