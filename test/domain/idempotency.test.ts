/**
 * Use cases under an idempotency key, on the memory adapter: a retry gets the first answer and runs
 * nothing; another request with the key is refused; a store failure is not kept; keys expire with
 * the tenant's retention and are swept; tenants do not share keys.
 */
import { Effect, Exit, Layer, ManagedRuntime } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  fixture,
  layer,
  type MemoryFixture,
  type MemoryOptions,
  MemoryState,
  tenantFixture
} from "../../src/adapters/memory/index.js"
import {
  AuditLog,
  IdempotencyKeyReused,
  lockCard,
  replaceCard,
  StoreError,
  sweepIdempotencyKeys,
  TenantId,
  ValidationError,
  withIdempotencyKey
} from "../../src/index.js"

const cards = ["4240181595", "4240181596", "4240181597"].map((kitNo) => cardFixture(kitNo))
const bank = (): MemoryFixture =>
  fixture({
    ACME_BANK: tenantFixture([customerFixture("676165", cards, { accountNo: 8642135 })]),
    OTHER_BANK: tenantFixture([customerFixture("676165", cards, { accountNo: 8642135 })])
  })

const start = (options?: MemoryOptions) =>
  ManagedRuntime.make(Layer.mergeAll(layer(bank(), options), TestClock.layer()))

const replace = withIdempotencyKey("replaceCard", replaceCard)
const request = { correlationId: "8642135", oldLoyaltyId: 4240181595, status: "DAMAGED" }

const replacementsOf = (tenant: string) =>
  Effect.gen(function* () {
    const snapshot = yield* (yield* MemoryState).snapshot
    return snapshot[tenant]?.accounts[0]?.replacements.length
  })

const eventsOf = (tenant: string, subject: string) =>
  Effect.gen(function* () {
    return yield* (yield* AuditLog).findBySubject(TenantId.make(tenant), subject)
  })

