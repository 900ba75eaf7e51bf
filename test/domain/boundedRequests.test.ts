/**
 * Every request is bounded (docs/errors.md, ValidationError): an over-long string, an over-long array
 * and an object of too many keys are refused as bad fields, each naming the field and the rule, in an
 * error whose size does not grow with the request, and before any store is read or written.
 */
import type { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture, MemoryPorts, MemoryState } from "../../src/adapters/memory/index.js"
import { MAX_KEYS } from "../../src/domain/ground/Validation.js"
import {
  blockCard,
  cancelCardOrder,
  type FieldIssue,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  updateToken,
  upgradeCard,
  ValidationError,
  verifyPin
} from "../../src/index.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A } from "../support/builders.js"
import {
  failureOf,
  kitManagerTenant,
  orderFixture,
  runOn,
  SEED_000_REQUEST,
  upgradeFixture
} from "../support/kitManager.js"
import { bank, request as replacementRequest } from "../support/replacement.js"
import { pinFixture, request as setPinRequest } from "../support/setPin.js"
import { differences } from "../support/state.js"
import { requestFor, TUR, tokenFixture, tokenFixtureOf } from "../support/tokens.js"

/** A megabyte of letters, and of digits: far over every string field's bound. */
const LONG = "A".repeat(1 << 20)
const DIGITS = "7".repeat(1 << 20)
/** A million entries, where the request has an array or where it expects a string. */
const MILLION = new Array<null>(1_000_000).fill(null)
/** An error this small holds no echo of a megabyte field. */
const SMALL = 4096

const CHANNEL = 'Expected "IVR" | "WEB" | "MOBILE" | "BRANCH"'
const REASON = "must be 1-255 characters without control characters"
const CHANGER = "must be 1-64 characters without control characters"
const KIT_NO = "must be 1-32 letters or digits"
const ID_64 = "must be 1-64 characters of A-Z a-z 0-9 _ -"

type UseCase = (tenant: string, request: unknown) => Effect.Effect<unknown, unknown, MemoryPorts>

interface Case {
  readonly name: string
  readonly useCase: UseCase
  readonly fixture: MemoryFixture
  readonly request: Record<string, unknown>
  readonly issues: ReadonlyArray<FieldIssue>
  /** The parts of tenant A's state the refusal may change: setPin and verifyPin audit every attempt. */
  readonly changes?: ReadonlyArray<string>
}

const cardsFixture = fixtureOf({
  [TENANT_A]: [
    customerWith("req11", "9876543210", 8642135, [cardFixture("4240181652", 7, { status: "ACTIVE" })])
  ]
})

