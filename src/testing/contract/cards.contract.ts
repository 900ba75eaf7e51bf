/**
 * The contract of CardRepository and AuditLog: rows round-trip, in the promised order, within their
 * tenant only.
 */
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { AccountNo, EntityId, KitNo } from "../../domain/ground/Identifiers.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, card, event, type MakeLayer, runner } from "./support.js"

/**
 * The contract of CardRepository and AuditLog: rows round-trip by kitNo, customer and account in kitNo order,
 * a taken kitNo or PAN is a `DuplicateKey` that stores nothing of the batch, tenants stay apart, and
 * audit events come back in the order appended. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const cardsContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: CardRepository`, () => {
    it("finds what insertAll stored, by kitNo, by customer and by account, in kitNo order, for update too", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          yield* repo.insertAll(
            A,
            yield* Effect.all([
              card(A, "K3", "E1", 1, 3),
              card(A, "K1", "E1", 2, 1),
              card(A, "K2", "E2", 1, 2)
            ])
          )
          return {
            one: yield* repo.findByKitNo(A, KitNo.make("K1")),
            oneForUpdate: yield* (yield* Transactor).withTransaction(
              repo.findByKitNoForUpdate(A, KitNo.make("K1"))
            ),
            byCustomer: yield* repo.findByCustomer(A, EntityId.make("E1")),
            byCustomerForUpdate: yield* (yield* Transactor).withTransaction(
              repo.findByCustomerForUpdate(A, EntityId.make("E1"))
            ),
            byAccount: yield* repo.findByAccount(A, AccountNo.make(1))
          }
        })
      )
      expect(Option.map(found.one, (c) => c.accountNo)).toEqual(Option.some(2))
      expect(Option.map(found.oneForUpdate, (c) => c.kitNo)).toEqual(Option.some("K1"))
      expect(found.byCustomer.map((c) => c.kitNo)).toEqual(["K1", "K3"])
      expect(found.byCustomerForUpdate.map((c) => c.kitNo)).toEqual(["K1", "K3"])
      expect(found.byAccount.map((c) => c.kitNo)).toEqual(["K2", "K3"])
    })

    it("refuses with DuplicateKey, storing nothing of the batch, a kitNo or a PAN the tenant already holds", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          yield* repo.insertAll(A, yield* Effect.all([card(A, "K1", "E1", 1, 1)]))
          const sameKitNo = yield* Effect.flip(
            repo.insertAll(A, yield* Effect.all([card(A, "K2", "E1", 1, 2), card(A, "K1", "E1", 1, 3)]))
          )
          const samePan = yield* Effect.flip(
            repo.insertAll(A, yield* Effect.all([card(A, "K4", "E1", 1, 4), card(A, "K5", "E1", 1, 1)]))
          )
          const twiceInBatch = yield* Effect.flip(
            repo.insertAll(A, yield* Effect.all([card(A, "K6", "E1", 1, 6), card(A, "K6", "E1", 1, 7)]))
          )
          // another tenant holds its own kitNos and PANs
          yield* repo.insertAll(B, yield* Effect.all([card(B, "K1", "E1", 1, 1)]))
          return {
            errors: [sameKitNo, samePan, twiceInBatch],
            cards: (yield* repo.findByCustomer(A, EntityId.make("E1"))).map((c) => c.kitNo),
            inB: (yield* repo.findByCustomer(B, EntityId.make("E1"))).map((c) => c.kitNo)
          }
        })
      )
      expect(found.errors.map((e) => (e._tag === "DuplicateKey" ? e.key : e._tag))).toEqual([
        "kitNo",
        "pan",
        "kitNo"
      ])
      expect(found.cards).toEqual(["K1"])
      expect(found.inB).toEqual(["K1"])
    })

    it("replaces a card by kitNo, and follows it when it moves to another account", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardRepository
          const stored = yield* card(A, "K1", "E1", 1, 1)
          yield* repo.insertAll(A, [stored])
          yield* repo.updateAll(A, [{ ...stored, accountNo: AccountNo.make(2), status: "BLOCKED" }])
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
          yield* repo.insertAll(A, yield* Effect.all([card(A, "K1", "E1", 1, 1)]))
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
}