describe("withIdempotencyKey", () => {
  it("runs a replacement once: the retry gets the first answer, takes no second slot and writes no second event", async () => {
    const runtime = start()
    const first = await runtime.runPromise(replace("ACME_BANK", "key-1", request))
    // the answer is lost on its way back; the client retries
    const retry = await runtime.runPromise(replace("ACME_BANK", "key-1", { ...request }))
    expect(retry).toEqual(first)
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    expect(await runtime.runPromise(eventsOf("ACME_BANK", "4240181595"))).toHaveLength(1)
    await runtime.dispose()
  })

  it("answers a retry with the first refusal, as an instance of its class, and runs nothing", async () => {
    const runtime = start()
    const bad = { ...request, status: "BROKEN" }
    const first = await runtime.runPromise(Effect.flip(replace("ACME_BANK", "key-2", bad)))
    const retry = await runtime.runPromise(Effect.flip(replace("ACME_BANK", "key-2", bad)))
    expect(first.code).toBe("INVALID_REPLACEMENT_STATUS")
    expect(retry).toEqual(first)
    expect(retry.constructor).toBe(first.constructor)
    await runtime.dispose()
  })

  it("refuses the key with another request (another field, another operation), running nothing", async () => {
    const runtime = start()
    await runtime.runPromise(replace("ACME_BANK", "key-3", request))
    const otherCard = await runtime.runPromise(
      Effect.flip(replace("ACME_BANK", "key-3", { ...request, oldLoyaltyId: 4240181596 }))
    )
    const otherOperation = await runtime.runPromise(
      Effect.flip(withIdempotencyKey("lockCard", lockCard)("ACME_BANK", "key-3", { kitNo: "4240181596" }))
    )
    expect(otherCard).toBeInstanceOf(IdempotencyKeyReused)
    expect(otherOperation).toBeInstanceOf(IdempotencyKeyReused)
    expect(otherCard.code).toBe("IDEMPOTENCY_KEY_REUSED")
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    expect(await runtime.runPromise(eventsOf("ACME_BANK", "4240181596"))).toHaveLength(0)
    await runtime.dispose()
  })

  it("keeps no answer of a failed store: the retry runs anew", async () => {
    let failed = false
    const runtime = start({
      failWrite: ({ operation }) => {
        if (failed || operation !== "AuditLog.append") return false
        failed = true
        return true
      }
    })
    const first = await runtime.runPromise(Effect.flip(replace("ACME_BANK", "key-4", request)))
    expect(first).toBeInstanceOf(StoreError)
    const retry = await runtime.runPromise(replace("ACME_BANK", "key-4", request))
    expect(retry.Message).toBe("Card updated.")
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    await runtime.dispose()
  })

  it("runs 20 concurrent requests with one key once, and gives all 20 the same answer", async () => {
    const runtime = start()
    const answers = await runtime.runPromise(
      Effect.all(
        Array.from({ length: 20 }, () => replace("ACME_BANK", "key-5", request)),
        { concurrency: "unbounded" }
      )
    )
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    await runtime.dispose()
  })

  it("keeps a key for the tenant's retention, then runs the request again; the sweep deletes expired keys", async () => {
    const runtime = start()
    await runtime.runPromise(TestClock.setTime(Date.parse("2026-03-10T09:00:00.000Z")))
    const first = await runtime.runPromise(replace("ACME_BANK", "key-6", request))
    await runtime.runPromise(TestClock.adjust("23 hours"))
    expect(await runtime.runPromise(sweepIdempotencyKeys("ACME_BANK"))).toBe(0)
    expect(await runtime.runPromise(replace("ACME_BANK", "key-6", request))).toEqual(first)
    await runtime.runPromise(TestClock.adjust("2 hours"))
    expect(await runtime.runPromise(sweepIdempotencyKeys("ACME_BANK"))).toBe(1)
    // 25 hours on: the key is new again, and the old card's status refuses the second run
    const again = await runtime.runPromise(Effect.exit(replace("ACME_BANK", "key-6", request)))
    expect(Exit.isFailure(again)).toBe(true)
    await runtime.dispose()
  })

  it("keeps a key for the tenant's own retention when its policy sets one, and refuses a retention out of 1-720 hours", async () => {
    const longer = fixture({
      ACME_BANK: tenantFixture([customerFixture("676165", cards, { accountNo: 8642135 })], {
        policy: { idempotencyRetentionHours: 48 }
      })
    })
    const runtime = ManagedRuntime.make(Layer.mergeAll(layer(longer), TestClock.layer()))
    const first = await runtime.runPromise(replace("ACME_BANK", "key-8", request))
    await runtime.runPromise(TestClock.adjust("47 hours"))
    expect(await runtime.runPromise(replace("ACME_BANK", "key-8", request))).toEqual(first)
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    await runtime.dispose()
    for (const hours of [0, 721, 1.5]) {
      const refused = await Effect.runPromise(
        Effect.flip(
          Effect.provide(
            Effect.void,
            layer(fixture({ ACME_BANK: tenantFixture([], { policy: { idempotencyRetentionHours: hours } }) }))
          )
        )
      )
      expect(refused).toBeInstanceOf(ValidationError)
      expect((refused as ValidationError).issues.map((i) => i.path)).toEqual([
        "fixture.tenants.ACME_BANK.policy.idempotencyRetentionHours"
      ])
    }
  })

  it("keeps keys per tenant: the same key under two tenants runs twice", async () => {
    const runtime = start()
    await runtime.runPromise(replace("ACME_BANK", "key-7", request))
    await runtime.runPromise(replace("OTHER_BANK", "key-7", request))
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(1)
    expect(await runtime.runPromise(replacementsOf("OTHER_BANK"))).toBe(1)
    await runtime.dispose()
  })

  it("refuses a key that is empty, too long or not printable, naming it", async () => {
    const runtime = start()
    for (const key of ["", "k".repeat(256), "line\nbreak", "é"]) {
      const error = await runtime.runPromise(Effect.flip(replace("ACME_BANK", key, request)))
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(["idempotencyKey"])
    }
    expect(await runtime.runPromise(replacementsOf("ACME_BANK"))).toBe(0)
    await runtime.dispose()
  })
})
