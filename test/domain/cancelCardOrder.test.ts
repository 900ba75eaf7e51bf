import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import {
  AuditLog,
  CardOrderNotFound,
  CardOrderRepository,
  CardRepository,
  cancelCardOrder,
  EntityId,
  KitNo,
  OrderBranchMismatch,
  OrderId,
  OrderNotCancellable,
  StoreError,
  TenantId,
  upgradeCard,
  ValidationError
} from "../../src/index.js"
import { cardFixture, customerWith, TENANT_A, TENANT_B } from "../support/builders.js"
import {
  entryFor,
  failureOf,
  kitManagerTenant,
  orderFixture,
  productOf,
  runOn,
  successOf,
  writeLog
} from "../support/kitManager.js"
import { differences } from "../support/state.js"

const ENTITY = "676165"
const ACCOUNT = 8642135
const KIT = "4240181595"
const ORDER = "ORD4240181595"
const BRANCH = "BR001"

type CardOverrides = Parameters<typeof cardFixture>[2]
type OrderOverrides = Parameters<typeof orderFixture>[2]
const tenantWith = (card: CardOverrides = {}, order: OrderOverrides = {}) =>
  kitManagerTenant([customerWith(ENTITY, "9876543210", ACCOUNT, [cardFixture(KIT, 1, card)])], {
    orders: [orderFixture(ORDER, KIT, order)]
  })
const fixtureA = (card: CardOverrides = {}, order: OrderOverrides = {}) => ({
  tenants: { [TENANT_A]: tenantWith(card, order) }
})

const tenantA = TenantId.make(TENANT_A)
const orderAndCard = Effect.gen(function* () {
  const order = yield* Effect.flatMap(CardOrderRepository, (r) => r.findById(tenantA, OrderId.make(ORDER)))
  const card = yield* Effect.flatMap(CardRepository, (r) => r.findByKitNo(tenantA, KitNo.make(KIT)))
  return { order: Option.map(order, (o) => o.status), card: Option.map(card, (c) => c.status) }
})

describe("cancelCardOrder", () => {
  it("cancels a RECEIVED order and its ASSIGNED card together", async () => {
    const program = Effect.gen(function* () {
      const result = yield* cancelCardOrder(TENANT_A, {
        orderId: ORDER,
        branchId: BRANCH,
        reason: "NOT_NEEDED"
      })
      return { result, stored: yield* orderAndCard }
    })
    const log = writeLog()
    const { result, stored } = successOf((await runOn(fixtureA(), program, log)).outcome)
    expect(result).toEqual({
      orderId: ORDER,
      branchId: BRANCH,
      orderStatus: "CANCELLED",
      kitNo: KIT,
      cardStatus: "CANCELLED"
    })
    expect(stored).toEqual({ order: Option.some("CANCELLED"), card: Option.some("CANCELLED") })
    expect(log.operations).toEqual([
      "CardRepository.updateAll",
      "CardOrderRepository.updateAll",
      "AuditLog.append"
    ])
  })

  it("records an audit event for the order and one for the card, each with changer, channel and reason", async () => {
    const program = Effect.gen(function* () {
      yield* cancelCardOrder(TENANT_A, {
        orderId: ORDER,
        branchId: BRANCH,
        changer: "branch-7",
        channel: "BRANCH",
        reason: "NOT_NEEDED"
      })
      const log = yield* AuditLog
      return [...(yield* log.findBySubject(tenantA, ORDER)), ...(yield* log.findBySubject(tenantA, KIT))]
    })
    const events = successOf((await runOn(fixtureA(), program)).outcome)
    const common = {
      at: "2026-07-15T10:30:00.000Z",
      action: "CANCEL_ORDER",
      outcome: "OK",
      changer: "branch-7",
      channel: "BRANCH"
    }
    expect(events).toEqual([
      {
        ...common,
        subject: ORDER,
        previousStatus: "RECEIVED",
        currentStatus: "CANCELLED",
        reason: "NOT_NEEDED"
      },
      {
        ...common,
        subject: KIT,
        cardNumber: "608040XXXXXX0010",
        previousStatus: "ASSIGNED",
        currentStatus: "CANCELLED",
        reason: "NOT_NEEDED"
      }
    ])
  })

  it("cancels the order but leaves a card that is already ACTIVE as it is", async () => {
    const log = writeLog()
    const program = Effect.andThen(
      cancelCardOrder(TENANT_A, { orderId: ORDER, branchId: BRANCH }),
      orderAndCard
    )
    const stored = successOf((await runOn(fixtureA({ status: "ACTIVE" }), program, log)).outcome)
    expect(stored).toEqual({ order: Option.some("CANCELLED"), card: Option.some("ACTIVE") })
    expect(log.operations).toEqual(["CardOrderRepository.updateAll", "AuditLog.append"])
  })

  it("cancels the order an upgrade placed: the old card stays REPLACED, the new one is CANCELLED", async () => {
    const fixture = {
      tenants: {
        [TENANT_A]: kitManagerTenant([
          customerWith(ENTITY, "9876543210", ACCOUNT, [cardFixture("4561789", 2)])
        ])
      }
    }
    const program = Effect.gen(function* () {
      const upgraded = yield* upgradeCard(TENANT_A, {
        entityId: ENTITY,
        kitNo: "4561789",
        kitInfo: [entryFor(productOf("SILVER", "PHYSICAL"))]
      })
      const result = yield* cancelCardOrder(TENANT_A, {
        orderId: `ORD${upgraded.kitInfo[0]!.kitNo}`,
        branchId: BRANCH
      })
      const cards = yield* Effect.flatMap(CardRepository, (r) =>
        r.findByCustomer(tenantA, EntityId.make(ENTITY))
      )
      return { result, cards: cards.map((c) => `${c.kitNo}:${c.status}`) }
    })
    const { result, cards } = successOf((await runOn(fixture, program)).outcome)
    expect([result.orderStatus, result.cardStatus]).toEqual(["CANCELLED", "CANCELLED"])
    // seeds 000 and 001 give no way back: the customer holds no usable card until one is re-issued
    expect(cards).toEqual([`${result.kitNo}:CANCELLED`, "4561789:REPLACED"])
  })

  for (const failing of ["CardRepository.updateAll", "CardOrderRepository.updateAll", "AuditLog.append"]) {
    it(`leaves every store as it was when ${failing} fails`, async () => {
      const { outcome, before, after } = await runOn(
        fixtureA(),
        cancelCardOrder(TENANT_A, { orderId: ORDER, branchId: BRANCH }),
        { failWrite: ({ operation }) => operation === failing }
      )
      expect(failureOf(outcome)).toEqual(new StoreError({ operation: failing, retryable: true }))
      expect(differences(before, after)).toEqual([])
    })
  }
})

