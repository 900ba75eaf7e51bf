/**
 * Kit-manager rules pinned down field by field (seeds 000–002, DOMAIN.md §3, §4, §7): the refusals'
 * exact codes, fields and messages, a request that is not an object, the upgrade's audit outcomes and
 * its order for PHYSICAL cards only, and the ladder's refusals.
 */
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { checkKitInfo, chooseProducts } from "../../src/domain/kit/UpgradePlan.js"
import {
  AuditLog,
  cancelCardOrder,
  manageAllCards,
  TenantId,
  type UpgradeCardResult,
  upgradeCard
} from "../../src/index.js"
import { cardFixture, customerWith, TENANT_A } from "../support/builders.js"
import {
  domainCard,
  entryFor,
  failureOf,
  kitManagerTenant,
  orderFixture,
  productFixture,
  productOf,
  runOn,
  successOf
} from "../support/kitManager.js"
import { differences } from "../support/state.js"

const ENTITY = "676165"
const KIT = "4240181595"
const ORDER = "ORD4240181595"
const fixture = (extra: Parameters<typeof kitManagerTenant>[1] = {}) => ({
  tenants: {
    [TENANT_A]: kitManagerTenant(
      [customerWith(ENTITY, "9876543210", 8642135, [cardFixture(KIT, 1, { status: "ACTIVE" })])],
      { orders: [orderFixture(ORDER, KIT)], ...extra }
    )
  }
})

/** A refusal as a caller reads it: its JSON. */
const asJson = (error: unknown) => JSON.parse(JSON.stringify(error))

describe("cancelCardOrder refusals", () => {
  it("an unknown orderId: CARD_ORDER_NOT_FOUND, naming the orderId", async () => {
    const { outcome } = await runOn(
      fixture(),
      cancelCardOrder(TENANT_A, { orderId: "ORD1", branchId: "BR001" })
    )
    expect(asJson(failureOf(outcome))).toEqual({
      _tag: "CardOrderNotFound",
      code: "CARD_ORDER_NOT_FOUND",
      orderId: "ORD1",
      message: "No card order with orderId ORD1 exists for this tenant."
    })
  })

  it("another branch: ORDER_BRANCH_MISMATCH, naming the order and the branch sent", async () => {
    const { outcome, before, after } = await runOn(
      fixture(),
      cancelCardOrder(TENANT_A, { orderId: ORDER, branchId: "BR999" })
    )
    expect(asJson(failureOf(outcome))).toEqual({
      _tag: "OrderBranchMismatch",
      code: "ORDER_BRANCH_MISMATCH",
      orderId: ORDER,
      branchId: "BR999",
      message: `Card order ${ORDER} was not placed at branch BR999; send the branchId of the original order.`
    })
    expect(differences(before, after)).toEqual([])
  })
})

describe("manageAllCards refusals", () => {
  it("a mobileNo that names nobody: CUSTOMER_NOT_FOUND by mobileNo, without echoing the number", async () => {
    const { outcome } = await runOn(
      fixture(),
      manageAllCards(TENANT_A, { mobileNo: "9999999999", operation: "LOCK" })
    )
    expect(asJson(failureOf(outcome))).toEqual({
      _tag: "CustomerNotFound",
      code: "CUSTOMER_NOT_FOUND",
      selector: "mobileNo",
      message: "No customer with this mobileNo exists for this tenant."
    })
  })

  it.each([null, "BLOCK", 42, ["BLOCK"]])(
    "a request that is not an object (%j) is a ValidationError, not a defect",
    async (request) => {
      const { outcome, before, after } = await runOn(fixture(), manageAllCards(TENANT_A, request))
      expect((failureOf(outcome) as { _tag: string })._tag).toBe("ValidationError")
      expect(differences(before, after)).toEqual([])
    }
  )

  it("an object without mobileNo or entityId names the missing selector at the request's root", async () => {
    const { outcome } = await runOn(fixture(), manageAllCards(TENANT_A, { operation: "LOCK" }))
    expect(asJson(failureOf(outcome)).issues).toEqual([
      { path: "", message: "mobileNo or entityId is required" }
    ])
  })
})

