/**
 * Token update (seed 004, DOMAIN.md §8): what an account PAN mapping means. A cardholderId reaches
 * the tokens of one account PAN only; a token moved to a new PAN loses the old PAN's unique
 * reference; the request's expiry is the account PAN's, not the token's.
 */
import { inspect } from "node:util"
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { CardholderHasSeveralPans } from "../../src/index.js"
import { TENANT_A, TENANT_B } from "../support/builders.js"
import {
  CARDHOLDER,
  DELETED_TUR,
  EXPIRATION,
  errorOf,
  NEW_PAN,
  PAN,
  PAN_REFERENCE,
  PRODUCT_CONFIG,
  requestFor,
  runTokens,
  SEQUENCE,
  storedToken,
  successOf,
  TOKEN_EXPIRATION,
  TUR,
  tokenFixture,
  tokenFixtureOf,
  turFor,
  update,
  updatedRefs,
  updateOn,
  without
} from "../support/tokens.js"

/** A second card of the example cardholder, in the same account range. */
const SECOND_PAN = "5412340000000001"
const SECOND_TUR = turFor(5)
const NEW_PAN_REFERENCE = "FPANRL00000000010906ca58f5eb4e1a2f8888"

/** The example cardholder's tokens on two PANs: two on the example PAN, one on a second card. */
const twoPans = tokenFixtureOf({
  [TENANT_A]: [
    tokenFixture(TUR),
    tokenFixture(turFor(2), { status: "SUSPENDED", suspendedBy: ["ISSUER"] }),
    tokenFixture(SECOND_TUR, {
      accountPan: SECOND_PAN,
      panUniqueReference: "FPANRL0000000000000000000000000001"
    })
  ]
})

const byCardholder = (overrides: Record<string, unknown> = {}) =>
  without(requestFor({ cardholderId: CARDHOLDER, ...overrides }), "tokenUniqueReference")

describe("an account PAN mapping by cardholderId (seed 004: tokens mapped to a single Account PAN)", () => {
  const mappings = {
    "a new PAN, expiry and sequence number": byCardholder(),
    "the expiry alone": without(byCardholder(), "newAccountPan", "accountPanSequenceNumber"),
    "the sequence number alone": without(byCardholder(), "newAccountPan", "expirationDate")
  }

  for (const [what, request] of Object.entries(mappings)) {
    it(`refuses ${what} for a cardholder whose tokens sit on two PANs, and changes nothing`, async () => {
      const { exit, unchanged, events, notifications } = await updateOn(twoPans, {
        ...request,
        updateWalletProviderIndicator: "0"
      })
      expect(errorOf(exit)).toBeInstanceOf(CardholderHasSeveralPans)
      expect([unchanged, events, notifications]).toEqual([true, [], []])
    })
  }

  it("names the count of PANs, each masked with its tokens, and never a clear PAN", async () => {
    const error = errorOf((await updateOn(twoPans, byCardholder())).exit)
    expect(error).toEqual(
      new CardholderHasSeveralPans({
        accountPans: [
          { accountPan: "541234XXXXXX1234", tokenUniqueReferences: [turFor(2), TUR] },
          { accountPan: "541234XXXXXX0001", tokenUniqueReferences: [SECOND_TUR] }
        ]
      })
    )
    expect(error).toMatchObject({ code: "CARDHOLDER_HAS_SEVERAL_PANS" })
    expect(error.message).toBe(
      "The cardholder has ACTIVE or SUSPENDED tokens on 2 account PANs: 541234XXXXXX1234 (2 tokens), " +
        "541234XXXXXX0001 (1 token). An account PAN mapping is updated by cardholderId only when all of them " +
        "share one PAN; nothing was changed. Update by currentAccountPan or tokenUniqueReference."
    )
    for (const shown of [JSON.stringify(error), String(error), inspect(error, { depth: 10 })]) {
      for (const pan of [PAN, SECOND_PAN, NEW_PAN, CARDHOLDER]) expect(shown).not.toContain(pan)
    }
  })

  it("counts only ACTIVE and SUSPENDED tokens: one DELETED on another PAN is left alone", async () => {
    const deletedElsewhere = tokenFixtureOf({
      [TENANT_A]: [
        tokenFixture(TUR),
        tokenFixture(DELETED_TUR, { accountPan: SECOND_PAN, status: "DELETED" })
      ]
    })
    const result = successOf((await updateOn(deletedElsewhere, byCardholder())).exit)
    expect(updatedRefs(result)).toEqual([TUR])
    expect("skippedTokens" in result && result.skippedTokens.map((t) => t.tokenUniqueReference)).toEqual([
      DELETED_TUR
    ])
  })

  it("changes the product configuration across the cardholder's PANs: it is each token's own", async () => {
    const request = without(
      byCardholder({ issuerProductConfigurationId: PRODUCT_CONFIG }),
      "newAccountPan",
      "expirationDate",
      "accountPanSequenceNumber"
    )
    expect(updatedRefs(successOf((await updateOn(twoPans, request)).exit))).toEqual([
      turFor(2),
      SECOND_TUR,
      TUR
    ])
  })

  it("still moves every token of one PAN by currentAccountPan", async () => {
    const request = without(requestFor({ currentAccountPan: PAN }), "tokenUniqueReference")
    expect(updatedRefs(successOf((await updateOn(twoPans, request)).exit))).toEqual([turFor(2), TUR])
  })
})

