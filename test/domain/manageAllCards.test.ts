import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { changeStatus } from "../../src/domain/card/Card.js"
import { planBulkOperation } from "../../src/domain/kit/manageAllCards.js"
import {
  AuditLog,
  type Card,
  CardRepository,
  CardStatus,
  CustomerNotFound,
  EntityId,
  KitNo,
  manageAllCards,
  StoreError,
  TenantId,
  ValidationError
} from "../../src/index.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A, TENANT_B } from "../support/builders.js"
import { domainCard, failureOf, panEndingIn, runOn, successOf, writeLog } from "../support/kitManager.js"
import { differences } from "../support/state.js"

// seed 002's customer and cards
const ENTITY = "req11"
const MOBILE = "9876543210"
const ACCOUNT = 8642135
const KIT_1 = "4240181652"
const KIT_2 = "4240181653"
const OTHER_ENTITY = "req12"
const OTHER_MOBILE = "9876500001"
const SEED_002_REQUEST = {
  mobileNo: MOBILE,
  operation: "BLOCK",
  reason: "CUSTOMER_REQUEST",
  changer: "user",
  channel: "IVR"
}

const seedCustomer = customerWith(ENTITY, MOBILE, ACCOUNT, [
  cardFixture(KIT_1, 1, { status: "ACTIVE", pan: panEndingIn("6954") }),
  cardFixture(KIT_2, 2, { status: "ACTIVE", pan: panEndingIn("6962") })
])

/** One card in each status, kitNos in status order. */
const everyStatus = customerWith(ENTITY, MOBILE, ACCOUNT, [
  cardFixture("K1", 11, { status: "ASSIGNED" }),
  cardFixture("K2", 12, { status: "ACTIVE" }),
  cardFixture("K3", 13, { status: "LOCKED", lockedFrom: "ACTIVE" }),
  cardFixture("K4", 14, { status: "LOCKED", lockedFrom: "ASSIGNED" }),
  cardFixture("K5", 15, { status: "BLOCKED" }),
  cardFixture("K6", 16, { status: "REPLACED" }),
  cardFixture("K7", 17, { status: "CANCELLED" })
])
const otherCustomer = customerWith(OTHER_ENTITY, OTHER_MOBILE, 100, [
  cardFixture("K9", 19, { status: "ACTIVE" })
])

const seedFixture = fixtureOf({ [TENANT_A]: [seedCustomer, otherCustomer] })
const statusFixture = fixtureOf({ [TENANT_A]: [everyStatus, otherCustomer] })

const statusesAfter = (operation: string) =>
  Effect.gen(function* () {
    const result = yield* manageAllCards(TENANT_A, { entityId: ENTITY, operation })
    const cards = yield* CardRepository
    const stored = yield* cards.findByCustomer(TenantId.make(TENANT_A), EntityId.make(ENTITY))
    return { result, statuses: stored.map((c) => `${c.kitNo}:${c.status}`) }
  })

