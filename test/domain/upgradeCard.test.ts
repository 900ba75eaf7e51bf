import { createHmac } from "node:crypto"
import { Effect, Equal, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  AuditLog,
  CardNotFound,
  CardOrderRepository,
  CardRepository,
  DuplicateCardType,
  InvalidStatusTransition,
  KitInfoCountOutOfRange,
  KitNo,
  OrderId,
  ProductNotFound,
  SameProductUpgrade,
  StoreError,
  TenantId,
  TenantKeyMissing,
  TierDowngrade,
  TierNotOnLadder,
  upgradeCard,
  ValidationError
} from "../../src/index.js"
import { BIN, cardFixture, customerWith, TENANT_A, TENANT_B } from "../support/builders.js"
import {
  CARD_NUMBER_KEY_HEX,
  entryFor,
  failureOf,
  kitManagerTenant,
  productOf,
  runOn,
  successOf,
  writeLog
} from "../support/kitManager.js"

// seed 000's customer, account and card
const ENTITY = "676165"
const ACCOUNT = 8642135
const KIT = "4561789"
const BRANCH = "BR001"
const SEED_000_REQUEST = {
  entityId: ENTITY,
  kitNo: KIT,
  deliveryAddress: "PERMANENT",
  kitInfo: [{ aliasName: "sample", cardType: "PHYSICAL", plasticCode: "4566", tierType: "SILVER" }]
}
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

type CardOverrides = Parameters<typeof cardFixture>[2]
const tenantWith = (card: CardOverrides = {}, extra: Parameters<typeof kitManagerTenant>[1] = {}) =>
  kitManagerTenant(
    [customerWith(ENTITY, "9876543210", ACCOUNT, [cardFixture(KIT, 1, { status: "ACTIVE", ...card })])],
    extra
  )
const fixtureA = (card: CardOverrides = {}, extra: Parameters<typeof kitManagerTenant>[1] = {}) => ({
  tenants: { [TENANT_A]: tenantWith(card, extra) }
})
const upgradeTo = (...entries: ReadonlyArray<ReturnType<typeof entryFor>>) => ({
  entityId: ENTITY,
  kitNo: KIT,
  kitInfo: entries
})

const tenantA = TenantId.make(TENANT_A)
const stored = (kitNo: string) =>
  Effect.flatMap(CardRepository, (r) => r.findByKitNo(tenantA, KitNo.make(kitNo)))

