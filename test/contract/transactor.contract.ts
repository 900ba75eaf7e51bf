/**
 * The contract of Transactor: all of a transaction's writes are stored or none, uncommitted writes
 * stay private, concurrent transactions lose no update, and a nested transaction is a savepoint.
 */
import { Deferred, Effect, Fiber, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import { AuditLog, CardRepository, KitNo, StoreError, Transactor } from "../../src/index.js"
import { A, card, event, type MakeLayer, runner } from "./support.js"

export const transactorContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

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