describe("upgradeCard", () => {
  const upgrade = (...entries: ReadonlyArray<ReturnType<typeof entryFor>>) =>
    upgradeCard(TENANT_A, { entityId: ENTITY, kitNo: KIT, kitInfo: entries })

  it("kitInfo holds 1 or 2 entries: 0 and 3 are KIT_INFO_COUNT_OUT_OF_RANGE with the count", () => {
    const physical = { cardType: "PHYSICAL" }
    expect(Result.isSuccess(checkKitInfo([physical]))).toBe(true)
    expect(Result.isSuccess(checkKitInfo([physical, { cardType: "VIRTUAL" }]))).toBe(true)
    for (const entries of [[], [physical, { cardType: "VIRTUAL" }, physical]]) {
      const checked = checkKitInfo(entries)
      expect(Result.isFailure(checked) && asJson(checked.failure)).toMatchObject({
        code: "KIT_INFO_COUNT_OUT_OF_RANGE",
        count: entries.length
      })
    }
  })

  it("audits each new card's ISSUE and its ORDER_CARD with the outcome OK; a VIRTUAL card is not ordered", async () => {
    const { outcome } = await runOn(
      fixture(),
      Effect.gen(function* () {
        const result: UpgradeCardResult = yield* upgrade(
          entryFor(productOf("GOLD", "PHYSICAL")),
          entryFor(productOf("GOLD", "VIRTUAL"))
        )
        const log = yield* AuditLog
        const trail = yield* Effect.forEach(
          result.kitInfo.flatMap((k) => (k.orderId === undefined ? [k.kitNo] : [k.kitNo, k.orderId])),
          (subject) => log.findBySubject(TenantId.make(TENANT_A), subject)
        )
        return { result, trail: trail.flat().map((e) => [e.action, e.outcome]) }
      })
    )
    const { result, trail } = successOf(outcome)
    expect(result.kitInfo.map((k) => [k.cardType, k.orderId !== undefined])).toEqual([
      ["PHYSICAL", true],
      ["VIRTUAL", false]
    ])
    expect(trail).toEqual([
      ["ISSUE", "OK"],
      ["ORDER_CARD", "OK"],
      ["ISSUE", "OK"]
    ])
  })

  it("a card or a product whose tier is not on the ladder: TIER_NOT_ON_LADDER naming that tier", () => {
    const ladder = ["CLASSIC", "SILVER"]
    const silver = productFixture("2003_PHYSICAL", "SILVER", "PHYSICAL", "4566")
    const diamond = { ...silver, productId: "9001_PHYSICAL", plasticCode: "9001", tierType: "DIAMOND" }
    const entry = (p: { cardType: string; plasticCode: string; tierType: string }) => ({
      cardType: p.cardType as "PHYSICAL",
      plasticCode: p.plasticCode,
      tierType: p.tierType
    })
    const card = domainCard(KIT, 1)
    const refusal = (result: Result.Result<unknown, unknown>) =>
      Result.isFailure(result) && asJson(result.failure)
    expect(refusal(chooseProducts(card, [entry(diamond)], [silver, diamond] as never, ladder))).toMatchObject(
      {
        code: "TIER_NOT_ON_LADDER",
        tierType: "DIAMOND"
      }
    )
    expect(
      refusal(chooseProducts({ ...card, tierType: "BRONZE" }, [entry(silver)], [silver] as never, ladder))
    ).toMatchObject({ code: "TIER_NOT_ON_LADDER", tierType: "BRONZE" })
    expect(Result.isSuccess(chooseProducts(card, [entry(silver)], [silver] as never, ladder))).toBe(true)
  })
})
