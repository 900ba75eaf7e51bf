/**
 * The contract of IdempotencyStore, through `withIdempotencyKey` over a replacement: what a retry
 * gets, what another request with the key gets, concurrent requests with one key, expiry and the
 * sweep, and tenants apart.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Exit, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { cardFixture, customerFixture, tenantFixture } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { CardNotFound } from "../../domain/card/Card.js"
import { AccountNo, type TenantId } from "../../domain/ground/Identifiers.js"
import { sweepIdempotencyKeys, withIdempotencyKey } from "../../domain/idempotency/Idempotency.js"
import { replaceCard } from "../../domain/replacement/replaceCard.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, event, type MakeLayer, withStorageKeys } from "./support.js"

const cards = ["4240181595", "4240181596", "4240181597"].map((kitNo) => cardFixture(kitNo))

const fixture: MemoryFixture = {
  tenants: {
    [A]: tenantFixture([customerFixture("676165", cards, { accountNo: 8642135 })]),
    [B]: tenantFixture([customerFixture("676165", cards, { accountNo: 8642135 })], {
      policy: { idempotencyRetentionHours: 48 }
    })
  }
}

const replace = withIdempotencyKey("replaceCard", replaceCard)
const request = { correlationId: "8642135", oldLoyaltyId: 4240181595, status: "DAMAGED" }

/** The replacements the account holds: one per replacement that ran. */
const replacements = (tenant: TenantId) =>
  Effect.gen(function* () {
    const account = yield* (yield* CustomerRepository).findAccount(tenant, AccountNo.make(8642135))
    return account._tag === "Some" ? account.value.replacements.length : -1
  })

