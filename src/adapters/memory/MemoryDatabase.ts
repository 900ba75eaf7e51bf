/**
 * One in-memory database behind every memory port: committed rows in native maps, one lock for the
 * whole database, and one open transaction at a time whose writes wait in pending rows until it
 * commits. A nested transaction is a savepoint: an undo log records each write made while it is
 * open, and its failure plays the log back to where the savepoint began.
 *
 * @since 0.1.0
 */

import { Context, Effect, type HashSet, Layer, type Result, Semaphore } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import type { EntityId, KitNo } from "../../domain/ground/Identifiers.js"
import { StoreError } from "../../domain/ground/StoreError.js"
import type { CardOrder } from "../../domain/kit/CardOrder.js"
import type { Product, TierLadder } from "../../domain/product/Product.js"
import type { AccountRange } from "../../domain/token/AccountRange.js"
import type { Token, TokenUniqueReference } from "../../domain/token/Token.js"
import type { IdempotencyClaim, IdempotencyRecord } from "../../ports/IdempotencyStore.js"
import type { PinRecord } from "../../ports/PinStore.js"
import type { Policy } from "../../ports/TenantPolicy.js"
import { Log, LogData } from "./Log.js"
import { type Journal, journal, type Mode, Table, TableData } from "./Table.js"

/**
 * A key claimed by the transaction in progress: its claim and expiry, no answer yet.
 *
 * @category models
 */
export interface IdempotencyClaimed extends IdempotencyClaim {
  readonly expiresAt: number
}

/**
 * Every row lives under its tenant: one tenant's rows can only be reached with that tenant's id.
 *
 * @category models
 */
export interface Tables {
  readonly cards: Table<Card>
  /** The kitNos of each account, ascending, by tenant then accountNo. */
  readonly cardsByAccount: Table<ReadonlyArray<KitNo>>
  /** The kitNos of each customer, ascending, by tenant then entityId. */
  readonly customerCards: Table<ReadonlyArray<KitNo>>
  readonly customers: Table<Customer>
  readonly customersByMobile: Table<EntityId>
  readonly accounts: Table<Account>
  /** The audit events of each tenant, in order and by subject. */
  readonly audit: Log<AuditEvent>
  /**
   * The kitNo of each PAN, by tenant then the PAN's keyed hash (`ProtectedPan.hash`): the PANs the
   * tenant's cards hold and the ones the issuer reserved. No table holds a clear PAN.
   */
  readonly kitNoByPanHash: Table<KitNo>
  /** The issuer's next serial, per tenant. */
  readonly issuerSerial: Table<number>
  /** Keyed by tenant. */
  readonly policies: Table<Policy>
  /** By tenant then tokenUniqueReference. */
  readonly tokens: Table<Token>
  /** The tokens of each account PAN, by tenant then the PAN's keyed hash (`accountPan.hash`). */
  readonly tokensByPanHash: Table<HashSet.HashSet<TokenUniqueReference>>
  /** By tenant then cardholderId. */
  readonly tokensByCardholder: Table<HashSet.HashSet<TokenUniqueReference>>
  /** The tenant's account-range table; keyed by tenant. */
  readonly accountRanges: Table<ReadonlyArray<AccountRange>>
  /** The tenant's catalog, in productId order; keyed by tenant. */
  readonly products: Table<ReadonlyArray<Product>>
  /** The tenant's tiers, lowest first; keyed by tenant. */
  readonly tierLadders: Table<TierLadder>
  /** By tenant then orderId. */
  readonly orders: Table<CardOrder>
  /**
   * The PIN of each card (a keyed hash and its key's id, never a PIN) and its try counter, by tenant
   * then kitNo.
   */
  readonly pinVerifiers: Table<PinRecord>
  /**
   * The records of idempotency keys (a keyed fingerprint, never a request), by tenant then key; a
   * claim without its answer exists only inside the transaction that claimed it.
   */
  readonly idempotencyKeys: Table<IdempotencyClaimed | IdempotencyRecord>
  /** The pending events (docs/events.md), by tenant then sequence. */
  readonly outbox: Table<OutboxRow>
  /** Each tenant's next event sequence; keyed by tenant. */
  readonly outboxSequence: Table<number>
}

