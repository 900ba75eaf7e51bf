/**
 * Token update (seed 004, DOMAIN.md §8): which tokens a valid request changes, by
 * tokenUniqueReference, by currentAccountPan or by cardholderId, and what it answers.
 */
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { NobleSecurityModule, randomKeyHex } from "../../src/adapters/memory/index.js"
import { TokenNotFound, TokenNotUpdatable } from "../../src/index.js"
import { TENANT_A, TENANT_B } from "../support/builders.js"
import {
  ACCOUNT_PAN_EXPIRATION,
  CARDHOLDER,
  DELETED_TUR,
  DIGITIZED_AT,
  EXPIRATION,
  errorOf,
  INACTIVE_TUR,
  NEW_PAN,
  PAN,
  PRODUCT_CONFIG,
  requestFor,
  runTokens,
  SEED_TOKEN_FIELDS,
  SEQUENCE,
  SUSPENDED_TUR,
  statusFixture,
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

describe("updateToken by tokenUniqueReference", () => {
  it("applies the seed's example and answers with seed 004's TokenResponse", async () => {
    const { exit } = await updateOn(statusFixture, requestFor())
    expect(successOf(exit)).toEqual({
      token: {
        tokenUniqueReference: TUR,
        // no token of the tenant is on the new PAN yet: its reference is not known here
        primaryAccountNumberUniqueReference: null,
        tokenSuffix: "4321",
        // the token's own expiry: the request's is the account PAN's
        expirationDate: TOKEN_EXPIRATION,
        accountPanSequenceNumber: SEQUENCE,
        activationCodeExpirationDateTime: null,
        correlationId: "COR0001",
        currentStatusCode: "ACTIVE",
        currentStatusDescription: "Active",
        currentStatusDateTime: DIGITIZED_AT,
        digitizationRequestDateTime: DIGITIZED_AT,
        finalTokenizationDecision: "APPROVED",
        lastCommentId: "1",
        paymentAppInstanceId: "PAI0000000001",
        provisioningStatusCode: "S",
        provisioningStatusDescription: "Provisioning successful",
        storageTechnology: "DEVICE_MEMORY",
        suspender: [],
        tokenActivatedDateTime: DIGITIZED_AT,
        tokenAssuranceLevel: "2",
        tokenRequestorId: "50110030273",
        tokenRequestorName: "APPLE PAY",
        tokenType: "CLOUD",
        walletId: "103",
        devices: [
          { deviceId: "D0001", deviceName: "Ada's phone", deviceType: "PHONE", secureElementId: "SE0001" }
        ],
        tokenDeletedFromConsumerApp: "false",
        tokenRequestorConsumerFacingEntityName: "Apple Pay"
      }
    })
  })

  it("answers with every field of the seed's token object, and no other", async () => {
    const result = successOf((await updateOn(statusFixture, requestFor())).exit)
    expect("token" in result && Object.keys(result.token)).toEqual(SEED_TOKEN_FIELDS)
  })

  it("stores the new PAN mapping", async () => {
    const stored = await runTokens(
      statusFixture,
      Effect.andThen(update(requestFor()), storedToken(TENANT_A, TUR))
    )
    expect(
      Option.map(stored, (t) => [t.accountPan, t.accountPanExpirationDate, t.accountPanSequenceNumber])
    ).toEqual(Option.some([NEW_PAN, EXPIRATION, SEQUENCE]))
  })

  it("changes only the fields provided", async () => {
    const request = without(requestFor(), "newAccountPan", "accountPanSequenceNumber")
    const stored = await runTokens(statusFixture, Effect.andThen(update(request), storedToken(TENANT_A, TUR)))
    expect(
      Option.map(stored, (t) => [t.accountPan, t.accountPanExpirationDate, t.accountPanSequenceNumber])
    ).toEqual(Option.some([PAN, EXPIRATION, "1"]))
  })

  it("updates the issuerProductConfigurationId alone, leaving the PAN mapping", async () => {
    const request = requestFor({ issuerProductConfigurationId: PRODUCT_CONFIG })
    const only = without(request, "newAccountPan", "expirationDate", "accountPanSequenceNumber")
    const stored = await runTokens(statusFixture, Effect.andThen(update(only), storedToken(TENANT_A, TUR)))
    expect(
      Option.map(stored, (t) => [t.productConfigurationId, t.accountPan, t.accountPanExpirationDate])
    ).toEqual(Option.some([PRODUCT_CONFIG, PAN, ACCOUNT_PAN_EXPIRATION]))
  })

  it("updates a SUSPENDED token, which stays SUSPENDED", async () => {
    const { exit } = await updateOn(statusFixture, requestFor({ tokenUniqueReference: SUSPENDED_TUR }))
    const result = successOf(exit)
    expect("token" in result && [result.token.currentStatusCode, result.token.suspender]).toEqual([
      "SUSPENDED",
      [{ suspendedBy: "ISSUER" }]
    ])
  })

  for (const [status, ref] of [
    ["INACTIVE", INACTIVE_TUR],
    ["DELETED", DELETED_TUR]
  ] as const) {
    it(`refuses a ${status} token, naming its state but not the reference sent, and changes nothing`, async () => {
      const { exit, unchanged } = await updateOn(statusFixture, requestFor({ tokenUniqueReference: ref }))
      const error = errorOf(exit)
      expect(error).toEqual(new TokenNotUpdatable({ status }))
      expect(error.message).toBe(`The token is ${status}: only ACTIVE and SUSPENDED tokens can be updated.`)
      expect(JSON.stringify(error)).not.toContain(ref)
      expect(unchanged).toBe(true)
    })
  }

  it("refuses a DELETED token on its status even when its stored PAN could not be opened (its key retired)", async () => {
    // a module whose panStore key is not the one the token's PAN was stored under
    const retired = NobleSecurityModule.layer({
      [TENANT_A]: {
        panStore: [{ id: "2", hex: randomKeyHex() }],
        cardNumber: [{ id: "1", hex: randomKeyHex() }]
      }
    })
    const exit = await runTokens(
      statusFixture,
      Effect.exit(Effect.provide(update(requestFor({ tokenUniqueReference: DELETED_TUR })), retired))
    )
    expect(errorOf(exit)).toEqual(new TokenNotUpdatable({ status: "DELETED" }))
  })

  it("does not find an unknown tokenUniqueReference, and does not repeat it", async () => {
    const { exit } = await updateOn(statusFixture, requestFor({ tokenUniqueReference: turFor(77) }))
    const error = errorOf(exit)
    expect(error).toEqual(new TokenNotFound({ selector: "tokenUniqueReference" }))
    expect(error.message).toBe("No token is found by this tokenUniqueReference in this tenant.")
    expect(JSON.stringify(error)).not.toContain(turFor(77))
  })

  it("does not find a token of another tenant", async () => {
    const { exit, unchanged } = await updateOn(statusFixture, requestFor({ tokenUniqueReference: turFor(9) }))
    expect(errorOf(exit)).toBeInstanceOf(TokenNotFound)
    expect(unchanged).toBe(true)
  })
})

describe("updateToken by currentAccountPan or cardholderId", () => {
  const byPan = without(requestFor({ currentAccountPan: PAN }), "tokenUniqueReference")
  const byCardholder = without(requestFor({ cardholderId: CARDHOLDER }), "tokenUniqueReference")

  for (const [selector, request] of [
    ["currentAccountPan", byPan],
    ["cardholderId", byCardholder]
  ] as const) {
    it(`by ${selector}, updates the ACTIVE and SUSPENDED tokens and reports the others with their states`, async () => {
      const result = successOf((await updateOn(statusFixture, request)).exit)
      expect(updatedRefs(result)).toEqual([SUSPENDED_TUR, TUR])
      expect("skippedTokens" in result && result.skippedTokens).toEqual([
        {
          tokenUniqueReference: INACTIVE_TUR,
          currentStatusCode: "INACTIVE",
          reason: "only ACTIVE and SUSPENDED tokens are updated"
        },
        {
          tokenUniqueReference: DELETED_TUR,
          currentStatusCode: "DELETED",
          reason: "only ACTIVE and SUSPENDED tokens are updated"
        }
      ])
    })
  }

  it("answers each updated token as seed 004's token object", async () => {
    const result = successOf((await updateOn(statusFixture, byPan)).exit)
    expect("tokens" in result && result.tokens.map((t) => Object.keys(t))).toEqual([
      SEED_TOKEN_FIELDS,
      SEED_TOKEN_FIELDS
    ])
  })

  it("leaves the INACTIVE and DELETED tokens as they were", async () => {
    const [inactiveBefore, inactiveAfter] = await runTokens(
      statusFixture,
      Effect.all([
        storedToken(TENANT_A, INACTIVE_TUR),
        Effect.andThen(update(byPan), storedToken(TENANT_A, INACTIVE_TUR))
      ])
    )
    expect(inactiveAfter).toEqual(inactiveBefore)
  })

  it("succeeds with nothing updated when every token of the PAN is INACTIVE or DELETED", async () => {
    const allDead = tokenFixtureOf({
      [TENANT_A]: [tokenFixture(TUR, { status: "DELETED" }), tokenFixture(turFor(2), { status: "INACTIVE" })]
    })
    const { exit, unchanged } = await updateOn(allDead, { ...byPan, updateWalletProviderIndicator: "0" })
    const result = successOf(exit)
    expect("tokens" in result && [result.tokens, result.skippedTokens.length]).toEqual([[], 2])
    expect(unchanged).toBe(true)
  })

  it("does not find a PAN without tokens, and names it masked", async () => {
    const { exit } = await updateOn(statusFixture, { ...byPan, currentAccountPan: "5412349999999999" })
    const error = errorOf(exit)
    expect(error).toEqual(new TokenNotFound({ selector: "currentAccountPan", value: "541234XXXXXX9999" }))
    expect(error.message).toBe("No token is mapped to currentAccountPan 541234XXXXXX9999 in this tenant.")
  })

  it("does not find an unknown cardholder", async () => {
    const { exit } = await updateOn(statusFixture, { ...byCardholder, cardholderId: "NOBODY" })
    expect(errorOf(exit)).toEqual(new TokenNotFound({ selector: "cardholderId" }))
  })

  for (const sent of ["20000587526", "541234567", "5412-3456-7890-1234"]) {
    it(`does not repeat an unknown cardholderId, which may be a PAN (${sent})`, async () => {
      const { exit } = await updateOn(statusFixture, { ...byCardholder, cardholderId: sent })
      const error = errorOf(exit)
      expect(error).toEqual(new TokenNotFound({ selector: "cardholderId" }))
      expect(error.message).toBe("No token is found by this cardholderId in this tenant.")
      expect(JSON.stringify(error)).not.toMatch(/[0-9]/)
    })
  }

  it("does not reach the tokens of the same PAN in another tenant", async () => {
    const { exit } = await updateOn(statusFixture, byPan, { tenant: TENANT_B, subject: turFor(9) })
    expect(updatedRefs(successOf(exit))).toEqual([turFor(9)])
  })
})
