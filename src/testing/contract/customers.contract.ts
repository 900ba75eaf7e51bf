/**
 * The contract of CustomerRepository: customers by entityId and mobileNo, accounts by accountNo
 * with every field (status, registration, the replacement history), within their tenant only, and
 * nothing stored by a failed transaction.
 */
import { DateTime, Effect, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { Account } from "../../domain/customer/Customer.js"
import { AccountNo, EntityId, MobileNo } from "../../domain/ground/Identifiers.js"
import { StoreError } from "../../domain/ground/StoreError.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, customer, type MakeLayer, runner } from "./support.js"

const account = (accountNo: number, entityId: string, fields: Partial<Account> = {}): Account => ({
  accountNo: AccountNo.make(accountNo),
  entityId: EntityId.make(entityId),
  status: "ACTIVE",
  registration: "REGISTERED",
  replacements: [],
  ...fields
})

const replacedAt = (...instants: ReadonlyArray<string>) => instants.map((i) => DateTime.makeUnsafe(i))

/** An account as plain data, the instants as ISO strings: adapters may rebuild DateTime objects. */
const plain = (found: Option.Option<Account>) =>
  Option.map(found, (a) => ({ ...a, replacements: a.replacements.map(DateTime.formatIso) }))

/**
 * The contract of CustomerRepository: customers by entityId and mobileNo, accounts with every field, within
 * their tenant only, nothing stored by a failed transaction. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const customersContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: CustomerRepository, customers`, () => {
    it("finds a customer by entityId and by mobileNo, within its tenant only", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          yield* repo.saveAll(A, [customer("E1", "9876543210")])
          yield* repo.saveAll(A, [customer("E1", "9876500000")])
          return {
            byId: yield* repo.findByEntityId(A, EntityId.make("E1")),
            oldMobile: yield* repo.findByMobileNo(A, MobileNo.make("9876543210")),
            newMobile: yield* repo.findByMobileNo(A, MobileNo.make("9876500000")),
            otherTenant: yield* repo.findByMobileNo(B, MobileNo.make("9876500000"))
          }
        })
      )
      expect(found.byId).toEqual(Option.some(customer("E1", "9876500000")))
      expect(found.oldMobile).toEqual(Option.none())
      expect(Option.isSome(found.newMobile)).toBe(true)
      expect(found.otherTenant).toEqual(Option.none())
    })
  })

  describe(`${name}: CustomerRepository, accounts`, () => {
    it("finds what saveAccounts stored, with its status, registration and replacements", async () => {
      const stored = [
        account(1, "E1", {
          status: "SUSPENDED",
          registration: "GHOST",
          replacements: replacedAt("2026-06-01T09:00:00.000Z", "2026-07-01T09:30:15.250Z")
        }),
        account(2, "E1", { status: "PENDING_ACTIVATION", registration: "UNREGISTERED" })
      ]
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          yield* repo.saveAll(A, [customer("E1", "9876543210")])
          yield* repo.saveAccounts(A, stored)
          return [
            yield* repo.findAccount(A, AccountNo.make(1)),
            yield* repo.findAccount(A, AccountNo.make(2)),
            yield* repo.findAccount(A, AccountNo.make(3))
          ]
        })
      )
      expect(found.map(plain)).toEqual([...stored.map((a) => plain(Option.some(a))), Option.none()])
    })

    it("replaces an account by accountNo", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          yield* repo.saveAll(A, [customer("E1", "9876543210")])
          yield* repo.saveAccounts(A, [account(1, "E1")])
          const later = account(1, "E1", {
            status: "CLOSED",
            replacements: replacedAt("2026-07-10T00:00:00.000Z")
          })
          yield* repo.saveAccounts(A, [later])
          return { found: yield* repo.findAccount(A, AccountNo.make(1)), later }
        })
      )
      expect(plain(found.found)).toEqual(plain(Option.some(found.later)))
    })

    it("keeps tenants apart, even for the same accountNo", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          yield* repo.saveAll(A, [customer("E1", "9876543210")])
          yield* repo.saveAll(B, [customer("E1", "9876543210")])
          yield* repo.saveAccounts(A, [account(1, "E1", { status: "CLOSED" })])
          const onlyInA = yield* repo.findAccount(B, AccountNo.make(1))
          yield* repo.saveAccounts(B, [account(1, "E1", { registration: "GHOST" })])
          return {
            onlyInA,
            a: yield* repo.findAccount(A, AccountNo.make(1)),
            b: yield* repo.findAccount(B, AccountNo.make(1))
          }
        })
      )
      expect(found.onlyInA).toEqual(Option.none())
      expect(Option.map(found.a, (a) => [a.status, a.registration])).toEqual(
        Option.some(["CLOSED", "REGISTERED"])
      )
      expect(Option.map(found.b, (a) => [a.status, a.registration])).toEqual(Option.some(["ACTIVE", "GHOST"]))
    })

    it("stores none of the customers and accounts a failed transaction saved", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CustomerRepository
          yield* repo.saveAll(A, [customer("E1", "9876543210")])
          yield* repo.saveAccounts(A, [account(1, "E1")])
          const result = yield* Effect.result(
            (yield* Transactor).withTransaction(
              Effect.gen(function* () {
                yield* repo.saveAll(A, [customer("E2", "9876500002")])
                yield* repo.saveAccounts(A, [
                  account(1, "E1", {
                    status: "CLOSED",
                    replacements: replacedAt("2026-07-10T00:00:00.000Z")
                  }),
                  account(2, "E2")
                ])
                return yield* new StoreError({ operation: "contract" })
              })
            )
          )
          return {
            result,
            customer: yield* repo.findByEntityId(A, EntityId.make("E2")),
            byMobile: yield* repo.findByMobileNo(A, MobileNo.make("9876500002")),
            changed: yield* repo.findAccount(A, AccountNo.make(1)),
            added: yield* repo.findAccount(A, AccountNo.make(2))
          }
        })
      )
      expect(Result.isFailure(found.result)).toBe(true)
      expect(found.customer).toEqual(Option.none())
      expect(found.byMobile).toEqual(Option.none())
      expect(plain(found.changed)).toEqual(plain(Option.some(account(1, "E1"))))
      expect(found.added).toEqual(Option.none())
    })
  })
}
