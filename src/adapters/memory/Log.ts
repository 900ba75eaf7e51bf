/**
 * An append-only log of the memory database, one per tenant: the audit trail. Committed entries are
 * kept in order; the index by key (an event's subject) is caught up by the first read that needs
 * it, so an append costs one push however long the log. The open transaction's appends wait in a
 * pending list and are published on commit.
 *
 * @since 0.1.0
 */
import type { Journal, Mode, Store } from "./Table.js"

interface TenantLog<E> {
  readonly entries: Array<E>
  /** Each key's entries, for `entries[0, indexed)`. */
  readonly byKey: Map<string, Array<E>>
  indexed: number
}

/**
 * The data of one log: committed entries per tenant, and the open transaction's appends.
 *
 * @category models
 */
export class LogData<E> implements Store {
  /** The open transaction's appends and their tenants, oldest first. */
  readonly pending: Array<E> = []
  readonly pendingTenants: Array<string> = []
  /** Whether the open transaction appended here (the log is then in the journal's `dirty`). */
  written = false
  constructor(
    readonly committed: Map<string, TenantLog<E>>,
    readonly keyOf: (entry: E) => string
  ) {}

  readonly commit = (): void => {
    for (let i = 0; i < this.pending.length; i++) publish(this, this.pendingTenants[i]!, this.pending[i]!)
    this.rollback()
  }

  readonly rollback = (): void => {
    this.pending.length = 0
    this.pendingTenants.length = 0
    this.written = false
  }

  copy(): LogData<E> {
    const copy = new LogData<E>(new Map(), this.keyOf)
    for (const [tenant, log] of this.committed) for (const entry of log.entries) publish(copy, tenant, entry)
    return copy
  }
}

const publish = <E>(data: LogData<E>, tenant: string, entry: E): void => {
  let log = data.committed.get(tenant)
  if (log === undefined) {
    log = { entries: [], byKey: new Map(), indexed: 0 }
    data.committed.set(tenant, log)
  }
  log.entries.push(entry)
}

/** The tenant's index by key, caught up with the entries published since the last read. */
const indexOf = <E>(data: LogData<E>, log: TenantLog<E>): Map<string, Array<E>> => {
  for (; log.indexed < log.entries.length; log.indexed++) {
    const entry = log.entries[log.indexed]!
    const key = data.keyOf(entry)
    const entries = log.byKey.get(key)
    if (entries === undefined) log.byKey.set(key, [entry])
    else entries.push(entry)
  }
  return log.byKey
}

/**
 * A view of a log, as `Table` is of a table.
 *
 * @category models
 */
export class Log<E> {
  constructor(
    /** @internal */ readonly data: LogData<E>,
    /** @internal */ readonly mode: Mode,
    /** @internal */ readonly journal: Journal
  ) {}

  // entries are audit events of customers' cards: a log never prints them
  toJSON() {
    return { _id: "Log", tenants: this.data.committed.size }
  }
  toString() {
    return `Log(${this.data.committed.size} tenants)`
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString()
  }
}

/**
 * Appends the entries, in order.
 *
 * @category mutations
 */
export const append = <E>(log: Log<E>, tenant: string, entries: ReadonlyArray<E>): void => {
  switch (log.mode) {
    case "committed":
      throw new Error("a memory log was written outside MemoryDatabase.write")
    case "building":
      for (const entry of entries) publish(log.data, tenant, entry)
      return
    case "transaction": {
      const { data, journal } = log
      if (entries.length === 0) return
      if (journal.savepoints.length > 0) {
        const length = data.pending.length
        journal.undo.push(() => {
          data.pending.length = length
          data.pendingTenants.length = length
        })
      }
      for (const entry of entries) {
        data.pending.push(entry)
        data.pendingTenants.push(tenant)
      }
      if (!data.written) {
        data.written = true
        journal.dirty.push(data)
      }
    }
  }
}

/**
 * The tenant's entries under `key`, oldest first (with the transaction's appends).
 *
 * @category getters
 */
export const byKey = <E>(log: Log<E>, tenant: string, key: string): Array<E> => {
  const committed = log.data.committed.get(tenant)
  const found = committed === undefined ? [] : (indexOf(log.data, committed).get(key)?.slice() ?? [])
  if (log.mode === "transaction")
    log.data.pending.forEach((entry, i) => {
      if (log.data.pendingTenants[i] === tenant && log.data.keyOf(entry) === key) found.push(entry)
    })
  return found
}

/**
 * Every committed entry of the tenant, oldest first.
 *
 * @category getters
 */
export const entriesOf = <E>(log: Log<E>, tenant: string): Array<E> =>
  log.data.committed.get(tenant)?.entries.slice() ?? []
