/**
 * Laws of the card lifecycle that hold for every input: terminal cards are final, UNLOCK undoes
 * LOCK exactly, tenants are walls, PANs never leak, and a failed transaction leaves no trace.
 */
import { inspect } from "node:util"
import { Effect, Option, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  AuditLog,
  activateCard,
  blockCard,
  CardRepository,
  EntityId,
  KitNo,
  lockCard,
  StoreError,
  TenantId,
  Transactor,
  unlockCard
} from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A, TENANT_B, testLayer } from "../support/builders.js"

import { differences, sameState, snapshot } from "../support/state.js"

const useCases = [activateCard, lockCard, unlockCard, blockCard] as const
const KIT = "4240181595"
const operation = fc.integer({ min: 0, max: useCases.length - 1 })
const terminal = fc.constantFrom("BLOCKED", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN" as const)

/** Luhn-valid PANs of every allowed length, on any prefix. */
const pan = Arbitraries.pan()

const oneCard = (
  status: "ASSIGNED" | "ACTIVE" | "BLOCKED" | "REPLACED" | "DAMAGED" | "CANCELLED" | "LOST_OR_STOLEN",
  clearPan?: string
) =>
  fixtureOf({
    [TENANT_A]: [
      customerWith("676165", "9876543210", 8642135, [
        cardFixture(KIT, 1, { status, ...(clearPan === undefined ? {} : { pan: clearPan }) })
      ])
    ]
  })

describe("laws of the lifecycle", () => {
  it("a terminal card never changes again, whatever is asked of it", async () => {
    await fc.assert(
      fc.asyncProperty(
        terminal,
        fc.array(operation, { minLength: 1, maxLength: 12 }),
        async (status, ops) => {
          const outcome = await Effect.runPromise(
            Effect.gen(function* () {
              const before = yield* snapshot
              const results = yield* Effect.forEach(ops, (i) =>
                Effect.result(useCases[i]!(TENANT_A, { kitNo: KIT }))
              )
              return { results, unchanged: sameState(before, yield* snapshot) }
            }).pipe(Effect.provide(testLayer(oneCard(status))))
          )
          expect(outcome.results.every(Result.isFailure)).toBe(true)
          expect(outcome.unchanged).toBe(true)
        }
      )
    )
  })

  it("UNLOCK returns the exact status LOCK came from", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("ASSIGNED", "ACTIVE" as const), async (status) => {
        const [locked, unlocked] = await Effect.runPromise(
          Effect.all([lockCard(TENANT_A, { kitNo: KIT }), unlockCard(TENANT_A, { kitNo: KIT })]).pipe(
            Effect.provide(testLayer(oneCard(status)))
          )
        )
        expect(locked.previousStatus).toBe(status)
        expect(unlocked.currentStatus).toBe(status)
      })
    )
  })

  it("tenant A never sees or changes tenant B's cards, even with the same kitNo", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 10 }), async (ops) => {
        const twin = customerWith("676165", "9876543210", 8642135, [cardFixture(KIT, 1)])
        const outcome = await Effect.runPromise(
          Effect.gen(function* () {
            const repo = yield* CardRepository
            const log = yield* AuditLog
            const b = TenantId.make(TENANT_B)
            const before = yield* repo.findByKitNo(b, KitNo.make(KIT))
            const state = yield* snapshot
            yield* Effect.forEach(ops, (i) => Effect.result(useCases[i]!(TENANT_A, { kitNo: KIT })))
            return {
              changed: differences(state, yield* snapshot),
              before,
              after: yield* repo.findByKitNo(b, KitNo.make(KIT)),
              trail: yield* log.findBySubject(b, KIT),
              customerCards: yield* repo.findByCustomer(b, EntityId.make("676165"))
            }
          }).pipe(Effect.provide(testLayer(fixtureOf({ [TENANT_A]: [twin], [TENANT_B]: [twin] }))))
        )
        expect(outcome.after).toEqual(outcome.before)
        // nothing of tenant B changed, its PANs included (which toEqual does not look into)
        expect(outcome.changed.filter((part) => part.split(".")[0] === TENANT_B)).toEqual([])
        expect(Option.getOrThrow(outcome.after).status).toBe("ASSIGNED")
        expect(outcome.trail).toEqual([])
        expect(outcome.customerCards.map((c) => c.status)).toEqual(["ASSIGNED"])
      })
    )
  })

  it("no error, audit event, result or stored card of ours shows the PAN", async () => {
    await fc.assert(
      fc.asyncProperty(pan, fc.array(operation, { minLength: 1, maxLength: 8 }), async (clearPan, ops) => {
        const seen = await Effect.runPromise(
          Effect.gen(function* () {
            const results = yield* Effect.forEach(ops, (i) =>
              Effect.result(useCases[i]!(TENANT_A, { kitNo: KIT }))
            )
            const trail = yield* Effect.flatMap(AuditLog, (log) =>
              log.findBySubject(TenantId.make(TENANT_A), KIT)
            )
            const card = yield* Effect.flatMap(CardRepository, (repo) =>
              repo.findByKitNo(TenantId.make(TENANT_A), KitNo.make(KIT))
            )
            return { results, trail, card }
          }).pipe(Effect.provide(testLayer(oneCard("ASSIGNED", clearPan))))
        )
        const errors = seen.results.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
        const renderings = [
          JSON.stringify(seen),
          String(seen.card),
          inspect(seen, { depth: 10 }),
          ...errors.flatMap((e) => [e.message, String(e), JSON.stringify(e), inspect(e)])
        ]
        for (const text of renderings) expect(text).not.toContain(clearPan)
        expect(
          seen.trail.every(
            (e) =>
              e.cardNumber ===
              `${clearPan.slice(0, 6)}${"X".repeat(clearPan.length - 10)}${clearPan.slice(-4)}`
          )
        ).toBe(true)
      })
    )
  })

  it("a fixture with a bad PAN is refused without echoing it", async () => {
    await fc.assert(
      fc.asyncProperty(pan, async (clearPan) => {
        const broken = clearPan.slice(0, -1) + String((Number(clearPan.at(-1)) + 1) % 10)
        const result = await Effect.runPromise(
          Effect.result(Effect.provide(Effect.void, testLayer(oneCard("ASSIGNED", broken))))
        )
        expect(Result.isFailure(result)).toBe(true)
        const error = Result.isFailure(result) ? result.failure : undefined
        expect(error?._tag).toBe("ValidationError")
        expect(JSON.stringify(error) + String(error) + inspect(error)).not.toContain(broken)
      })
    )
  })

  it("a failure inside Transactor leaves the store as it was, whatever was written first", async () => {
    const statuses = fc.constantFrom("ACTIVE", "LOCKED", "BLOCKED" as const)
    await fc.assert(
      fc.asyncProperty(fc.array(statuses, { minLength: 1, maxLength: 6 }), async (writes) => {
        const outcome = await Effect.runPromise(
          Effect.gen(function* () {
            const repo = yield* CardRepository
            const log = yield* AuditLog
            const tenant = TenantId.make(TENANT_A)
            const before = yield* snapshot
            const card = Option.getOrThrow(yield* repo.findByKitNo(tenant, KitNo.make(KIT)))
            const result = yield* Effect.result(
              (yield* Transactor).withTransaction(
                Effect.gen(function* () {
                  for (const status of writes) {
                    yield* repo.updateAll(tenant, [
                      { ...card, status, ...(status === "LOCKED" ? { lockedFrom: "ASSIGNED" as const } : {}) }
                    ])
                    yield* log.append(tenant, [{ at: "x", action: "TEST", subject: KIT, outcome: "OK" }])
                  }
                  // the transaction sees its own writes…
                  const inside = Option.getOrThrow(yield* repo.findByKitNo(tenant, KitNo.make(KIT)))
                  expect(inside.status).toBe(writes.at(-1))
                  return yield* new StoreError({ operation: "test" })
                })
              )
            )
            return {
              result,
              unchanged: sameState(before, yield* snapshot),
              trail: yield* log.findBySubject(tenant, KIT)
            }
          }).pipe(Effect.provide(testLayer(oneCard("ASSIGNED"))))
        )
        expect(Result.isFailure(outcome.result)).toBe(true)
        // …and nobody else ever does
        expect(outcome.unchanged).toBe(true)
        expect(outcome.trail).toEqual([])
      })
    )
  })
})

describe("caller identifiers that hold a card number", () => {
  it("are masked in every error that names them", async () => {
    await fc.assert(
      fc.asyncProperty(pan, fc.constantFrom("", " ", "-"), async (clearPan, separator) => {
        const spaced = clearPan.replace(/(\d{4})(?=\d)/g, `$1${separator}`)
        const results = await Effect.runPromise(
          Effect.all([
            Effect.flip(lockCard(TENANT_A, { kitNo: clearPan })),
            Effect.flip(blockCard(TENANT_A, { kitNo: KIT, [spaced]: true }))
          ]).pipe(Effect.provide(testLayer(oneCard("ACTIVE"))))
        )
        for (const error of results) {
          const text = JSON.stringify(error) + String(error) + inspect(error, { depth: 5 })
          expect(text).not.toContain(clearPan)
          expect(text.replace(/[ -]/g, "")).not.toContain(clearPan)
        }
        expect(results[0]?._tag).toBe("CardNotFound")
      })
    )
  })
})
