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

/** @internal */
export type Mode = "building" | "readonly" | "overlay"

/**
 * A nested transaction (a savepoint) of the current transaction.
 *
 * @category models
 */
export interface Scope {
  readonly parent: Scope | undefined
}

/**
 * A store that holds writes of the current transaction: it publishes them, drops them, or drops
 * those made inside one savepoint.
 *
 * @category models
 */
export interface Participant {
  readonly commit: () => void
  readonly rollback: () => void
  readonly undo: (scope: Scope) => void
}

/**
 * What the overlays of one database share: the stores written so far (for commit and rollback)
 * and the scope writes are being made in.
 *
 * @category models
 */
export interface Session {
  readonly dirty: Array<Participant>
  scope: Scope | undefined
}

/**
 * @category constructors
 */
export const session = (): Session => ({ dirty: [], scope: undefined })

/**
 * Whether a write made in `scope` belongs to the savepoint `ancestor` (or one nested in it).
 *
 * @category transactions
 */
export const within = (scope: Scope | undefined, ancestor: Scope): boolean => {
  for (let s = scope; s !== undefined; s = s.parent) if (s === ancestor) return true
  return false
}

type Rows<V> = Map<string, Map<Id, V>>

/** Past this many pending writes, an overlay indexes them instead of scanning. */
const SCAN_LIMIT = 8

/**
 * @category models
 */
export interface Table<V> {
  /** @internal */ readonly rows: Rows<V>
  /** @internal */ readonly mode: Mode
}

class TableImpl<V> implements Table<V>, Participant {
  /**
   * The transaction's writes, oldest first, in parallel arrays: tenant, id, value (or tombstone) and
   * the savepoint each was made in. The arrays outlive the transaction (one allocation per table,
   * not per transaction); `pending` counts the live entries.
   */
  readonly tenants: Array<string> = []
  readonly ids: Array<Id> = []
  readonly values: Array<V | Tombstone> = []
  readonly scopes: Array<Scope | undefined> = []
  pending = 0
  /** The newest write of each (tenant, id), once there are more than `SCAN_LIMIT` writes. */
  index: Map<string, Map<Id, number>> | undefined = undefined

  constructor(
    readonly rows: Rows<V>,
    readonly mode: Mode,
    /** The overlays' shared state, which a first write joins. */
    readonly session?: Session
  ) {}

  /** The position of the newest pending write of (tenant, id), or -1. */
  find(tenant: string, id: Id): number {
    if (this.index !== undefined) return this.index.get(tenant)?.get(id) ?? -1
    for (let i = this.pending - 1; i >= 0; i--) if (this.ids[i] === id && this.tenants[i] === tenant) return i
    return -1
  }

  push(tenant: string, id: Id, value: V | Tombstone, scope: Scope | undefined): void {
    const at = this.pending++
    this.tenants[at] = tenant
    this.ids[at] = id
    this.values[at] = value
    this.scopes[at] = scope
    if (this.index !== undefined) indexOf(this.index, tenant).set(id, at)
    else if (this.pending > SCAN_LIMIT) this.reindex()
  }

  reindex(): void {
    const index = new Map<string, Map<Id, number>>()
    for (let i = 0; i < this.pending; i++) indexOf(index, this.tenants[i]!).set(this.ids[i]!, i)
    this.index = index
  }

  readonly commit = (): void => {
    let tenant: string | undefined
    let rows: Map<Id, V> | undefined
    for (let i = 0; i < this.pending; i++) {
      if (this.tenants[i] !== tenant) {
        tenant = this.tenants[i]!
        rows = rowsOf(this.rows, tenant)
      }
      const value = this.values[i]!
      if (value === tombstone) rows!.delete(this.ids[i]!)
      else rows!.set(this.ids[i]!, value)
    }
    this.clear()
  }

  readonly rollback = (): void => this.clear()

  readonly undo = (scope: Scope): void => {
    let kept = 0
    for (let i = 0; i < this.pending; i++) {
      if (within(this.scopes[i], scope)) continue
      this.tenants[kept] = this.tenants[i]!
      this.ids[kept] = this.ids[i]!
      this.values[kept] = this.values[i]!
      this.scopes[kept] = this.scopes[i]
      kept++
    }
    this.truncate(kept)
    this.index = undefined
    if (this.pending > SCAN_LIMIT) this.reindex()
  }

  clear(): void {
    this.truncate(0)
    this.index = undefined
  }

