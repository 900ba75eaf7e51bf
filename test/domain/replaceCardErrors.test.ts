/**
 * Seed 003's error table (DOMAIN.md §5): one test per row with its message, errorCode and HTTP
 * status, the order of the rows, the refusals outside the table, and the table in the docs.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { replacementChecks } from "../../src/domain/replacement/CardReplacement.js"
import { replacementErrorTable } from "../../src/domain/replacement/ReplacementErrorTable.js"
import type { ReplacementRefusal } from "../../src/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  ACCOUNT,
  activeCard,
  attempt,
  bank,
  IN_WINDOW,
  kitNoOf,
  NEW_ID,
  OLD,
  request,
  runOn,
  SEED
} from "../support/replacement.js"

const {
  CLOSED,
  SUSPENDED,
  NOT_ACTIVE,
  NOT_REGISTERED,
  NOT_ON_ACCOUNT,
  INVALID_STATUS,
  WAS_CANCELLED,
  WAS_DAMAGED,
  WAS_LOST,
  LIMIT,
  NEW_ID_IN_USE
} = SEED

describe("seed 003's error table, one row each", () => {
  const rows = [
    { rule: "refuses a CLOSED account", fixture: bank({ status: "CLOSED" }), body: {}, expected: CLOSED },
    {
      rule: "refuses a SUSPENDED account",
      fixture: bank({ status: "SUSPENDED" }),
      body: {},
      expected: SUSPENDED
    },
    {
      rule: "refuses an account not yet Active",
      fixture: bank({ status: "PENDING_ACTIVATION" }),
      body: {},
      expected: NOT_ACTIVE
    },
    {
      rule: "refuses a GHOST account outside a migration (decided row)",
      fixture: bank({ registration: "GHOST" }),
      body: {},
      expected: NOT_REGISTERED
    },
    {
      rule: "refuses an UNREGISTERED account outside a migration (decided row)",
      fixture: bank({ registration: "UNREGISTERED" }),
      body: {},
      expected: NOT_REGISTERED
    },
    {
      rule: "refuses a card of another account",
      fixture: bank(),
      body: { oldLoyaltyId: kitNoOf(50) },
      expected: NOT_ON_ACCOUNT
    },
    {
      rule: "refuses an unknown card",
      fixture: bank(),
      body: { oldLoyaltyId: "99" },
      expected: NOT_ON_ACCOUNT
    },
    { rule: "refuses status ACTIVE", fixture: bank(), body: { status: "ACTIVE" }, expected: INVALID_STATUS },
    {
      rule: "refuses a lower-case status",
      fixture: bank(),
      body: { status: "damaged" },
      expected: INVALID_STATUS
    },
    {
      rule: "refuses a status that is not a string",
      fixture: bank(),
      body: { status: 3 },
      expected: INVALID_STATUS
    },
    {
      rule: "refuses a request without a status",
      fixture: bank(),
      body: { status: undefined },
      expected: INVALID_STATUS
    },
    {
      rule: "refuses a CANCELLED card",
      fixture: bank({}, [activeCard(OLD, { status: "CANCELLED" })]),
      body: {},
      expected: WAS_CANCELLED
    },
    {
      rule: "refuses a DAMAGED card",
      fixture: bank({}, [activeCard(OLD, { status: "DAMAGED" })]),
      body: {},
      expected: WAS_DAMAGED
    },
    {
      rule: "refuses a LOST_OR_STOLEN card",
      fixture: bank({}, [activeCard(OLD, { status: "LOST_OR_STOLEN" })]),
      body: {},
      expected: WAS_LOST
    },
    {
      rule: "refuses a third replacement within a month",
      fixture: bank({ replacements: IN_WINDOW }),
      body: {},
      expected: LIMIT
    },
    {
      rule: "refuses a newLoyaltyId that already exists in the tenant (decided row)",
      fixture: bank(),
      body: { newLoyaltyId: NEW_ID },
      expected: NEW_ID_IN_USE
    }
  ]

  it.each(rows)("$rule: $expected.statusCode $expected.errorCode, and changes nothing", async (row) => {
    const out = await runOn(row.fixture, attempt(TENANT_A, request(ACCOUNT, OLD, row.body)))
    expect(out.answer).toEqual(row.expected)
    expect(out.unchanged).toBe(true)
  })

  it("answers an unknown account as not found", async () => {
    const out = await runOn(bank(), attempt(TENANT_A, request(4242, OLD)))
    expect(out.answer).toBe("AccountNotFound")
    const failure = out.result._tag === "Failure" ? out.result.failure : undefined
    expect(failure).toMatchObject({ message: "No account with this number exists for this tenant." })
    // the number is the caller's: not repeated, in a field or in the message
    expect(JSON.stringify(failure)).not.toContain("4242")
  })

  it("refuses a REPLACED card, which the seed has no row for, by the transition table", async () => {
    const out = await runOn(
      bank({}, [activeCard(OLD, { status: "REPLACED" })]),
      attempt(TENANT_A, request(ACCOUNT, OLD))
    )
    expect(out.answer).toBe("InvalidStatusTransition")
    expect(out.result._tag === "Failure" && out.result.failure.message).toBe(
      `Cannot REPLACE_LOST_OR_STOLEN card ${kitNoOf(OLD)}: its status is REPLACED.`
    )
  })

  it("reports every bad field at once, before reading anything", async () => {
    const body = {
      correlationId: "12a",
      oldLoyaltyId: -1,
      newLoyaltyId: "0123",
      channel: "FAX",
      status: "NOPE",
      x: 1
    }
    const out = await runOn(bank({ status: "CLOSED" }), attempt("ACME BANK", body))
    expect(out.answer).toBe("ValidationError")
    expect(out.unchanged).toBe(true)
    const issues =
      out.result._tag === "Failure" && "issues" in out.result.failure ? out.result.failure.issues : []
    expect(issues.map((i) => i.path).sort()).toEqual([
      "channel",
      "correlationId",
      "newLoyaltyId",
      "oldLoyaltyId",
      "tenant",
      "x"
    ])
  })

  it.each([
    { field: "correlationId", value: "12a", rule: "must be an account number: 1-16 digits" },
    { field: "correlationId", value: -5, rule: "must be a non-negative integer" },
    { field: "oldLoyaltyId", value: "42-40", rule: "must be a loyalty id: 1-32 digits" },
    { field: "oldLoyaltyId", value: 1.5, rule: "must be a loyalty id: a non-negative integer" },
    { field: "newLoyaltyId", value: "0123", rule: "must be a loyalty id: 1-15 digits, no leading zero" },
    {
      field: "newLoyaltyId",
      value: 0,
      rule: "must be a loyalty id: a positive integer of at most 15 digits"
    },
    {
      field: "newLoyaltyId",
      value: 1e15,
      rule: "must be a loyalty id: a positive integer of at most 15 digits"
    }
  ])("refuses $field $value: $rule", async ({ field, value, rule }) => {
    const out = await runOn(bank(), attempt(TENANT_A, { ...request(ACCOUNT, OLD), [field]: value }))
    const failure = out.result._tag === "Failure" ? out.result.failure : undefined
    expect(failure && "issues" in failure ? failure.issues : []).toEqual([{ path: field, message: rule }])
  })
})

describe("the order of the checks (DOMAIN.md §5): the earlier row wins", () => {
  const pairs = [
    {
      breaks: "CLOSED and an invalid status",
      fixture: bank({ status: "CLOSED" }),
      body: { status: "X" },
      expected: CLOSED
    },
    {
      breaks: "SUSPENDED and GHOST",
      fixture: bank({ status: "SUSPENDED", registration: "GHOST" }),
      body: {},
      expected: SUSPENDED
    },
    {
      breaks: "not Active and UNREGISTERED",
      fixture: bank({ status: "PENDING_ACTIVATION", registration: "UNREGISTERED" }),
      body: {},
      expected: NOT_ACTIVE
    },
    {
      breaks: "GHOST and a card of another account",
      fixture: bank({ registration: "GHOST" }),
      body: { oldLoyaltyId: kitNoOf(50) },
      expected: NOT_REGISTERED
    },
    {
      breaks: "a card of another account and an invalid status",
      fixture: bank(),
      body: { oldLoyaltyId: kitNoOf(50), status: "X" },
      expected: NOT_ON_ACCOUNT
    },
    {
      breaks: "an invalid status and a CANCELLED card",
      fixture: bank({}, [activeCard(OLD, { status: "CANCELLED" })]),
      body: { status: "X" },
      expected: INVALID_STATUS
    },
    {
      breaks: "a DAMAGED card and the limit",
      fixture: bank({ replacements: IN_WINDOW }, [activeCard(OLD, { status: "DAMAGED" })]),
      body: {},
      expected: WAS_DAMAGED
    },
    {
      breaks: "the limit and a newLoyaltyId in use",
      fixture: bank({ replacements: IN_WINDOW }),
      body: { newLoyaltyId: NEW_ID },
      expected: LIMIT
    }
  ]

  it.each(pairs)("an account that breaks $breaks gets the earlier row", async (pair) => {
    const out = await runOn(pair.fixture, attempt(TENANT_A, request(ACCOUNT, OLD, pair.body)))
    expect(out.answer).toEqual(pair.expected)
  })
})

describe("docs/card-replacement.md", () => {
  it("lists the checks in the code's order, each row with the table's status, errorCode and message", () => {
    const doc = readFileSync(new URL("../../docs/card-replacement.md", import.meta.url), "utf8")
    const rows = doc
      .split("\n")
      .filter((line) => /^\| \d+ \| [A-Z_]+ \|/.test(line))
      .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "")))
    expect(rows.map((cells) => cells[1])).toEqual(replacementChecks.map((check) => check.rule))
    for (const [, rule, statusCode, errorCode, errorMessage] of rows) {
      if (rule === "TRANSITION_TABLE") continue
      const row = replacementErrorTable[rule as ReplacementRefusal]
      expect([statusCode, errorCode, errorMessage]).toEqual([
        String(row.statusCode),
        row.errorCode,
        row.errorMessage
      ])
    }
  })
})
