/**
 * A table of the memory database: committed rows in a native `Map`, and, inside a transaction, an
 * overlay of that transaction's writes. The functions mirror `HashMap`'s (`get`, `set`, `mutate`…)
 * so that adapters read like pure table updates, but a write lands in the overlay: O(1), and
 * invisible to everyone else until the transaction commits.
 *
 * @since 0.1.0
 */
import { Option, Redacted } from "effect"

const tombstone: unique symbol = Symbol("card-lifecycle/memory/Table/tombstone")
type Tombstone = typeof tombstone

type Mode = "building" | "readonly" | "overlay"

/**
 * @category models
 */
export interface Table<K, V> {
  /** @internal */ readonly rows: Map<string, V>
  /** @internal */ readonly mode: Mode
  /** @internal */ writes: Map<string, V | Tombstone> | undefined
  /** Phantom: the key type. */
  readonly _K?: (key: K) => void
}

class TableImpl<K, V> implements Table<K, V> {
  constructor(
    readonly rows: Map<string, V>,
    readonly mode: Mode,
    public writes: Map<string, V | Tombstone> | undefined,
    /** The transaction's list of written tables, which a first write joins. */
    readonly dirty?: Array<Table<unknown, unknown>>
  ) {}
  // rows hold customer data: a table never prints them
  toJSON() {
    return { _id: "Table", size: this.rows.size }
  }
  toString() {
    return `Table(${this.rows.size})`
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString()
  }
}

// A Redacted key (a PAN) is looked up by its value; the table never prints its keys.
const keyOf = (key: unknown): string =>
  typeof key === "string"
    ? key
    : Redacted.isRedacted(key)
      ? Redacted.value(key as Redacted.Redacted<string>)
      : String(key)

/**
 * A table that takes writes directly: only while a database is being built from its fixture.
 *
 * @category constructors
 */
export const building = <K, V>(): Table<K, V> => new TableImpl<K, V>(new Map(), "building", undefined)

/**
 * The committed rows, read-only: what readers outside a transaction see.
 *
 * @category constructors
 */
export const readonly = <K, V>(table: Table<K, V>): Table<K, V> =>
  new TableImpl<K, V>(table.rows, "readonly", undefined)

/**
 * A transaction's view of the committed rows: reads see its own writes first.
 *
 * @category constructors
 */
export const overlay = <K, V>(table: Table<K, V>, dirty: Array<Table<unknown, unknown>>): Table<K, V> =>
  new TableImpl<K, V>(table.rows, "overlay", undefined, dirty)

/**
 * @category getters
 */
export const get = <K, V>(table: Table<K, V>, key: NoInfer<K>): Option.Option<V> => {
  const row = getOrUndefined(table, key)
  return row === undefined ? Option.none() : Option.some(row)
}

/**
 * The row at `key`, or `undefined`: `get` without an `Option`, for loops over many rows.
 *
 * @category getters
 */
export const getOrUndefined = <K, V>(table: Table<K, V>, key: NoInfer<K>): V | undefined => {
  const k = keyOf(key)
  if (table.writes !== undefined) {
    const written = table.writes.get(k)
    if (written !== undefined) return written === tombstone ? undefined : written
  }
  return table.rows.get(k)
}

/**
 * @category getters
 */
export const has = <K, V>(table: Table<K, V>, key: NoInfer<K>): boolean => Option.isSome(get(table, key))

const put = <K, V>(table: Table<K, V>, key: NoInfer<K>, value: V | Tombstone): Table<K, V> => {
  const k = keyOf(key)
  switch (table.mode) {
    case "readonly":
      throw new Error("a memory table was written outside MemoryDatabase.write")
    case "building":
      if (value === tombstone) table.rows.delete(k)
      else table.rows.set(k, value)
      return table
    case "overlay":
      if (table.writes === undefined) {
        table.writes = new Map()
        ;(table as TableImpl<K, V>).dirty?.push(table as Table<unknown, unknown>)
      }
      table.writes.set(k, value)
      return table
  }
}

/**
 * @category mutations
 */
export const set = <K, V>(table: Table<K, V>, key: NoInfer<K>, value: V): Table<K, V> =>
  put(table, key, value)

/**
 * @category mutations
 */
export const remove = <K, V>(table: Table<K, V>, key: NoInfer<K>): Table<K, V> => put(table, key, tombstone)

/**
 * Replaces the row at `key` with `f(row)`, when there is one.
 *
 * @category mutations
 */
export const modify = <K, V>(table: Table<K, V>, key: NoInfer<K>, f: (value: V) => V): Table<K, V> => {
  const row = get(table, key)
  return Option.isSome(row) ? put(table, key, f(row.value)) : table
}

/**
 * Runs a batch of writes against the table (they land in the overlay as they are made).
 *
 * @category mutations
 */
export const mutate = <K, V>(table: Table<K, V>, f: (table: Table<K, V>) => void): Table<K, V> => {
  f(table)
  return table
}

/**
 * Publishes the writes of the dirty overlays to the committed rows, and empties the overlays.
 *
 * @category transactions
 */
export const commit = (dirty: Array<Table<unknown, unknown>>): void => {
  for (const table of dirty) {
    for (const [k, value] of table.writes ?? []) {
      if (value === tombstone) table.rows.delete(k)
      else table.rows.set(k, value)
    }
    table.writes = undefined
  }
  dirty.length = 0
}

/**
 * Drops the writes of the dirty overlays.
 *
 * @category transactions
 */
export const rollback = (dirty: Array<Table<unknown, unknown>>): void => {
  for (const table of dirty) table.writes = undefined
  dirty.length = 0
}

/**
 * The writes so far, to return to if a nested transaction fails.
 *
 * @category transactions
 */
export type Savepoint = ReadonlyArray<readonly [Table<unknown, unknown>, Map<string, unknown>]>

/**
 * @category transactions
 */
export const savepoint = (dirty: ReadonlyArray<Table<unknown, unknown>>): Savepoint =>
  dirty.map((table) => [table, new Map(table.writes)] as const)

/**
 * @category transactions
 */
export const restore = (dirty: Array<Table<unknown, unknown>>, saved: Savepoint): void => {
  for (const table of dirty) table.writes = undefined
  dirty.length = 0
  for (const [table, writes] of saved) {
    table.writes = writes as Map<string, unknown>
    dirty.push(table)
  }
}

/**
 * The committed rows' values (with the overlay's writes applied), in insertion order.
 *
 * @category getters
 */
export const values = <K, V>(table: Table<K, V>): Array<V> => {
  const out: Array<V> = []
  for (const [k, row] of table.rows) {
    const written = table.writes?.get(k)
    if (written === undefined) out.push(row)
    else if (written !== tombstone) out.push(written)
  }
  for (const [k, written] of table.writes ?? [])
    if (!table.rows.has(k) && written !== tombstone) out.push(written)
  return out
}

/**
 * A read-only copy of the committed rows, for snapshots.
 *
 * @category constructors
 */
export const copy = <K, V>(table: Table<K, V>): Table<K, V> =>
  new TableImpl<K, V>(new Map(table.rows), "readonly", undefined)