describe("cancelCardOrder refuses", () => {
  const refusal = async (request: unknown, fixture = fixtureA()) => {
    const { outcome, before, after } = await runOn(fixture, cancelCardOrder(TENANT_A, request))
    expect(differences(before, after)).toEqual([])
    return failureOf(outcome)
  }

  it("an orderId the tenant does not have, as not found", async () => {
    expect(await refusal({ orderId: "ORD1", branchId: BRANCH })).toEqual(
      new CardOrderNotFound({ orderId: "ORD1" })
    )
  })

  it("an order of tenant B, as not found from tenant A", async () => {
    // tenant A holds no card and needs no key: a key serves one tenant only
    const fixture = { tenants: { [TENANT_A]: kitManagerTenant([], { keys: {} }), [TENANT_B]: tenantWith() } }
    const error = await refusal({ orderId: ORDER, branchId: BRANCH }, fixture)
    expect(error).toEqual(new CardOrderNotFound({ orderId: ORDER }))
    expect((error as CardOrderNotFound).code).toBe("CARD_ORDER_NOT_FOUND")
  })

  it("a branchId that is not the order's", async () => {
    const error = await refusal({ orderId: ORDER, branchId: "BR002" })
    expect(error).toEqual(new OrderBranchMismatch({ orderId: ORDER, branchId: "BR002" }))
  })

  it.each(["PENDING", "PROCESSED", "DISPATCHED", "CANCELLED"] as const)(
    "a %s order, naming its status",
    async (status) => {
      const error = await refusal({ orderId: ORDER, branchId: BRANCH }, fixtureA({}, { status }))
      expect(error).toEqual(new OrderNotCancellable({ orderId: ORDER, status }))
      expect((error as OrderNotCancellable).message).toContain(`its status is ${status}`)
    }
  )

  it("bad fields, naming each of them", async () => {
    const error = await refusal({ orderId: "", branchId: "BR 1", changer: "", channel: "FAX", extra: 1 })
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      "branchId",
      "changer",
      "channel",
      "extra",
      "orderId"
    ])
  })
})
