/**
 * An append-only log of the memory database, one per tenant: the audit trail. An append is one
 * array push, whatever the log's size; the index by key (an event's subject) is built on the first
 * read that needs it, from where the last read left it. Inside a transaction, appends wait in the
 * overlay and are published on commit, like a table's writes.
 *
 * @since 0.1.0
 */
import type { Mode, Participant, Scope, Session } from "./Table.js"
import { within } from "./Table.js"

interface TenantLog<E> {
  readonly entries: Array<E>
  /** The positions of each key's entries, oldest first, for `entries[0, indexed)`. */
  readonly index: Map<string, Array<number>>
  indexed: number
}

/**
 * @category models
 */
export interface Log<E> {
  /** @internal */ readonly logs: Map<string, TenantLog<E>>
  /** @internal */ readonly mode: Mode
}

const tenantLog = <E>(entries: Array<E> = []): TenantLog<E> => ({ entries, index: new Map(), indexed: 0 })

class LogImpl<E> implements Log<E>, Participant {
  /** The transaction's appends, oldest first: tenant, entry, and the savepoint each was made in. */
  readonly tenants: Array<string> = []
  readonly entries: Array<E> = []
  readonly scopes: Array<Scope | undefined> = []

  constructor(
    readonly logs: Map<string, TenantLog<E>>,
    readonly mode: Mode,
    readonly keyOf: (entry: E) => string,
    readonly session?: Session
  ) {}

  readonly commit = (): void => {
    for (let i = 0; i < this.entries.length; i++)
      logOf(this.logs, this.tenants[i]!).entries.push(this.entries[i]!)
    this.rollback()
  }

  readonly rollback = (): void => {
    this.tenants.length = 0
    this.entries.length = 0
    this.scopes.length = 0
  }

  readonly undo = (scope: Scope): void => {
    let kept = 0
    for (let i = 0; i < this.entries.length; i++) {
      if (within(this.scopes[i], scope)) continue
      this.tenants[kept] = this.tenants[i]!
      this.entries[kept] = this.entries[i]!
      this.scopes[kept] = this.scopes[i]
      kept++
    }
    this.tenants.length = kept
    this.entries.length = kept
    this.scopes.length = kept
  }

  // entries are audit events of customers' cards: a log never prints them
  toJSON() {
    return { _id: "Log", tenants: this.logs.size }
  }
  toString() {
    return `Log(${this.logs.size} tenants)`
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString()
  }
}

const impl = <E>(log: Log<E>): LogImpl<E> => log as LogImpl<E>

const logOf = <E>(logs: Map<string, TenantLog<E>>, tenant: string): TenantLog<E> => {
  let log = logs.get(tenant)
  if (log === undefined) {
    log = tenantLog()
    logs.set(tenant, log)
  }
  return log
}

/**
 * A log that takes appends directly: only while a database is being built.
 *
 * @category constructors
 */
export const building = <E>(keyOf: (entry: E) => string): Log<E> =>
  new LogImpl<E>(new Map(), "building", keyOf)

/**
 * The committed entries, read-only: what readers outside a transaction see.
 *
 * @category constructors
 */
export const readonly = <E>(log: Log<E>): Log<E> => new LogImpl<E>(log.logs, "readonly", impl(log).keyOf)

/**
 * A transaction's view of the log: reads see its own appends after the committed entries. The log
 * joins the session's `dirty` list on its first append.
 *
 * @category constructors
 */
export const overlay = <E>(log: Log<E>, session: Session): Log<E> =>
  new LogImpl<E>(log.logs, "overlay", impl(log).keyOf, session)

/**
 * A read-only copy of the committed entries, for snapshots.
 *
 * @category constructors
 */
export const copy = <E>(log: Log<E>): Log<E> =>
  new LogImpl<E>(
    new Map([...log.logs].map(([tenant, l]) => [tenant, tenantLog(l.entries.slice())])),
    "readonly",
    impl(log).keyOf
  )

/**
 * Appends the entries, in order.
 *
 * @category mutations
 */
export const append = <E>(log: Log<E>, tenant: string, entries: ReadonlyArray<E>): void => {
  const self = impl(log)
  switch (self.mode) {
    case "readonly":
      throw new Error("a memory log was written outside MemoryDatabase.write")
    case "building":
      logOf(self.logs, tenant).entries.push(...entries)
      return
    case "overlay": {
      const session = self.session!
      if (entries.length > 0 && self.entries.length === 0) session.dirty.push(self)
      for (const entry of entries) {
        self.tenants.push(tenant)
        self.entries.push(entry)
        self.scopes.push(session.scope)
      }
    }
  }
}

/**
 * The tenant's entries under `key`, oldest first (with the overlay's appends).
 *
 * @category getters
 */
export const byKey = <E>(log: Log<E>, tenant: string, key: string): Array<E> => {
  const self = impl(log)
  const found: Array<E> = []
  const committed = self.logs.get(tenant)
  if (committed !== undefined) {
    // catch the index up with the entries appended since the last read
    for (; committed.indexed < committed.entries.length; committed.indexed++) {
      const entryKey = self.keyOf(committed.entries[committed.indexed]!)
      const positions = committed.index.get(entryKey)
      if (positions === undefined) committed.index.set(entryKey, [committed.indexed])
      else positions.push(committed.indexed)
    }
    for (const at of committed.index.get(key) ?? []) found.push(committed.entries[at]!)
  }
  for (let i = 0; i < self.entries.length; i++)
    if (self.tenants[i] === tenant && self.keyOf(self.entries[i]!) === key) found.push(self.entries[i]!)
  return found
}

/**
 * Every entry of every tenant (with the overlay's appends).
 *
 * @category getters
 */
export const entries = <E>(log: Log<E>): Array<E> => [
  ...[...log.logs.values()].flatMap((l) => l.entries),
  ...impl(log).entries
]
