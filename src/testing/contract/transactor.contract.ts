/**
 * The contract of Transactor, as SQL gives it: all of a transaction's writes are stored or none,
 * uncommitted writes stay private, and a nested transaction is a savepoint whose rollback undoes
 * every write made since it began. (Concurrent transactions on one row: locks.contract.ts.)
 */
import { Deferred, Effect, Fiber, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import { KitNo } from "../../domain/ground/Identifiers.js"
import { StoreError } from "../../domain/ground/StoreError.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, card, event, type MakeLayer, runner } from "./support.js"

/**
 * The contract of Transactor: all of a transaction's writes or none, uncommitted writes private, a nested
 * transaction a savepoint. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const transactorContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)
  /**
   * The actions K1's trail holds after a transaction that writes OUTER, ignores the failure of
   * `nested` (the transactions it opens inside) and writes LAST.
   */
  const recovered = <E>(
    nested: (transactor: Transactor["Service"], log: AuditLog["Service"]) => Effect.Effect<unknown, E, never>
  ) =>
    run(
      Effect.gen(function* () {
        const log = yield* AuditLog
        const transactor = yield* Transactor
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            yield* log.append(A, [event("K1", "OUTER")])
            yield* Effect.ignore(nested(transactor, log))
            yield* log.append(A, [event("K1", "LAST")])
          })
        )
        return (yield* log.findBySubject(A, "K1")).map((e) => e.action)
      })
    )

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
                yield* repo.insertAll(A, yield* Effect.all([card(A, "K1", "E1", 1, 1)]))
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

    it("stores none of the writes of an interrupted transaction", async () => {
      const found = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const repo = yield* CardRepository
          const written = yield* Deferred.make<void>()
          const fiber = yield* Effect.forkChild(
            (yield* Transactor).withTransaction(
              Effect.gen(function* () {
                yield* repo.insertAll(A, yield* Effect.all([card(A, "K1", "E1", 1, 1)]))
                yield* log.append(A, [event("K1", "ONE")])
                yield* Deferred.succeed(written, undefined)
                return yield* Effect.never
              })
            )
          )
          yield* Deferred.await(written)
          yield* Fiber.interrupt(fiber)
          return {
            card: yield* repo.findByKitNo(A, KitNo.make("K1")),
            trail: yield* log.findBySubject(A, "K1")
          }
        })
      )
      expect(found).toEqual({ card: Option.none(), trail: [] })
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

    // a flat transaction inside another one is a savepoint too
    for (const nest of ["withTransaction", "withFlatTransaction"] as const)
      it(`undoes only a failed nested transaction when the outer one recovers (a savepoint; ${nest})`, async () => {
        const trail = await recovered((transactor, log) =>
          transactor[nest](
            Effect.andThen(
              log.append(A, [event("K1", "INNER")]),
              Effect.fail(new StoreError({ operation: "c" }))
            )
          )
        )
        expect(trail).toEqual(["OUTER", "LAST"])
      })

    it("rolls a savepoint back to the row's value when it began: the outer transaction's write stays", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          const transactor = yield* Transactor
          const stored = yield* card(A, "K1", "E1", 1, 1)
          yield* repo.insertAll(A, [stored])
          const inside = yield* transactor.withTransaction(
            Effect.gen(function* () {
              yield* repo.updateAll(A, [{ ...stored, status: "LOCKED", lockedFrom: "ACTIVE" }])
              yield* Effect.ignore(
                transactor.withTransaction(
                  Effect.andThen(
                    repo.updateAll(A, [{ ...stored, status: "BLOCKED" }]),
                    Effect.fail(new StoreError({ operation: "c" }))
                  )
                )
              )
              return yield* repo.findByKitNo(A, KitNo.make("K1"))
            })
          )
          return { inside, after: yield* repo.findByKitNo(A, KitNo.make("K1")) }
        })
      )
      expect(Option.map(found.inside, (c) => c.status)).toEqual(Option.some("LOCKED"))
      expect(Option.map(found.after, (c) => c.status)).toEqual(Option.some("LOCKED"))
    })

    it("undoes, with a failed savepoint, the savepoints that succeeded inside it", async () => {
      const trail = await recovered((transactor, log) =>
        transactor.withTransaction(
          Effect.gen(function* () {
            yield* log.append(A, [event("K1", "MIDDLE")])
            yield* transactor.withTransaction(log.append(A, [event("K1", "INNER")]))
            return yield* new StoreError({ operation: "c" })
          })
        )
      )
      expect(trail).toEqual(["OUTER", "LAST"])
    })

    it("undoes only the failed ones of many savepoints in a row, with the savepoints inside them", async () => {
      const failing = (i: number) => i % 5 === 4
      const trail = await run(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const transactor = yield* Transactor
          yield* transactor.withTransaction(
            Effect.forEach(
              Array.from({ length: 40 }, (_, i) => i),
              (i) =>
                Effect.ignore(
                  transactor.withTransaction(
                    Effect.gen(function* () {
                      yield* log.append(A, [event("K1", `S${i}`)])
                      if (i % 2 === 0)
                        yield* transactor.withTransaction(log.append(A, [event("K1", `I${i}`)]))
                      if (failing(i)) return yield* new StoreError({ operation: "c" })
                    })
                  )
                )
            )
          )
          return yield* log.findBySubject(A, "K1")
        })
      )
      expect(trail.map((e) => e.action)).toEqual(
        Array.from({ length: 40 }, (_, i) => i)
          .filter((i) => !failing(i))
          .flatMap((i) => (i % 2 === 0 ? [`S${i}`, `I${i}`] : [`S${i}`]))
      )
    })

    it("stores nothing of a savepoint that succeeded when its transaction fails", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          const transactor = yield* Transactor
          const exit = yield* Effect.exit(
            transactor.withTransaction(
              Effect.gen(function* () {
                yield* transactor.withTransaction(
                  repo.insertAll(A, yield* Effect.all([card(A, "K1", "E1", 1, 1)]))
                )
                return yield* new StoreError({ operation: "c" })
              })
            )
          )
          return { exit, card: yield* repo.findByKitNo(A, KitNo.make("K1")) }
        })
      )
      expect(found.exit._tag).toBe("Failure")
      expect(found.card).toEqual(Option.none())
    })

    describe("a flat transaction (nested ones join it; the same outcome as an ordinary one)", () => {
      /** How many times the outer effect ran, and the trail of K1 after it. */
      const flatRun = <E>(
        body: (
          transactor: Transactor["Service"],
          log: AuditLog["Service"]
        ) => Effect.Effect<unknown, E, never>
      ) =>
        run(
          Effect.gen(function* () {
            const log = yield* AuditLog
            const transactor = yield* Transactor
            let runs = 0
            const exit = yield* Effect.exit(
              transactor.withFlatTransaction(
                Effect.suspend(() => {
                  runs++
                  return body(transactor, log)
                })
              )
            )
            return {
              runs,
              failed: exit._tag === "Failure",
              trail: (yield* log.findBySubject(A, "K1")).map((e) => e.action)
            }
          })
        )
      const failing = (log: AuditLog["Service"], action: string) =>
        Effect.andThen(log.append(A, [event("K1", action)]), Effect.fail(new StoreError({ operation: "c" })))

      it("stores every write, nested ones included, and runs its effect once", async () => {
        const found = await flatRun((transactor, log) =>
          Effect.gen(function* () {
            yield* log.append(A, [event("K1", "OUTER")])
            yield* transactor.withTransaction(
              Effect.andThen(
                log.append(A, [event("K1", "INNER")]),
                transactor.withTransaction(log.append(A, [event("K1", "DEEP")]))
              )
            )
          })
        )
        expect(found).toEqual({ runs: 1, failed: false, trail: ["OUTER", "INNER", "DEEP"] })
      })

      it("reads its own appended events inside, and stores every tenant's, in order", async () => {
        const found = await run(
          Effect.gen(function* () {
            const log = yield* AuditLog
            const transactor = yield* Transactor
            const inside = yield* transactor.withFlatTransaction(
              Effect.gen(function* () {
                yield* log.append(A, [event("K1", "ONE")])
                const read = (yield* log.findBySubject(A, "K1")).map((e) => e.action)
                yield* transactor.withTransaction(log.append(B, [event("K1", "TWO")]))
                yield* log.append(A, [event("K1", "THREE"), event("K1", "FOUR")])
                return read
              })
            )
            const trail = (tenant: typeof A) =>
              Effect.map(log.findBySubject(tenant, "K1"), (t) => t.map((e) => e.action))
            return { inside, a: yield* trail(A), b: yield* trail(B) }
          })
        )
        expect(found).toEqual({ inside: ["ONE"], a: ["ONE", "THREE", "FOUR"], b: ["TWO"] })
      })

      it("stores nothing when a nested transaction fails and the failure goes through", async () => {
        const found = await flatRun((transactor, log) =>
          Effect.andThen(
            log.append(A, [event("K1", "OUTER")]),
            transactor.withTransaction(failing(log, "INNER"))
          )
        )
        expect(found.failed).toBe(true)
        expect(found.trail).toEqual([])
      })

      it("undoes only a failed nested transaction when the effect recovers, as a savepoint would", async () => {
        const found = await flatRun((transactor, log) =>
          Effect.gen(function* () {
            yield* log.append(A, [event("K1", "OUTER")])
            yield* Effect.ignore(
              transactor.withTransaction(
                Effect.andThen(
                  transactor.withTransaction(log.append(A, [event("K1", "KEPT?")])),
                  failing(log, "INNER")
                )
              )
            )
            yield* transactor.withTransaction(log.append(A, [event("K1", "LAST")]))
          })
        )
        expect(found.failed).toBe(false)
        expect(found.trail).toEqual(["OUTER", "LAST"])
        // run again with savepoints at most once
        expect(found.runs).toBeLessThanOrEqual(2)
      })

      it("undoes only the failed ones of many nested transactions in a row", async () => {
        const fails = (i: number) => i % 5 === 4
        const found = await flatRun((transactor, log) =>
          Effect.forEach(
            Array.from({ length: 20 }, (_, i) => i),
            (i) =>
              Effect.ignore(
                transactor.withTransaction(
                  fails(i) ? failing(log, `S${i}`) : log.append(A, [event("K1", `S${i}`)])
                )
              )
          )
        )
        expect(found.trail).toEqual(
          Array.from({ length: 20 }, (_, i) => i)
            .filter((i) => !fails(i))
            .map((i) => `S${i}`)
        )
      })
    })
  })
}
