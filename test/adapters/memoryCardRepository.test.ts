import { Effect, Option } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { layer } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  type Card,
  CardRepository,
  EntityId,
  KitNo,
  makePan,
  PanDigits,
  TenantId
} from "../../src/index.js"
import { panFor, TENANT_A, TENANT_B } from "../support/builders.js"

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
  pan: makePan(PanDigits.make(panFor(kit + 1))),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status
})

const card = fc
  .tuple(fc.nat(KITS.length - 1), fc.nat(CUSTOMERS.length - 1), fc.nat(ACCOUNTS.length - 1), fc.boolean())
  .map(([k, c, a, blocked]) => cardOf(k, c, a, blocked ? "BLOCKED" : "ACTIVE"))
/** Batches in any order, with repeated kitNos (the last write wins). */
const batches = fc.array(fc.tuple(fc.constantFrom(...TENANTS), fc.array(card, { maxLength: 8 })), {
  maxLength: 8
})

const byKitNo = (a: Card, b: Card) => (a.kitNo < b.kitNo ? -1 : a.kitNo > b.kitNo ? 1 : 0)

describe("the memory card repository", () => {
  it("answers findByKitNo, findByCustomer and findByAccount like a plain map of the last writes", async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (writes) => {
        const model = new Map<string, Map<string, Card>>(TENANTS.map((t) => [t, new Map()]))
        for (const [tenant, cards] of writes) for (const c of cards) model.get(tenant)!.set(c.kitNo, c)
        const program = Effect.gen(function* () {
          const repo = yield* CardRepository
          for (const [tenant, cards] of writes) yield* repo.saveAll(TenantId.make(tenant), cards)
          for (const tenant of TENANTS) {
            const t = TenantId.make(tenant)
            const rows = [...model.get(tenant)!.values()]
            for (const kit of KITS) {
              expect(Option.getOrUndefined(yield* repo.findByKitNo(t, KitNo.make(kit)))).toEqual(
                model.get(tenant)!.get(kit)
              )
            }
            for (const customer of CUSTOMERS) {
              expect(yield* repo.findByCustomer(t, EntityId.make(customer))).toEqual(
                rows.filter((c) => c.entityId === customer).sort(byKitNo)
              )
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
