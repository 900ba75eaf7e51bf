/**
 * One in-memory database behind every memory port: immutable tables in one `Ref`, writers serialized
 * by a semaphore, and transactions that work on a private copy and publish it only on success.
 *
 * @since 0.1.0
 */
import { type Chunk, Context, Effect, HashMap, type HashSet, Layer, type Redacted, Semaphore } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { Card } from "../../domain/card/Card.js"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { EntityId, KitNo } from "../../domain/Identifiers.js"
import type { CardOrder } from "../../domain/order/CardOrder.js"
import type { Product, TierLadder } from "../../domain/product/Product.js"
import { StoreError } from "../../domain/StoreError.js"
import type { AccountRange } from "../../domain/token/AccountRange.js"
import type { Token, TokenUniqueReference } from "../../domain/token/Token.js"
import type { Policy } from "../../ports/TenantPolicy.js"
import type { WalletNotification } from "./MemoryWalletNotifier.js"

/**
 * Every table is keyed by `tenant/id` (a tenant id holds no `/`), so one tenant's rows can only be
 * reached through that tenant's keys.
 *
 * @category models
 */
export interface Tables {
  readonly cards: HashMap.HashMap<string, Card>
  readonly cardsByCustomer: HashMap.HashMap<string, HashSet.HashSet<KitNo>>
  readonly cardsByAccount: HashMap.HashMap<string, HashSet.HashSet<KitNo>>
  /**
   * Every card of each customer in kitNo order, keyed `tenant/entityId`: the same rows as `cards`,
   * kept in step by `putCards`, so that `findByCustomer` neither looks up nor sorts card by card.
   */
  readonly customerCards: HashMap.HashMap<string, ReadonlyArray<Card>>
  readonly customers: HashMap.HashMap<string, Customer>
  readonly customersByMobile: HashMap.HashMap<string, EntityId>
  readonly accounts: HashMap.HashMap<string, Account>
  readonly audit: HashMap.HashMap<string, Chunk.Chunk<AuditEvent>>
  /**
   * kitNo of each PAN, keyed by `Redacted("tenant/pan")`: looked up by value, never printed.
   */
  readonly kitNoByPan: HashMap.HashMap<Redacted.Redacted<string>, KitNo>
  /** The issuer's next serial, per tenant. */
  readonly issuerSerial: HashMap.HashMap<string, number>
  /** Keyed `tenant/purpose`. */
  readonly keys: HashMap.HashMap<string, Redacted.Redacted<Uint8Array>>
  /** Keyed by tenant. */
  readonly policies: HashMap.HashMap<string, Policy>
  /** Keyed `tenant/tokenUniqueReference`. */
  readonly tokens: HashMap.HashMap<string, Token>
  /** The tokens of each account PAN, keyed by `Redacted("tenant/pan")`: looked up by value, never printed. */
  readonly tokensByPan: HashMap.HashMap<Redacted.Redacted<string>, HashSet.HashSet<TokenUniqueReference>>
  /** Keyed `tenant/cardholderId`. */
  readonly tokensByCardholder: HashMap.HashMap<string, HashSet.HashSet<TokenUniqueReference>>
  /** The tenant's account-range table; keyed by tenant. */
  readonly accountRanges: HashMap.HashMap<string, ReadonlyArray<AccountRange>>
  /** The wallet-provider outbox, oldest first; keyed by tenant. */
  readonly walletNotifications: HashMap.HashMap<string, ReadonlyArray<WalletNotification>>
  /** The tenant's catalog, in productId order; keyed by tenant. */
  readonly products: HashMap.HashMap<string, ReadonlyArray<Product>>
  /** The tenant's tiers, lowest first; keyed by tenant. */
  readonly tierLadders: HashMap.HashMap<string, TierLadder>
  /** Keyed `tenant/orderId`. */
  readonly orders: HashMap.HashMap<string, CardOrder>
}

/**
 * @category constructors
 */