describe("upgradeCard", () => {
  it("answers seed 000's example with every field of seed 000's result, of the same types", async () => {
    const { outcome } = await runOn(fixtureA(), upgradeCard(TENANT_A, SEED_000_REQUEST))
    const result = successOf(outcome)
    expect(Object.keys(result).sort()).toEqual(Object.keys(SEED_000_RESULT).sort())
    const [kit] = result.kitInfo
    const [seedKit] = SEED_000_RESULT.kitInfo
    expect(result.kitInfo).toHaveLength(1)
    expect(Object.keys(kit!).sort()).toEqual(Object.keys(seedKit!).sort())
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
    expect(result.entityId).toBe(ENTITY)
  })

  it("replaces the old card and stores the new one ASSIGNED on the same account", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, SEED_000_REQUEST)
      return { result, old: yield* stored(KIT), fresh: yield* stored(result.kitInfo[0]!.kitNo) }
    })
    const { outcome } = await runOn(fixtureA(), program)
    const { old, fresh } = successOf(outcome)
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
    expect(Redacted.value(card.pan).startsWith(BIN)).toBe(true)
  })

  it("hashes the PAN with HMAC-SHA-256 under the tenant's cardNumber key", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, SEED_000_REQUEST)
      return { kit: result.kitInfo[0]!, card: Option.getOrThrow(yield* stored(result.kitInfo[0]!.kitNo)) }
    })
    const { kit, card } = successOf((await runOn(fixtureA(), program)).outcome)
    const pan = Redacted.value(card.pan)
    const expected = createHmac("sha256", Buffer.from(CARD_NUMBER_KEY_HEX, "hex")).update(pan).digest("hex")
    expect(kit.encryptedCardNumber).toBe(expected)
    expect(kit.cardNumber).toBe(`${pan.slice(0, 6)}XXXXXX${pan.slice(-4)}`)
  })

  it("orders a PHYSICAL card in RECEIVED at the customer's branch, PERMANENT when deliveryAddress is omitted", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, upgradeTo(entryFor(productOf("GOLD", "PHYSICAL"))))
      const kitNo = result.kitInfo[0]!.kitNo
      const orders = yield* CardOrderRepository
      return { kitNo, order: yield* orders.findById(tenantA, OrderId.make(`ORD${kitNo}`)) }
    })
    const { kitNo, order } = successOf((await runOn(fixtureA(), program)).outcome)
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
      return yield* Effect.flatMap(CardOrderRepository, (o) =>
        o.findById(tenantA, OrderId.make(`ORD${kitNo}`))
      )
    })
    const order = successOf((await runOn(fixtureA(), program)).outcome)
    expect(Option.map(order, (o) => o.deliveryAddress)).toEqual(Option.some("COMMUNICATION"))
  })

  it("issues a PHYSICAL and a VIRTUAL card in one call, and orders only the PHYSICAL one", async () => {
    const log = writeLog()
    const request = upgradeTo(entryFor(productOf("GOLD", "PHYSICAL")), entryFor(productOf("GOLD", "VIRTUAL")))
    const { outcome } = await runOn(fixtureA(), upgradeCard(TENANT_A, request), log)
    const result = successOf(outcome)
    expect(result.kitInfo.map((k) => `${k.cardType}:${k.productId}`)).toEqual([
      "PHYSICAL:2005_PHYSICAL",
      "VIRTUAL:2005_VIRTUAL"
    ])
    expect(log.operations).toEqual([
      "CardIssuer.issue",
      "CardIssuer.issue",
      "CardRepository.saveAll",
      "CardOrderRepository.saveAll",
      "AuditLog.append"
    ])
  })

  it("upgrades within the same tier to a different product", async () => {
    const request = upgradeTo(entryFor(productOf("CLASSIC", "PHYSICAL", 1)))
    const { outcome } = await runOn(fixtureA(), upgradeCard(TENANT_A, request))
    expect(successOf(outcome).kitInfo[0]!.productId).toBe("2002_PHYSICAL")
  })

  it("upgrades an ASSIGNED or a LOCKED card too", async () => {
    for (const card of [{ status: "ASSIGNED" }, { status: "LOCKED", lockedFrom: "ACTIVE" }] as const) {
      const { outcome } = await runOn(fixtureA(card), upgradeCard(TENANT_A, SEED_000_REQUEST))
      expect(successOf(outcome).kitInfo).toHaveLength(1)
    }
  })

  it("records the replacement, the issue and the order, with masked numbers only", async () => {
    const program = Effect.gen(function* () {
      const result = yield* upgradeCard(TENANT_A, SEED_000_REQUEST)
      const kitNo = result.kitInfo[0]!.kitNo
      const log = yield* AuditLog
      const events = [
        ...(yield* log.findBySubject(tenantA, KIT)),
        ...(yield* log.findBySubject(tenantA, kitNo)),
        ...(yield* log.findBySubject(tenantA, `ORD${kitNo}`))
      ]
      const pan = Redacted.value(Option.getOrThrow(yield* stored(kitNo)).pan)
      return { result, events, pan }
    })
    const { result, events, pan } = successOf((await runOn(fixtureA(), program)).outcome)
    expect(events.map((e) => `${e.action}:${e.previousStatus ?? "-"}>${e.currentStatus}`)).toEqual([
      "UPGRADE:ACTIVE>REPLACED",
      "ISSUE:->ASSIGNED",
      "ORDER_CARD:->RECEIVED"
    ])
    const text = JSON.stringify(events)
    expect(text).not.toContain(pan)
    expect(text).not.toContain(result.kitInfo[0]!.encryptedCardNumber)
  })
})