const cases: ReadonlyArray<Case> = [
  {
    name: "lockCard",
    useCase: lockCard,
    fixture: cardsFixture,
    request: { kitNo: LONG, reason: LONG, changer: MILLION, channel: LONG, extra: MILLION },
    issues: [
      { path: "kitNo", message: KIT_NO },
      { path: "reason", message: REASON },
      { path: "changer", message: "Expected string" },
      { path: "channel", message: CHANNEL },
      { path: "extra", message: "Expected no excess property" }
    ]
  },
  {
    name: "blockCard",
    useCase: blockCard,
    fixture: cardsFixture,
    request: { kitNo: DIGITS, reason: MILLION, changer: LONG },
    issues: [
      { path: "kitNo", message: KIT_NO },
      { path: "reason", message: "Expected string" },
      { path: "changer", message: CHANGER }
    ]
  },
  {
    name: "manageAllCards",
    useCase: manageAllCards,
    fixture: cardsFixture,
    request: {
      mobileNo: DIGITS,
      entityId: LONG,
      operation: LONG,
      reason: LONG,
      changer: LONG,
      channel: MILLION
    },
    issues: [
      { path: "mobileNo", message: "must be 7-15 digits, optionally after a leading +" },
      { path: "entityId", message: ID_64 },
      { path: "operation", message: 'Expected "BLOCK" | "LOCK" | "UNLOCK"' },
      { path: "reason", message: REASON },
      { path: "changer", message: CHANGER },
      { path: "channel", message: CHANNEL }
    ]
  },
  {
    name: "upgradeCard",
    useCase: upgradeCard,
    fixture: upgradeFixture(),
    request: {
      entityId: LONG,
      kitNo: LONG,
      deliveryAddress: LONG,
      kitInfo: MILLION,
      reason: LONG,
      changer: LONG,
      channel: LONG
    },
    issues: [
      { path: "entityId", message: ID_64 },
      { path: "kitNo", message: KIT_NO },
      { path: "deliveryAddress", message: 'Expected "PERMANENT" | "COMMUNICATION"' },
      { path: "kitInfo", message: "must hold at most 2 entries" },
      { path: "reason", message: REASON },
      { path: "changer", message: CHANGER },
      { path: "channel", message: CHANNEL }
    ]
  },
  {
    name: "upgradeCard, an entry's aliasName",
    useCase: upgradeCard,
    fixture: upgradeFixture(),
    request: {
      ...SEED_000_REQUEST,
      kitInfo: [{ ...SEED_000_REQUEST.kitInfo[0], aliasName: LONG, plasticCode: DIGITS, tierType: MILLION }]
    },
    issues: [
      { path: "kitInfo.0.aliasName", message: "must be 1-64 characters without control characters" },
      { path: "kitInfo.0.plasticCode", message: "must be 1-32 characters of A-Z a-z 0-9 _ -" },
      { path: "kitInfo.0.tierType", message: "Expected string" }
    ]
  },
  {
    name: "cancelCardOrder",
    useCase: cancelCardOrder,
    fixture: {
      tenants: {
        [TENANT_A]: kitManagerTenant(
          [
            customerWith("676165", "9876543210", 8642135, [
              cardFixture("4240181595", 1, { status: "ASSIGNED" })
            ])
          ],
          { orders: [orderFixture("ORD4240181595", "4240181595")] }
        )
      }
    },
    request: { orderId: LONG, branchId: LONG, reason: LONG, changer: LONG, channel: MILLION },
    issues: [
      { path: "orderId", message: ID_64 },
      { path: "branchId", message: "must be 1-32 characters of A-Z a-z 0-9 _ -" },
      { path: "reason", message: REASON },
      { path: "changer", message: CHANGER },
      { path: "channel", message: CHANNEL }
    ]
  },
  {
    name: "replaceCard",
    useCase: replaceCard,
    fixture: bank(),
    // `status` is a row of seed 003's table, never a field rule (docs/card-replacement.md)
    request: {
      ...replacementRequest(8642135, 1),
      correlationId: DIGITS,
      oldLoyaltyId: DIGITS,
      newLoyaltyId: DIGITS,
      changer: LONG,
      channel: MILLION
    },
    issues: [
      { path: "correlationId", message: "must be an account number: 1-16 digits" },
      { path: "oldLoyaltyId", message: "must be a loyalty id: 1-32 digits" },
      { path: "newLoyaltyId", message: "must be a loyalty id: 1-15 digits, no leading zero" },
      { path: "changer", message: CHANGER },
      { path: "channel", message: CHANNEL }
    ]
  },
  {
    name: "setPin",
    useCase: setPin,
    fixture: pinFixture(),
    request: setPinRequest({ pinBlock: LONG, expiryDate: DIGITS, changer: MILLION }),
    issues: [
      { path: "pinBlock", message: "must be at most 256 characters" },
      { path: "expiryDate", message: "must be MMYY with a month 01-12" },
      { path: "changer", message: "Expected string" }
    ],
    changes: [`${TENANT_A}.auditEvents`]
  },
  {
    name: "verifyPin",
    useCase: verifyPin,
    fixture: pinFixture(),
    request: { kitNo: LONG, pin: DIGITS, channel: LONG, extra: MILLION },
    issues: [
      { path: "kitNo", message: KIT_NO },
      { path: "pin", message: "must be 4-12 digits" },
      { path: "channel", message: CHANNEL },
      { path: "extra", message: "Expected no excess property" }
    ],
    changes: [`${TENANT_A}.auditEvents`]
  },
  {
    name: "updateToken",
    useCase: updateToken,
    fixture: tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }),
    request: requestFor({
      newAccountPan: DIGITS,
      expirationDate: DIGITS,
      accountPanSequenceNumber: DIGITS,
      // a control character past the bound: the pattern is never run on a text over 500 characters
      commentText: `${LONG}\u0000`,
      updateWalletProviderIndicator: LONG,
      auditInfo: { userId: LONG, userName: LONG, organization: MILLION, phone: DIGITS }
    }),
    issues: [
      { path: "newAccountPan", message: "must be 9-19 digits" },
      { path: "expirationDate", message: "must be MMYY with a month 01-12" },
      { path: "accountPanSequenceNumber", message: "must be 1-3 digits" },
      {
        path: "updateWalletProviderIndicator",
        message: 'must be "0" (pass the update to the wallet provider) or "1" (do not)'
      },
      { path: "commentText", message: "must be at most 500 characters (UTF-16 code units)" },
      { path: "auditInfo.userId", message: "must be 1-64 characters without control characters" },
      { path: "auditInfo.userName", message: "must be 1-128 characters without control characters" },
      { path: "auditInfo.organization", message: "Expected string" },
      { path: "auditInfo.phone", message: "must be 1-32 characters of 0-9 + ( ) - and space" }
    ]
  }
]