export const emptyTables: Tables = {
  cards: HashMap.empty(),
  cardsByCustomer: HashMap.empty(),
  cardsByAccount: HashMap.empty(),
  customerCards: HashMap.empty(),
  customers: HashMap.empty(),
  customersByMobile: HashMap.empty(),
  accounts: HashMap.empty(),
  audit: HashMap.empty(),
  kitNoByPan: HashMap.empty(),
  issuerSerial: HashMap.empty(),
  keys: HashMap.empty(),
  policies: HashMap.empty(),
  tokens: HashMap.empty(),
  tokensByPan: HashMap.empty(),
  tokensByCardholder: HashMap.empty(),
  accountRanges: HashMap.empty(),
  walletNotifications: HashMap.empty(),
  products: HashMap.empty(),
  tierLadders: HashMap.empty(),
  orders: HashMap.empty()
}

/**
 * The row key of `id` in `tenant`.
 *
 * @category constructors
 */
export const rowKey = (tenant: string, id: string | number): string => `${tenant}/${id}`

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
  /** The transaction's private copy of the tables; published to the database on success. */
  tables: Tables
  /** False once the transaction has ended: a fiber that outlives it writes on its own. */
  open: boolean
}

const CurrentTransaction = Context.Reference<Transaction | undefined>(
  "card-lifecycle/memory/CurrentTransaction",
  {
    defaultValue: () => undefined
  }
)

/**
 * @category services
 */
export class MemoryDatabase extends Context.Service<
  MemoryDatabase,
  {
    readonly read: <A>(f: (tables: Tables) => A) => Effect.Effect<A>
    readonly write: (operation: string, f: (tables: Tables) => Tables) => Effect.Effect<void, StoreError>
    readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /** The committed tables, for tests and diagnostics. */
    readonly snapshot: Effect.Effect<Tables>
  }
>()("card-lifecycle/memory/MemoryDatabase") {
  static readonly make = (initial: Tables, options: MemoryOptions = {}) =>
    Effect.gen(function* () {
      // Plain variables are safe here: JavaScript runs one fiber step at a time, each `Effect.sync`
      // below is atomic, and every writer holds the one permit of `writers`.
      let committed = initial
      let writeCount = 0
      const writers = yield* Semaphore.make(1)
      const identity = {}
      const ours = (tx: Transaction | undefined): tx is Transaction => tx?.database === identity && tx.open

      const transaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.flatMap(CurrentTransaction, (tx) => {
          if (ours(tx)) {
            // a nested transaction is a savepoint: its failure undoes its own writes only
            const saved = tx.tables
            return Effect.onError(self, () =>
              Effect.sync(() => {
                tx.tables = saved
              })
            )
          }
          return writers.withPermits(1)(
            Effect.suspend(() => {
              const own: Transaction = { database: identity, tables: committed, open: true }
              return Effect.provideService(self, CurrentTransaction, own).pipe(
                // reached only on success: a failure or an interruption leaves `committed` untouched
                Effect.tap(() =>
                  Effect.sync(() => {
                    committed = own.tables
                  })
                ),
                Effect.ensuring(
                  Effect.sync(() => {
                    own.open = false
                  })
                )
              )
            })
          )
        })

      const write = (operation: string, f: (tables: Tables) => Tables): Effect.Effect<void, StoreError> =>
        Effect.flatMap(CurrentTransaction, (tx) => {
          if (!ours(tx)) return transaction(write(operation, f))
          const index = writeCount++
          if (options.failWrite?.({ operation, index })) return Effect.fail(new StoreError({ operation }))
          tx.tables = f(tx.tables)
          return Effect.void
        })

      return MemoryDatabase.of({
        read: (f) => Effect.map(CurrentTransaction, (tx) => f(ours(tx) ? tx.tables : committed)),
        write,
        transaction,
        snapshot: Effect.sync(() => committed)
      })
    })

  static readonly layer = (initial: Tables, options?: MemoryOptions) =>
    Layer.effect(MemoryDatabase, MemoryDatabase.make(initial, options))
}
