/**
 * The memory database's overlays against a model: a table's overlay reads like a map of its
 * writes over the committed rows, a savepoint's undo drops exactly the writes made in it, and a
 * log's reads by key see the committed entries, then the transaction's own.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Log, Table } from "../../src/adapters/memory/index.js"

const TENANTS = ["A", "B"] as const
const IDS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"] as const

type Write =
  | { readonly kind: "set"; readonly tenant: string; readonly id: string; readonly value: number }
  | { readonly kind: "remove"; readonly tenant: string; readonly id: string }

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    tenant: fc.constantFrom(...TENANTS),
    id: fc.constantFrom(...IDS),
    value: fc.integer()
  }),
  fc.record({
    kind: fc.constant("remove" as const),
    tenant: fc.constantFrom(...TENANTS),
    id: fc.constantFrom(...IDS)
  })
)

/** A run of writes, each either at the top level or in a savepoint that fails or succeeds. */
const batch = fc.record({
  savepoint: fc.constantFrom("none", "fails", "succeeds"),
  writes: fc.array(write, { maxLength: 12 })
})

const key = (tenant: string, id: string) => `${tenant}/${id}`

const apply = (model: Map<string, number>, w: Write) => {
  if (w.kind === "set") model.set(key(w.tenant, w.id), w.value)
  else model.delete(key(w.tenant, w.id))
}

const contents = (table: Table.Table<number>) => {
  const out = new Map<string, number>()
  for (const tenant of TENANTS)
    for (const id of IDS) {
      const row = Table.getOrUndefined(table, tenant, id)
      if (row !== undefined) out.set(key(tenant, id), row)
    }
  return out
}

describe("Table overlay", () => {
  it("reads as the model inside the transaction, and publishes exactly the model on commit", () =>
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 10 }),
        fc.array(batch, { maxLength: 6 }),
        fc.boolean(),
        (seed, batches, commits) => {
          const initial = Table.building<number>()
          const model = new Map<string, number>()
          for (const w of seed) {
            if (w.kind === "set") Table.set(initial, w.tenant, w.id, w.value)
            else Table.remove(initial, w.tenant, w.id)
            apply(model, w)
          }
          const committed = Table.readonly(Table.copy(initial))
          const before = contents(committed)
          const session = Table.session()
          const overlay = Table.overlay(committed, session)
          for (const { savepoint, writes } of batches) {
            const scope: Table.Scope | undefined = savepoint === "none" ? undefined : { parent: undefined }
            session.scope = scope
            const inScope = new Map(model)
            for (const w of writes) {
              if (w.kind === "set") Table.set(overlay, w.tenant, w.id, w.value)
              else Table.remove(overlay, w.tenant, w.id)
              apply(inScope, w)
            }
            session.scope = undefined
            if (savepoint === "fails") Table.undo(session, scope!)
            else {
              model.clear()
              for (const [k, v] of inScope) model.set(k, v)
            }
            expect(contents(overlay)).toEqual(model)
            // nothing of the transaction shows outside it before commit
            expect(contents(committed)).toEqual(before)
          }
          if (commits) Table.commit(session)
          else Table.rollback(session)
          expect(contents(committed)).toEqual(commits ? model : before)
          expect(contents(overlay)).toEqual(contents(committed))
        }
      )
    ))

  it("keeps a concurrent sibling's write to a row that a failed savepoint also wrote, in either order", () => {
    for (const siblingFirst of [true, false]) {
      const committed = Table.readonly(Table.building<string>())
      const session = Table.session()
      const overlay = Table.overlay(committed, session)
      const doomed: Table.Scope = { parent: undefined }
      const sibling: Table.Scope = { parent: undefined }
      const writeIn = (scope: Table.Scope, value: string) => {
        session.scope = scope
        Table.set(overlay, "A", "row", value)
        session.scope = undefined
      }
      if (siblingFirst) {
        writeIn(sibling, "sibling")
        writeIn(doomed, "doomed")
      } else {
        writeIn(doomed, "doomed")
        writeIn(sibling, "sibling")
      }
      Table.undo(session, doomed)
      expect(Table.getOrUndefined(overlay, "A", "row")).toBe("sibling")
    }
  })
})

describe("Log", () => {
  const event = (subject: string, n: number) => ({ subject, n })
  const keyOf = (e: { readonly subject: string; readonly n: number }) => e.subject

  it("reads a key's entries in append order, across commits, with the transaction's own last", () => {
    const committed = Table.session()
    const log = Log.readonly(Log.building(keyOf))
    const overlay = Log.overlay(log, committed)
    Log.append(overlay, "A", [event("x", 1), event("y", 2)])
    Table.commit(committed)
    expect(Log.byKey(log, "A", "x")).toEqual([event("x", 1)])
    Log.append(overlay, "A", [event("x", 3)])
    Log.append(overlay, "B", [event("x", 4)])
    expect(Log.byKey(log, "A", "x")).toEqual([event("x", 1)])
    expect(Log.byKey(overlay, "A", "x")).toEqual([event("x", 1), event("x", 3)])
    Table.commit(committed)
    Log.append(overlay, "A", [event("x", 5)])
    Table.rollback(committed)
    expect(Log.byKey(log, "A", "x")).toEqual([event("x", 1), event("x", 3)])
    expect(Log.byKey(log, "B", "x")).toEqual([event("x", 4)])
    expect(Log.byKey(log, "C", "x")).toEqual([])
  })

  it("drops a failed savepoint's entries only", () => {
    const session = Table.session()
    const log = Log.readonly(Log.building(keyOf))
    const overlay = Log.overlay(log, session)
    const doomed: Table.Scope = { parent: undefined }
    const nested: Table.Scope = { parent: doomed }
    Log.append(overlay, "A", [event("x", 1)])
    session.scope = nested
    Log.append(overlay, "A", [event("x", 2)])
    session.scope = { parent: undefined }
    Log.append(overlay, "A", [event("x", 3)])
    session.scope = undefined
    Table.undo(session, doomed)
    Table.commit(session)
    expect(Log.byKey(log, "A", "x").map((e) => e.n)).toEqual([1, 3])
  })

  it("never prints its entries", () => {
    const log = Log.building(keyOf)
    Log.append(log, "A", [event("6080400000056384", 1)])
    expect(JSON.stringify(log)).not.toContain("6080400000056384")
    expect(String(log)).not.toContain("6080400000056384")
  })
})
