/**
 * Replace Existing Card (seed 003, DOMAIN.md §5): the replacement itself, the monthly limit across
 * month ends, and the limit under concurrency. The error table is in replaceCardErrors.test.ts.
 */
import { DateTime, Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  replacementsInWindow,
  replacementWindowStart
} from "../../src/domain/replacement/ReplacementLimit.js"
import { AuditLog, CardIssuer, KitNo, luhnValid, replaceCard, StoreError, TenantId } from "../../src/index.js"
import { NOW, panFor, TENANT_A } from "../support/builders.js"
import { clearPanOf } from "../support/protectedPan.js"
import {
  ACCOUNT,
  accountOf,
  activeCard,
  attempt,
  bank,
  cardOf,
  cardsOnAccount,
  DAY,
  isoAt,
  kitNoOf,
  OLD,
  request,
  runOn,
  SEED,
  VIRTUAL_BIN,
  withSlowReads
} from "../support/replacement.js"

const { LIMIT } = SEED

describe("replaceCard", () => {
  it("replaces the card with a new ACTIVE digital (VIRTUAL) card when no newLoyaltyId is given", async () => {
    const out = await runOn(
      bank(),
      Effect.gen(function* () {
        const answer = yield* attempt(TENANT_A, request(ACCOUNT, OLD, { status: "DAMAGED" }))
        const cards = yield* cardsOnAccount(TENANT_A, ACCOUNT)
        return { answer, cards, pans: yield* Effect.forEach(cards, (c) => clearPanOf(TENANT_A, c)) }
      })
    )
    const [old, replacement] = out.cards
    expect(out.answer.answer).toBe("OK")
    expect(old).toMatchObject({ kitNo: kitNoOf(OLD), status: "DAMAGED" })
    expect(replacement).toMatchObject({
      entityId: `E${ACCOUNT}`,
      accountNo: ACCOUNT,
      productId: "2001_VIRTUAL",
      tierType: "CLASSIC",
      cardType: "VIRTUAL",
      status: "ACTIVE"
    })
    const pan = out.pans[1]!
    expect(pan.startsWith(VIRTUAL_BIN)).toBe(true)
    expect(luhnValid(pan) && pan !== panFor(OLD)).toBe(true)
    expect(out.answer.result._tag === "Success" && out.answer.result.success).toEqual({
      NewLoyaltyCard: Number(replacement!.kitNo),
      Message: "Card updated."
    })
  })

  it("replaces the card with a PHYSICAL card carrying newLoyaltyId", async () => {
    const out = await runOn(
      bank(),
      Effect.gen(function* () {
        const { result } = yield* attempt(TENANT_A, request(ACCOUNT, OLD, { newLoyaltyId: "7000000002" }))
        return { result, card: yield* cardOf(TENANT_A, "7000000002") }
      })
    )
    expect(out.result._tag === "Success" && out.result.success).toEqual({
      NewLoyaltyCard: 7000000002,
      Message: "Card updated."
    })
    expect(out.card._tag === "Some" && out.card.value).toMatchObject({
      cardType: "PHYSICAL",
      status: "ACTIVE",
      accountNo: ACCOUNT
    })
  })

  it("stores the PHYSICAL card under newLoyaltyId even with an issuer that answers another kitNo", async () => {
    const out = await runOn(
      bank(),
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        // an issuer that answers a kitNo of its own whatever it was given (one written before the
        // port took the caller's kitNo); it reserves the PAN for the caller's kitNo, as the memory
        // issuer does, since the memory store refuses a PAN reserved for another card
        const result = yield* attempt(TENANT_A, request(ACCOUNT, OLD, { newLoyaltyId: "7000000004" })).pipe(
          Effect.provideService(
            CardIssuer,
            CardIssuer.of({
              issue: (tenant, bin, kitNo) =>
                Effect.map(issuer.issue(tenant, bin, kitNo), (issued) => ({
                  ...issued,
                  kitNo: KitNo.make("4240299999")
                }))
            })
          )
        )
        return {
          result: result.result,
          card: yield* cardOf(TENANT_A, "7000000004"),
          answered: yield* cardOf(TENANT_A, "4240299999")
        }
      })
    )
    expect(out.result._tag === "Success" && out.result.success.NewLoyaltyCard).toBe(7000000004)
    expect(out.card._tag).toBe("Some")
    expect(out.answered._tag).toBe("None")
  })

  it("reads the request when the effect runs, not when it is built", async () => {
    const body: Record<string, unknown> = { ...request(ACCOUNT, OLD), correlationId: "not an account" }
    const program = replaceCard(TENANT_A, body)
    body.correlationId = String(ACCOUNT)
    const out = await runOn(bank(), Effect.result(program))
    expect(out._tag).toBe("Success")
  })

  it("takes the account and the loyalty ids as digit strings or numbers", async () => {
    const body = {
      correlationId: ACCOUNT,
      oldLoyaltyId: kitNoOf(OLD),
      status: "CANCELLED",
      newLoyaltyId: 7000000003
    }
    const out = await runOn(bank(), attempt(TENANT_A, body))
    expect(out.result._tag === "Success" && out.result.success.NewLoyaltyCard).toBe(7000000003)
  })

  it("replaces LOCKED and BLOCKED cards (DOMAIN.md §2: REPLACE from ASSIGNED, ACTIVE, LOCKED, BLOCKED)", async () => {
    const cards = [
      activeCard(1, { status: "LOCKED", lockedFrom: "ACTIVE" }),
      activeCard(2, { status: "BLOCKED" })
    ]
    const out = await runOn(
      bank({}, cards),
      Effect.all([attempt(TENANT_A, request(ACCOUNT, 1)), attempt(TENANT_A, request(ACCOUNT, 2))])
    )
    expect(out.map((o) => o.answer)).toEqual(["OK", "OK"])
  })

  it("records the instant of the replacement, from the Clock, on the account", async () => {
    const at = Date.parse("2026-02-28T23:59:59.999Z")
    const account = await runOn(
      bank(),
      Effect.andThen(attempt(TENANT_A, request(ACCOUNT, OLD)), accountOf(TENANT_A, ACCOUNT)),
      { at }
    )
    expect(account.replacements.map(DateTime.formatIso)).toEqual(["2026-02-28T23:59:59.999Z"])
  })

  it("audits each card once, with masked PANs and who asked through which channel", async () => {
    const events = await runOn(
      bank(),
      Effect.gen(function* () {
        yield* attempt(
          TENANT_A,
          request(ACCOUNT, OLD, { newLoyaltyId: "9000000001", channel: "WEB", changer: "agent-7" })
        )
        const log = yield* AuditLog
        return [
          ...(yield* log.findBySubject(TenantId.make(TENANT_A), kitNoOf(OLD))),
          ...(yield* log.findBySubject(TenantId.make(TENANT_A), "9000000001"))
        ]
      })
    )
    expect(events).toEqual([
      {
        at: "2026-07-15T10:30:00.000Z",
        action: "REPLACE_LOST_OR_STOLEN",
        subject: kitNoOf(OLD),
        outcome: "OK",
        cardNumber: "608040XXXXXX0010",
        previousStatus: "ACTIVE",
        currentStatus: "LOST_OR_STOLEN",
        changer: "agent-7",
        channel: "WEB"
      },
      {
        at: "2026-07-15T10:30:00.000Z",
        action: "ISSUE",
        subject: "9000000001",
        outcome: "OK",
        cardNumber: expect.stringMatching(/^608040X{6}\d{4}$/),
        currentStatus: "ACTIVE",
        changer: "agent-7",
        channel: "WEB",
        reason: `REPLACE_LOST_OR_STOLEN of kitNo ${kitNoOf(OLD)}`
      }
    ])
    expect(panFor(OLD)).toBe("6080400000000010")
  })

  it("writes the old card, then the new one, then the account, then the audit trail; any failing changes nothing", async () => {
    const operations: Array<string> = []
    const ok = await runOn(bank(), attempt(TENANT_A, request(ACCOUNT, OLD)), {
      memory: {
        failWrite: ({ operation }) => {
          operations.push(operation)
          return false
        }
      }
    })
    expect(ok.answer).toBe("OK")
    expect(operations).toEqual([
      "CardIssuer.issue",
      "CardRepository.updateAll",
      "CardRepository.insertAll",
      "CustomerRepository.saveAccounts",
      "AuditLog.append"
    ])
    for (const failing of operations) {
      const out = await runOn(bank(), attempt(TENANT_A, request(ACCOUNT, OLD)), {
        memory: { failWrite: ({ operation }) => operation === failing }
      })
      expect(out.result).toEqual(Result.fail(new StoreError({ operation: failing, retryable: true })))
      expect(out.unchanged).toBe(true)
    }
  })
})

