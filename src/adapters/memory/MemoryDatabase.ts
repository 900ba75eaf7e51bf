/**
 * One in-memory database behind every memory port: committed rows in native maps, writers serialized
 * by a semaphore, and transactions that write into overlays published only on success.
 *
 * @since 0.1.0
 */
import { Context, Effect, type HashSet, Layer, type Redacted, Semaphore } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { Card } from "../../domain/card/Card.js"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { EntityId, KitNo } from "../../domain/Identifiers.js"
import type { CardOrder } from "../../domain/order/CardOrder.js"
import type { PinVerifier } from "../../domain/pin/PinVerifier.js"
import type { Product, TierLadder } from "../../domain/product/Product.js"
import { StoreError } from "../../domain/StoreError.js"
import type { AccountRange } from "../../domain/token/AccountRange.js"
import type { Token, TokenUniqueReference } from "../../domain/token/Token.js"
import type { Policy } from "../../ports/TenantPolicy.js"
import * as Log from "./Log.js"
import type { WalletNotification } from "./MemoryWalletNotifier.js"
import * as Table from "./Table.js"

/**
 * Every row lives under its tenant: one tenant's rows can only be reached with that tenant's id.
 *
 * @category models
 */
export interface Tables {
  readonly cards: Table.Table<Card>
  /** The kitNos of each account, ascending, by tenant then accountNo. */
  readonly cardsByAccount: Table.Table<ReadonlyArray<KitNo>>
  /** The kitNos of each customer, ascending, by tenant then entityId. */
  readonly customerCards: Table.Table<ReadonlyArray<KitNo>>
  readonly customers: Table.Table<Customer>
  readonly customersByMobile: Table.Table<EntityId>
  readonly accounts: Table.Table<Account>
  /** The audit events of each tenant, in order, indexed by subject when read. */
  readonly audit: Log.Log<AuditEvent>
  /**
   * kitNo of each PAN, by tenant then PAN digits: a Table never prints its ids or rows.
   */
  readonly kitNoByPan: Table.Table<KitNo>
  /** The issuer's next serial, per tenant. */
  readonly issuerSerial: Table.Table<number>
  /** By tenant then purpose. */
  readonly keys: Table.Table<Redacted.Redacted<Uint8Array>>
  /** Keyed by tenant. */
  readonly policies: Table.Table<Policy>
  /** By tenant then tokenUniqueReference. */
  readonly tokens: Table.Table<Token>
  /**
   * The tokens of each account PAN, keyed by tenant, then by the PAN's digits: a `Table` never prints
   * its ids or rows.
   */
  readonly tokensByPan: Table.Table<HashSet.HashSet<TokenUniqueReference>>
  /** By tenant then cardholderId. */
  readonly tokensByCardholder: Table.Table<HashSet.HashSet<TokenUniqueReference>>
  /** The tenant's account-range table; keyed by tenant. */
  readonly accountRanges: Table.Table<ReadonlyArray<AccountRange>>
  /** The wallet-provider outbox, oldest first; keyed by tenant. */
  readonly walletNotifications: Table.Table<ReadonlyArray<WalletNotification>>
  /** The tenant's catalog, in productId order; keyed by tenant. */
  readonly products: Table.Table<ReadonlyArray<Product>>
  /** The tenant's tiers, lowest first; keyed by tenant. */
  readonly tierLadders: Table.Table<TierLadder>
  /** By tenant then orderId. */
  readonly orders: Table.Table<CardOrder>
  /** The PIN verifier of each card (a keyed hash, never a PIN), by tenant then kitNo. */
  readonly pinVerifiers: Table.Table<PinVerifier>
}

/**
 * @category constructors
 */
export const emptyTables = (): Tables => ({
  cards: Table.building(),
  cardsByAccount: Table.building(),
  customerCards: Table.building(),
  customers: Table.building(),
  customersByMobile: Table.building(),
  accounts: Table.building(),
  audit: Log.building((event: AuditEvent) => event.subject),
  kitNoByPan: Table.building(),
  issuerSerial: Table.building(),
  keys: Table.building(),
  policies: Table.building(),
  tokens: Table.building(),
  tokensByPan: Table.building(),
  tokensByCardholder: Table.building(),
  accountRanges: Table.building(),
  walletNotifications: Table.building(),
  products: Table.building(),
  tierLadders: Table.building(),
  orders: Table.building(),
  pinVerifiers: Table.building()
})

/**
 * Decides whether a write fails, for fault-injection tests: `index` counts the database's writes
 * from 0, `operation` names the port method (`CardRepository.saveAll`).
 *
 * @category models
 */
export type FaultPlan = (write: { readonly operation: string; readonly index: number }) => boolean

/**
 * @category models
 */
export interface MemoryOptions {
  readonly failWrite?: FaultPlan
}

interface Transaction {
  readonly database: object
  /** Shared by the transaction and its savepoints; false once the transaction has ended. */
  readonly state: { open: boolean }
  /** The savepoint this part of the transaction runs in; undefined at the top level. */
  readonly scope: Table.Scope | undefined
}

const CurrentTransaction = Context.Reference<Transaction | undefined>(
  "card-lifecycle/memory/CurrentTransaction",
  {
    defaultValue: () => undefined
  }
)

