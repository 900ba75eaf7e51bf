/**
 * The memory database's machinery (MemoryDatabase, Table, Log), beyond the port contract: its
 * transactions and savepoints against a model, a write outside any transaction as a transaction of
 * its own, isolation of a transaction's pending writes, tables and logs that never print their rows,
 * and the card repository's indexes.
 */
import { inspect, isDeepStrictEqual } from "node:util"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Log from "../../src/adapters/memory/Log.js"
import { MemoryAuditLog } from "../../src/adapters/memory/MemoryAuditLog.js"
import { MemoryCardRepository } from "../../src/adapters/memory/MemoryCardRepository.js"
import {
  emptyTables,
  MemoryDatabase,
  type MemoryOptions,
  type Tables
} from "../../src/adapters/memory/MemoryDatabase.js"
import { type MemoryFixture, tablesFromFixture } from "../../src/adapters/memory/MemoryFixture.js"
import { MemoryTransactor } from "../../src/adapters/memory/MemoryTransactor.js"
import * as Table from "../../src/adapters/memory/Table.js"
import type { AuditEvent, EntityId } from "../../src/index.js"
import { lockCard, StoreError } from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A } from "../support/builders.js"

// ---- the model ---------------------------------------------------------------------------------

const TENANTS = ["A", "B"] as const
const IDS = ["1", "2", "3", "4", "5"] as const
const SUBJECTS = ["s1", "s2"] as const
/** Two tables of the database, one of numbers and one of strings. */
const TABLES = ["serials", "mobiles"] as const
type TableName = (typeof TABLES)[number]

type Write =
  | {
      readonly kind: "set"
      readonly table: TableName
      readonly tenant: string
      readonly id: string
      readonly value: number
    }
  | { readonly kind: "remove"; readonly table: TableName; readonly tenant: string; readonly id: string }
  | { readonly kind: "append"; readonly tenant: string; readonly subject: string; readonly count: number }

type Outcome = "succeeds" | "fails" | "dies"
type Step =
  | Write
  | { readonly kind: "savepoint"; readonly outcome: Outcome; readonly steps: ReadonlyArray<Step> }
interface Transaction {
  readonly outcome: Outcome
  readonly steps: ReadonlyArray<Step>
}

const tenantArb = fc.constantFrom(...TENANTS)
const tableArb = fc.constantFrom(...TABLES)
const idArb = fc.constantFrom(...IDS)
const writeArb: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    table: tableArb,
    tenant: tenantArb,
    id: idArb,
    value: fc.integer({ min: 0, max: 99 })
  }),
  fc.record({ kind: fc.constant("remove" as const), table: tableArb, tenant: tenantArb, id: idArb }),
  fc.record({
    kind: fc.constant("append" as const),
    tenant: tenantArb,
    subject: fc.constantFrom(...SUBJECTS),
    count: fc.integer({ min: 1, max: 2 })
  })
)
const outcomeArb = fc.constantFrom<Outcome>("succeeds", "fails", "dies")
const stepsArb = (depth: number): fc.Arbitrary<ReadonlyArray<Step>> =>
  fc.array(
    depth === 0
      ? writeArb
      : fc.oneof(
          { weight: 3, arbitrary: writeArb as fc.Arbitrary<Step> },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant("savepoint" as const),
              outcome: outcomeArb,
              steps: stepsArb(depth - 1)
            })
          }
        ),
    { maxLength: 6 }
  )
const transactionArb: fc.Arbitrary<Transaction> = fc.record({ outcome: outcomeArb, steps: stepsArb(3) })