describe("the limit: two replacements in (S(now), now], UTC, S about one calendar month before", () => {
  // `start` is the window's exclusive start S(now): the same day and time one month before; from the
  // previous month's last day-of-month on, 00:00 of that last day
  const starts = [
    { when: "15 July", now: "2026-07-15T10:30:00.000Z", start: "2026-06-15T10:30:00.000Z" },
    { when: "1 March", now: "2026-03-01T10:00:00.000Z", start: "2026-02-01T10:00:00.000Z" },
    {
      when: "27 March, the day before February's last day-of-month",
      now: "2026-03-27T23:59:59.999Z",
      start: "2026-02-27T23:59:59.999Z"
    },
    {
      when: "28 March 00:00, February's last day-of-month",
      now: "2026-03-28T00:00:00.000Z",
      start: "2026-02-28T00:00:00.000Z"
    },
    { when: "28 March 10:00", now: "2026-03-28T10:00:00.000Z", start: "2026-02-28T00:00:00.000Z" },
    { when: "29 March 00:00", now: "2026-03-29T00:00:00.000Z", start: "2026-02-28T00:00:00.000Z" },
    { when: "31 March", now: "2026-03-31T10:00:00.000Z", start: "2026-02-28T00:00:00.000Z" },
    { when: "29 February", now: "2024-02-29T10:00:00.000Z", start: "2024-01-29T10:00:00.000Z" },
    {
      when: "28 March after a 29-day February",
      now: "2024-03-28T10:00:00.000Z",
      start: "2024-02-28T10:00:00.000Z"
    },
    {
      when: "29 March after a 29-day February",
      now: "2024-03-29T10:00:00.000Z",
      start: "2024-02-29T00:00:00.000Z"
    },
    {
      when: "30 March after a 29-day February",
      now: "2024-03-30T00:00:00.000Z",
      start: "2024-02-29T00:00:00.000Z"
    },
    {
      when: "31 March after a 29-day February",
      now: "2024-03-31T23:59:59.999Z",
      start: "2024-02-29T00:00:00.000Z"
    },
    { when: "29 February 2028", now: "2028-02-29T23:59:59.999Z", start: "2028-01-29T23:59:59.999Z" },
    { when: "29 March 2028", now: "2028-03-29T12:00:00.000Z", start: "2028-02-29T00:00:00.000Z" },
    {
      when: "30 April (March has 31 days)",
      now: "2026-04-30T12:00:00.000Z",
      start: "2026-03-30T12:00:00.000Z"
    },
    {
      when: "30 May, April's last day-of-month",
      now: "2026-05-30T12:00:00.000Z",
      start: "2026-04-30T00:00:00.000Z"
    },
    { when: "31 May", now: "2026-05-31T12:00:00.000Z", start: "2026-04-30T00:00:00.000Z" },
    {
      when: "31 August (July has 31 days)",
      now: "2026-08-31T12:00:00.000Z",
      start: "2026-07-31T00:00:00.000Z"
    },
    { when: "31 December", now: "2026-12-31T12:00:00.000Z", start: "2026-11-30T00:00:00.000Z" },
    {
      when: "31 January (across 31 December)",
      now: "2027-01-31T08:00:00.000Z",
      start: "2026-12-31T00:00:00.000Z"
    },
    {
      when: "1 January (across 1 December)",
      now: "2027-01-01T00:00:00.000Z",
      start: "2026-12-01T00:00:00.000Z"
    }
  ]
  const limitAt = (now: string, replacements: ReadonlyArray<string>) =>
    runOn(bank({ replacements: [...replacements, now] }), attempt(TENANT_A, request(ACCOUNT, OLD)), {
      at: Date.parse(now)
    }).then((out) => out.answer)

  it.each(starts)("on $when ($now), the window opens after $start", ({ now, start }) => {
    expect(DateTime.formatIso(replacementWindowStart(DateTime.makeUnsafe(now)))).toBe(start)
  })

  it.each(starts)(
    "on $when ($now), a replacement exactly at $start is outside the window",
    async ({ now, start }) => {
      expect(await limitAt(now, [start])).toBe("OK")
    }
  )

  it.each(starts)(
    "on $when ($now), a replacement a millisecond after $start is inside",
    async ({ now, start }) => {
      expect(await limitAt(now, [isoAt(Date.parse(start) + 1)])).toEqual(LIMIT)
    }
  )

  it("from the previous month's last day-of-month on, that whole day counts: 28 February 00:00:00.001 on 31 March 23:59", async () => {
    expect(await limitAt("2026-03-28T00:00:00.000Z", ["2026-02-28T23:59:59.999Z"])).toEqual(LIMIT)
    expect(await limitAt("2026-03-31T23:59:00.000Z", ["2026-02-28T00:00:00.001Z"])).toEqual(LIMIT)
  })

  it("the start never moves back: 27 February 23:00, out on 27 March 23:30, stays out on 28 and 31 March", async () => {
    for (const now of ["2026-03-27T23:30:00.000Z", "2026-03-28T00:00:00.000Z", "2026-03-31T23:59:59.999Z"])
      expect(await limitAt(now, ["2026-02-27T23:00:00.000Z"])).toBe("OK")
  })

  it("errs strict: after 28 February 10:00 and 1 March 12:00, 28–31 March are refused, 1 April is allowed", async () => {
    const out = await runOn(
      bank({}, [activeCard(1), activeCard(2), activeCard(3)]),
      Effect.gen(function* () {
        const answers = []
        for (const [serial, at] of [
          [1, "2026-02-28T10:00:00.000Z"],
          [2, "2026-03-01T12:00:00.000Z"],
          // the calendar month ending here, (28 February 10:00, 28 March 10:00], holds only one
          [3, "2026-03-28T10:00:00.000Z"],
          [3, "2026-03-31T23:59:59.999Z"],
          [3, "2026-04-01T00:00:00.000Z"]
        ] as const) {
          yield* TestClock.setTime(Date.parse(at))
          answers.push((yield* attempt(TENANT_A, request(ACCOUNT, serial))).answer)
        }
        return { answers, account: yield* accountOf(TENANT_A, ACCOUNT) }
      })
    )
    expect(out.answers).toEqual(["OK", "OK", LIMIT, LIMIT, "OK"])
    expect(replacementsInWindow(out.account, DateTime.makeUnsafe("2026-04-01T00:00:00.000Z"))).toBe(2)
  })

  it("allows the third replacement one day after the window slides past the first", async () => {
    const answers = await runOn(
      bank({}, [activeCard(1), activeCard(2), activeCard(3), activeCard(4)]),
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.parse("2026-06-16T10:30:00.000Z"))
        const first = yield* attempt(TENANT_A, request(ACCOUNT, 1))
        yield* TestClock.setTime(Date.parse("2026-07-01T09:00:00.000Z"))
        const second = yield* attempt(TENANT_A, request(ACCOUNT, 2))
        yield* TestClock.setTime(Date.parse("2026-07-15T10:30:00.000Z"))
        const third = yield* attempt(TENANT_A, request(ACCOUNT, 3))
        yield* TestClock.adjust("1 day")
        const thirdADayLater = yield* attempt(TENANT_A, request(ACCOUNT, 3))
        const fourth = yield* attempt(TENANT_A, request(ACCOUNT, 4))
        return [first, second, third, thirdADayLater, fourth].map((a) => a.answer)
      })
    )
    expect(answers).toEqual(["OK", "OK", LIMIT, "OK", LIMIT])
  })

  const slides = [
    {
      across: "the end of February",
      history: ["2026-01-31T12:00:00.000Z", "2026-02-15T12:00:00.000Z"],
      refused: "2026-02-28T12:00:00.000Z",
      allowed: "2026-03-01T12:00:00.000Z"
    },
    {
      across: "the end of a leap February",
      history: ["2024-01-31T12:00:00.000Z", "2024-02-15T12:00:00.000Z"],
      refused: "2024-02-29T12:00:00.000Z",
      allowed: "2024-03-01T12:00:00.000Z"
    },
    {
      across: "31 December → January (all of 31 December counts on 31 January)",
      history: ["2026-12-31T08:00:00.000Z", "2027-01-10T08:00:00.000Z"],
      refused: "2027-01-31T23:59:59.999Z",
      allowed: "2027-02-01T00:00:00.000Z"
    },
    {
      across: "the end of March (all of 28 February counts from 28 March on)",
      history: ["2026-02-28T00:00:00.001Z", "2026-03-10T08:00:00.000Z"],
      refused: "2026-03-31T23:59:59.999Z",
      allowed: "2026-04-01T00:00:00.000Z"
    },
    {
      across: "the end of August (all of 31 July counts on 31 August)",
      history: ["2026-07-31T00:00:00.001Z", "2026-08-10T08:00:00.000Z"],
      refused: "2026-08-31T23:59:59.999Z",
      allowed: "2026-09-01T00:00:00.000Z"
    },
    {
      across: "30 March → 30 April (March has 31 days: the time of day is kept)",
      history: ["2026-03-30T12:00:00.000Z", "2026-04-10T08:00:00.000Z"],
      refused: "2026-04-30T11:59:59.999Z",
      allowed: "2026-04-30T12:00:00.000Z"
    }
  ]

  it.each(slides)("across $across: refused at $refused, allowed at $allowed", async (slide) => {
    const [refused, allowed] = await runOn(
      bank({ replacements: slide.history }, [activeCard(1), activeCard(2)]),
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.parse(slide.refused))
        const before = yield* attempt(TENANT_A, request(ACCOUNT, 1))
        yield* TestClock.setTime(Date.parse(slide.allowed))
        return [before, yield* attempt(TENANT_A, request(ACCOUNT, 2))]
      })
    )
    expect([refused!.answer, allowed!.answer]).toEqual([LIMIT, "OK"])
  })
})

