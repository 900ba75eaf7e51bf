import { Effect, Option, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { AccountPanDigits } from "../../src/domain/token/AccountPan.js"
import { makeAccountPan } from "../../src/domain/token/AccountPan.js"
import { accountRangeContains, accountRangesOverlap } from "../../src/domain/token/AccountRange.js"
import type { Token } from "../../src/domain/token/Token.js"
import { AccountRangeMismatch } from "../../src/domain/token/TokenErrors.js"
import { noNewAccountPan, planTokenUpdate } from "../../src/domain/token/TokenUpdate.js"
import { crossFieldIssues } from "../../src/domain/token/TokenUpdateRequest.js"
import { TENANT_A } from "../support/builders.js"
import {
  AT,
  AUDIT_INFO,
  accepted,
  EXPIRATION,
  minimal,
  NEW_PAN,
  PAN,
  PRODUCT_CONFIG,
  runTokens,
  SEQUENCE,
  storedToken,
  type TokenFixture,
  TUR,
  tokenFixture,
  tokenFixtureOf,
  update,
  updateOn,
  without
} from "../support/tokens.js"

const pan = (digits: string) => makeAccountPan(digits as AccountPanDigits)

/** The example token, without the fields named in `absent`. */
const tokenWithout = (...absent: ReadonlyArray<keyof TokenFixture>): TokenFixture =>
  without(tokenFixture(TUR), ...absent) as TokenFixture

const reasonsOf = async (token: TokenFixture, request: object) => {
  const fixture = tokenFixtureOf({ [TENANT_A]: [token] })
  const { events } = await updateOn(fixture, { tokenUniqueReference: TUR, auditInfo: AUDIT_INFO, ...request })
  return events.filter((e) => e.action === "UPDATE_TOKEN").map((e) => e.reason)
}

describe("the audit reason names exactly the fields the update changed", () => {
  it("a product configuration change records the old and new configuration", async () => {
    expect(await reasonsOf(tokenWithout(), { issuerProductConfigurationId: PRODUCT_CONFIG })).toEqual([
      `productConfigurationId ANYSILV01 -> ${PRODUCT_CONFIG}`
    ])
  })

  it("a product configuration change on a token with none records (none)", async () => {
    expect(
      await reasonsOf(tokenWithout("productConfigurationId"), {
        issuerProductConfigurationId: PRODUCT_CONFIG
      })
    ).toEqual([`productConfigurationId (none) -> ${PRODUCT_CONFIG}`])
  })

  it("an expiry-only update records only the expiry", async () => {
    expect(await reasonsOf(tokenWithout(), { expirationDate: EXPIRATION })).toEqual([
      `accountPanExpirationDate 0827 -> ${EXPIRATION}`
    ])
  })

  it("an expiry on a token that had none records (none)", async () => {
    expect(await reasonsOf(tokenWithout("accountPanExpirationDate"), { expirationDate: EXPIRATION })).toEqual(
      [`accountPanExpirationDate (none) -> ${EXPIRATION}`]
    )
  })

  it("a sequence-number-only update records only the sequence number", async () => {
    expect(await reasonsOf(tokenWithout(), { accountPanSequenceNumber: SEQUENCE })).toEqual([
      `accountPanSequenceNumber 1 -> ${SEQUENCE}`
    ])
  })

  it("a sequence number on a token that had none records (none)", async () => {
    expect(
      await reasonsOf(tokenWithout("accountPanSequenceNumber"), { accountPanSequenceNumber: SEQUENCE })
    ).toEqual([`accountPanSequenceNumber (none) -> ${SEQUENCE}`])
  })

  it("a new-PAN-only update records only the masked PANs", async () => {
    expect(await reasonsOf(tokenWithout(), { newAccountPan: NEW_PAN })).toEqual([
      "accountPan 541234XXXXXX1234 -> 541234XXXXXX8888"
    ])
  })
})

describe("only information provided is updated", () => {
  it("an update without an expiry keeps the token's account PAN expiry", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })
    const request = { tokenUniqueReference: TUR, accountPanSequenceNumber: SEQUENCE, auditInfo: AUDIT_INFO }
    const stored = await runTokens(fixture, Effect.andThen(update(request), storedToken(TENANT_A, TUR)))
    expect(Option.map(stored, (t) => [t.accountPanExpirationDate, t.accountPanSequenceNumber])).toEqual(
      Option.some(["0827", SEQUENCE])
    )
    expect(Option.map(stored, (t) => Object.hasOwn(t, "accountPanExpirationDate"))).toEqual(Option.some(true))
  })

  it("a request without a comment gives a command without commentText", () => {
    expect("commentText" in accepted(minimal)).toBe(false)
  })
})

