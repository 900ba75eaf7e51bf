/**
 * A table of the memory database: committed rows in native `Map`s, one per tenant, and, inside a
 * transaction, an overlay of that transaction's writes. A row is addressed by its tenant and its id,
 * never by a concatenated key: the id strings of stored rows keep their cached hashes, so a lookup
 * costs two map probes and no allocation. Writes land in the overlay: O(1), and invisible to every
 * other fiber until the transaction commits.
 *
 * @since 0.1.0
 */
import { Option } from "effect"

const tombstone: unique symbol = Symbol("card-lifecycle/memory/Table/tombstone")
type Tombstone = typeof tombstone

/**
 * A row's id within its tenant: a kitNo, an accountNo, a PAN…; `""` for a tenant's only row.
 *
 * @category models
 */
export type Id = string | number

type Mode = "building" | "readonly" | "overlay"

/**
 * A nested transaction (a savepoint) of the current transaction.
 *
 * @category models
 */
export interface Scope {
  readonly parent: Scope | undefined
}

const absent: unique symbol = Symbol("card-lifecycle/memory/Table/absent")

interface UndoEntry {
  readonly table: Table<unknown>
  readonly tenant: string
  readonly id: Id
  /** The overlay's value before the write: a row, a tombstone, or nothing written yet. */
  readonly previous: unknown
  readonly written: unknown
  readonly scope: Scope
}

/**
 * What the overlays of one database share: the tables written so far (for commit and rollback), the
 * scope writes are being made in, and the undo journal of writes made inside savepoints.
 *
 * @category models
 */
export interface Session {
  readonly dirty: Array<Table<unknown>>
  scope: Scope | undefined
  readonly journal: Array<UndoEntry>
}

/**
 * @category constructors
 */
export const session = (): Session => ({ dirty: [], scope: undefined, journal: [] })

type Rows<V> = Map<string, Map<Id, V>>

/**
 * @category models
 */
export interface Table<V> {
  /** @internal */ readonly rows: Rows<V>
  /** @internal */ readonly mode: Mode
  /** @internal */ writes: Rows<V | Tombstone> | undefined
}

class TableImpl<V> implements Table<V> {
  constructor(
    readonly rows: Rows<V>,
    readonly mode: Mode,
    public writes: Rows<V | Tombstone> | undefined,
    /** The overlays' shared state, which a first write joins. */
    readonly session?: Session
  ) {}
  // rows hold customer data, and some ids are PANs: a table never prints them
  toJSON() {
    return { _id: "Table", tenants: this.rows.size }
  }
  toString() {
    return `Table(${this.rows.size} tenants)`
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString()
  }
}

/**
 * A table that takes writes directly: only while a database is being built from its fixture.
 *
 * @category constructors
 */
export const building = <V>(): Table<V> => new TableImpl<V>(new Map(), "building", undefined)

/**
 * The committed rows, read-only: what readers outside a transaction see.
 *
 * @category constructors
 */
export const readonly = <V>(table: Table<V>): Table<V> => new TableImpl<V>(table.rows, "readonly", undefined)

/**
 * A transaction's view of the committed rows: reads see its own writes first. A table joins the
 * session's `dirty` list on its first write, so that commit and rollback visit the written tables
 * only; a write inside a savepoint is journaled, so that the savepoint can undo it alone.
 *
 * @category constructors
 */
export const overlay = <V>(table: Table<V>, session: Session): Table<V> =>
  new TableImpl<V>(table.rows, "overlay", undefined, session)

/**
 * The row, or `undefined`: `get` without an `Option`, for loops over many rows.
 *
 * @category getters
 */
export const getOrUndefined = <V>(table: Table<V>, tenant: string, id: Id): V | undefined => {
  if (table.writes !== undefined) {
    const written = table.writes.get(tenant)?.get(id)
    if (written !== undefined) return written === tombstone ? undefined : written
  }
  return table.rows.get(tenant)?.get(id)
}

/**
 * The rows of many ids of one tenant, in the ids' order, skipping ids without a row: one probe of the
 * tenant for the whole list.
 *
 * @category getters
 */
export const getMany = <V>(table: Table<V>, tenant: string, ids: ReadonlyArray<Id>): Array<V> => {
  const rows = table.rows.get(tenant)
  const writes = table.writes?.get(tenant)
  const found: Array<V> = []
  for (const id of ids) {
    const written = writes?.get(id)
    const row = written === undefined ? rows?.get(id) : written === tombstone ? undefined : written
    if (row !== undefined) found.push(row)
  }
  return found
}

/**
 * @category getters
 */
export const get = <V>(table: Table<V>, tenant: string, id: Id): Option.Option<V> => {
  const row = getOrUndefined(table, tenant, id)
  return row === undefined ? Option.none() : Option.some(row)
}