describe("upgradeCard refuses", () => {
  const refusal = async (request: unknown, fixture = fixtureA()) => {
    const { outcome, before, after } = await runOn(fixture, upgradeCard(TENANT_A, request))
    expect(Equal.equals(after, before)).toBe(true)
    return failureOf(outcome)
  }

  it("a kitNo the tenant does not have, as not found", async () => {
    expect(await refusal({ ...SEED_000_REQUEST, kitNo: "9999999" })).toEqual(
      new CardNotFound({ kitNo: "9999999" })
    )
  })

  it("a card of another customer, as not found", async () => {
    expect(await refusal({ ...SEED_000_REQUEST, entityId: "676999" })).toEqual(
      new CardNotFound({ kitNo: KIT })
    )
  })

  it("a card of tenant B, as not found from tenant A", async () => {
    const fixture = { tenants: { [TENANT_A]: kitManagerTenant([]), [TENANT_B]: tenantWith() } }
    expect(await refusal(SEED_000_REQUEST, fixture)).toEqual(new CardNotFound({ kitNo: KIT }))
  })

  it.each(["BLOCKED", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN"] as const)(
    "a %s card: terminal cards never change",
    async (status) => {
      const error = await refusal(SEED_000_REQUEST, fixtureA({ status }))
      expect(error).toEqual(new InvalidStatusTransition({ kitNo: KIT, status, operation: "UPGRADE" }))
      expect((error as InvalidStatusTransition).message).toBe(
        `Cannot UPGRADE card ${KIT}: its status is ${status}.`
      )
    }
  )

  it("an entry that names no product of the catalog", async () => {
    const entry = { cardType: "PHYSICAL", plasticCode: "0000", tierType: "SILVER" } as const
    expect(await refusal(upgradeTo(entry))).toEqual(new ProductNotFound(entry))
  })

  it("a lower tier", async () => {
    const error = await refusal(
      upgradeTo(entryFor(productOf("SILVER", "PHYSICAL"))),
      fixtureA({ tierType: "GOLD", productId: "2005_PHYSICAL" })
    )
    expect(error).toEqual(new TierDowngrade({ kitNo: KIT, currentTier: "GOLD", requestedTier: "SILVER" }))
  })

  it("the same tier with the same product", async () => {
    const error = await refusal(upgradeTo(entryFor(productOf("CLASSIC", "PHYSICAL"))))
    expect(error).toEqual(new SameProductUpgrade({ kitNo: KIT, productId: "2001_PHYSICAL" }))
  })

  it("a card whose tier is not on the tenant's ladder", async () => {
    const error = await refusal(SEED_000_REQUEST, fixtureA({ tierType: "LEGACY" }))
    expect(error).toEqual(new TierNotOnLadder({ tierType: "LEGACY" }))
  })

  it("two entries of one cardType", async () => {
    const request = upgradeTo(
      entryFor(productOf("GOLD", "PHYSICAL")),
      entryFor(productOf("SILVER", "PHYSICAL"))
    )
    expect(await refusal(request)).toEqual(new DuplicateCardType({ cardType: "PHYSICAL" }))
  })

  it("more than two entries", async () => {
    const gold = entryFor(productOf("GOLD", "PHYSICAL"))
    expect(await refusal(upgradeTo(gold, entryFor(productOf("GOLD", "VIRTUAL")), gold))).toEqual(
      new KitInfoCountOutOfRange({ count: 3 })
    )
  })

  it("an empty kitInfo", async () => {
    expect(await refusal(upgradeTo())).toEqual(new KitInfoCountOutOfRange({ count: 0 }))
  })

  it("a tenant without a cardNumber key", async () => {
    const error = await refusal(SEED_000_REQUEST, fixtureA({}, { keys: {} }))
    expect(error).toEqual(new TenantKeyMissing({ purpose: "cardNumber" }))
  })

  it("bad fields, naming each of them", async () => {
    const request = {
      entityId: "",
      kitNo: "45-61",
      deliveryAddress: "HOME",
      kitInfo: [{ cardType: "PLASTIC", plasticCode: "4566", tierType: "SILVER", colour: "red" }]
    }
    const error = (await refusal(request)) as ValidationError
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "deliveryAddress",
      "entityId",
      "kitInfo.0.cardType",
      "kitInfo.0.colour",
      "kitNo"
    ])
  })

  it("a write failure, leaving every store as it was", async () => {
    const { outcome, before, after } = await runOn(fixtureA(), upgradeCard(TENANT_A, SEED_000_REQUEST), {
      failWrite: ({ operation }) => operation === "AuditLog.append"
    })
    expect(failureOf(outcome)).toBeInstanceOf(StoreError)
    expect(Equal.equals(after, before)).toBe(true)
  })
})