describe("the limit under concurrency", () => {
  const CARDS = 20
  const cards = Array.from({ length: CARDS }, (_, i) => activeCard(i + 1))

  it.each([0, 1, 2])(
    "with %i slot(s) left, 20 concurrent requests: exactly that many succeed",
    async (slots) => {
      const history = [isoAt(NOW - 3 * DAY), isoAt(NOW - 2 * DAY)].slice(slots)
      const out = await runOn(
        bank({ replacements: history }, cards),
        Effect.gen(function* () {
          // reads yield between fibers, as over a network: only the transaction keeps them apart
          const answers = yield* withSlowReads(
            Effect.all(
              cards.map((_, i) => attempt(TENANT_A, request(ACCOUNT, i + 1))),
              { concurrency: "unbounded" }
            )
          )
          const account = yield* accountOf(TENANT_A, ACCOUNT)
          const onAccount = yield* cardsOnAccount(TENANT_A, ACCOUNT)
          return { answers: answers.map((a) => a.answer), account, onAccount }
        })
      )
      expect(out.answers.filter((a) => a === "OK")).toHaveLength(slots)
      expect(out.answers.filter((a) => a !== "OK")).toEqual(Array(CARDS - slots).fill(LIMIT))
      expect(out.account.replacements).toHaveLength(2)
      expect(out.onAccount.filter((c) => c.status === "LOST_OR_STOLEN")).toHaveLength(slots)
      expect(out.onAccount).toHaveLength(CARDS + slots)
    }
  )
})