/**
 * @category getters
 */
export const has = <V>(table: Table<V>, tenant: string, id: Id): boolean =>
  getOrUndefined(table, tenant, id) !== undefined

const rowsOf = <V>(map: Rows<V>, tenant: string): Map<Id, V> => {
  let rows = map.get(tenant)
  if (rows === undefined) {
    rows = new Map()
    map.set(tenant, rows)
  }
  return rows
}

const put = <V>(table: Table<V>, tenant: string, id: Id, value: V | Tombstone): Table<V> => {
  switch (table.mode) {
    case "readonly":
      throw new Error("a memory table was written outside MemoryDatabase.write")
    case "building":
      if (value === tombstone) table.rows.get(tenant)?.delete(id)
      else rowsOf(table.rows, tenant).set(id, value)
      return table
    case "overlay": {
      const session = (table as TableImpl<V>).session!
      if (table.writes === undefined) {
        table.writes = new Map()
        session.dirty.push(table as Table<unknown>)
      }
      const rows = rowsOf(table.writes, tenant)
      if (session.scope !== undefined) {
        const previous = rows.has(id) ? rows.get(id) : absent
        session.journal.push({
          table: table as Table<unknown>,
          tenant,
          id,
          previous,
          written: value,
          scope: session.scope
        })
      }
      rows.set(id, value)
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
  put(table, tenant, id, tombstone)

/**
 * Replaces the row with `f(row)`, when there is one.
 *
 * @category mutations
 */
export const modify = <V>(table: Table<V>, tenant: string, id: Id, f: (value: V) => V): Table<V> => {
  const row = getOrUndefined(table, tenant, id)
  return row === undefined ? table : put(table, tenant, id, f(row))
}

/**
 * Publishes the writes of the dirty overlays to the committed rows, and empties the overlays.
 *
 * @category transactions
 */
export const commit = (session: Session): void => {
  for (const table of session.dirty) {
    for (const [tenant, writes] of table.writes ?? []) {
      const rows = rowsOf(table.rows, tenant)
      for (const [id, value] of writes) {
        if (value === tombstone) rows.delete(id)
        else rows.set(id, value)
      }
    }
    table.writes = undefined
  }
  session.dirty.length = 0
  session.journal.length = 0
}

/**
 * Drops the writes of the dirty overlays.
 *
 * @category transactions
 */
export const rollback = (session: Session): void => {
  for (const table of session.dirty) table.writes = undefined
  session.dirty.length = 0
  session.journal.length = 0
}

const within = (scope: Scope | undefined, ancestor: Scope): boolean => {
  for (let s = scope; s !== undefined; s = s.parent) if (s === ancestor) return true
  return false
}

/**
 * Undoes the writes made inside `scope` (and the savepoints nested in it), newest first. A row that
 * a concurrent fiber of the same transaction has written since keeps that newer value.
 *
 * @category transactions
 */
export const undo = (session: Session, scope: Scope): void => {
  const kept: Array<UndoEntry> = []
  for (let i = session.journal.length - 1; i >= 0; i--) {
    const entry = session.journal[i]!
    if (!within(entry.scope, scope)) {
      kept.push(entry)
      continue
    }
    const rows = entry.table.writes?.get(entry.tenant)
    if (rows === undefined || rows.get(entry.id) !== entry.written) continue
    if (entry.previous === absent) rows.delete(entry.id)
    else rows.set(entry.id, entry.previous)
  }
  session.journal.length = 0
  session.journal.push(...kept.reverse())
}

/**
 * Every row of every tenant (with the overlay's writes applied).
 *
 * @category getters
 */
export const values = <V>(table: Table<V>): Array<V> => {
  const out: Array<V> = []
  const tenants = new Set([...table.rows.keys(), ...(table.writes?.keys() ?? [])])
  for (const tenant of tenants) {
    const ids = new Set([
      ...(table.rows.get(tenant)?.keys() ?? []),
      ...(table.writes?.get(tenant)?.keys() ?? [])
    ])
    for (const id of ids) {
      const row = getOrUndefined(table, tenant, id)
      if (row !== undefined) out.push(row)
    }
  }
  return out
}

const copyRows = <V>(rows: Rows<V>): Rows<V> => new Map([...rows].map(([tenant, r]) => [tenant, new Map(r)]))

/**
 * A read-only copy of the committed rows, for snapshots.
 *
 * @category constructors
 */
export const copy = <V>(table: Table<V>): Table<V> =>
  new TableImpl<V>(copyRows(table.rows), "readonly", undefined)

/**
 * Runs a batch of writes against the table (they land in the overlay as they are made).
 *
 * @category mutations
 */
export const mutate = <V>(table: Table<V>, f: (table: Table<V>) => void): Table<V> => {
  f(table)
  return table
}
