/**
 * A table of the memory database: committed rows in native `Map`s, one per tenant, and the pending
 * rows of the one open transaction. A row is addressed by its tenant and its id. Reads inside the
 * transaction see its pending rows first; everyone else sees the committed rows only.
 *
 * @since 0.1.0
 */
import { Option } from "effect"

/**
 * A row's id within its tenant: a kitNo, an accountNo, a PAN's digits…; `""` for a tenant's only row.
 *
 * @category models
 */
export type Id = string | number

const DELETED: unique symbol = Symbol("card-lifecycle/memory/Table/deleted")
type Deleted = typeof DELETED

type Rows<V> = Map<string, Map<Id, V>>

/**
 * What the stores of one database share while a transaction is open: the stores it wrote (to
 * publish or drop), and the undo log of its open savepoints, newest last.
 *
 * @category models
 */
export interface Journal {
  /** Each store once, on its first write. */
  readonly dirty: Array<Store>
  /** One entry per write made while a savepoint is open: how to take the write back. */
  readonly undo: Array<() => void>
  /**
   * Where each open savepoint began in `undo`, oldest first; writes are logged for undo only while
   * one is open.
   */
  readonly savepoints: Array<{ mark: number }>
}

/**
 * A store that holds a transaction's writes until it ends.
 *
 * @category models
 */
export interface Store {
  readonly commit: () => void
  readonly rollback: () => void
}

/**
 * @category constructors
 */
export const journal = (): Journal => ({ dirty: [], undo: [], savepoints: [] })

/**
 * The data of one table: committed rows, and the pending rows of the open transaction.
 *
 * @category models
 */
export class TableData<V> implements Store {
  readonly pending: Rows<V | Deleted> = new Map()
  /** Whether the open transaction wrote here: reads of an unwritten table go to the committed rows. */
  written = false
  constructor(readonly committed: Rows<V>) {}

  // A tenant's pending map is emptied row by row, not dropped nor cleared: its next transaction
  // writes into it again without allocating (a `clear` allocates a new backing table).
  readonly commit = (): void => {
    for (const [tenant, rows] of this.pending) {
      if (rows.size === 0) continue
      const target = rowsOf(this.committed, tenant)
      for (const [id, value] of rows) {
        if (value === DELETED) target.delete(id)
        else target.set(id, value)
        rows.delete(id)
      }
    }
    this.written = false
  }

  readonly rollback = (): void => {
    for (const rows of this.pending.values()) for (const id of rows.keys()) rows.delete(id)
    this.written = false
  }

  /** A copy of the committed rows: two databases never share a tenant's map. */
  copy(): TableData<V> {
    return new TableData(new Map([...this.committed].map(([tenant, rows]) => [tenant, new Map(rows)])))
  }
}

/**
 * How a table is seen: `building` writes committed rows directly (while a database is seeded),
 * `committed` is read-only, `transaction` writes pending rows.
 *
 * @category models
 */
export type Mode = "building" | "committed" | "transaction"

/**
 * A view of a table, the handle every read and write goes through.
 *
 * @category models
 */
export class Table<V> {
  constructor(
    /** @internal */ readonly data: TableData<V>,
    /** @internal */ readonly mode: Mode,
    /** @internal */ readonly journal: Journal
  ) {}

  // rows hold customer data, and some ids are PANs: a table never prints them
  toJSON() {
    return { _id: "Table", tenants: this.data.committed.size }
  }
  toString() {
    return `Table(${this.data.committed.size} tenants)`
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString()
  }
}

const rowsOf = <V>(rows: Rows<V>, tenant: string): Map<Id, V> => {
  let found = rows.get(tenant)
  if (found === undefined) {
    found = new Map()
    rows.set(tenant, found)
  }
  return found
}

/**
 * The row, or `undefined`.
 *
 * @category getters
 */
export const getOrUndefined = <V>(table: Table<V>, tenant: string, id: Id): V | undefined => {
  const data = table.data
  if (data.written && table.mode === "transaction") {
    const pending = data.pending.get(tenant)?.get(id)
    if (pending !== undefined) return pending === DELETED ? undefined : pending
  }
  return data.committed.get(tenant)?.get(id)
}

/**
 * @category getters
 */
export const get = <V>(table: Table<V>, tenant: string, id: Id): Option.Option<V> =>
  Option.fromUndefinedOr(getOrUndefined(table, tenant, id))

/**
 * @category getters
 */
export const has = <V>(table: Table<V>, tenant: string, id: Id): boolean =>
  getOrUndefined(table, tenant, id) !== undefined

/**
 * The rows of many ids of one tenant, in the ids' order, skipping ids without a row.
 *
 * @category getters
 */
export const getMany = <V>(table: Table<V>, tenant: string, ids: Iterable<Id>): Array<V> => {
  const found: Array<V> = []
  for (const id of ids) {
    const row = getOrUndefined(table, tenant, id)
    if (row !== undefined) found.push(row)
  }
  return found
}

/**
 * Every row of one tenant, in no particular order.
 *
 * @category getters
 */
export const valuesOf = <V>(table: Table<V>, tenant: string): Array<V> => {
  const ids = new Set<Id>(table.data.committed.get(tenant)?.keys())
  if (table.mode === "transaction") for (const id of table.data.pending.get(tenant)?.keys() ?? []) ids.add(id)
  return getMany(table, tenant, ids)
}

/**
 * The tenants that have rows in the table.
 *
 * @category getters
 */
export const tenants = <V>(table: Table<V>): Array<string> => {
  const found = new Set(table.data.committed.keys())
  if (table.mode === "transaction") for (const tenant of table.data.pending.keys()) found.add(tenant)
  return [...found]
}

const put = <V>(table: Table<V>, tenant: string, id: Id, value: V | Deleted): Table<V> => {
  switch (table.mode) {
    case "committed":
      throw new Error("a memory table was written outside MemoryDatabase.write")
    case "building":
      if (value === DELETED) table.data.committed.get(tenant)?.delete(id)
      else rowsOf(table.data.committed, tenant).set(id, value)
      return table
    case "transaction": {
      const { journal, data } = table
      const rows = rowsOf(data.pending, tenant)
      if (journal.savepoints.length > 0) {
        // the savepoint's undo puts back what the transaction had pending for this row, or nothing
        const had = rows.has(id)
        const before = rows.get(id)
        journal.undo.push(() => {
          if (had) rows.set(id, before!)
          else rows.delete(id)
        })
      }
      rows.set(id, value)
      if (!data.written) {
        data.written = true
        journal.dirty.push(data)
      }
      return table
    }
  }
}

/**
 * @category mutations
 */
export const set = <V>(table: Table<V>, tenant: string, id: Id, value: V): Table<V> =>
  put(table, tenant, id, value)

/**
 * @category mutations
 */
export const remove = <V>(table: Table<V>, tenant: string, id: Id): Table<V> =>
  put(table, tenant, id, DELETED)

/**
 * Replaces the row with `f(row)`, when there is one.
 *
 * @category mutations
 */
export const modify = <V>(table: Table<V>, tenant: string, id: Id, f: (value: V) => V): Table<V> => {
  const row = getOrUndefined(table, tenant, id)
  return row === undefined ? table : put(table, tenant, id, f(row))
}