interface StoreMapping {
  readonly table: (table: Table.Table<unknown>) => Table.Table<unknown>
  readonly log: (log: Log.Log<unknown>) => Log.Log<unknown>
}

const mapTables = (tables: Tables, f: StoreMapping): Tables => {
  // a copy of the literal keeps its shape (fast property access); only the values change
  const mapped = { ...tables } as unknown as Record<string, Table.Table<unknown> | Log.Log<unknown>>
  for (const name of Object.keys(mapped)) {
    const store = mapped[name]!
    mapped[name] = "logs" in store ? f.log(store) : f.table(store)
  }
  return mapped as unknown as Tables
}

const copies: StoreMapping = { table: Table.copy, log: Log.copy }

/**
 * @category services
 */
export class MemoryDatabase extends Context.Service<
  MemoryDatabase,
  {
    readonly read: <A>(f: (tables: Tables) => A) => Effect.Effect<A>
    /**
     * `f` writes through the `Table` functions, atomically (it is synchronous), and its writes land
     * in the current transaction; its result is the write's. `context` is the calling fiber's (its
     * `Random`, for one).
     */
    readonly write: <A>(
      operation: string,
      f: (tables: Tables, context: Context.Context<never>) => A
    ) => Effect.Effect<A, StoreError>
    readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /**
     * A read-only copy of the committed tables, for tests and diagnostics. The same object until a
     * transaction commits a write: `before === after` means nothing was stored.
     */
    readonly snapshot: Effect.Effect<Tables>
  }
>()("card-lifecycle/memory/MemoryDatabase") {
  static readonly make = (initial: Tables, options: MemoryOptions = {}) =>
    Effect.gen(function* () {
      // Plain variables are safe here: JavaScript runs one fiber step at a time, each `Effect.sync`
      // below is atomic, and every writer holds the one permit of `writers`. Writers take turns, so
      // one set of overlays serves every transaction: emptied at each commit or rollback. The
      // initial tables are copied: two databases never share rows.
      const committed = mapTables(mapTables(initial, copies), { table: Table.readonly, log: Log.readonly })
      const session = Table.session()
      const overlays = mapTables(committed, {
        table: (table) => Table.overlay(table, session),
        log: (log) => Log.overlay(log, session)
      })
      let version = 0
      let snapshot: { readonly version: number; readonly tables: Tables } | undefined
      let writeCount = 0
      const writers = yield* Semaphore.make(1)
      const identity = {}
      const ours = (tx: Transaction | undefined): tx is Transaction =>
        tx?.database === identity && tx.state.open
      const ended = (tx: Transaction | undefined) => tx?.database === identity && !tx.state.open

      // `contextWith` and `Context.get`, not `flatMap(CurrentTransaction, …)`: one step of the fiber
      // per transaction, read or write instead of two
      const transaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.contextWith((context) => {
          const tx = Context.get(context, CurrentTransaction)
          if (ours(tx)) {
            // a nested transaction is a savepoint: its failure undoes its own writes only
            const scope: Table.Scope = { parent: tx.scope }
            return Effect.provideService(self, CurrentTransaction, { ...tx, scope }).pipe(
              Effect.onError(() => Effect.sync(() => Table.undo(session, scope)))
            )
          }
          const own: Transaction = { database: identity, state: { open: true }, scope: undefined }
          return writers.withPermits(1)(
            Effect.provideService(self, CurrentTransaction, own).pipe(
              Effect.onExit((exit) =>
                Effect.sync(() => {
                  own.state.open = false
                  // a failure or an interruption publishes nothing
                  if (exit._tag === "Success") {
                    if (session.dirty.length > 0) version++
                    Table.commit(session)
                  } else Table.rollback(session)
                })
              )
            )
          )
        })

      const write = <A>(
        operation: string,
        f: (tables: Tables, context: Context.Context<never>) => A
      ): Effect.Effect<A, StoreError> =>
        Effect.contextWith((context) => {
          const tx = Context.get(context, CurrentTransaction)
          // a fiber forked inside a transaction that has ended must not write on its own: its
          // transaction's outcome (perhaps a rollback) is already decided
          if (ended(tx)) return Effect.die(new Error(`${operation} ran after its transaction ended`))
          if (!ours(tx)) return transaction(write(operation, f))
          const index = writeCount++
          if (options.failWrite?.({ operation, index })) return Effect.fail(new StoreError({ operation }))
          session.scope = tx.scope
          try {
            return Effect.succeed(f(overlays, context))
          } finally {
            session.scope = undefined
          }
        })

      return MemoryDatabase.of({
        read: (f) =>
          Effect.contextWith((context) =>
            Effect.succeed(f(ours(Context.get(context, CurrentTransaction)) ? overlays : committed))
          ),
        write,
        transaction,
        snapshot: Effect.sync(() => {
          if (snapshot?.version !== version) snapshot = { version, tables: mapTables(committed, copies) }
          return snapshot.tables
        })
      })
    })

  static readonly layer = (initial: Tables, options?: MemoryOptions) =>
    Layer.effect(MemoryDatabase, MemoryDatabase.make(initial, options))
}