describe("manageAllCards", () => {
  it("answers seed 002's example with seed 002's result", async () => {
    const { outcome } = await runOn(seedFixture, manageAllCards(TENANT_A, SEED_002_REQUEST))
    expect(successOf(outcome)).toEqual({
      managedCards: [
        { kitNo: KIT_1, cardNumber: "608040XXXXXX6954", previousStatus: "ACTIVE", currentStatus: "BLOCKED" },
        { kitNo: KIT_2, cardNumber: "608040XXXXXX6962", previousStatus: "ACTIVE", currentStatus: "BLOCKED" }
      ],
      totalCardsManaged: 2,
      operation: "BLOCK",
      entityId: ENTITY,
      skippedCards: []
    })
  })

  it("finds the customer by entityId as well as by mobileNo", async () => {
    const { outcome } = await runOn(
      seedFixture,
      manageAllCards(TENANT_A, { entityId: ENTITY, operation: "LOCK" })
    )
    expect(successOf(outcome).managedCards.map((c) => c.kitNo)).toEqual([KIT_1, KIT_2])
  })

  it("accepts mobileNo and entityId that name the same customer", async () => {
    const request = { mobileNo: MOBILE, entityId: ENTITY, operation: "LOCK" }
    const { outcome } = await runOn(seedFixture, manageAllCards(TENANT_A, request))
    expect(successOf(outcome).totalCardsManaged).toBe(2)
  })

  it("BLOCK blocks every non-terminal card and skips the others, saying why", async () => {
    const { outcome } = await runOn(statusFixture, statusesAfter("BLOCK"))
    const { result, statuses } = successOf(outcome)
    expect(statuses).toEqual([
      "K1:BLOCKED",
      "K2:BLOCKED",
      "K3:BLOCKED",
      "K4:BLOCKED",
      "K5:BLOCKED",
      "K6:REPLACED",
      "K7:CANCELLED"
    ])
    expect(result.managedCards.map((c) => `${c.kitNo}:${c.previousStatus}`)).toEqual([
      "K1:ASSIGNED",
      "K2:ACTIVE",
      "K3:LOCKED",
      "K4:LOCKED"
    ])
    expect(result.skippedCards).toEqual([
      { kitNo: "K5", status: "BLOCKED", why: "already BLOCKED" },
      { kitNo: "K6", status: "REPLACED", why: "REPLACED is a terminal status" },
      { kitNo: "K7", status: "CANCELLED", why: "CANCELLED is a terminal status" }
    ])
  })

  it("LOCK locks ASSIGNED and ACTIVE cards only", async () => {
    const { outcome } = await runOn(statusFixture, statusesAfter("LOCK"))
    const { result, statuses } = successOf(outcome)
    expect(statuses.slice(0, 4)).toEqual(["K1:LOCKED", "K2:LOCKED", "K3:LOCKED", "K4:LOCKED"])
    expect(result.totalCardsManaged).toBe(2)
    expect(result.skippedCards.map((c) => `${c.kitNo}:${c.why}`)).toEqual([
      "K3:already LOCKED",
      "K4:already LOCKED",
      "K5:BLOCKED is a terminal status",
      "K6:REPLACED is a terminal status",
      "K7:CANCELLED is a terminal status"
    ])
  })

  it("UNLOCK returns each LOCKED card to the status it was locked from", async () => {
    const { outcome } = await runOn(statusFixture, statusesAfter("UNLOCK"))
    const { result, statuses } = successOf(outcome)
    expect(statuses.slice(0, 4)).toEqual(["K1:ASSIGNED", "K2:ACTIVE", "K3:ACTIVE", "K4:ASSIGNED"])
    expect(result.skippedCards.slice(0, 2)).toEqual([
      { kitNo: "K1", status: "ASSIGNED", why: "UNLOCK applies only to LOCKED cards" },
      { kitNo: "K2", status: "ACTIVE", why: "UNLOCK applies only to LOCKED cards" }
    ])
  })

  it("leaves the other customer's cards alone", async () => {
    const program = Effect.gen(function* () {
      yield* manageAllCards(TENANT_A, { entityId: ENTITY, operation: "BLOCK" })
      const cards = yield* CardRepository
      return yield* cards.findByKitNo(TenantId.make(TENANT_A), KitNo.make("K9"))
    })
    const { outcome } = await runOn(statusFixture, program)
    const other = successOf(outcome)
    expect(other._tag === "Some" && other.value.status).toBe("ACTIVE")
  })

  it("records one audit event per changed card, with reason, changer and channel", async () => {
    const program = Effect.gen(function* () {
      yield* manageAllCards(TENANT_A, SEED_002_REQUEST)
      const log = yield* AuditLog
      return yield* log.findBySubject(TenantId.make(TENANT_A), KIT_2)
    })
    const { outcome } = await runOn(seedFixture, program)
    expect(successOf(outcome)).toEqual([
      {
        at: "2026-07-15T10:30:00.000Z",
        action: "BLOCK",
        subject: KIT_2,
        outcome: "OK",
        cardNumber: "608040XXXXXX6962",
        previousStatus: "ACTIVE",
        currentStatus: "BLOCKED",
        changer: "user",
        channel: "IVR",
        reason: "CUSTOMER_REQUEST"
      }
    ])
  })

  it("shows PANs only masked, in the result and in the audit events", async () => {
    const program = Effect.gen(function* () {
      const result = yield* manageAllCards(TENANT_A, SEED_002_REQUEST)
      const log = yield* AuditLog
      return [result, yield* log.findBySubject(TenantId.make(TENANT_A), KIT_1)]
    })
    const text = JSON.stringify(successOf((await runOn(seedFixture, program)).outcome))
    for (const pan of [panEndingIn("6954"), panEndingIn("6962")]) expect(text).not.toContain(pan)
    expect(text).toContain("608040XXXXXX6954")
  })

  it("stores all changes of a call with one card write and one audit write", async () => {
    const log = writeLog()
    await runOn(statusFixture, manageAllCards(TENANT_A, { entityId: ENTITY, operation: "BLOCK" }), log)
    expect(log.operations).toEqual(["CardRepository.updateAll", "AuditLog.append"])
  })

  it("writes nothing when no card changes", async () => {
    const log = writeLog()
    const { outcome, before, after } = await runOn(
      seedFixture,
      manageAllCards(TENANT_A, { mobileNo: MOBILE, operation: "UNLOCK" }),
      log
    )
    expect(successOf(outcome).totalCardsManaged).toBe(0)
    expect(log.operations).toEqual([])
    expect(differences(before, after)).toEqual([])
  })

  it("leaves every store as it was when the audit write fails", async () => {
    const { outcome, before, after } = await runOn(seedFixture, manageAllCards(TENANT_A, SEED_002_REQUEST), {
      failWrite: ({ operation }) => operation === "AuditLog.append"
    })
    expect(failureOf(outcome)).toBeInstanceOf(StoreError)
    expect(differences(before, after)).toEqual([])
  })
})