/**
 * Registers the contract's tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const idempotencyContract = (name: string, makeLayer: MakeLayer) => {
  const run = <X, E>(program: Effect.Effect<X, E, never>) => Effect.runPromise(program)
  const provide = <X, E, R>(program: Effect.Effect<X, E, R>) =>
    Effect.provide(
      program,
      Layer.merge(makeLayer(withStorageKeys(fixture)), TestClock.layer()) as never
    ) as Effect.Effect<X, E | unknown, never>

  describe(`${name}: IdempotencyStore`, () => {
    it("gives a retry the first answer and runs nothing again; another request with the key is refused", async () => {
      const [first, retry, other, count] = await run(
        provide(
          Effect.gen(function* () {
            const first = yield* replace(A, "contract-1", request)
            const retry = yield* replace(A, "contract-1", { ...request })
            const other = yield* Effect.flip(
              replace(A, "contract-1", { ...request, oldLoyaltyId: 4240181596 })
            )
            return [first, retry, other, yield* replacements(A)] as const
          })
        )
      )
      expect(retry).toEqual(first)
      expect(other).toMatchObject({ _tag: "IdempotencyKeyReused", code: "IDEMPOTENCY_KEY_REUSED" })
      expect(count).toBe(1)
    })

    it("keeps a refusal made inside the use case's transaction without that transaction's writes, and one made after it with them", async () => {
      // a use case that writes an event, then refuses: inside its transaction (its writes undone), or
      // after it committed (its writes kept, as verifyPin keeps a wrong PIN's count)
      const refusing = (inside: boolean) => (tenant: string, subject: unknown) =>
        Effect.gen(function* () {
          const log = yield* AuditLog
          const write = log.append(tenant as TenantId, [event(String(subject), "WRITTEN")])
          const refusal = new CardNotFound({ kitNo: String(subject) })
          if (inside)
            return yield* (yield* Transactor).withTransaction(Effect.andThen(write, Effect.fail(refusal)))
          yield* (yield* Transactor).withTransaction(write)
          return yield* Effect.fail(refusal)
        })
      const outcome = await run(
        provide(
          Effect.gen(function* () {
            const log = yield* AuditLog
            const answers = []
            for (const [inside, subject] of [
              [true, "K-INSIDE"],
              [false, "K-AFTER"]
            ] as const) {
              const keyed = withIdempotencyKey("refusing", refusing(inside))
              const first = yield* Effect.flip(keyed(A, `contract-refusal-${subject}`, subject))
              const retry = yield* Effect.flip(keyed(A, `contract-refusal-${subject}`, subject))
              answers.push({
                first: first._tag,
                retry: retry._tag,
                events: (yield* log.findBySubject(A, subject)).map((e) => e.action)
              })
            }
            return answers
          })
        )
      )
      expect(outcome).toEqual([
        { first: "CardNotFound", retry: "CardNotFound", events: [] },
        { first: "CardNotFound", retry: "CardNotFound", events: ["WRITTEN"] }
      ])
    })

    it("runs 20 concurrent requests with one key once, all 20 answered alike", async () => {
      const [answers, count] = await run(
        provide(
          Effect.gen(function* () {
            const answers = yield* Effect.all(
              Array.from({ length: 20 }, () => Effect.exit(replace(A, "contract-2", request))),
              { concurrency: "unbounded" }
            )
            return [answers, yield* replacements(A)] as const
          })
        )
      )
      expect(answers.every(Exit.isSuccess)).toBe(true)
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
      expect(count).toBe(1)
    })

    it("forgets a key once the tenant's retention passed, and sweeps it; tenants do not share keys", async () => {
      const [swept, kept, again, other] = await run(
        provide(
          Effect.gen(function* () {
            yield* TestClock.setTime(Date.parse("2026-03-10T09:00:00.000Z"))
            yield* replace(A, "contract-3", request)
            yield* replace(B, "contract-3", request)
            yield* TestClock.adjust("23 hours")
            const kept = yield* sweepIdempotencyKeys(A)
            yield* TestClock.adjust("2 hours")
            const swept = yield* sweepIdempotencyKeys(A)
            // a new key now: the old card is DAMAGED, so the replacement runs and is refused
            const again = yield* Effect.exit(replace(A, "contract-3", request))
            return [swept, kept, again, yield* replacements(B), yield* Clock.currentTimeMillis] as const
          })
        )
      )
      expect([kept, swept]).toEqual([0, 1])
      // the replacement's own refusal, stored with the key claimed anew
      expect(again).toEqual(Exit.fail(expect.objectContaining({ _tag: "CardReplacementRefused" })))
      expect(other).toBe(1)
    })

    it("claims a key whose retention passed before it is swept anew: another request runs, and its answer is the one replayed", async () => {
      const [first, second, retry, count] = await run(
        provide(
          Effect.gen(function* () {
            yield* TestClock.setTime(Date.parse("2026-03-10T09:00:00.000Z"))
            const first = yield* replace(A, "contract-5", request)
            yield* TestClock.adjust("25 hours")
            // not swept: the key's record is still there, expired
            const other = { ...request, oldLoyaltyId: 4240181596 }
            const second = yield* replace(A, "contract-5", other)
            const retry = yield* replace(A, "contract-5", { ...other })
            return [first, second, retry, yield* replacements(A)] as const
          })
        )
      )
      expect(second.NewLoyaltyCard).not.toBe(first.NewLoyaltyCard)
      expect(retry).toEqual(second)
      expect(count).toBe(2)
    })

    it("keeps a key for the tenant's own retention, read from its policy when the key is claimed", async () => {
      const [A25, B25, B47, B49] = await run(
        provide(
          Effect.gen(function* () {
            yield* TestClock.setTime(Date.parse("2026-03-10T09:00:00.000Z"))
            yield* replace(A, "contract-4", request)
            yield* replace(B, "contract-4", request)
            yield* TestClock.adjust("25 hours")
            const A25 = yield* sweepIdempotencyKeys(A)
            const B25 = yield* sweepIdempotencyKeys(B)
            yield* TestClock.adjust("22 hours")
            const B47 = yield* sweepIdempotencyKeys(B)
            // still B's first answer: the replacement does not run again
            yield* replace(B, "contract-4", request)
            yield* TestClock.adjust("2 hours")
            return [A25, B25, B47, yield* sweepIdempotencyKeys(B)] as const
          })
        )
      )
      // A has the default 24 hours; B's policy says 48
      expect([A25, B25, B47, B49]).toEqual([1, 0, 0, 1])
    })
  })
}