/**
 * A pending event of the outbox, with its delivery state.
 *
 * @category models
 */
export interface OutboxRow {
  readonly sequence: number
  readonly event: AuditEvent
  readonly attempts: number
  /** Epoch ms: due from then. */
  readonly dueAt: number
  /** Epoch ms: leased until then. */
  readonly leaseUntil: number
}

type Store = Table<unknown> | Log<unknown>

/** Views of the same data in another mode (every table and log of the database). */
const view = (tables: Tables, mode: Mode, shared: Journal, copy: boolean): Tables => {
  // a copy of the literal keeps its shape (fast property access); only the values change
  const viewed = { ...tables } as unknown as Record<string, Store>
  for (const [name, store] of Object.entries(viewed)) {
    viewed[name] =
      store instanceof Log
        ? new Log(copy ? store.data.copy() : store.data, mode, shared)
        : new Table(copy ? store.data.copy() : store.data, mode, shared)
  }
  return viewed as unknown as Tables
}

/**
 * Empty tables that take writes directly: what a fixture is seeded into.
 *
 * @category constructors
 */
export const emptyTables = (): Tables => {
  const unused = journal()
  const table = <V>() => new Table<V>(new TableData(new Map()), "building", unused)
  return {
    cards: table(),
    cardsByAccount: table(),
    customerCards: table(),
    customers: table(),
    customersByMobile: table(),
    accounts: table(),
    audit: new Log(new LogData(new Map(), (event: AuditEvent) => event.subject), "building", unused),
    kitNoByPanHash: table(),
    issuerSerial: table(),
    policies: table(),
    tokens: table(),
    tokensByPanHash: table(),
    tokensByCardholder: table(),
    accountRanges: table(),
    products: table(),
    tierLadders: table(),
    orders: table(),
    pinVerifiers: table(),
    idempotencyKeys: table(),
    outbox: table(),
    outboxSequence: table()
  }
}

/**
 * Decides whether a write fails, for fault-injection tests: `index` counts the database's writes
 * from 0, `operation` names the port method (`CardRepository.updateAll`).
 *
 * @category models
 */
export type FaultPlan = (write: { readonly operation: string; readonly index: number }) => boolean

/**
 * @category models
 */
export interface MemoryOptions {
  /** Makes the chosen writes fail with a retryable `StoreError`, for tests of rollback. */
  readonly failWrite?: FaultPlan
}

interface Transaction {
  readonly database: object
  /** False once the transaction has ended. */
  open: boolean
}

const CurrentTransaction = Context.Reference<Transaction | undefined>(
  "card-lifecycle/memory/CurrentTransaction",
  { defaultValue: () => undefined }
)

/**
 * @category services
 */
export class MemoryDatabase extends Context.Service<
  MemoryDatabase,
  {
    /** Reads the committed tables, or, inside the open transaction, its own view of them. */
    readonly read: <A>(f: (tables: Tables) => A) => Effect.Effect<A>
    /**
     * `f` writes through the `Table` and `Log` functions, at once (it is synchronous), inside the
     * current transaction, or in one of its own outside any. `context` is the calling fiber's (its
     * `Random`, for one).
     */
    readonly write: <A>(
      operation: string,
      f: (tables: Tables, context: Context.Context<never>) => A
    ) => Effect.Effect<A, StoreError>
    /** `write` for a write that may refuse: `f` checks before it writes, so a refusal stores nothing. */
    readonly tryWrite: <A, E>(
      operation: string,
      f: (tables: Tables, context: Context.Context<never>) => Result.Result<A, E>
    ) => Effect.Effect<A, E | StoreError>
    readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /** The committed tables, read-only. */
    readonly committed: Tables
  }
