/**
 * What a host or a test reads of the memory database's state besides the ports: a snapshot of every
 * tenant's committed rows, as plain data.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import type { KitNo } from "../../domain/ground/Identifiers.js"
import type { CardOrder } from "../../domain/kit/CardOrder.js"
import type { Token } from "../../domain/token/Token.js"
import type { PinRecord } from "../../ports/PinStore.js"
import * as Log from "./Log.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * The state a tenant's use cases change, in a fixed order (by id; the audit trail oldest first,
 * which the event outbox mirrors). Configuration (keys, policy, catalog, account ranges) and the issuer's
 * allocations are not in it: no use case changes the first, and a database sequence does not roll
 * back the second.
 *
 * @category models
 */
export interface TenantSnapshot {
  readonly customers: ReadonlyArray<Customer>
  readonly accounts: ReadonlyArray<Account>
  readonly cards: ReadonlyArray<Card>
  readonly orders: ReadonlyArray<CardOrder>
  readonly tokens: ReadonlyArray<Token>
  /** Each card's PIN verifier and its try counter. */
  readonly pinVerifiers: ReadonlyArray<PinRecord & { readonly kitNo: KitNo }>
  readonly auditEvents: ReadonlyArray<AuditEvent>
}

/**
 * Every tenant's state, by tenant id. Cards and tokens hold their PAN protected (ciphertext, masked
 * form, keyed hash); PIN verifiers stay `Redacted`: compare two snapshots with
 * `Equal.equals`, which compares redacted values too (a deep equality of plain objects does not look
 * inside a `Redacted`).
 *
 * @category models
 */
export type MemorySnapshot = { readonly [tenant: string]: TenantSnapshot }

const byId =
  <A>(id: (a: A) => string | number) =>
  (a: A, b: A): number => {
    const x = id(a)
    const y = id(b)
    return x < y ? -1 : x > y ? 1 : 0
  }

const sorted = <A>(rows: Array<A>, id: (a: A) => string | number): ReadonlyArray<A> => rows.sort(byId(id))

const tenantSnapshot = (t: Tables, tenant: string): TenantSnapshot => ({
  customers: sorted(Table.valuesOf(t.customers, tenant), (c) => c.entityId),
  accounts: sorted(Table.valuesOf(t.accounts, tenant), (a) => a.accountNo),
  cards: sorted(Table.valuesOf(t.cards, tenant), (c) => c.kitNo),
  orders: sorted(Table.valuesOf(t.orders, tenant), (o) => o.orderId),
  tokens: sorted(Table.valuesOf(t.tokens, tenant), (k) => k.tokenUniqueReference),
  pinVerifiers: sorted(
    [...(t.pinVerifiers.data.committed.get(tenant) ?? new Map())].map(([kitNo, record]) => ({
      kitNo: kitNo as KitNo,
      ...record
    })),
    (p) => p.kitNo
  ),
  auditEvents: Log.entriesOf(t.audit, tenant)
})

/**
 * Reads the memory database's committed state.
 *
 * @category services
 */
export class MemoryState extends Context.Service<
  MemoryState,
  {
    /** Every tenant's committed state; the open transaction's writes are not in it. */
    readonly snapshot: Effect.Effect<MemorySnapshot>
    /**
     * Every committed row of every table, index entries included, as the database keeps them (a copy):
     * what an at-rest audit searches (`atRestContract` of card-lifecycle/testing). No row holds a
     * clear PAN, a card's or a token's; PIN verifiers stay `Redacted`.
     */
    readonly storedRows: Effect.Effect<ReadonlyArray<{ readonly table: string; readonly rows: unknown }>>
  }
>()("card-lifecycle/memory/MemoryState") {}

/**
 * @category layers
 */
export const MemoryStateLive = Layer.effect(
  MemoryState,
  Effect.map(MemoryDatabase, (db) =>
    MemoryState.of({
      snapshot: Effect.sync(() => {
        const t = db.committed
        const tenants = new Set([
          ...Table.tenants(t.customers),
          ...Table.tenants(t.accounts),
          ...Table.tenants(t.cards),
          ...Table.tenants(t.orders),
          ...Table.tenants(t.tokens),
          ...Table.tenants(t.pinVerifiers),
          ...t.audit.data.committed.keys()
        ])
        // own properties for every tenant id, `__proto__` too (an assignment would set the prototype)
        return Object.fromEntries([...tenants].sort().map((tenant) => [tenant, tenantSnapshot(t, tenant)]))
      }),
      storedRows: Effect.sync(() =>
        Object.entries(db.committed).map(
          ([table, store]: [string, Table.Table<unknown> | Log.Log<unknown>]) => ({
            table,
            rows: store.data.copy().committed
          })
        )
      )
    })
  )
)
