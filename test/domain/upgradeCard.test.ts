import { createHmac } from "node:crypto"
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { CardOrderRepository, cancelCardOrder, OrderId, TenantId, upgradeCard } from "../../src/index.js"
import { BIN, cardFixture, customerWith, TENANT_A } from "../support/builders.js"
import {
  CARD_NUMBER_KEY_HEX,
  entryFor,
  kitManagerTenant,
  orderFixture,
  productOf,
  runOn,
  SEED_000_REQUEST,
  storedCard,
  successOf,
  UPGRADE,
  upgradeFixture,
  upgradeTo,
  writeLog
} from "../support/kitManager.js"
import { clearPanOf } from "../support/protectedPan.js"

const { entityId: ENTITY, accountNo: ACCOUNT, kitNo: KIT, branchId: BRANCH } = UPGRADE
/** Seed 000's `result`, verbatim. */
const SEED_000_RESULT = {
  entityId: "672765",
  kitInfo: [
    {
      accountNo: 8642135,
      bin: "608040",
      cardCategory: "DEBIT",
      cardNumber: "608040XXXXXX6384",
      cardStatus: "ASSIGNED",
      cardType: "PHYSICAL",
      encryptedCardNumber: "44a938afd8c4c062ded334e77d5c5e6275dc6e1422d2d2af370f3a99dfbe7482",
      entityId: "676765",
      expDate: "2029-07-31T00:00:00.000+00:00",
      kitNo: "4240181595",
      networkType: "RUPAY",
      productId: "2003_PHYSICAL",
      productName: "2003_PHYSICAL"
    }
  ]
}

const tenantA = TenantId.make(TENANT_A)
const orderOf = (orderId: string) =>
  Effect.flatMap(CardOrderRepository, (o) => o.findById(tenantA, OrderId.make(orderId)))

