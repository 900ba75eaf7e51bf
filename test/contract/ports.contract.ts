/**
 * The contract every adapter keeps: the same suite runs against the memory adapter now, and against
 * each later adapter. It speaks only through the ports.
 */
import { Deferred, Effect, Fiber, type Layer, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  AuditLog,
  type Card,
  CardRepository,
  CustomerRepository,
  EntityId,
  KitNo,
  MobileNo,
  makePan,
  PanDigits,
  StoreError,
  TenantId,
  Transactor
} from "../../src/index.js"
import { panFor } from "../support/builders.js"

type Ports = CardRepository | CustomerRepository | AuditLog | Transactor
export type MakeLayer = (fixture: MemoryFixture) => Layer.Layer<Ports, unknown>

const A = TenantId.make("CONTRACT_A")
const B = TenantId.make("CONTRACT_B")
const empty: MemoryFixture = { tenants: { [A]: {}, [B]: {} } }

const card = (kitNo: string, entityId: string, accountNo: number, serial: number): Card => ({
  kitNo: KitNo.make(kitNo),
  entityId: EntityId.make(entityId),
  accountNo: AccountNo.make(accountNo),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: makePan(PanDigits.make(panFor(serial))),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ACTIVE"
})

const event = (subject: string, action: string) => ({
  at: "2026-07-15T10:30:00.000Z",
  action,
  subject,
  outcome: "OK"
})