describe("manageAllCards refuses", () => {
  it("a request with neither mobileNo nor entityId", async () => {
    const { outcome } = await runOn(seedFixture, manageAllCards(TENANT_A, { operation: "BLOCK" }))
    const error = failureOf(outcome)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([
      { path: "", message: "mobileNo or entityId is required" }
    ])
  })

  it("a missing selector together with every other bad field", async () => {
    const { outcome, before, after } = await runOn(
      seedFixture,
      manageAllCards("ACME BANK", { operation: "DELETE", channel: "FAX" })
    )
    const error = failureOf(outcome) as ValidationError
    expect(error.issues.map((i) => i.path)).toEqual(["tenant", "operation", "channel", ""])
    expect(differences(before, after)).toEqual([])
  })

  it("mobileNo and entityId of two different customers", async () => {
    const request = { mobileNo: MOBILE, entityId: OTHER_ENTITY, operation: "BLOCK" }
    const { outcome, before, after } = await runOn(seedFixture, manageAllCards(TENANT_A, request))
    expect((failureOf(outcome) as ValidationError).issues).toEqual([
      { path: "entityId", message: "must name the same customer as mobileNo" }
    ])
    expect(differences(before, after)).toEqual([])
  })

  it("a mobileNo that names no customer, as not found", async () => {
    const { outcome } = await runOn(
      seedFixture,
      manageAllCards(TENANT_A, { mobileNo: "9999999999", operation: "LOCK" })
    )
    expect(failureOf(outcome)).toEqual(new CustomerNotFound({ selector: "mobileNo", value: "9999999999" }))
  })

  it("a customer of tenant B, as not found from tenant A", async () => {
    const fixture = fixtureOf({ [TENANT_A]: [otherCustomer], [TENANT_B]: [seedCustomer] })
    const { outcome } = await runOn(
      fixture,
      manageAllCards(TENANT_A, { entityId: ENTITY, operation: "BLOCK" })
    )
    const error = failureOf(outcome)
    expect(error).toEqual(new CustomerNotFound({ selector: "entityId", value: ENTITY }))
    expect((error as CustomerNotFound).code).toBe("CUSTOMER_NOT_FOUND")
  })

  it("a card of tenant B is never touched by tenant A's call", async () => {
    const fixture = fixtureOf({ [TENANT_A]: [seedCustomer], [TENANT_B]: [seedCustomer] })
    const program = Effect.gen(function* () {
      yield* manageAllCards(TENANT_A, SEED_002_REQUEST)
      const cards = yield* CardRepository
      return yield* cards.findByKitNo(TenantId.make(TENANT_B), KitNo.make(KIT_1))
    })
    const { outcome } = await runOn(fixture, program)
    const cardOfB = successOf(outcome)
    expect(cardOfB._tag === "Some" && cardOfB.value.status).toBe("ACTIVE")
  })
})

describe("planBulkOperation", () => {
  // three cards of every status, interleaved, so that each status is met again after its first card
  const cards: ReadonlyArray<Card> = Array.from({ length: 3 * CardStatus.literals.length }, (_, i) => {
    const status = CardStatus.literals[i % CardStatus.literals.length]!
    const lockedFrom = status === "LOCKED" ? { lockedFrom: "ACTIVE" as const } : {}
    return domainCard(`K${String(i).padStart(2, "0")}`, i + 1, { status, ...lockedFrom })
  })
  const context = { at: "2026-07-15T10:30:00.000Z", reason: "LOST_PHONE", channel: "IVR" as const }

  it.each(["BLOCK", "LOCK", "UNLOCK"] as const)(
    "%s changes what changeStatus changes and skips what it refuses, one reason per status",
    (operation) => {
      const plan = planBulkOperation(cards, operation, context)
      const single = cards.map((card) => changeStatus(card, operation, context))
      const allowed = single.filter(Result.isSuccess).map((r) => r.success)
      expect(plan.changed).toEqual(allowed.map((a) => a.card))
      expect(plan.events).toEqual(allowed.map((a) => a.event))
      const refused = single.filter(Result.isFailure).map((r) => r.failure)
      expect(plan.skippedCards.map((c) => [c.kitNo, c.status])).toEqual(
        refused.map((r) => [r.kitNo, r.status])
      )
      const whyOf = new Map(plan.skippedCards.map((c) => [c.status, c.why]))
      for (const skipped of plan.skippedCards) expect(skipped.why).toBe(whyOf.get(skipped.status))
    }
  )
})
