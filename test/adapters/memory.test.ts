import { Effect, Fiber, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { MemoryDatabase } from "../../src/adapters/memory/index.js"
import {
  CardIssuer,
  CardRepository,
  KitNo,
  lockCard,
  luhnValid,
  StoreError,
  TenantId,
  TenantKeys,
  TenantPolicy,
  Transactor
} from "../../src/index.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A, TENANT_B, testLayer } from "../support/builders.js"

const tenant = TenantId.make(TENANT_A)
const manyCards = (n: number) =>
  Array.from({ length: n }, (_, i) => cardFixture(String(4240100000 + i), i + 1, { status: "ACTIVE" }))
const fixture = fixtureOf({ [TENANT_A]: [customerWith("676165", "9876543210", 8642135, manyCards(50))] })

const run = <A, E>(program: Effect.Effect<A, E, never>) => Effect.runPromise(program)

describe("the memory fixture", () => {
  const refusal = async (bad: Parameters<typeof testLayer>[0]) => {
    const result = await run(Effect.result(Effect.provide(Effect.void, testLayer(bad))))
    return Result.isFailure(result) && result.failure._tag === "ValidationError" ? result.failure.issues : []
  }

  it("refuses a LOCKED card without the status it was locked from", async () => {
    const issues = await refusal(
      fixtureOf({
        [TENANT_A]: [customerWith("E1", "9876543210", 1, [cardFixture("K1", 1, { status: "LOCKED" })])]
      })
    )
    expect(issues).toEqual([
      {
        path: `fixture.tenants.${TENANT_A}.customers.0.accounts.0.cards.0.lockedFrom`,
        message: "must be given exactly when status is LOCKED"
      }
    ])
  })

  it("refuses a kitNo twice in one tenant, but not across tenants", async () => {
    const twice = customerWith("E1", "9876543210", 1, [cardFixture("K1", 1), cardFixture("K1", 2)])
    expect((await refusal(fixtureOf({ [TENANT_A]: [twice] })))[0]?.message).toBe(
      "must be unique in the tenant"
    )
    const once = customerWith("E1", "9876543210", 1, [cardFixture("K1", 1)])
    expect(await refusal(fixtureOf({ [TENANT_A]: [once], [TENANT_B]: [once] }))).toEqual([])
  })

  it("refuses a bad tenant id, a bad key and a bad PAN, naming each", async () => {
    const issues = await refusal({
      tenants: {
        "bad tenant": {},
        [TENANT_A]: {
          keys: { cardNumber: "abcd" },
          customers: [
            customerWith("E1", "9876543210", 1, [cardFixture("K1", 1, { pan: "4111111111111112" })])
          ]
        }
      }
    })
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        "fixture.tenants.bad tenant",
        `fixture.tenants.${TENANT_A}.customers.0.accounts.0.cards.0.pan`,
        `fixture.tenants.${TENANT_A}.keys.cardNumber`
      ].sort()
    )
  })

  it("seeds keys as Redacted bytes and policies with strict defaults", async () => {
    const key = "00112233445566778899aabbccddeeff"
    const [stored, policy, missing] = await run(
      Effect.gen(function* () {
        const keys = yield* TenantKeys
        const policies = yield* TenantPolicy
        return [
          yield* keys.keyFor(tenant, "cardNumber"),
          yield* policies.policyOf(TenantId.make(TENANT_B)),
          yield* Effect.result(keys.keyFor(TenantId.make(TENANT_B), "cardNumber"))
        ] as const
      }).pipe(
        Effect.provide(testLayer({ tenants: { [TENANT_A]: { keys: { cardNumber: key } }, [TENANT_B]: {} } }))
      )
    )
    expect(Buffer.from(Redacted.value(stored)).toString("hex")).toBe(key)
    expect(String(stored)).not.toContain(key)
    expect(policy).toEqual({ migrationInTransition: false, allowTrivialPins: false })
    expect(Result.isFailure(missing) && missing.failure.code).toBe("TENANT_KEY_MISSING")
  })
})

describe("transactions", () => {
  it("apply concurrent card operations on many cards without losing one", async () => {
    const statuses = await run(
      Effect.gen(function* () {
        yield* Effect.forEach(manyCards(50), (c) => lockCard(TENANT_A, { kitNo: c.kitNo }), {
          concurrency: "unbounded"
        })
        const cards = yield* Effect.flatMap(CardRepository, (r) => r.findByAccount(tenant, 8642135 as never))
        return cards.map((c) => c.status)
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(statuses).toEqual(Array(50).fill("LOCKED"))
  })

  it("leave no trace when interrupted", async () => {
    const unchanged = await run(
      Effect.gen(function* () {
        const db = yield* MemoryDatabase
        const before = yield* db.snapshot
        const fiber = yield* Effect.forkChild(
          (yield* Transactor).withTransaction(
            Effect.andThen(lockCard(TENANT_A, { kitNo: "4240100000" }), Effect.never)
          )
        )
        yield* Effect.yieldNow
        yield* Fiber.interrupt(fiber)
        return before === (yield* db.snapshot)
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(unchanged).toBe(true)
  })

  it("fail a write chosen by the fault plan with a StoreError, storing nothing", async () => {
    const outcome = await run(
      Effect.gen(function* () {
        const db = yield* MemoryDatabase
        const before = yield* db.snapshot
        const result = yield* Effect.result(lockCard(TENANT_A, { kitNo: "4240100000" }))
        return { result, unchanged: before === (yield* db.snapshot) }
      }).pipe(
        Effect.provide(testLayer(fixture, { failWrite: ({ operation }) => operation === "AuditLog.append" }))
      )
    )
    expect(outcome.result).toEqual(Result.fail(new StoreError({ operation: "AuditLog.append" })))
    expect(outcome.unchanged).toBe(true)
  })
})

describe("the memory card issuer", () => {
  it("issues unique, Luhn-valid PANs on the BIN, skipping taken kitNos and PANs", async () => {
    const issued = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const transactor = yield* Transactor
        return yield* Effect.forEach(Array.from({ length: 200 }), () =>
          transactor.withTransaction(issuer.issue(tenant, "652150"))
        )
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    const pans = issued.map((i) => Redacted.value(i.pan))
    expect(new Set(pans).size).toBe(200)
    expect(new Set(issued.map((i) => i.kitNo)).size).toBe(200)
    expect(pans.every((p) => p.startsWith("652150") && p.length === 16 && luhnValid(p))).toBe(true)
  })

  it("forgets an identity issued in a transaction that failed", async () => {
    const [first, second] = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const transactor = yield* Transactor
        const failed = yield* Effect.result(
          transactor.withTransaction(Effect.andThen(issuer.issue(tenant, "652150"), Effect.fail("boom")))
        )
        expect(Result.isFailure(failed)).toBe(true)
        return [yield* issuer.issue(tenant, "652150"), yield* issuer.issue(tenant, "652150")] as const
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(first.kitNo).toBe(KitNo.make("4240200000"))
    expect(second.kitNo).toBe(KitNo.make("4240200001"))
  })
})