/** Runs the use case on its fixture: its error, and what it changed in the store. */
const refusal = async (c: Case, tenant: unknown, request: unknown) => {
  const { outcome, before, after } = await runOn(
    c.fixture,
    c.useCase(tenant as string, request) as Effect.Effect<unknown, unknown, MemoryPorts | MemoryState>
  )
  return { error: failureOf(outcome), changed: differences(before, after) }
}

describe("every use case refuses over-long fields and arrays as bad fields", () => {
  it.each(cases)("$name: each field named with its rule, in a small error, nothing stored", async (c) => {
    const { error, changed } = await refusal(c, TENANT_A, c.request)
    expect(error).toEqual(new ValidationError({ issues: c.issues }))
    expect(JSON.stringify(error).length).toBeLessThan(SMALL)
    expect(changed).toEqual(c.changes ?? [])
  })

  it.each(cases)("$name: an over-long tenant too, and then nothing at all is written", async (c) => {
    const { error, changed } = await refusal(c, LONG, c.request)
    expect(error).toEqual(
      new ValidationError({
        issues: [{ path: "tenant", message: "must be 1-64 characters of A-Z a-z 0-9 _ -" }, ...c.issues]
      })
    )
    expect(JSON.stringify(error).length).toBeLessThan(SMALL)
    expect(changed).toEqual([])
  })
})

/** The request with `n` more keys `k0`, `k1`…, as a JSON body would give it. */
const withKeys = (request: object, n: number): Record<string, unknown> => {
  const extra = Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")
  return JSON.parse(`${JSON.stringify(request).slice(0, -1)},${extra}}`)
}

describe(`an object of more than ${MAX_KEYS} keys`, () => {
  const tooMany = `must hold at most ${MAX_KEYS} keys`

  it.each(cases)("$name: a request of 10 000 more keys is one issue, its keys unlisted", async (c) => {
    const { error, changed } = await refusal(c, TENANT_A, withKeys(c.request, 10_000))
    expect(error).toEqual(new ValidationError({ issues: [{ path: "", message: tooMany }] }))
    expect(changed).toEqual(c.changes ?? [])
  })

  it("a kitInfo entry of 10 000 more keys is one issue at the entry", async () => {
    const entry = withKeys(SEED_000_REQUEST.kitInfo[0]!, 10_000)
    const { error } = await refusal(cases[3]!, TENANT_A, { ...SEED_000_REQUEST, kitInfo: [entry] })
    expect(error).toEqual(new ValidationError({ issues: [{ path: "kitInfo.0", message: tooMany }] }))
  })

  it("an auditInfo of 10 000 more keys is one issue at auditInfo", async () => {
    const updateCase = cases.find((c) => c.name === "updateToken")!
    const auditInfo = withKeys({ userId: "agent-7", userName: "Ada", organization: "Bank" }, 10_000)
    const { error } = await refusal(updateCase, TENANT_A, requestFor({ auditInfo }))
    expect(error).toEqual(new ValidationError({ issues: [{ path: "auditInfo", message: tooMany }] }))
  })

  it(`${MAX_KEYS} keys are decoded, each unknown one reported`, async () => {
    const { error } = await refusal(cases[0]!, TENANT_A, withKeys({ kitNo: "4240181652" }, MAX_KEYS - 1))
    expect((error as ValidationError).issues).toHaveLength(21)
    expect((error as ValidationError).issues.slice(0, 20).map((i) => i.message)).toEqual(
      Array.from({ length: 20 }, () => "Expected no excess property")
    )
  })
})

describe("an unknown key in a path", () => {
  it("is cut after 32 characters, and a card number in it is masked", async () => {
    const key = `4111111111111111${"x".repeat(100_000)}`
    const { error } = await refusal(cases[0]!, TENANT_A, { kitNo: "4240181652", [key]: 1 })
    expect(error).toEqual(
      new ValidationError({
        issues: [{ path: `411111XXXXXX1111${"x".repeat(16)}…`, message: "Expected no excess property" }]
      })
    )
  })
})