describe("planTokenUpdate", () => {
  const protectedPan = (hash: string, masked: string) =>
    ({ encrypted: {}, masked, hash }) as unknown as Token["accountPan"]
  const token = {
    tokenUniqueReference: TUR,
    accountPan: protectedPan("current", "541234XXXXXX1234"),
    tokenSuffix: "4321",
    expirationDate: "0928",
    accountPanExpirationDate: "0827",
    status: "ACTIVE",
    statusDateTime: AT,
    suspendedBy: [],
    wallet: { walletId: "103", tokenRequestorId: "50110030273", tokenRequestorName: "APPLE PAY" },
    devices: [],
    comments: [],
    provisioning: {}
  } as unknown as Token

  it("records one event per changed token and nothing else", () => {
    const plan = planTokenUpdate([token], accepted(minimal), noNewAccountPan, AT)
    expect(Result.map(plan, (p) => [p.updated.length, p.events.map((e) => [e.subject, e.reason])])).toEqual(
      Result.succeed([1, [[TUR, `accountPanExpirationDate 0827 -> ${EXPIRATION}`]]])
    )
  })

  const move = accepted({ tokenUniqueReference: TUR, newAccountPan: NEW_PAN, auditInfo: AUDIT_INFO })
  const range = Option.some({ low: "541234", high: "541234" })

  it("is a defect when a found token's current PAN was not read", () => {
    expect(() =>
      planTokenUpdate([token], move, { ...noNewAccountPan, range, hash: Option.some("new") }, AT)
    ).toThrow("planTokenUpdate: a found token's current PAN was not read")
  })

  it("is a defect when the new PAN was not protected for a token it moves", () => {
    const facts = {
      ...noNewAccountPan,
      range,
      hash: Option.some("new"),
      currentPans: new Map([["current", pan(PAN)]])
    }
    expect(() => planTokenUpdate([token], move, facts, AT)).toThrow(
      "planTokenUpdate: the new PAN was not protected for a token it moves"
    )
  })
})

describe("account ranges", () => {
  it("do not hold a PAN shorter than their prefixes, even one whose digits begin inside", () => {
    const range = { low: "5412340000", high: "5412349999" }
    expect(accountRangeContains(range, pan("5412349999"))).toBe(true)
    expect(accountRangeContains(range, pan("541234999"))).toBe(false)
  })

  it("overlap when one ends on the PAN where the other starts", () => {
    const bin = { low: "541234", high: "541234" }
    const below = { low: "5000000000000000000", high: "5412340000000000000" }
    const above = { low: "5412349999999999999", high: "5999999999999999999" }
    expect(accountRangesOverlap(bin, below)).toBe(true)
    expect(accountRangesOverlap(below, bin)).toBe(true)
    expect(accountRangesOverlap(bin, above)).toBe(true)
    expect(accountRangesOverlap(above, bin)).toBe(true)
  })

  it("do not overlap when one lies wholly above the other, in either order", () => {
    const low = { low: "541234", high: "541234" }
    const high = { low: "541235", high: "541299" }
    expect(accountRangesOverlap(low, high)).toBe(false)
    expect(accountRangesOverlap(high, low)).toBe(false)
  })
})

describe("account PANs", () => {
  it("are labelled PAN when shown", () => {
    expect(String(pan(PAN))).toBe("<redacted:PAN>")
    expect(Redacted.value(pan(PAN))).toBe(PAN)
  })
})

describe("AccountRangeMismatch", () => {
  const props = { currentAccountPan: "541234XXXXXX1234", newAccountPan: "549999XXXXXX1234" }

  it("names the token when the caller did not", () => {
    const error = new AccountRangeMismatch({ ...props, tokenUniqueReference: TUR })
    expect(error.tokenUniqueReference).toBe(TUR)
    expect(error.message).toContain(`the current PAN of token ${TUR};`)
  })

  it("says 'the token' when the caller named it", () => {
    const error = new AccountRangeMismatch(props)
    expect("tokenUniqueReference" in error).toBe(false)
    expect(error.message).toContain("the current PAN of the token;")
  })
})

describe("the rules between request fields look at the request's own, defined fields", () => {
  const base = { tokenUniqueReference: TUR, newAccountPan: NEW_PAN, auditInfo: AUDIT_INFO }

  it("a selector given as undefined is absent", () => {
    expect(crossFieldIssues({ ...base, currentAccountPan: undefined, cardholderId: undefined })).toEqual([])
  })

  it("a selector inherited from the prototype is absent", () => {
    const request = Object.assign(Object.create({ currentAccountPan: PAN }), base)
    expect(crossFieldIssues(request)).toEqual([])
  })
})
