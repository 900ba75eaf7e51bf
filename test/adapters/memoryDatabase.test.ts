/**
 * The memory database's transaction semantics, beyond the port contract: isolation between
 * databases, late writes, concurrent savepoints, snapshots, and an issuer that keeps PANs secret.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Option, Redacted, Result } from "effect"
import { MemoryDatabase, Table, tablesFromFixture } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  type AuditEvent,
  AuditLog,
  type Card,
  CardIssuer,
  CardRepository,
  EntityId,
  KitNo,
  lockCard,
  makePan,
  PanDigits,
  StoreError,
  TenantId,
  Transactor
} from "../../src/index.js"
import { cardFixture, customerWith, fixtureOf, panFor, TENANT_A, testLayer } from "../support/builders.js"

const tenant = TenantId.make(TENANT_A)
const KIT = "4240181595"
const fixture = fixtureOf({
  [TENANT_A]: [customerWith("676165", "9876543210", 8642135, [cardFixture(KIT, 1, { status: "ACTIVE" })])]
})
const event = (action: string, subject = "S"): AuditEvent => ({
  at: "2026-07-15T10:30:00.000Z",
  action,
  subject,
  outcome: "OK"
})
const trail = Effect.flatMap(AuditLog, (log) => log.findBySubject(tenant, "S"))
const trailOf = (subject: string) => Effect.flatMap(AuditLog, (log) => log.findBySubject(tenant, subject))

describe("MemoryDatabase", () => {
  it.effect("never shares rows between two databases built from the same tables", () =>
    Effect.gen(function* () {
      const tables = yield* tablesFromFixture(fixture)
      const first = yield* MemoryDatabase.make(tables)
      const second = yield* MemoryDatabase.make(tables)
      const statusIn = (db: typeof first) =>
        db.read((t) => Table.getOrUndefined(t.cards, TENANT_A, KIT)?.status)
      yield* first.write("test", (t) => {
        const card = Table.getOrUndefined(t.cards, TENANT_A, KIT)!
        Table.set(t.cards, TENANT_A, KIT, { ...card, status: "BLOCKED" })
      })
      expect(yield* statusIn(first)).toBe("BLOCKED")
      expect(yield* statusIn(second)).toBe("ACTIVE")
      expect(Table.getOrUndefined(tables.cards, TENANT_A, KIT)?.status).toBe("ACTIVE")
    })
  )

  it.effect("refuses a write from a fiber that outlives its transaction, and stores nothing of it", () =>
    Effect.gen(function* () {
      const log = yield* AuditLog
      const transactor = yield* Transactor
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const late = yield* transactor.withTransaction(
        Effect.gen(function* () {
          const fiber = yield* Effect.forkDetach(
            Effect.andThen(Deferred.await(release), log.append(tenant, [event("LATE")]))
          )
          yield* Deferred.succeed(started, undefined)
          return fiber
        })
      )
      yield* Deferred.await(started)
      yield* Deferred.succeed(release, undefined)
      const exit = yield* Fiber.await(late)
      expect(Exit.hasDies(exit)).toBe(true)
      expect(yield* trail).toEqual([])
    }).pipe(Effect.provide(testLayer(fixture)))
  )

  // Writes are the unit: each remembers its savepoint, so the sibling's writes stay whatever the
  // order (docs/architecture.md).
  it.effect("undoes a failed savepoint without undoing a concurrent sibling's writes", () =>
    Effect.gen(function* () {
      const log = yield* AuditLog
      const transactor = yield* Transactor
      yield* transactor.withTransaction(
        Effect.all(
          [
            Effect.ignore(
              transactor.withTransaction(
                Effect.gen(function* () {
                  yield* log.append(tenant, [event("DOOMED", "A")])
                  yield* Effect.yieldNow
                  yield* Effect.yieldNow
                  return yield* new StoreError({ operation: "test" })
                })
              )
            ),
            Effect.gen(function* () {
              yield* Effect.yieldNow
              yield* log.append(tenant, [event("SIBLING", "B")])
            })
          ],
          { concurrency: "unbounded" }
        )
      )
      expect(yield* trailOf("A")).toEqual([])
      expect((yield* trailOf("B")).map((e) => e.action)).toEqual(["SIBLING"])
    }).pipe(Effect.provide(testLayer(fixture)))
  )

  it.effect("gives a new snapshot after a committed write, and the same one after a refused call", () =>
    Effect.gen(function* () {
      const db = yield* MemoryDatabase
      const start = yield* db.snapshot
      const refused = yield* Effect.result(lockCard(TENANT_A, { kitNo: "missing" }))
      expect(Result.isFailure(refused)).toBe(true)
      expect(yield* db.snapshot).toBe(start)
      yield* lockCard(TENANT_A, { kitNo: KIT })
      const after = yield* db.snapshot
      expect(after).not.toBe(start)
      expect(after.cards.rows.get(TENANT_A)?.get(KIT)?.status).toBe("LOCKED")
      expect(start.cards.rows.get(TENANT_A)?.get(KIT)?.status).toBe("ACTIVE")
    }).pipe(Effect.provide(testLayer(fixture)))
  )
})

describe("MemoryCardRepository's indexes", () => {
  it.effect("leave the customer's and the account's index rows untouched by a status change", () =>
    Effect.gen(function* () {
      const db = yield* MemoryDatabase
      const indexRows = Effect.map(db.snapshot, (t) => [
        Table.getOrUndefined(t.customerCards, TENANT_A, "676165"),
        Table.getOrUndefined(t.cardsByAccount, TENANT_A, 8642135)
      ])
      const before = yield* indexRows
      yield* lockCard(TENANT_A, { kitNo: KIT })
      const after = yield* indexRows
      expect(after[0]).toBe(before[0])
      expect(after[1]).toBe(before[1])
      expect(after[0]).toEqual([KIT])
    }).pipe(Effect.provide(testLayer(fixture)))
  )
})

describe("MemoryCardIssuer", () => {
  it.effect("draws PANs that the kitNo and the masked number do not give away", () =>
    Effect.gen(function* () {
      const issuer = yield* CardIssuer
      const transactor = yield* Transactor
      const issued = yield* Effect.forEach(Array.from({ length: 100 }), () =>
        transactor.withTransaction(issuer.issue(tenant, "608040"))
      )
      const derivable = issued.filter(({ kitNo, pan }) =>
        Redacted.value(pan).slice(6, 15).endsWith(kitNo.slice(-9))
      )
      expect(derivable).toEqual([])
      // the hidden digits vary: not a counter in disguise
      expect(new Set(issued.map(({ pan }) => Redacted.value(pan).slice(6, 12))).size).toBeGreaterThan(90)
    }).pipe(Effect.provide(testLayer(fixture)))
  )

  // the serial is kept above stored kitNos instead of probing the cards: a failed savepoint that
  // raised it must not take it back below a card that a concurrent sibling stored
  it.effect(
    "never issues a stored card's kitNo after a concurrent savepoint that raised the serial fails",
    () =>
      Effect.gen(function* () {
        const transactor = yield* Transactor
        const cards = yield* CardRepository
        const issuer = yield* CardIssuer
        const card = (kitNo: string, serial: number): Card => ({
          kitNo: KitNo.make(kitNo),
          entityId: EntityId.make("676165"),
          accountNo: AccountNo.make(8642135),
          productId: "2001_PHYSICAL",
          tierType: "CLASSIC",
          cardType: "PHYSICAL",
          pan: makePan(PanDigits.make(panFor(serial))),
          expDate: "2029-07-31T00:00:00.000+00:00",
          status: "ACTIVE"
        })
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const doomedWrote = yield* Deferred.make<void>()
            const siblingWrote = yield* Deferred.make<void>()
            const doomed = transactor.withTransaction(
              Effect.gen(function* () {
                yield* cards.saveAll(tenant, [card("4240200010", 10)])
                yield* Deferred.succeed(doomedWrote, undefined)
                yield* Deferred.await(siblingWrote)
                return yield* new StoreError({ operation: "test" })
              })
            )
            const sibling = transactor.withTransaction(
              Effect.gen(function* () {
                yield* Deferred.await(doomedWrote)
                yield* cards.saveAll(tenant, [card("4240200003", 3)])
                yield* Deferred.succeed(siblingWrote, undefined)
              })
            )
            yield* Effect.all([Effect.result(doomed), sibling], { concurrency: "unbounded" })
          })
        )
        const issued = yield* Effect.forEach(Array.from({ length: 12 }), () =>
          transactor.withTransaction(issuer.issue(tenant, "608040"))
        )
        expect(Option.isSome(yield* cards.findByKitNo(tenant, KitNo.make("4240200003")))).toBe(true)
        expect(Option.isNone(yield* cards.findByKitNo(tenant, KitNo.make("4240200010")))).toBe(true)
        expect(issued.map((i) => i.kitNo)).not.toContain("4240200003")
      }).pipe(Effect.provide(testLayer(fixture)))
  )

  it.effect("refuses to issue once the serial kitNos run out, rather than issue one twice", () =>
    Effect.gen(function* () {
      const issuer = yield* CardIssuer
      const transactor = yield* Transactor
      const last = yield* transactor.withTransaction(issuer.issue(tenant, "608040"))
      expect(last.kitNo).toBe(String(Number.MAX_SAFE_INTEGER))
      const exit = yield* Effect.exit(transactor.withTransaction(issuer.issue(tenant, "608040")))
      expect(Exit.hasDies(exit)).toBe(true)
    }).pipe(
      Effect.provide(
        testLayer(
          fixtureOf({
            [TENANT_A]: [
              customerWith("676165", "9876543210", 8642135, [
                cardFixture(String(Number.MAX_SAFE_INTEGER - 1), 1, { status: "ACTIVE" })
              ])
            ]
          })
        )
      )
    )
  )

  it.effect("gives two issues in one transaction two identities", () =>
    Effect.gen(function* () {
      const issuer = yield* CardIssuer
      const [a, b] = yield* (yield* Transactor).withTransaction(
        Effect.all([issuer.issue(tenant, "608040"), issuer.issue(tenant, "608040")])
      )
      expect(a?.kitNo).not.toBe(b?.kitNo)
      expect(Redacted.value(a!.pan)).not.toBe(Redacted.value(b!.pan))
    }).pipe(Effect.provide(testLayer(fixture)))
  )
})