describe("primaryAccountNumberUniqueReference when the PAN changes", () => {
  const referenceAfter = async (
    fixture: ReturnType<typeof tokenFixtureOf>,
    request: object = requestFor()
  ) => {
    const result = successOf((await updateOn(fixture, request)).exit)
    return "token" in result ? result.token.primaryAccountNumberUniqueReference : undefined
  }
  const alone = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })
  const onNewPan = (serial: number, panUniqueReference: string) =>
    tokenFixture(turFor(serial), { accountPan: NEW_PAN, cardholderId: "OTHER", panUniqueReference })

  it("is null, and no longer stored, when no token of the tenant is on the new PAN", async () => {
    expect(await referenceAfter(alone)).toBeNull()
    const stored = await runTokens(alone, Effect.andThen(update(requestFor()), storedToken(TENANT_A, TUR)))
    expect(Option.map(stored, (t) => t.primaryAccountNumberUniqueReference)).toEqual(Option.some(null))
  })

  it("is the reference of the tenant's tokens already on the new PAN", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR), onNewPan(6, NEW_PAN_REFERENCE)] })
    expect(await referenceAfter(fixture)).toBe(NEW_PAN_REFERENCE)
  })

  it("is not taken from another tenant's token on the new PAN", async () => {
    const fixture = tokenFixtureOf({
      [TENANT_A]: [tokenFixture(TUR)],
      [TENANT_B]: [onNewPan(6, NEW_PAN_REFERENCE)]
    })
    expect(await referenceAfter(fixture)).toBeNull()
  })

  it("is null when the tokens on the new PAN disagree on it", async () => {
    const fixture = tokenFixtureOf({
      [TENANT_A]: [
        tokenFixture(TUR),
        onNewPan(6, NEW_PAN_REFERENCE),
        onNewPan(7, "FPANRL0000000000000000000000000007")
      ]
    })
    expect(await referenceAfter(fixture)).toBeNull()
  })

  it("is kept when only the expiry and sequence number change", async () => {
    expect(await referenceAfter(alone, without(requestFor(), "newAccountPan"))).toBe(PAN_REFERENCE)
  })

  it("is kept when the new PAN is the current one", async () => {
    expect(await referenceAfter(alone, requestFor({ newAccountPan: PAN }))).toBe(PAN_REFERENCE)
  })
})

describe('the expiry (seed 004 ExpirationDate: "New Account PAN expiration date")', () => {
  it("sets the account PAN's expiry; the token's own, which the answer shows, stays", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })
    const result = successOf((await updateOn(fixture, requestFor())).exit)
    expect("token" in result && [result.token.expirationDate, result.token.accountPanSequenceNumber]).toEqual(
      [TOKEN_EXPIRATION, SEQUENCE]
    )
    const stored = await runTokens(fixture, Effect.andThen(update(requestFor()), storedToken(TENANT_A, TUR)))
    expect(Option.map(stored, (t) => [t.expirationDate, t.accountPanExpirationDate])).toEqual(
      Option.some([TOKEN_EXPIRATION, EXPIRATION])
    )
  })
})
