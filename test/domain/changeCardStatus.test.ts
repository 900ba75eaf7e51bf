import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryPorts, MemoryState } from "../../src/adapters/memory/index.js"
import {
  AuditLog,
  activateCard,
  blockCard,
  CardNotFound,
  type DomainError,
  lockCard,
  StoreError,
  TenantId,
  unlockCard,
  ValidationError
} from "../../src/index.js"
import {
  cardFixture,
  customerWith,
  fixtureOf,
  panFor,
  TENANT_A,
  TENANT_B,
  testLayer
} from "../support/builders.js"
import { unchangedBy } from "../support/state.js"

const KIT = "4240181652"
const fixture = fixtureOf({
  [TENANT_A]: [customerWith("req11", "9876543210", 8642135, [cardFixture(KIT, 7, { status: "ACTIVE" })])],
  [TENANT_B]: [customerWith("other", "9876500000", 100, [cardFixture("4240189999", 8)])]
})

const runOn = <A, E>(program: Effect.Effect<A, E, MemoryPorts | MemoryState>) =>
  Effect.runPromise(Effect.provide(program, testLayer(fixture)))

const auditOf = (tenant: string, subject: string) =>
  Effect.flatMap(AuditLog, (log) => log.findBySubject(TenantId.make(tenant), subject))

describe("lockCard", () => {
  it("records who, through which channel, why, when, and the masked PAN", async () => {
    const events = await runOn(
      Effect.gen(function* () {
        yield* lockCard(TENANT_A, {
          kitNo: KIT,
          reason: "CUSTOMER_REQUEST",
          changer: "agent-7",
          channel: "IVR"
        })
        return yield* auditOf(TENANT_A, KIT)
      })
    )
    expect(events).toEqual([
      {
        at: "2026-07-15T10:30:00.000Z",
        action: "LOCK",
        subject: KIT,
        outcome: "OK",
        cardNumber: "608040XXXXXX0077",
        previousStatus: "ACTIVE",
        currentStatus: "LOCKED",
        changer: "agent-7",
        channel: "IVR",
        reason: "CUSTOMER_REQUEST"
      }
    ])
    expect(panFor(7)).toBe("6080400000000077")
  })

  it("answers with the card in seed 002's managedCards shape", async () => {
    const result = await runOn(lockCard(TENANT_A, { kitNo: KIT }))
    expect(result).toEqual({
      kitNo: KIT,
      cardNumber: "608040XXXXXX0077",
      previousStatus: "ACTIVE",
      currentStatus: "LOCKED"
    })
  })
})

describe("a single-card operation's writes", () => {
  it("are the card, then its audit event; when either fails, nothing is stored", async () => {
    const operations: Array<string> = []
    await Effect.runPromise(
      Effect.provide(
        lockCard(TENANT_A, { kitNo: KIT }),
        testLayer(fixture, {
          failWrite: ({ operation }) => {
            operations.push(operation)
            return false
          }
        })
      )
    )
    expect(operations).toEqual(["CardRepository.updateAll", "AuditLog.append"])
    for (const failing of operations) {
      const { result, unchanged } = await Effect.runPromise(
        Effect.provide(
          unchangedBy(lockCard(TENANT_A, { kitNo: KIT })),
          testLayer(fixture, { failWrite: ({ operation }) => operation === failing })
        )
      )
      expect(result).toEqual(Result.fail(new StoreError({ operation: failing, retryable: true })))
      expect(unchanged).toBe(true)
    }
  })
})