>()("card-lifecycle/memory/MemoryDatabase") {
  static readonly make = (seed: Tables, options: MemoryOptions = {}) =>
    Effect.gen(function* () {
      // Plain variables are safe here: JavaScript runs one fiber step at a time, each `Effect.sync`
      // below is atomic, and one transaction at a time holds the database's lock.
      const shared = journal()
      const building = view(seed, "building", shared, true)
      const committed = view(building, "committed", shared, false)
      const pending = view(building, "transaction", shared, false)
      const lock = yield* Semaphore.make(1)
      const identity = {}
      let writeCount = 0
      const ours = (tx: Transaction | undefined): tx is Transaction => tx?.database === identity && tx.open

      const savepoint = <A, E, R>(tx: Transaction, self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.suspend(() => {
          const begun = { mark: shared.undo.length }
          shared.savepoints.push(begun)
          return Effect.onExit(self, (exit) =>
            Effect.sync(() => {
              // a fiber that outlived its transaction: the journal is another transaction's now
              if (!tx.open) return
              shared.savepoints.splice(shared.savepoints.indexOf(begun), 1)
              // rolling a savepoint back undoes every write made since it began, newest first;
              // a savepoint still open that began later now begins where the writes stop
              if (exit._tag === "Failure") {
                for (let i = shared.undo.length - 1; i >= begun.mark; i--) shared.undo[i]!()
                shared.undo.length = Math.min(begun.mark, shared.undo.length)
                for (const open of shared.savepoints) open.mark = Math.min(open.mark, shared.undo.length)
              }
              if (shared.savepoints.length === 0) shared.undo.length = 0
            })
          )
        })

      const end = (success: boolean) => {
        for (const store of shared.dirty) success ? store.commit() : store.rollback()
        shared.dirty.length = 0
        shared.undo.length = 0
        shared.savepoints.length = 0
      }

      const transaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.contextWith((context) => {
          const tx = Context.get(context, CurrentTransaction)
          if (ours(tx)) return savepoint(tx, self)
          const own: Transaction = { database: identity, open: true }
          return lock.withPermits(1)(
            Effect.onExit(Effect.provideService(self, CurrentTransaction, own), (exit) =>
              Effect.sync(() => {
                own.open = false
                // a failure or an interruption publishes nothing
                end(exit._tag === "Success")
              })
            )
          )
        })

      // the fault plan's verdict on the next write
      const faulted = (operation: string) => options.failWrite?.({ operation, index: writeCount++ }) === true

      const write = <A>(
        operation: string,
        f: (tables: Tables, context: Context.Context<never>) => A
      ): Effect.Effect<A, StoreError> =>
        Effect.contextWith((context) => {
          if (!ours(Context.get(context, CurrentTransaction))) return transaction(write(operation, f))
          if (faulted(operation)) return Effect.fail(new StoreError({ operation, retryable: true }))
          return Effect.succeed(f(pending, context))
        })

      const tryWrite = <A, E>(
        operation: string,
        f: (tables: Tables, context: Context.Context<never>) => Result.Result<A, E>
      ): Effect.Effect<A, E | StoreError> =>
        Effect.contextWith((context) => {
          if (!ours(Context.get(context, CurrentTransaction))) return transaction(tryWrite(operation, f))
          if (faulted(operation)) return Effect.fail(new StoreError({ operation, retryable: true }))
          return Effect.fromResult(f(pending, context))
        })

      return MemoryDatabase.of({
        read: (f) =>
          Effect.contextWith((context) =>
            Effect.succeed(f(ours(Context.get(context, CurrentTransaction)) ? pending : committed))
          ),
        write,
        tryWrite,
        transaction,
        committed
      })
    })

  /** A fresh database holding a copy of `seed`'s rows. */
  static readonly layer = (seed: Tables, options?: MemoryOptions) =>
    Layer.effect(MemoryDatabase, MemoryDatabase.make(seed, options))
}
