/**
 * Laws of card replacement (seed 003) that hold for every input: no window of one month ever holds
 * more than two replacements, end states are final, ghost and unregistered accounts wait for a
 * migration, tenants are walls, and a failed write leaves no trace. No clear PAN leaks:
 * test/domain/replaceCardPans.test.ts.
 */
import { DateTime, Effect } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import { replacementWindowStart } from "../../src/domain/replacement/ReplacementLimit.js"
import { TENANT_A, TENANT_B } from "../support/builders.js"
import { accountOf, activeCard, attempt, holder, request, runOn, tenantOf } from "../support/replacement.js"

const ACCOUNT = 8642135
const CARDS = 10
const LIMIT_MESSAGE = "Card Replacement limit exceeded! Cannot replace card more than twice a month."
const END_STATES = ["DAMAGED", "CANCELLED", "LOST_OR_STOLEN"] as const

const DAY = 86_400_000

/**
 * The test's own reading of DOMAIN.md §5's window start, written from the calendar, not from the
 * code: the same day and time one month before; on a day that month lacks, the end of its last day.
 */
const monthBefore = (millis: number): number => {
  const d = new Date(millis)
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]
  const daysBefore = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= daysBefore
    ? Date.UTC(year, month - 1, day) + (millis - Date.UTC(year, month, day))
    : Date.UTC(year, month - 1, daysBefore, 23, 59, 59, 999)
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

/**
 * Instants from 2023 to 2028, each run around one month's start (so that three attempts fall in one
 * month often): leap Februaries (2024, 2028), clamped days (29–31 March, 31 May…) and December →
 * January among them. Most fall on the last days of the month before, the first days of the month,
 * or its last days (where it is longer than the month before, the clamped days), just after
 * midnight, mid-morning or at a day's last millisecond; the rest anywhere near, or anywhere at all.
 */
const firstOfMonth = fc
  .record({ year: fc.integer({ min: 2023, max: 2028 }), month: fc.integer({ min: 0, max: 11 }) })
  .map(({ year, month }) => Date.UTC(year, month, 1))
const instantNear = (anchor: number) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.integer({ min: -3, max: 1 }), fc.integer({ min: 26, max: 30 })),
          fc.oneof(fc.constantFrom(0, 1, 10 * 3_600_000, DAY - 1), fc.integer({ min: 0, max: DAY - 1 }))
        )
        .map(([days, time]) => anchor + days * DAY + time)
    },
    { weight: 1, arbitrary: fc.integer({ min: anchor - 40 * DAY, max: anchor + 40 * DAY }) },
    { weight: 1, arbitrary: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2029, 0, 1) }) }
  )

interface Attempt {
  readonly at: number
  readonly serial: number
  readonly status: (typeof END_STATES)[number]
}
const cards = Array.from({ length: CARDS }, (_, i) => activeCard(i + 1))
/** Attempts in any order of time: a clock set back (or skewed hosts) included. */
const attempts: fc.Arbitrary<ReadonlyArray<Attempt>> = firstOfMonth.chain((anchor) =>
  fc.array(
    fc.record({
      at: instantNear(anchor),
      serial: fc.integer({ min: 1, max: CARDS }),
      status: fc.constantFrom(...END_STATES)
    }),
    { minLength: 1, maxLength: 14 }
  )
)

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
  it("the window's start is the calendar's, and never moves back as now moves forward", () => {
    fc.assert(
      fc.property(
        firstOfMonth.chain((anchor) => fc.tuple(instantNear(anchor), fc.integer({ min: 0, max: 40 * DAY }))),
        ([t, later]) => {
          const start = (at: number) =>
            DateTime.toEpochMillis(replacementWindowStart(DateTime.makeUnsafe(at)))
          expect(start(t)).toBe(monthBefore(t))
          expect(start(t)).toBeLessThanOrEqual(start(t + later))
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it("answers as the model: an ended card is refused, else at most two after the window's start", async () => {
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
      { numRuns: 200 }
    )
  })

  it("ANY window (start(t), t] holds at most two successes, for every instant t", async () => {
    await fc.assert(
      fc.asyncProperty(attempts, async (list) => {
        const { history } = await runAttempts(list)
        // Which t to check. Within one UTC day the model's start moves with t (the same time a month
        // before) or stands still (a clamped day), so it never decreases inside a day; that is all
        // this uses, not monotonicity across days, which is what is under test. On a day [d, d + 1
        // day) a window ending at t holds either a success s* at or after d (then take the latest,
        // s* ≤ t: start(s*) ≤ start(t), so the window ending at s* holds all of them) or only
        // successes before d (then they lie in (start(d), d]). So the successes and every midnight
        // cover every window; midnights more than 32 days after every success see none.
        const ends = new Set(history)
        for (const s of history) {
          const midnight = Math.floor(s / DAY) * DAY
          for (let d = 0; d <= 32; d++) ends.add(midnight + d * DAY)
        }
        for (const t of ends) {
          const inWindow = history.filter((s) => s > monthBefore(t) && s <= t)
          expect(inWindow.length, `window ending ${new Date(t).toISOString()}`).toBeLessThanOrEqual(2)
        }
      }),
      { numRuns: 200 }
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
      // five writes: CardIssuer.issue, CardRepository.updateAll and insertAll,
      // CustomerRepository.saveAccounts, AuditLog.append (replaceCard.test.ts)
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.boolean(), async (failing, physical) => {
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
})
