/**
 * Laws of card replacement (seed 003) that hold for every input: no window of one month ever holds
 * more than two replacements, end states are final, ghost and unregistered accounts wait for a
 * migration, tenants are walls, a failed write leaves no trace, and no clear PAN leaks.
 */
import { inspect } from "node:util"
import { DateTime, Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import { AuditLog, luhnCheckDigit, TenantId } from "../../src/index.js"
import { TENANT_A, TENANT_B } from "../support/builders.js"
import {
  accountOf,
  activeCard,
  attempt,
  holder,
  kitNoOf,
  request,
  runOn,
  tenantOf
} from "../support/replacement.js"

const ACCOUNT = 8642135
const CARDS = 10
const LIMIT_MESSAGE = "Card Replacement limit exceeded! Cannot replace card more than twice a month."
const END_STATES = ["DAMAGED", "CANCELLED", "LOST_OR_STOLEN"] as const

/** The test's own reading of "one calendar month before", UTC, the day clamped to the month's end. */
const monthBefore = (millis: number): number => {
  const d = new Date(millis)
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0)).getUTCDate()
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() - 1,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds()
  )
}

const oneAccount = (
  fixtureOfA: Parameters<typeof holder>[2] = {},
  cards = [activeCard(1)],
  inTransition = false
) =>
  ({
    tenants: {
      [TENANT_A]: tenantOf([holder(ACCOUNT, cards, fixtureOfA)], { migrationInTransition: inTransition })
    }
  }) satisfies MemoryFixture

/** Instants from January to May 2026, month ends and their neighbours among them. */
const instant = fc.oneof(
  fc.integer({ min: Date.parse("2026-01-01T00:00:00.000Z"), max: Date.parse("2026-05-01T00:00:00.000Z") }),
  fc.constantFrom(
    ...[
      "2026-01-31T10:00:00.000Z",
      "2026-02-28T10:00:00.000Z",
      "2026-02-28T10:00:00.001Z",
      "2026-03-28T10:00:00.000Z",
      "2026-03-31T10:00:00.000Z",
      "2026-03-31T09:59:59.999Z",
      "2026-04-30T10:00:00.000Z"
    ].map(Date.parse)
  )
)
interface Attempt {
  readonly at: number
  readonly serial: number
  readonly status: (typeof END_STATES)[number]
}
const replacementAttempt: fc.Arbitrary<Attempt> = fc.record({
  at: instant,
  serial: fc.integer({ min: 1, max: CARDS }),
  status: fc.constantFrom(...END_STATES)
})

const cards = Array.from({ length: CARDS }, (_, i) => activeCard(i + 1))
const attempts = fc.array(replacementAttempt, { minLength: 1, maxLength: 14 })

/** Each attempt at its instant, in order: the answers, and the account's history at the end. */
const runAttempts = (list: ReadonlyArray<Attempt>) =>
  runOn(
    oneAccount({}, cards),
    Effect.gen(function* () {
      const answers = []
      for (const a of list) {
        yield* TestClock.setTime(a.at)
        answers.push((yield* attempt(TENANT_A, request(ACCOUNT, a.serial, { status: a.status }))).answer)
      }
      const history = (yield* accountOf(TENANT_A, ACCOUNT)).replacements.map(DateTime.toEpochMillis)
      return { answers, history }
    })
  )

describe("the monthly limit, for any sequence of attempts at random times", () => {
  it("answers as the model: an ended card is refused, else at most two after now − 1 month", async () => {
    await fc.assert(
      fc.asyncProperty(attempts, async (list) => {
        const out = await runAttempts(list)
        const ended = new Set<number>()
        const successes: Array<number> = []
        for (const [i, a] of list.entries()) {
          const answer = out.answers[i]
          if (ended.has(a.serial)) {
            expect(answer).toMatchObject({ errorMessage: expect.stringMatching(/^Cannot change the status/) })
          } else if (successes.filter((t) => t > monthBefore(a.at)).length >= 2) {
            // a replacement recorded after now (a clock set back) counts too
            expect(answer).toMatchObject({ errorMessage: LIMIT_MESSAGE })
          } else {
            expect(answer).toBe("OK")
            ended.add(a.serial)
            successes.push(a.at)
          }
        }
        expect(out.history).toEqual(successes)
      }),
      { numRuns: 150 }
    )
  })

  it("as the clock moves forward, the month up to any replacement holds at most two", async () => {
    const forward = attempts.map((list) => [...list].sort((a, b) => a.at - b.at))
    await fc.assert(
      fc.asyncProperty(forward, async (list) => {
        const { history } = await runAttempts(list)
        for (const end of history) {
          expect(history.filter((t) => t > monthBefore(end) && t <= end).length).toBeLessThanOrEqual(2)
        }
      }),
      { numRuns: 150 }
    )
  })
})

