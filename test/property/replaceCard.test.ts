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

/** The calendar's parts of an instant (UTC), and the number of days of the month before it. */
const partsOf = (millis: number) => {
  const d = new Date(millis)
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()]
  const timeOfDay = millis - Date.UTC(year, month, day)
  return { year, month, day, timeOfDay, daysBefore: new Date(Date.UTC(year, month, 0)).getUTCDate() }
}

/**
 * The plain calendar month before `millis`: the same day and time of the previous month, the day
 * clamped to that month's length (31 March 10:00 → 28 February 10:00).
 */
const calendarMonthBefore = (millis: number): number => {
  const { year, month, day, timeOfDay, daysBefore } = partsOf(millis)
  return Date.UTC(year, month - 1, Math.min(day, daysBefore)) + timeOfDay
}

/**
 * The test's own reading of DOMAIN.md §5's window start S, written from the calendar, not from the
 * code: the same day and time one month before; from the previous month's last day-of-month on,
 * 00:00 of that last day.
 */
const monthBefore = (millis: number): number => {
  const { year, month, day, daysBefore } = partsOf(millis)
  return day < daysBefore ? calendarMonthBefore(millis) : Date.UTC(year, month - 1, daysBefore)
}

/** The code's window start. */
const start = (at: number) => DateTime.toEpochMillis(replacementWindowStart(DateTime.makeUnsafe(at)))

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
 * Instants from 2023 to 2029, each run around one month's start (so that three attempts fall in one
 * month often): leap Februaries (2024, 2028), the days from the previous month's last day-of-month
 * on (28–31 March, 30–31 May, 31 August…) and December → January among them. Most fall on the last
 * days of the month before, the first days of the month, or its last days (where S stands at 00:00
 * of the month before's last day), just after midnight, mid-morning or at a day's last millisecond;
 * the rest anywhere near, or anywhere at all.
 */
const anyInstant = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2030, 0, 1) - 1 })
const firstOfMonth = fc
  .record({ year: fc.integer({ min: 2023, max: 2029 }), month: fc.integer({ min: 0, max: 11 }) })
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
    { weight: 1, arbitrary: anyInstant }
  )

interface Attempt {
  readonly at: number
  readonly serial: number
  readonly status: (typeof END_STATES)[number]
}
const cards = Array.from({ length: CARDS }, (_, i) => activeCard(i + 1))
/**
 * Attempts in any order of time (a clock set back, or skewed hosts), or half of the time in the order
 * of time, as most clocks go: the order in which a start that moves back lets a third one in.
 */
const attempts: fc.Arbitrary<ReadonlyArray<Attempt>> = firstOfMonth.chain((anchor) =>
  fc
    .tuple(
      fc.array(
        fc.record({
          at: instantNear(anchor),
          serial: fc.integer({ min: 1, max: CARDS }),
          status: fc.constantFrom(...END_STATES)
        }),
        { minLength: 1, maxLength: 14 }
      ),
      fc.boolean()
    )
    .map(([list, inOrder]) => (inOrder ? [...list].sort((a, b) => a.at - b.at) : list))
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

/** Two instants, earlier first: often close together around a month's end, or anywhere in 2023–2029. */
const instantPairs = fc.oneof(
  firstOfMonth.chain((anchor) =>
    fc
      .tuple(
        instantNear(anchor),
        fc.oneof(
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 2 * DAY }),
          fc.integer({ min: 0, max: 40 * DAY })
        )
      )
      .map(([t, later]) => [t, t + later] as const)
  ),
  fc.tuple(anyInstant, anyInstant).map(([t, u]) => [Math.min(t, u), Math.max(t, u)] as const)
)

describe("the window's start S, for any instant", () => {
  it("is DOMAIN.md's: the same day and time a month before, or 00:00 of the previous month's last day", () => {
    fc.assert(
      fc.property(firstOfMonth.chain(instantNear), (t) => {
        expect(start(t)).toBe(monthBefore(t))
      }),
      { numRuns: 2_000 }
    )
  })

  it("never moves back as now moves forward", () => {
    fc.assert(
      fc.property(instantPairs, ([t, u]) => {
        expect(start(t)).toBeLessThanOrEqual(start(u))
      }),
      { numRuns: 5_000 }
    )
  })

  it("is never later than the plain calendar month, and before now", () => {
    fc.assert(
      fc.property(firstOfMonth.chain(instantNear), (t) => {
        expect(start(t)).toBeLessThanOrEqual(calendarMonthBefore(t))
        expect(start(t)).toBeLessThan(t)
      }),
      { numRuns: 2_000 }
    )
  })

  it("is less than one day earlier than the plain calendar month, and equal to it before the previous month's last day-of-month", () => {
    fc.assert(
      fc.property(firstOfMonth.chain(instantNear), (t) => {
        const { day, daysBefore } = partsOf(t)
        expect(calendarMonthBefore(t) - start(t)).toBeLessThan(DAY)
        if (day < daysBefore) expect(start(t)).toBe(calendarMonthBefore(t))
      }),
      { numRuns: 2_000 }
    )
  })
})

describe("the monthly limit, for any sequence of attempts at random times", () => {
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

  it("ANY window (S(t), t], and ANY plain calendar month (C(t), t], holds at most two successes", async () => {
    await fc.assert(
      fc.asyncProperty(attempts, async (list) => {
        const { history } = await runAttempts(list)
        // Which t to check. Within one UTC day both starts, the model's S and the calendar's C, move
        // with t (the same time a month before) or S stands still (00:00 of the previous month's last
        // day), so neither decreases inside a day; that is all this uses, not monotonicity across
        // days, which is under test above. For either start B, on a day [d, d + 1 day) a window
        // (B(t), t] holds either a success at or after d (then take the latest, s* ≤ t:
        // B(s*) ≤ B(t), so the window ending at s* holds all of them) or only successes before d
        // (then they lie in (B(d), d]). So the successes and every midnight cover every window;
        // midnights more than 32 days after every success see none.
        const ends = new Set(history)
        for (const s of history) {
          const midnight = Math.floor(s / DAY) * DAY
          for (let d = 0; d <= 32; d++) ends.add(midnight + d * DAY)
        }
        for (const t of ends)
          for (const [window, opensAfter] of [
            ["S", monthBefore],
            ["calendar month", calendarMonthBefore]
          ] as const) {
            const inWindow = history.filter((s) => s > opensAfter(t) && s <= t)
            expect(
              inWindow.length,
              `${window} window ending ${new Date(t).toISOString()}`
            ).toBeLessThanOrEqual(2)
          }
      }),
      { numRuns: 500 }
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