/** What the model holds: rows by `table/tenant/id`, and each tenant's log entries in order. */
interface State {
  readonly rows: Map<string, number | string>
  readonly log: Map<string, Array<{ readonly subject: string; readonly action: string }>>
}
const emptyState = (): State => ({ rows: new Map(), log: new Map() })
const clone = (state: State): State => ({
  rows: new Map(state.rows),
  log: new Map([...state.log].map(([tenant, entries]) => [tenant, [...entries]]))
})
const restore = (state: State, to: State): void => {
  const copy = clone(to)
  state.rows.clear()
  for (const [key, value] of copy.rows) state.rows.set(key, value)
  state.log.clear()
  for (const [tenant, entries] of copy.log) state.log.set(tenant, entries)
}

const tableOf = (tables: Tables, name: TableName): Table.Table<number | string> =>
  (name === "serials" ? tables.issuerSerial : tables.customersByMobile) as Table.Table<number | string>
const valueFor = (name: TableName, value: number): number | string =>
  name === "serials" ? value : `E${value}`
const event = (subject: string, action: string): AuditEvent => ({
  at: "2026-07-15T10:30:00.000Z",
  action,
  subject,
  outcome: "OK"
})

/** Applies a write to the tables (through the Table and Log functions) and to the model alike. */
const apply = (tables: Tables, state: State, write: Write, nextAction: () => string): void => {
  switch (write.kind) {
    case "set": {
      const value = valueFor(write.table, write.value)
      Table.set(tableOf(tables, write.table), write.tenant, write.id, value)
      state.rows.set(`${write.table}/${write.tenant}/${write.id}`, value)
      return
    }
    case "remove":
      Table.remove(tableOf(tables, write.table), write.tenant, write.id)
      state.rows.delete(`${write.table}/${write.tenant}/${write.id}`)
      return
    case "append": {
      const entries = Array.from({ length: write.count }, () => event(write.subject, nextAction()))
      Log.append(tables.audit, write.tenant, entries)
      const log = state.log.get(write.tenant) ?? []
      log.push(...entries.map((e) => ({ subject: e.subject, action: e.action })))
      state.log.set(write.tenant, log)
    }
  }
}

/** Everything a read can tell of the tables, by every getter. */
const observe = (tables: Tables) => {
  const rows: Array<[string, number | string]> = []
  const held: Array<string> = []
  const values: Record<string, Array<number | string>> = {}
  const byKey: Record<string, Array<string>> = {}
  for (const name of TABLES) {
    const table = tableOf(tables, name)
    for (const tenant of TENANTS) {
      for (const id of IDS) {
        const row = Table.getOrUndefined(table, tenant, id)
        if (row !== undefined) rows.push([`${name}/${tenant}/${id}`, row])
        if (Table.has(table, tenant, id)) held.push(`${name}/${tenant}/${id}`)
      }
      values[`${name}/${tenant}`] = Table.valuesOf(table, tenant).sort()
    }
  }
  for (const tenant of TENANTS)
    for (const subject of SUBJECTS)
      byKey[`${tenant}/${subject}`] = Log.byKey(tables.audit, tenant, subject).map((e) => e.action)
  return { rows: rows.sort(), held: held.sort(), values, byKey }
}

/** The same, as the model says. */
const expected = (state: State) => {
  const values: Record<string, Array<number | string>> = {}
  const byKey: Record<string, Array<string>> = {}
  for (const name of TABLES)
    for (const tenant of TENANTS)
      values[`${name}/${tenant}`] = [...state.rows]
        .filter(([key]) => key.startsWith(`${name}/${tenant}/`))
        .map(([, value]) => value)
        .sort()
  for (const tenant of TENANTS)
    for (const subject of SUBJECTS)
      byKey[`${tenant}/${subject}`] = (state.log.get(tenant) ?? [])
        .filter((e) => e.subject === subject)
        .map((e) => e.action)
  return { rows: [...state.rows].sort(), held: [...state.rows.keys()].sort(), values, byKey }
}

/** The committed entries of each tenant, in order (a read the committed tables alone answer). */
const committedEntries = (tables: Tables) =>
  TENANTS.map((tenant) => Log.entriesOf(tables.audit, tenant).map((e) => e.action))
