import { Effect, Option, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { layer } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  type Card,
  CardRepository,
  DuplicateKey,
  EntityId,
  KitNo,
  TenantId
} from "../../src/index.js"
import { panFor, TENANT_A, TENANT_B } from "../support/builders.js"
import { standInPan } from "../support/protectedPan.js"

// a few kitNos, customers and accounts, so that batches overwrite and move cards often
const KITS = ["K1", "K2", "K3", "K4", "K5", "K6"]
const CUSTOMERS = ["C1", "C2", "C3"]
const ACCOUNTS = [101, 102, 103]
const TENANTS = [TENANT_A, TENANT_B]

const cardOf = (kit: number, customer: number, account: number, status: "ACTIVE" | "BLOCKED"): Card => ({
  kitNo: KitNo.make(KITS[kit]!),
  entityId: EntityId.make(CUSTOMERS[customer]!),
  accountNo: AccountNo.make(ACCOUNTS[account]!),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: standInPan(panFor(kit + 1)),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status
})

const card = fc
  .tuple(fc.nat(KITS.length - 1), fc.nat(CUSTOMERS.length - 1), fc.nat(ACCOUNTS.length - 1), fc.boolean())
  .map(([k, c, a, blocked]) => cardOf(k, c, a, blocked ? "BLOCKED" : "ACTIVE"))
/**
 * Batches in any order, with repeated kitNos (the last write wins). A batch is either written (its
 * new kitNos inserted, then every other card updated) or sent whole to insertAll, which stores it
 * only if none of its kitNos is stored or repeated.
 */
const batches = fc.array(
  fc.tuple(fc.constantFrom(...TENANTS), fc.array(card, { maxLength: 8 }), fc.constantFrom("write", "insert")),
  { maxLength: 8 }
)

const byKitNo = (a: Card, b: Card) => (a.kitNo < b.kitNo ? -1 : a.kitNo > b.kitNo ? 1 : 0)

describe("the memory card repository", () => {
  it("answers findByKitNo, findByCustomer and findByAccount like a plain map of the last writes", async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (writes) => {
        const model = new Map<string, Map<string, Card>>(TENANTS.map((t) => [t, new Map()]))
        const program = Effect.gen(function* () {
          const repo = yield* CardRepository
          for (const [tenant, cards, mode] of writes) {
            const stored = model.get(tenant)!
            const t = TenantId.make(tenant)
            if (mode === "insert") {
              const kitNos = cards.map((c) => c.kitNo)
              const refused = kitNos.some((k, i) => stored.has(k) || kitNos.indexOf(k) !== i)
              const result = yield* Effect.result(repo.insertAll(t, cards))
              if (refused) {
                const failure = Result.isFailure(result) ? result.failure : undefined
                expect(failure).toBeInstanceOf(DuplicateKey)
                expect(failure instanceof DuplicateKey && failure.key).toBe("kitNo")
              } else {
                expect(Result.isSuccess(result)).toBe(true)
                for (const c of cards) stored.set(c.kitNo, c)
              }
            } else {
              // the first card of each new kitNo is inserted; every later write of a kitNo is an update
              const fresh = cards.filter(
                (c, i) => !stored.has(c.kitNo) && cards.findIndex((d) => d.kitNo === c.kitNo) === i
              )
              const updates = cards.filter((c) => !fresh.includes(c))
              yield* repo.insertAll(t, fresh)
              yield* repo.updateAll(t, updates)
              for (const c of cards) stored.set(c.kitNo, c)
            }
          }
          for (const tenant of TENANTS) {
            const t = TenantId.make(tenant)
            const rows = [...model.get(tenant)!.values()]
            for (const kit of KITS) {
              expect(Option.getOrUndefined(yield* repo.findByKitNo(t, KitNo.make(kit)))).toEqual(
                model.get(tenant)!.get(kit)
              )
              expect(Option.getOrUndefined(yield* repo.findByKitNoForUpdate(t, KitNo.make(kit)))).toEqual(
                model.get(tenant)!.get(kit)
              )
            }
            for (const customer of CUSTOMERS) {
              const expected = rows.filter((c) => c.entityId === customer).sort(byKitNo)
              expect(yield* repo.findByCustomer(t, EntityId.make(customer))).toEqual(expected)
              expect(yield* repo.findByCustomerForUpdate(t, EntityId.make(customer))).toEqual(expected)
            }
            for (const account of ACCOUNTS) {
              expect(yield* repo.findByAccount(t, AccountNo.make(account))).toEqual(
                rows.filter((c) => c.accountNo === account).sort(byKitNo)
              )
            }
          }
        })
        await Effect.runPromise(Effect.provide(program, layer()))
      })
    )
  })
})