describe("upgradeCard", () => {
  it("answers seed 000's example with every field of seed 000's result, of the same types", async () => {
    const { outcome } = await runOn(upgradeFixture(), upgradeCard(TENANT_A, SEED_000_REQUEST))
    const result = successOf(outcome)
    expect(Object.keys(result).sort()).toEqual(Object.keys(SEED_000_RESULT).sort())
    const [kit] = result.kitInfo
    const [seedKit] = SEED_000_RESULT.kitInfo
    expect(result.kitInfo).toHaveLength(1)
    // every field of the seed, and one beside them: the order placed for the PHYSICAL card
    expect(Object.keys(kit!).sort()).toEqual([...Object.keys(seedKit!), "orderId"].sort())
    for (const [field, value] of Object.entries(seedKit!)) {
      expect(typeof (kit as unknown as Record<string, unknown>)[field], field).toBe(typeof value)
    }
    expect(kit).toMatchObject({
      accountNo: ACCOUNT,
      bin: "608040",
      cardCategory: "DEBIT",
      cardStatus: "ASSIGNED",
      cardType: "PHYSICAL",
      entityId: ENTITY,
      expDate: "2029-07-31T00:00:00.000+00:00",
      networkType: "RUPAY",
      productId: "2003_PHYSICAL",
      productName: "2003_PHYSICAL"
    })
    expect(kit!.cardNumber).toMatch(/^608040X{6}[0-9]{4}$/)
    expect(kit!.encryptedCardNumber).toMatch(/^[0-9a-f]{64}$/)
    expect(kit!.orderId).toBe(`ORD${kit!.kitNo}`)
    expect(result.entityId).toBe(ENTITY)
  })

  it("returns the id of the order it placed, which cancelCardOrder takes; a VIRTUAL card has none", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(
        TENANT_A,
        upgradeTo(entryFor(productOf("SILVER", "PHYSICAL")), entryFor(productOf("SILVER", "VIRTUAL")))
      )
      const physical = result.kitInfo.find((k) => k.cardType === "PHYSICAL")!
      const virtual = result.kitInfo.find((k) => k.cardType === "VIRTUAL")!
      const cancelled = yield* cancelCardOrder(TENANT_A, { orderId: physical.orderId, branchId: "BR001" })
      return { physical, virtual, cancelled }
    })
    const { physical, virtual, cancelled } = successOf((await runOn(upgradeFixture(), program)).outcome)
    expect("orderId" in virtual).toBe(false)
    expect(cancelled).toMatchObject({
      orderId: physical.orderId,
      kitNo: physical.kitNo,
      orderStatus: "CANCELLED"
    })
  })

  it("replaces the old card and stores the new one ASSIGNED on the same account", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, SEED_000_REQUEST)
      const fresh = yield* storedCard(result.kitInfo[0]!.kitNo)
      const pan = Option.isSome(fresh) ? yield* clearPanOf(TENANT_A, fresh.value) : ""
      return { result, old: yield* storedCard(KIT), fresh, pan }
    })
    const { outcome } = await runOn(upgradeFixture(), program)
    const { old, fresh, pan } = successOf(outcome)
    expect(Option.map(old, (c) => c.status)).toEqual(Option.some("REPLACED"))
    const card = Option.getOrThrow(fresh)
    expect(card).toMatchObject({
      status: "ASSIGNED",
      accountNo: ACCOUNT,
      entityId: ENTITY,
      productId: "2003_PHYSICAL",
      tierType: "SILVER",
      cardType: "PHYSICAL"
    })
    expect(pan.startsWith(BIN)).toBe(true)
  })

  it("hashes the PAN with HMAC-SHA-256 under the tenant's cardNumber key", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, SEED_000_REQUEST)
      const card = Option.getOrThrow(yield* storedCard(result.kitInfo[0]!.kitNo))
      return { kit: result.kitInfo[0]!, card, pan: yield* clearPanOf(TENANT_A, card) }
    })
    const { kit, card, pan } = successOf((await runOn(upgradeFixture(), program)).outcome)
    // the result shows what the store keeps: the masked form and the keyed hash
    expect([card.pan.masked, card.pan.hash]).toEqual([kit.cardNumber, kit.encryptedCardNumber])
    const expected = createHmac("sha256", Buffer.from(CARD_NUMBER_KEY_HEX, "hex")).update(pan).digest("hex")
    expect(kit.encryptedCardNumber).toBe(expected)
    expect(kit.cardNumber).toBe(`${pan.slice(0, 6)}XXXXXX${pan.slice(-4)}`)
  })

  it("orders a PHYSICAL card in RECEIVED at the customer's branch, PERMANENT when deliveryAddress is omitted", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, upgradeTo(entryFor(productOf("GOLD", "PHYSICAL"))))
      const kitNo = result.kitInfo[0]!.kitNo
      return { kitNo, order: yield* orderOf(`ORD${kitNo}`) }
    })
    const { kitNo, order } = successOf((await runOn(upgradeFixture(), program)).outcome)
    expect(Option.getOrThrow(order)).toEqual({
      orderId: `ORD${kitNo}`,
      kitNo,
      entityId: ENTITY,
      branchId: BRANCH,
      status: "RECEIVED",
      deliveryAddress: "PERMANENT",
      createdAt: "2026-07-15T10:30:00.000Z"
    })
  })

  it("delivers to the COMMUNICATION address when asked", async () => {
    const program = Effect.gen(function* () {
      const request = {
        ...upgradeTo(entryFor(productOf("GOLD", "PHYSICAL"))),
        deliveryAddress: "COMMUNICATION"
      }
      const kitNo = (yield* upgradeCard(TENANT_A, request)).kitInfo[0]!.kitNo
      return yield* orderOf(`ORD${kitNo}`)
    })
    const order = successOf((await runOn(upgradeFixture(), program)).outcome)
    expect(Option.map(order, (o) => o.deliveryAddress)).toEqual(Option.some("COMMUNICATION"))
  })

  it("never overwrites an order that already holds ORD + the new kitNo: the new order takes ORD<kitNo>-2", async () => {
    // the kitNo the issuer gives this upgrade, learnt from a first run on the same data
    const first = await runOn(upgradeFixture(), upgradeCard(TENANT_A, SEED_000_REQUEST))
    const kitNo = successOf(first.outcome).kitInfo[0]!.kitNo
    // an order from elsewhere (another system) already holds ORD + that kitNo, for another card
    const other = cardFixture("4240100000", 2)
    const fixture = {
      tenants: {
        [TENANT_A]: kitManagerTenant(
          [customerWith(ENTITY, "9876543210", ACCOUNT, [cardFixture(KIT, 1, { status: "ACTIVE" }), other])],
          { orders: [orderFixture(`ORD${kitNo}`, other.kitNo, { status: "PENDING" })] }
        )
      }
    }
    const program = Effect.gen(function* () {
      const issued = (yield* upgradeCard(TENANT_A, SEED_000_REQUEST)).kitInfo[0]!.kitNo
      return { issued, earlier: yield* orderOf(`ORD${kitNo}`), fresh: yield* orderOf(`ORD${kitNo}-2`) }
    })
    const { issued, earlier, fresh } = successOf((await runOn(fixture, program)).outcome)
    expect(issued).toBe(kitNo)
    expect(Option.map(earlier, (o) => [o.kitNo, o.status])).toEqual(Option.some([other.kitNo, "PENDING"]))
    expect(Option.map(fresh, (o) => [o.kitNo, o.status])).toEqual(Option.some([kitNo, "RECEIVED"]))
  })

  it("issues a PHYSICAL and a VIRTUAL card in one call, and orders only the PHYSICAL one", async () => {
    const log = writeLog()
    const request = upgradeTo(entryFor(productOf("GOLD", "PHYSICAL")), entryFor(productOf("GOLD", "VIRTUAL")))
    const { outcome } = await runOn(upgradeFixture(), upgradeCard(TENANT_A, request), log)
    const result = successOf(outcome)
    expect(result.kitInfo.map((k) => `${k.cardType}:${k.productId}`)).toEqual([
      "PHYSICAL:2005_PHYSICAL",
      "VIRTUAL:2005_VIRTUAL"
    ])
    expect(log.operations).toEqual([
      "CardIssuer.issue",
      "CardIssuer.issue",
      "CardRepository.updateAll",
      "CardRepository.insertAll",
      "CardOrderRepository.insertAll",
      "AuditLog.append"
    ])
  })

  it("upgrades within the same tier to a different product", async () => {
    const request = upgradeTo(entryFor(productOf("CLASSIC", "PHYSICAL", 1)))
    const { outcome } = await runOn(upgradeFixture(), upgradeCard(TENANT_A, request))
    expect(successOf(outcome).kitInfo[0]!.productId).toBe("2002_PHYSICAL")
  })

  it("upgrades an ASSIGNED or a LOCKED card too", async () => {
    for (const card of [{ status: "ASSIGNED" }, { status: "LOCKED", lockedFrom: "ACTIVE" }] as const) {
      const { outcome } = await runOn(upgradeFixture(card), upgradeCard(TENANT_A, SEED_000_REQUEST))
      expect(successOf(outcome).kitInfo).toHaveLength(1)
    }
  })
})