export const portsContract = (name: string, makeLayer: MakeLayer) => {
  const run = <A, E>(program: Effect.Effect<A, E, Ports>) =>
    Effect.runPromise(Effect.provide(program, makeLayer(empty)))

  describe(`${name}: CardRepository`, () => {
    it("finds what saveAll stored, by kitNo, by customer and by account, in kitNo order", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          yield* repo.saveAll(A, [card("K3", "E1", 1, 3), card("K1", "E1", 2, 1), card("K2", "E2", 1, 2)])
          return {
            one: yield* repo.findByKitNo(A, KitNo.make("K1")),
            byCustomer: yield* repo.findByCustomer(A, EntityId.make("E1")),
            byAccount: yield* repo.findByAccount(A, AccountNo.make(1))
          }
        })
      )
      expect(Option.map(found.one, (c) => c.accountNo)).toEqual(Option.some(2))
      expect(found.byCustomer.map((c) => c.kitNo)).toEqual(["K1", "K3"])
      expect(found.byAccount.map((c) => c.kitNo)).toEqual(["K2", "K3"])
    })

    it("replaces a card by kitNo, and follows it when it moves to another account", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          yield* repo.saveAll(A, [card("K1", "E1", 1, 1)])
          yield* repo.saveAll(A, [{ ...card("K1", "E1", 2, 1), status: "BLOCKED" }])
          return [
            yield* repo.findByAccount(A, AccountNo.make(1)),
            yield* repo.findByAccount(A, AccountNo.make(2))
          ]
        })
      )
      expect(found[0]).toEqual([])
      expect(found[1]?.map((c) => c.status)).toEqual(["BLOCKED"])
    })

    it("keeps tenants apart, even for the same kitNo, customer and account", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          yield* repo.saveAll(A, [card("K1", "E1", 1, 1)])
          return {
            byKit: yield* repo.findByKitNo(B, KitNo.make("K1")),
            byCustomer: yield* repo.findByCustomer(B, EntityId.make("E1")),
            byAccount: yield* repo.findByAccount(B, AccountNo.make(1))
          }
        })
      )
      expect(found).toEqual({ byKit: Option.none(), byCustomer: [], byAccount: [] })
    })
  })

  describe(`${name}: CustomerRepository`, () => {
    it("finds a customer by entityId and by mobileNo, within its tenant only", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          const customer = {
            entityId: EntityId.make("E1"),
            mobileNo: MobileNo.make("9876543210"),
            branchId: "BR1"
          }
          yield* repo.saveAll(A, [customer])
          yield* repo.saveAll(A, [{ ...customer, mobileNo: MobileNo.make("9876500000") }])
          return {
            byId: yield* repo.findByEntityId(A, EntityId.make("E1")),
            oldMobile: yield* repo.findByMobileNo(A, MobileNo.make("9876543210")),
            newMobile: yield* repo.findByMobileNo(A, MobileNo.make("9876500000")),
            otherTenant: yield* repo.findByMobileNo(B, MobileNo.make("9876500000"))
          }
        })
      )
      expect(Option.map(found.byId, (c) => c.mobileNo)).toEqual(Option.some("9876500000"))
      expect(found.oldMobile).toEqual(Option.none())
      expect(Option.isSome(found.newMobile)).toBe(true)
      expect(found.otherTenant).toEqual(Option.none())
    })
  })

  describe(`${name}: AuditLog`, () => {
    it("keeps the events of a subject in the order appended, per tenant", async () => {
      const found = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* log.append(A, [event("K1", "LOCK"), event("K2", "LOCK")])
          yield* log.append(A, [event("K1", "UNLOCK")])
          return [yield* log.findBySubject(A, "K1"), yield* log.findBySubject(B, "K1")]
        })
      )
      expect(found[0]?.map((e) => e.action)).toEqual(["LOCK", "UNLOCK"])
      expect(found[1]).toEqual([])
    })
  })

  describe(`${name}: Transactor`, () => {
    it("stores every write of a successful transaction", async () => {
      const trail = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          yield* (yield* Transactor).withTransaction(
            Effect.all([log.append(A, [event("K1", "ONE")]), log.append(A, [event("K1", "TWO")])])
          )
          return yield* log.findBySubject(A, "K1")
        })
      )
      expect(trail.map((e) => e.action)).toEqual(["ONE", "TWO"])
    })

    it("stores none of the writes of a failed transaction, though it read its own writes", async () => {
      const outcome = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const repo = yield* CardRepository
          const result = yield* Effect.result(
            (yield* Transactor).withTransaction(
              Effect.gen(function* () {
                yield* repo.saveAll(A, [card("K1", "E1", 1, 1)])
                yield* log.append(A, [event("K1", "ONE")])
                const inside = yield* repo.findByKitNo(A, KitNo.make("K1"))
                expect(Option.isSome(inside)).toBe(true)
                return yield* new StoreError({ operation: "contract" })
              })
            )
          )
          return {
            result,
            card: yield* repo.findByKitNo(A, KitNo.make("K1")),
            trail: yield* log.findBySubject(A, "K1")
          }
        })
      )
      expect(Result.isFailure(outcome.result)).toBe(true)
      expect(outcome.card).toEqual(Option.none())
      expect(outcome.trail).toEqual([])
    })

    it("hides uncommitted writes from readers outside the transaction", async () => {
      const seen = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const written = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const fiber = yield* Effect.forkChild(
            (yield* Transactor).withTransaction(
              Effect.gen(function* () {
                yield* log.append(A, [event("K1", "PENDING")])
                yield* Deferred.succeed(written, undefined)
                yield* Deferred.await(release)
              })
            )
          )
          yield* Deferred.await(written)
          const during = yield* log.findBySubject(A, "K1")
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(fiber)
          return { during, after: yield* log.findBySubject(A, "K1") }
        })
      )
      expect(seen.during).toEqual([])
      expect(seen.after.map((e) => e.action)).toEqual(["PENDING"])
    })

    it("loses no update when transactions read, yield and write concurrently", async () => {
      const trail = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const transactor = yield* Transactor
          const appendAfterRead = transactor.withTransaction(
            Effect.gen(function* () {
              const seen = yield* log.findBySubject(A, "counter")
              yield* Effect.yieldNow
              yield* log.append(A, [event("counter", String(seen.length))])
            })
          )
          yield* Effect.all(
            Array.from({ length: 25 }, () => appendAfterRead),
            { concurrency: "unbounded" }
          )
          return yield* log.findBySubject(A, "counter")
        })
      )
      expect(trail.map((e) => e.action)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)))
    })

    it("undoes only a failed nested transaction when the outer one recovers (a savepoint)", async () => {
      const trail = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const transactor = yield* Transactor
          yield* transactor.withTransaction(
            Effect.gen(function* () {
              yield* log.append(A, [event("K1", "OUTER")])
              yield* Effect.ignore(
                transactor.withTransaction(
                  Effect.andThen(
                    log.append(A, [event("K1", "INNER")]),
                    Effect.fail(new StoreError({ operation: "c" }))
                  )
                )
              )
            })
          )
          return yield* log.findBySubject(A, "K1")
        })
      )
      expect(trail.map((e) => e.action)).toEqual(["OUTER"])
    })
  })
}
