import { DateTime, Effect, Result, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expiryDate } from "../../src/domain/product/Product.js"
import { ExpDate } from "../../src/index.js"
import {
  cardFixture,
  customerWith,
  fixtureOf,
  panFor,
  TENANT_A,
  TENANT_B,
  testLayer
} from "../support/builders.js"

const at = `fixture.tenants.${TENANT_A}.customers`

/** The issues a fixture is refused with; none when it is accepted. */
const issuesOf = async (fixture: Parameters<typeof testLayer>[0]) => {
  const result = await Effect.runPromise(Effect.result(Effect.provide(Effect.void, testLayer(fixture))))
  if (Result.isSuccess(result)) return []
  expect(result.failure._tag).toBe("ValidationError")
  return result.failure._tag === "ValidationError" ? result.failure.issues : []
}

describe("the memory fixture refuses", () => {
  it("a branchId that is not a BranchId, which no order could ever be cancelled at", async () => {
    const customer = { ...customerWith("E1", "9876543210", 1, []), branchId: "BR 001" }
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [customer] }))).toEqual([
      { path: `${at}.0.branchId`, message: "must be 1-32 characters of A-Z a-z 0-9 _ -" }
    ])
  })

  it("an entityId twice in one tenant, but not across tenants", async () => {
    const first = customerWith("E1", "9876543210", 1, [])
    const again = customerWith("E1", "9876500000", 2, [])
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [first, again] }))).toEqual([
      { path: `${at}.1.entityId`, message: "must be unique in the tenant" }
    ])
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [first], [TENANT_B]: [first] }))).toEqual([])
  })

  it("an accountNo twice in one tenant, on one customer or two, but not across tenants", async () => {
    const first = customerWith("E1", "9876543210", 1, [])
    const twice = {
      ...customerWith("E2", "9876500000", 2, []),
      accounts: [{ accountNo: 2 }, { accountNo: 2 }]
    }
    const again = customerWith("E3", "9876500001", 1, [])
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [first, twice, again] }))).toEqual([
      { path: `${at}.1.accounts.1.accountNo`, message: "must be unique in the tenant" },
      { path: `${at}.2.accounts.0.accountNo`, message: "must be unique in the tenant" }
    ])
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [first], [TENANT_B]: [first] }))).toEqual([])
  })

  it("a PAN twice in one tenant, without naming it, but not across tenants", async () => {
    const pan = panFor(7)
    const first = customerWith("E1", "9876543210", 1, [cardFixture("K1", 7)])
    const again = customerWith("E2", "9876500000", 2, [cardFixture("K2", 8), cardFixture("K3", 7)])
    const issues = await issuesOf(fixtureOf({ [TENANT_A]: [first, again] }))
    expect(issues).toEqual([
      { path: `${at}.1.accounts.0.cards.1.pan`, message: "must be unique in the tenant" }
    ])
    expect(JSON.stringify(issues)).not.toContain(pan)
    expect(await issuesOf(fixtureOf({ [TENANT_A]: [first], [TENANT_B]: [first] }))).toEqual([])
  })

  it.each([
    ["2029-02-39", "a day no month has"],
    ["2029-02-29", "29 February of a common year"],
    ["2029-04-31", "31 April"],
    ["2029-07-30", "a day before the end of the month"],
    ["2029-07-01", "the first of the month"]
  ])("an expDate of %s (%s)", async (day) => {
    const card = cardFixture("K1", 1, { expDate: `${day}T00:00:00.000+00:00` })
    const issues = await issuesOf(fixtureOf({ [TENANT_A]: [customerWith("E1", "9876543210", 1, [card])] }))
    expect(issues.map((i) => i.path)).toEqual([`${at}.0.accounts.0.cards.0.expDate`])
  })

  it.each([0, 11, 2.5, -3])(
    "a pinTryLimit of %s: the limit is an integer from 1 to 10",
    async (pinTryLimit) => {
      const issues = await issuesOf({ tenants: { [TENANT_A]: { policy: { pinTryLimit } } } })
      expect(issues).toEqual([
        { path: `fixture.tenants.${TENANT_A}.policy.pinTryLimit`, message: "must be an integer from 1 to 10" }
      ])
    }
  )

  it.each([1, 3, 10])("but takes a pinTryLimit of %s", async (pinTryLimit) => {
    expect(await issuesOf({ tenants: { [TENANT_A]: { policy: { pinTryLimit } } } })).toEqual([])
  })
})

describe("ExpDate", () => {
  const isExpDate = Schema.is(ExpDate)

  it("accepts the last day of each month, 29 February in leap years only", () => {
    for (const day of ["2029-07-31", "2029-04-30", "2029-02-28", "2028-02-29", "2000-02-29", "2029-12-31"]) {
      expect(isExpDate(`${day}T00:00:00.000+00:00`), day).toBe(true)
    }
    for (const day of ["2100-02-29", "2029-02-29", "2029-13-31", "2029-07-31T00:00:00Z"]) {
      expect(isExpDate(day.length === 10 ? `${day}T00:00:00.000+00:00` : day), day).toBe(false)
    }
  })

  it("accepts every expiry an upgrade gives", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2199-12-31T23:59:59Z"),
          noInvalidDate: true
        }),
        fc.integer({ min: 1, max: 20 }),
        (today, years) => {
          expect(isExpDate(expiryDate(DateTime.fromDateUnsafe(today), years))).toBe(true)
        }
      )
    )
  })
})