const expectedEntries = (state: State) =>
  TENANTS.map((tenant) => (state.log.get(tenant) ?? []).map((e) => e.action))

const doomed = new Error("doomed on purpose")
const ending = (outcome: Outcome): Effect.Effect<void, Error> =>
  outcome === "succeeds" ? Effect.void : outcome === "fails" ? Effect.fail(doomed) : Effect.die(doomed)
const outcomeOf = (exit: Exit.Exit<unknown, unknown>): Outcome =>
  Exit.isSuccess(exit) ? "succeeds" : Cause.hasDies(exit.cause) ? "dies" : "fails"

/**
 * Runs the transactions one after the other on a database seeded with `seed`, checking each read
 * against the model; gives back every mismatch found (none when the database agrees).
 */
const runModel = (seed: ReadonlyArray<Write>, transactions: ReadonlyArray<Transaction>) =>
  Effect.gen(function* () {
    const problems: Array<string> = []
    const check = (what: string, actual: unknown, wanted: unknown) => {
      if (!isDeepStrictEqual(actual, wanted))
        problems.push(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(wanted)}`)
    }
    let action = 0
    const nextAction = () => `n${action++}`
    const seedTables = emptyTables()
    let committed = emptyState()
    for (const write of seed) apply(seedTables, committed, write, nextAction)
    const seeded = clone(committed)
    const db = yield* MemoryDatabase.make(seedTables)

    for (const [t, transaction] of transactions.entries()) {
      const state = clone(committed)
      const at = (where: string) => `transaction ${t}, ${where}`
      const checkReads = (where: string) =>
        Effect.map(
          db.read((tables) => observe(tables)),
          (inside) => {
            check(at(`${where}, read inside`), inside, expected(state))
            // nobody outside the transaction sees any of its writes
            check(at(`${where}, committed`), observe(db.committed), expected(committed))
          }
        )
      const runSteps = (steps: ReadonlyArray<Step>, path: string): Effect.Effect<void> =>
        Effect.forEach(
          steps,
          (step, i) => {
            const where = `${path}.${i}`
            if (step.kind !== "savepoint")
              return Effect.andThen(
                db.write("test", (tables) => apply(tables, state, step, nextAction)).pipe(Effect.orDie),
                checkReads(where)
              )
            return Effect.suspend(() => {
              const begun = clone(state)
              return Effect.exit(
                db.transaction(Effect.andThen(runSteps(step.steps, where), ending(step.outcome)))
              ).pipe(
                Effect.flatMap((exit) => {
                  check(at(`${where}, savepoint outcome`), outcomeOf(exit), step.outcome)
                  // the model of a failed savepoint: back to what the transaction saw when it began
                  if (Exit.isFailure(exit)) restore(state, begun)
                  return checkReads(`${where} ended`)
                })
              )
            })
          },
          { discard: true }
        )
      const exit = yield* Effect.exit(
        db.transaction(Effect.andThen(runSteps(transaction.steps, "top"), ending(transaction.outcome)))
      )
      check(at("outcome"), outcomeOf(exit), transaction.outcome)
      if (transaction.outcome === "succeeds") committed = state
      check(at("after, committed"), observe(db.committed), expected(committed))
      check(at("after, entries"), committedEntries(db.committed), expectedEntries(committed))
      check(at("after, read outside"), yield* db.read((tables) => observe(tables)), expected(committed))
    }
    // the database copied its seed: the seed's tables are as they were built
    check("seed", observe(seedTables), expected(seeded))
    return problems
  })

const seedArb = fc.array(writeArb, { maxLength: 12 })

describe("MemoryDatabase transactions, against a model", () => {
  it("commit what the model keeps: a failed savepoint drops its writes, a failed transaction all of them", async () => {
    await fc.assert(
      fc.asyncProperty(
        seedArb,
        fc.array(transactionArb, { minLength: 1, maxLength: 3 }),
        async (seed, transactions) => {
          const problems = await Effect.runPromise(runModel(seed, transactions))
          expect(problems).toEqual([])
        }
      ),
      { numRuns: 300 }
    )
  })
})

// ---- writes and reads outside a transaction ------------------------------------------------------

const ROW = { tenant: "A", id: "row" }
const serialOf = (tables: Tables, id = ROW.id) => Table.getOrUndefined(tables.issuerSerial, ROW.tenant, id)
const setSerial = (id: string, value: number) => (tables: Tables) => {
  Table.set(tables.issuerSerial, ROW.tenant, id, value)
}
const makeDb = (options?: MemoryOptions) => MemoryDatabase.make(emptyTables(), options)

describe("a write outside any transaction", () => {
  it("is committed as soon as it returns", async () => {
    const seen = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* makeDb()
        yield* db.write("test", setSerial(ROW.id, 1))
        return serialOf(db.committed)
      })
    )
    expect(seen).toBe(1)
  })

  it("that throws after writing stores nothing, and leaves the database usable", async () => {
    const boom = new Error("boom")
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* makeDb()
        const exit = yield* Effect.exit(
          db.write("test", (tables) => {
            setSerial(ROW.id, 1)(tables)
            throw boom
          })
        )
        const afterThrow = serialOf(db.committed)
        yield* db.write("test", setSerial("other", 2))
        return { exit, afterThrow, other: serialOf(db.committed, "other"), row: serialOf(db.committed) }
      })
    )
    expect(Exit.isFailure(out.exit) && Cause.hasDies(out.exit.cause)).toBe(true)
    expect(out).toMatchObject({ afterThrow: undefined, other: 2, row: undefined })
  })

  it("that refuses after writing (tryWrite) fails with the refusal and stores nothing", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* makeDb()
        const result = yield* Effect.result(
          db.tryWrite("test", (tables) => {
            setSerial(ROW.id, 1)(tables)
            return Result.fail("refused" as const)
          })
        )
        return { result, row: serialOf(db.committed) }
      })
    )
    expect(out).toEqual({ result: Result.fail("refused"), row: undefined })
  })

  it("that the fault plan fails fails alone with a retryable StoreError, counted among the database's writes", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const plan: Array<{ operation: string; index: number }> = []
        const db = yield* makeDb({
          failWrite: (write) => {
            plan.push(write)
            return write.index === 1
          }
        })
        let called = 0
        const write = (id: string, value: number) =>
          Effect.result(
            db.write(`Test.${id}`, (tables) => {
              called++
              setSerial(id, value)(tables)
            })
          )
        const results = [yield* write("w0", 0), yield* write("w1", 1), yield* write("w2", 2)]
        return {
          results,
          called,
          plan,
          rows: ["w0", "w1", "w2"].map((id) => serialOf(db.committed, id))
        }
      })
    )
    expect(out.results).toEqual([
      Result.succeed(undefined),
      Result.fail(new StoreError({ operation: "Test.w1", retryable: true })),
      Result.succeed(undefined)
    ])
    // the failed write never ran
    expect(out.called).toBe(2)
    expect(out.plan).toEqual([
      { operation: "Test.w0", index: 0 },
      { operation: "Test.w1", index: 1 },
      { operation: "Test.w2", index: 2 }
    ])
    expect(out.rows).toEqual([0, undefined, 2])
  })

  it("waits for the open transaction, and commits on its own even when that transaction fails", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* makeDb()
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        let outsideDone = false
        // forked before the transaction begins: this fiber is outside it
        const outside = yield* Effect.forkChild(
          Effect.andThen(
            Deferred.await(written),
            Effect.tap(db.write("outside", setSerial("outside", 2)), () =>
              Effect.sync(() => {
                outsideDone = true
              })
            )
          )
        )
        const transaction = yield* Effect.forkChild(
          Effect.exit(
            db.transaction(
              Effect.gen(function* () {
                yield* db.write("inside", setSerial("inside", 1))
                yield* Deferred.succeed(written, undefined)
                yield* Deferred.await(release)
                // the outside write has not run inside this transaction
                const seenInside = yield* db.read((tables) => serialOf(tables, "outside"))
                return yield* Effect.fail(seenInside)
              })
            )
          )
        )
        yield* Deferred.await(written)
        for (let i = 0; i < 5; i++) yield* Effect.yieldNow
        const whileOpen = { outsideDone, outside: serialOf(db.committed, "outside") }
        yield* Deferred.succeed(release, undefined)
        const exit = yield* Fiber.join(transaction)
        yield* Fiber.join(outside)
        return {
          whileOpen,
          exit,
          after: { inside: serialOf(db.committed, "inside"), outside: serialOf(db.committed, "outside") }
        }
      })
    )
    expect(out.whileOpen).toEqual({ outsideDone: false, outside: undefined })
    expect(out.exit).toEqual(Exit.fail(undefined))
    expect(out.after).toEqual({ inside: undefined, outside: 2 })
  })
})

describe("reads outside the open transaction", () => {
  it("never see its pending writes, and see them all once it commits", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const seed = emptyTables()
        Table.set(seed.issuerSerial, "A", "kept", 1)
        Table.set(seed.issuerSerial, "A", "removed", 2)
        Table.set(seed.issuerSerial, "B", "changed", 3)
        Log.append(seed.audit, "A", [event("s1", "committed")])
        const db = yield* MemoryDatabase.make(seed)
        const read = db.read((tables) => ({
          ...observeRows(tables),
          entries: Log.byKey(tables.audit, "A", "s1").map((e) => e.action)
        }))
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const reads = yield* Deferred.make<ReturnType<typeof observeRows> & { entries: Array<string> }>()
        // forked before the transaction begins: this fiber reads from outside it
        const reader = yield* Effect.forkChild(
          Effect.gen(function* () {
            yield* Deferred.await(written)
            yield* Deferred.succeed(reads, yield* read)
          })
        )
        const transaction = yield* Effect.forkChild(
          db.transaction(
            Effect.gen(function* () {
              yield* db.write("test", (tables) => {
                Table.set(tables.issuerSerial, "A", "added", 4)
                Table.remove(tables.issuerSerial, "A", "removed")
                Table.set(tables.issuerSerial, "B", "changed", 30)
                Log.append(tables.audit, "A", [event("s1", "pending")])
              })
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(release)
              return yield* read
            })
          )
        )
        const outside = yield* Deferred.await(reads)
        const mainOutside = yield* read
        yield* Deferred.succeed(release, undefined)
        const inside = yield* Fiber.join(transaction)
        yield* Fiber.join(reader)
        return { outside, mainOutside, inside, after: yield* read }
      })
    )
    const before = {
      A: [
        ["kept", 1],
        ["removed", 2]
      ],
      B: [["changed", 3]],
      entries: ["committed"]
    }
    const after = {
      A: [
        ["added", 4],
        ["kept", 1]
      ],
      B: [["changed", 30]],
      entries: ["committed", "pending"]
    }
    expect(out.outside).toEqual(before)
    expect(out.mainOutside).toEqual(before)
    expect(out.inside).toEqual(after)
    expect(out.after).toEqual(after)
  })
})

/** Every row of the serials table, by tenant, sorted by id. */
const observeRows = (tables: Tables) => {
  const rowsOf = (tenant: string) =>
    ["added", "changed", "kept", "removed"].flatMap((id) => {
      const row = Table.getOrUndefined(tables.issuerSerial, tenant, id)
      return row === undefined ? [] : [[id, row] as [string, number]]
    })
  return { A: rowsOf("A"), B: rowsOf("B") }
}

// ---- printing --------------------------------------------------------------------------------------

describe("tables and logs", () => {
  const PAN = "6080400000056384"
  const MOBILE = "9876543210"
  const renderings = (value: unknown) => [
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: null })
  ]

  it("never print their ids or rows, committed or pending", async () => {
    const printed = await Effect.runPromise(
      Effect.gen(function* () {
        const seed = emptyTables()
        Table.set(seed.kitNoByPanHash, "A", PAN, "K1" as never)
        Table.set(seed.customersByMobile, "A", MOBILE, PAN as EntityId)
        Log.append(seed.audit, "A", [event(PAN, MOBILE)])
        const texts = [seed, seed.kitNoByPanHash, seed.customersByMobile, seed.audit].flatMap(renderings)
        const db = yield* MemoryDatabase.make(seed)
        texts.push(...[db.committed, db.committed.kitNoByPanHash, db.committed.audit].flatMap(renderings))
        const pending = yield* db.transaction(
          Effect.gen(function* () {
            yield* db.write("test", (tables) => {
              Table.set(tables.kitNoByPanHash, "B", PAN, "K2" as never)
              Table.set(tables.customersByMobile, "B", MOBILE, PAN as EntityId)
              Log.append(tables.audit, "B", [event(PAN, MOBILE)])
            })
            return yield* db.read((tables) =>
              [tables, tables.kitNoByPanHash, tables.customersByMobile, tables.audit].flatMap(renderings)
            )
          })
        )
        return [...texts, ...pending]
      })
    )
    expect(printed.length).toBeGreaterThan(20)
    for (const text of printed) {
      expect(text).not.toContain(PAN)
      expect(text).not.toContain(MOBILE)
    }
  })
})

// ---- several databases, and the card repository's indexes -----------------------------------------

const KIT = "4240181595"
const fixture = fixtureOf({
  [TENANT_A]: [customerWith("676165", "9876543210", 8642135, [cardFixture(KIT, 1, { status: "ACTIVE" })])]
})

/** The card ports over a database seeded from the fixture, with the database itself. */
const databaseLayer = (fixture: MemoryFixture) =>
  Layer.mergeAll(MemoryCardRepository, MemoryAuditLog, MemoryTransactor).pipe(
    Layer.provideMerge(
      Layer.effect(
        MemoryDatabase,
        Effect.flatMap(tablesFromFixture(withStorageKeys(fixture)), (seed) => MemoryDatabase.make(seed))
      )
    )
  )

describe("savepoints of concurrent fibers", () => {
  const ids = (tables: Tables) =>
    ["x", "y", "z", "b1", "b2"].filter((id) => serialOf(tables, id) !== undefined)
  const boom = new StoreError({ operation: "test" })

  it("a savepoint that outlives its transaction leaves the next transactions' savepoints alone", async () => {
    const committed = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* makeDb()
        /** A fiber forked in a transaction of its own, its savepoint still open when that one ends. */
        const stray = Effect.gen(function* () {
          const release = yield* Deferred.make<void>()
          const opened = yield* Deferred.make<void>()
          const fiber = yield* db.transaction(
            Effect.gen(function* () {
              const fiber = yield* Effect.forkDetach(
                db.transaction(
                  Effect.gen(function* () {
                    yield* Deferred.succeed(opened, undefined)
                    yield* Deferred.await(release)
                    return yield* boom
                  })
                )
              )
              yield* Deferred.await(opened)
              return fiber
            })
          )
          return { fails: Effect.andThen(Deferred.succeed(release, undefined), Fiber.await(fiber)) }
        })
        // it fails between two transactions: the next one's failed savepoint still drops its write
        const between = yield* stray
        yield* between.fails
        yield* db.transaction(
          Effect.gen(function* () {
            yield* db.write("test", setSerial("x", 1))
            yield* Effect.ignore(
              db.transaction(Effect.andThen(db.write("test", setSerial("y", 1)), Effect.fail(boom)))
            )
          })
        )
        // it fails inside a savepoint of the next transaction: that savepoint's write stays
        const during = yield* stray
        yield* db.transaction(
          Effect.gen(function* () {
            yield* db.transaction(Effect.andThen(db.write("test", setSerial("z", 1)), during.fails))
          })
        )
        return ids(db.committed)
      })
    )
    expect(committed).toEqual(["x", "z"])
  })

  it("two sibling savepoints that both fail keep none of their writes, in either order of failing", async () => {
    for (const first of ["A", "B"] as const) {
      const committed = await Effect.runPromise(
        Effect.gen(function* () {
          const db = yield* makeDb()
          const aWrote = yield* Deferred.make<void>()
          const bWrote = yield* Deferred.make<void>()
          const aFail = yield* Deferred.make<void>()
          const bFail = yield* Deferred.make<void>()
          yield* db.transaction(
            Effect.gen(function* () {
              const a = db.transaction(
                Effect.gen(function* () {
                  yield* db.write("test", setSerial("x", 1))
                  yield* Deferred.succeed(aWrote, undefined)
                  yield* Deferred.await(aFail)
                  return yield* boom
                })
              )
              const b = db.transaction(
                Effect.gen(function* () {
                  yield* Deferred.await(aWrote)
                  yield* db.write("test", setSerial("b1", 1))
                  yield* Deferred.succeed(bWrote, undefined)
                  yield* Deferred.await(bFail)
                  yield* db.write("test", setSerial("b2", 1))
                  return yield* boom
                })
              )
              const fa = yield* Effect.forkChild(Effect.ignore(a))
              const fb = yield* Effect.forkChild(Effect.ignore(b))
              yield* Deferred.await(bWrote)
              yield* Deferred.succeed(first === "A" ? aFail : bFail, undefined)
              yield* Fiber.await(first === "A" ? fa : fb)
              yield* Deferred.succeed(first === "A" ? bFail : aFail, undefined)
              yield* Fiber.await(first === "A" ? fb : fa)
              yield* db.write("test", setSerial("z", 1))
            })
          )
          return ids(db.committed)
        })
      )
      expect(committed, `${first} fails first`).toEqual(["z"])
    }
  })
})

describe("MemoryDatabase", () => {
  it("never shares rows between two databases built from the same tables", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const tables = yield* tablesFromFixture(withStorageKeys(fixture))
        const first = yield* MemoryDatabase.make(tables)
        const second = yield* MemoryDatabase.make(tables)
        const statusIn = (db: typeof first) =>
          db.read((t) => Table.getOrUndefined(t.cards, TENANT_A, KIT)?.status)
        yield* first.write("test", (t) => {
          const card = Table.getOrUndefined(t.cards, TENANT_A, KIT)!
          Table.set(t.cards, TENANT_A, KIT, { ...card, status: "BLOCKED" })
        })
        return [
          yield* statusIn(first),
          yield* statusIn(second),
          Table.getOrUndefined(tables.cards, TENANT_A, KIT)?.status
        ]
      })
    )
    expect(out).toEqual(["BLOCKED", "ACTIVE", "ACTIVE"])
  })
})

describe("MemoryCardRepository's indexes", () => {
  it("leave the customer's and the account's index rows untouched by a status change", async () => {
    const out = await Effect.runPromise(
      Effect.gen(function* () {
        const db = yield* MemoryDatabase
        const indexRows = () => [
          Table.getOrUndefined(db.committed.customerCards, TENANT_A, "676165"),
          Table.getOrUndefined(db.committed.cardsByAccount, TENANT_A, 8642135)
        ]
        const before = indexRows()
        yield* lockCard(TENANT_A, { kitNo: KIT })
        return {
          before,
          after: indexRows(),
          status: Table.getOrUndefined(db.committed.cards, TENANT_A, KIT)?.status
        }
      }).pipe(Effect.provide(databaseLayer(fixture)))
    )
    expect(out.status).toBe("LOCKED")
    expect(out.after[0]).toBe(out.before[0])
    expect(out.after[1]).toBe(out.before[1])
    expect(out.after).toEqual([[KIT], [KIT]])
  })
})