describe("laws of replacement", () => {
  const accountStatus = fc.constantFrom("PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "CLOSED" as const)
  const registration = fc.constantFrom("REGISTERED", "GHOST", "UNREGISTERED" as const)
  const anyStatus = fc.oneof(fc.constantFrom(...END_STATES, "ACTIVE", "BLOCKED"), fc.string(), fc.integer())

  it("a card in an end state never changes, and nothing else does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...END_STATES, "REPLACED" as const),
        accountStatus,
        registration,
        fc.boolean(),
        anyStatus,
        fc.option(fc.constant("7000000001"), { nil: undefined }),
        async (cardStatus, status, reg, inTransition, asked, newLoyaltyId) => {
          const fixture = oneAccount(
            { status, registration: reg },
            [activeCard(1, { status: cardStatus })],
            inTransition
          )
          const out = await runOn(
            fixture,
            attempt(TENANT_A, request(ACCOUNT, 1, { status: asked, newLoyaltyId }))
          )
          expect(out.answer).not.toBe("OK")
          expect(out.unchanged).toBe(true)
        }
      )
    )
  })

  it("ghost and unregistered accounts are refused unless the tenant's migration is in transition", async () => {
    await fc.assert(
      fc.asyncProperty(
        registration,
        fc.boolean(),
        fc.constantFrom(...END_STATES),
        async (reg, inTransition, status) => {
          const out = await runOn(
            oneAccount({ registration: reg }, [activeCard(1)], inTransition),
            attempt(TENANT_A, request(ACCOUNT, 1, { status }))
          )
          if (reg === "REGISTERED" || inTransition) expect(out.answer).toBe("OK")
          else
            expect(out.answer).toEqual({
              statusCode: 400,
              errorCode: "INVALID_REQUEST",
              errorMessage: "Card replacement is not allowed as the user account is not registered"
            })
        }
      )
    )
  })

  it("tenant walls: an account or a card of tenant B is not found from tenant A", async () => {
    const ids = fc.uniqueArray(fc.integer({ min: 1, max: 9_999_999 }), { minLength: 2, maxLength: 2 })
    await fc.assert(
      fc.asyncProperty(ids, fc.integer({ min: 100, max: 999 }), async ([accountA, accountB], serialB) => {
        const fixture = {
          tenants: {
            [TENANT_A]: tenantOf([holder(accountA!, [activeCard(1)])]),
            [TENANT_B]: tenantOf([holder(accountB!, [activeCard(serialB)])])
          }
        } satisfies MemoryFixture
        const out = await runOn(
          fixture,
          Effect.all([
            attempt(TENANT_A, request(accountB!, serialB)),
            attempt(TENANT_A, request(accountA!, serialB)),
            attempt(TENANT_A, request(accountA!, serialB + 1000))
          ])
        )
        const [otherAccount, otherCard, unknownCard] = out
        expect(otherAccount!.answer).toBe("AccountNotFound")
        // a card of another tenant gets the very answer of a card that does not exist
        expect(otherCard!.answer).toEqual(unknownCard!.answer)
        expect(otherCard!.answer).toMatchObject({
          errorMessage: "LoyaltyId specified is not associated with this Account"
        })
        expect(out.every((o) => o.unchanged)).toBe(true)
      })
    )
  })

  it("a failed write changes nothing, and the slot it would have taken stays free", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.boolean(), async (failing, physical) => {
        const fixture = oneAccount({ replacements: ["2026-07-01T00:00:00.000Z"] }, [
          activeCard(1),
          activeCard(2)
        ])
        const newLoyaltyId = physical ? "7000000001" : undefined
        const out = await runOn(
          fixture,
          Effect.all([
            attempt(TENANT_A, request(ACCOUNT, 1, { newLoyaltyId })),
            attempt(TENANT_A, request(ACCOUNT, 2, { newLoyaltyId }))
          ]),
          { memory: { failWrite: ({ index }) => index === failing } }
        )
        const [failed, retried] = out
        expect(failed!.answer).toBe("StoreError")
        expect(failed!.unchanged).toBe(true)
        expect(retried!.answer).toBe("OK")
      })
    )
  })

  it("no clear PAN in any answer, error or audit event", async () => {
    const pan = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 12 }).map((digits) => {
      const body = `608040${digits.join("")}`
      return body + luhnCheckDigit(body)
    })
    await fc.assert(
      fc.asyncProperty(pan, anyStatus, accountStatus, async (clearPan, status, accountState) => {
        const out = await runOn(
          oneAccount({ status: accountState }, [activeCard(1, { pan: clearPan })]),
          Effect.gen(function* () {
            const { result } = yield* attempt(TENANT_A, request(ACCOUNT, 1, { status }))
            const events = yield* Effect.flatMap(AuditLog, (log) =>
              log.findBySubject(TenantId.make(TENANT_A), kitNoOf(1))
            )
            return { result, events }
          })
        )
        const failure = Result.isFailure(out.result) ? out.result.failure : undefined
        for (const text of [
          JSON.stringify(out),
          inspect(out, { depth: 10 }),
          String(failure),
          failure?.message
        ]) {
          expect(text ?? "").not.toContain(clearPan)
        }
      })
    )
  })
})
