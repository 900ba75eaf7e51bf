/**
 * One in-memory database behind every memory port: immutable tables in one `Ref`, writers serialized
 * by a semaphore, and transactions that work on a private copy and publish it only on success.
 *
 * @since 0.1.0
 */
import { Context, Effect, HashMap, type HashSet, Layer, type Redacted, Ref, Semaphore } from "effect"
import type { AuditEvent } from "../../domain/audit/AuditEvent.js"
import type { Card } from "../../domain/card/Card.js"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { EntityId, KitNo } from "../../domain/Identifiers.js"
import { StoreError } from "../../domain/StoreError.js"
import type { Policy } from "../../ports/TenantPolicy.js"

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
  readonly customers: HashMap.HashMap<string, Customer>
  readonly customersByMobile: HashMap.HashMap<string, EntityId>
  readonly accounts: HashMap.HashMap<string, Account>
  readonly audit: HashMap.HashMap<string, ReadonlyArray<AuditEvent>>
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
}

/**
 * @category constructors
 */
export const emptyTables: Tables = {
  cards: HashMap.empty(),
  cardsByCustomer: HashMap.empty(),
  cardsByAccount: HashMap.empty(),
  customers: HashMap.empty(),
  customersByMobile: HashMap.empty(),
  accounts: HashMap.empty(),
  audit: HashMap.empty(),
  kitNoByPan: HashMap.empty(),
  issuerSerial: HashMap.empty(),
  keys: HashMap.empty(),
  policies: HashMap.empty()
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
  readonly working: Ref.Ref<Tables>
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
      const committed = yield* Ref.make(initial)
      const writers = yield* Semaphore.make(1)
      const writeCount = yield* Ref.make(0)
      const identity = {}
      const current = Effect.map(CurrentTransaction, (tx) =>
        tx?.database === identity ? tx.working : undefined
      )

      const checkFault = (operation: string) =>
        Ref.getAndUpdate(writeCount, (n) => n + 1).pipe(
          Effect.flatMap((index) =>
            options.failWrite?.({ operation, index })
              ? Effect.fail(new StoreError({ operation }))
              : Effect.void
          )
        )

      const transaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
        Effect.flatMap(current, (working) =>
          working !== undefined
            ? self
            : writers.withPermits(1)(
                Effect.gen(function* () {
                  const working = yield* Ref.make(yield* Ref.get(committed))
                  const result = yield* Effect.provideService(self, CurrentTransaction, {
                    database: identity,
                    working
                  })
                  // reached only on success: a failure or an interruption leaves `committed` untouched
                  yield* Ref.set(committed, yield* Ref.get(working))
                  return result
                })
              )
        )

      return MemoryDatabase.of({
        read: (f) => Effect.flatMap(current, (working) => Effect.map(Ref.get(working ?? committed), f)),
        write: (operation, f) =>
          Effect.flatMap(current, (working) =>
            working !== undefined
              ? Effect.andThen(checkFault(operation), Ref.update(working, f))
              : transaction(
                  Effect.andThen(
                    checkFault(operation),
                    Effect.flatMap(current, (w) => Ref.update(w!, f))
                  )
                )
          ),
        transaction,
        snapshot: Ref.get(committed)
      })
    })

  static readonly layer = (initial: Tables, options?: MemoryOptions) =>
    Layer.effect(MemoryDatabase, MemoryDatabase.make(initial, options))
}