describe("request validation", () => {
  it("reports every bad field at once, the tenant included, and touches nothing", async () => {
    const outcome = await runOn(
      Effect.gen(function* () {
        const { result, unchanged } = yield* unchangedBy(
          blockCard("ACME BANK!", { kitNo: "42-40", channel: "FAX", changer: "", reason: 7, extra: true })
        )
        return { result, unchanged }
      })
    )
    expect(outcome.unchanged).toBe(true)
    expect(Result.isFailure(outcome.result)).toBe(true)
    const error = Result.isFailure(outcome.result) ? outcome.result.failure : undefined
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.code).toBe("VALIDATION_FAILED")
    const issues = error instanceof ValidationError ? error.issues : []
    expect(issues.map((i) => i.path).sort()).toEqual([
      "changer",
      "channel",
      "extra",
      "kitNo",
      "reason",
      "tenant"
    ])
    expect(issues.find((i) => i.path === "tenant")?.message).toBe(
      "must be 1-64 characters of A-Z a-z 0-9 _ -"
    )
    expect(issues.find((i) => i.path === "kitNo")?.message).toBe("must be 1-32 letters or digits")
    expect(issues.find((i) => i.path === "channel")?.message).toBe(
      'Expected "IVR" | "WEB" | "MOBILE" | "BRANCH"'
    )
  })

  it("refuses a request that is not an object", async () => {
    const result = await runOn(Effect.result(activateCard(TENANT_A, "4240181652")))
    expect(Result.isFailure(result) && result.failure).toBeInstanceOf(ValidationError)
  })

  it("refuses a tenant id of 65 characters", async () => {
    const result = await runOn(Effect.result(activateCard("T".repeat(65), { kitNo: KIT })))
    expect(Result.isFailure(result) && result.failure._tag).toBe("ValidationError")
  })
})

describe("tenant walls", () => {
  it("does not find a card of another tenant", async () => {
    const result = await runOn(Effect.result(unlockCard(TENANT_A, { kitNo: "4240189999" })))
    expect(result).toEqual(Result.fail(new CardNotFound({ kitNo: "4240189999" })))
  })

  it("does not find an unknown kitNo", async () => {
    const result = await runOn(Effect.result(activateCard(TENANT_B, { kitNo: "1" })))
    expect(Result.isFailure(result) && result.failure.message).toBe(
      "No card with kitNo 1 exists for this tenant."
    )
  })

  it("leaves the other tenant's audit trail empty", async () => {
    const events = await runOn(
      Effect.gen(function* () {
        yield* lockCard(TENANT_A, { kitNo: KIT })
        return yield* auditOf(TENANT_B, KIT)
      })
    )
    expect(events).toEqual([])
  })

  it("keys the same kitNo separately per tenant", async () => {
    const twin = fixtureOf({
      [TENANT_A]: [customerWith("E1", "9876543210", 1, [cardFixture(KIT, 1, { status: "ACTIVE" })])],
      [TENANT_B]: [customerWith("E1", "9876543210", 1, [cardFixture(KIT, 1, { status: "ACTIVE" })])]
    })
    const [blocked, locked] = await Effect.runPromise(
      Effect.all([blockCard(TENANT_A, { kitNo: KIT }), lockCard(TENANT_B, { kitNo: KIT })]).pipe(
        Effect.provide(testLayer(twin))
      )
    )
    expect(blocked.currentStatus).toBe("BLOCKED")
    // tenant B's card was still ACTIVE: blocking A's twin did not reach it
    expect(locked.previousStatus).toBe("ACTIVE")
  })
})

describe("validation never echoes caller data", () => {
  it("masks a long digit run used as an unknown key, as a PAN is masked, however it is written", async () => {
    for (const key of ["6080400000056384", "6080 4000.0005\u00a06384", "6080/4000-0005_6384"]) {
      const result = await runOn(Effect.result(lockCard(TENANT_A, { kitNo: KIT, [key]: "x" })))
      const error = Result.isFailure(result) ? result.failure : undefined
      expect(error instanceof ValidationError && error.issues).toEqual([
        { path: "608040XXXXXX6384", message: "Expected no excess property" }
      ])
      expect(JSON.stringify(error) + String(error)).not.toContain("0000056384")
    }
  })
})

describe("DomainError", () => {
  it("gives every failure a stable code and a message", async () => {
    const errors: ReadonlyArray<DomainError> = await runOn(
      Effect.all([
        Effect.flip(lockCard("bad tenant", { kitNo: KIT })),
        Effect.flip(lockCard(TENANT_A, { kitNo: "404" })),
        Effect.flip(activateCard(TENANT_A, { kitNo: KIT }))
      ])
    )
    expect(errors.map((e) => e.code)).toEqual([
      "VALIDATION_FAILED",
      "CARD_NOT_FOUND",
      "INVALID_STATUS_TRANSITION"
    ])
    expect(errors.every((e) => e.message.length > 0)).toBe(true)
  })
})