  /** Keeps the first `n` writes; the rest let go of their rows. */
  truncate(n: number): void {
    if (this.values.length > 1024) {
      // a bulk transaction's arrays are not kept for the next one
      this.tenants.length = n
      this.ids.length = n
      this.values.length = n
      this.scopes.length = n
    } else {
      // nothing of an ended transaction stays reachable: ids may be PAN digits
      for (let i = n; i < this.pending; i++) {
        this.tenants[i] = ""
        this.ids[i] = ""
        this.values[i] = tombstone
        this.scopes[i] = undefined
      }
    }
    this.pending = n
  }

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

const indexOf = (index: Map<string, Map<Id, number>>, tenant: string): Map<Id, number> => {
  let ids = index.get(tenant)
  if (ids === undefined) {
    ids = new Map()
    index.set(tenant, ids)
  }
  return ids
}

const impl = <V>(table: Table<V>): TableImpl<V> => table as TableImpl<V>

/**
 * A table that takes writes directly: only while a database is being built from its fixture.
 *
 * @category constructors
 */
export const building = <V>(): Table<V> => new TableImpl<V>(new Map(), "building")

/**
 * The committed rows, read-only: what readers outside a transaction see.
 *
 * @category constructors
 */
export const readonly = <V>(table: Table<V>): Table<V> => new TableImpl<V>(table.rows, "readonly")

/**
 * A transaction's view of the committed rows: reads see its own writes first. A table joins the
 * session's `dirty` list on its first write, so that commit and rollback visit the written tables
 * only; each write remembers its savepoint, so that the savepoint can undo its own writes alone.
 *
 * @category constructors
 */
export const overlay = <V>(table: Table<V>, session: Session): Table<V> =>
  new TableImpl<V>(table.rows, "overlay", session)

/**
 * The row, or `undefined`: `get` without an `Option`, for loops over many rows.
 *
 * @category getters
 */
export const getOrUndefined = <V>(table: Table<V>, tenant: string, id: Id): V | undefined => {
  const self = impl(table)
  if (self.pending > 0) {
    const at = self.find(tenant, id)
    if (at >= 0) {
      const written = self.values[at]!
      return written === tombstone ? undefined : written
    }
  }
  return self.rows.get(tenant)?.get(id)
}

/**
 * The rows of many ids of one tenant, in the ids' order, skipping ids without a row: one probe of the
 * tenant for the whole list.
 *
 * @category getters
 */
export const getMany = <V>(table: Table<V>, tenant: string, ids: ReadonlyArray<Id>): Array<V> => {
  const self = impl(table)
  const rows = self.rows.get(tenant)
  const found: Array<V> = []
  for (const id of ids) {
    let row: V | undefined
    const at = self.pending > 0 ? self.find(tenant, id) : -1
    if (at >= 0) {
      const written = self.values[at]!
      row = written === tombstone ? undefined : written
    } else row = rows?.get(id)
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
  const self = impl(table)
  switch (self.mode) {
    case "readonly":
      throw new Error("a memory table was written outside MemoryDatabase.write")
    case "building":
      if (value === tombstone) self.rows.get(tenant)?.delete(id)
      else rowsOf(self.rows, tenant).set(id, value)
      return table
    case "overlay": {
      const session = self.session!
      if (self.pending === 0) session.dirty.push(self)
      self.push(tenant, id, value, session.scope)
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
 * Publishes the writes of the dirty stores, in the order they were made, and empties them.
 *
 * @category transactions
 */
export const commit = (session: Session): void => {
  for (const store of session.dirty) store.commit()
  session.dirty.length = 0
}

/**
 * Drops the writes of the dirty stores.
 *
 * @category transactions
 */
export const rollback = (session: Session): void => {
  for (const store of session.dirty) store.rollback()
  session.dirty.length = 0
}

/**
 * Drops the writes made inside `scope` (and the savepoints nested in it). A row that a concurrent
 * fiber of the same transaction wrote, before or after, keeps that fiber's write.
 *
 * @category transactions
 */
export const undo = (session: Session, scope: Scope): void => {
  for (const store of session.dirty) store.undo(scope)
}

/**
 * Every row of every tenant (with the overlay's writes applied).
 *
 * @category getters
 */
export const values = <V>(table: Table<V>): Array<V> => {
  const self = impl(table)
  const merged = copyRows(self.rows)
  for (let i = 0; i < self.pending; i++) {
    const value = self.values[i]!
    if (value === tombstone) merged.get(self.tenants[i]!)?.delete(self.ids[i]!)
    else rowsOf(merged, self.tenants[i]!).set(self.ids[i]!, value)
  }
  return [...merged.values()].flatMap((rows) => [...rows.values()])
}

const copyRows = <V>(rows: Rows<V>): Rows<V> => new Map([...rows].map(([tenant, r]) => [tenant, new Map(r)]))

/**
 * A read-only copy of the committed rows, for snapshots.
 *
 * @category constructors
 */
export const copy = <V>(table: Table<V>): Table<V> => new TableImpl<V>(copyRows(table.rows), "readonly")

/**
 * Runs a batch of writes against the table (they land in the overlay as they are made).
 *
 * @category mutations
 */
export const mutate = <V>(table: Table<V>, f: (table: Table<V>) => void): Table<V> => {
  f(table)
  return table
}
