/**
 * Replace Existing Card (seed 003, DOMAIN.md §5): the replacement itself, the monthly limit across
 * month ends, and the limit under concurrency. The error table is in replaceCardErrors.test.ts.
 */
import { DateTime, Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { AuditLog, luhnValid, TenantId } from "../../src/index.js"
import { NOW, panFor, TENANT_A } from "../support/builders.js"
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
  withSlowReads
} from "../support/replacement.js"

const { LIMIT } = SEED

describe("replaceCard", () => {
  it("replaces the card with a new ACTIVE digital (VIRTUAL) card when no newLoyaltyId is given", async () => {
    const out = await runOn(
      bank(),
      Effect.gen(function* () {
        const answer = yield* attempt(TENANT_A, request(ACCOUNT, OLD, { status: "DAMAGED" }))
        return { answer, cards: yield* cardsOnAccount(TENANT_A, ACCOUNT) }
      })
    )
    const [old, replacement] = out.cards
    expect(out.answer.answer).toBe("OK")
    expect(old).toMatchObject({ kitNo: kitNoOf(OLD), status: "DAMAGED" })
    expect(replacement).toMatchObject({
      entityId: `E${ACCOUNT}`,
      accountNo: ACCOUNT,
      productId: "2001_PHYSICAL",
      tierType: "CLASSIC",
      cardType: "VIRTUAL",
      status: "ACTIVE"
    })
    const pan = Redacted.value(replacement!.pan)
    expect(pan.slice(0, 6)).toBe(panFor(OLD).slice(0, 6))
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
})

describe("the limit: two replacements in (now − 1 calendar month, now], UTC", () => {
  const edges = [
    { when: "31 March (2026)", now: "2026-03-31T10:00:00.000Z", edge: "2026-02-28T10:00:00.000Z" },
    { when: "31 March of a leap year", now: "2024-03-31T10:00:00.000Z", edge: "2024-02-29T10:00:00.000Z" },
    { when: "29 February", now: "2024-02-29T10:00:00.000Z", edge: "2024-01-29T10:00:00.000Z" },
    {
      when: "31 January (across 31 December)",
      now: "2027-01-31T08:00:00.000Z",
      edge: "2026-12-31T08:00:00.000Z"
    },
    {
      when: "1 January (across 1 December)",
      now: "2027-01-01T00:00:00.000Z",
      edge: "2026-12-01T00:00:00.000Z"
    }
  ]
  const limitAt = (now: string, replacements: ReadonlyArray<string>) =>
    runOn(bank({ replacements: [...replacements, now] }), attempt(TENANT_A, request(ACCOUNT, OLD)), {
      at: Date.parse(now)
    }).then((out) => out.answer)

  it.each(edges)("on $when, a replacement exactly at $edge is outside the window", async ({ now, edge }) => {
    expect(await limitAt(now, [edge])).toBe("OK")
  })

  it.each(edges)("on $when, a replacement a millisecond after $edge is inside", async ({ now, edge }) => {
    expect(await limitAt(now, [isoAt(Date.parse(edge) + 1)])).toEqual(LIMIT)
  })

  it("the clamp is not monotone: 28 February 05:00 is out of the window on 28 March 10:00, back in on 29 March", async () => {
    // one month before 29 March 00:00 clamps to 28 February 00:00, earlier than 28 February 10:00
    expect(await limitAt("2026-03-28T10:00:00.000Z", ["2026-02-28T05:00:00.000Z"])).toBe("OK")
    expect(await limitAt("2026-03-29T00:00:00.000Z", ["2026-02-28T05:00:00.000Z"])).toEqual(LIMIT)
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
