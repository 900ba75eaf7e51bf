/**
 * Token update (seed 004, DOMAIN.md §8): the rules of the fields beside the selector and the updates
 * (the wallet indicator, the comment, the audit info, unknown fields), and every violation of one
 * request reported in one ValidationError.
 */
import { inspect } from "node:util"
import { Effect, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import { ValidationError } from "../../src/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  AUDIT_INFO,
  accepted,
  CARDHOLDER,
  DIGITIZED_AT,
  decode,
  errorOf,
  issuesOf,
  minimal,
  PAN,
  requestFor,
  runTokens,
  storedToken,
  TUR,
  tokenFixture,
  tokenFixtureOf,
  update,
  updateOn,
  without
} from "../support/tokens.js"

describe("the other fields", () => {
  it('defaults updateWalletProviderIndicator to "1"', () => {
    expect(accepted(minimal).updateWalletProviderIndicator).toBe("1")
  })

  it('accepts updateWalletProviderIndicator "0"', () => {
    expect(accepted({ ...minimal, updateWalletProviderIndicator: "0" }).updateWalletProviderIndicator).toBe(
      "0"
    )
  })

  it('refuses updateWalletProviderIndicator "2"', () => {
    expect(issuesOf({ ...minimal, updateWalletProviderIndicator: "2" })).toEqual([
      'updateWalletProviderIndicator: must be "0" (pass the update to the wallet provider) or "1" (do not)'
    ])
  })

  it("refuses a request without auditInfo", () => {
    expect(issuesOf(without(minimal, "auditInfo"))).toEqual(["auditInfo: is required"])
  })

  it("refuses an auditInfo without userId, userName and organization, naming each", () => {
    expect(issuesOf({ ...minimal, auditInfo: { phone: "+1 555 0100" } })).toEqual([
      "auditInfo.userId: is required",
      "auditInfo.userName: is required",
      "auditInfo.organization: is required"
    ])
  })

  it("accepts an auditInfo without phone", () => {
    expect(accepted({ ...minimal, auditInfo: without(AUDIT_INFO, "phone") }).auditInfo).toEqual(
      without(AUDIT_INFO, "phone")
    )
  })

  it("refuses a field the seed does not have", () => {
    expect(issuesOf({ ...minimal, tokenStatus: "ACTIVE" })).toEqual([
      "tokenStatus: Expected no excess property"
    ])
  })

  it("refuses null in place of a string, and counts the field as present", () => {
    expect(issuesOf({ ...minimal, currentAccountPan: null })).toEqual([
      "currentAccountPan: Expected string",
      "currentAccountPan: must not be present when tokenUniqueReference is present"
    ])
  })

  it("refuses a request that is not an object", () => {
    expect(issuesOf(JSON.stringify(minimal))).toEqual([": Expected object"])
  })
})

describe('the comment (seed 004: "Maximum length 500 characters")', () => {
  const TOO_LONG = "commentText: must be at most 500 characters (UTF-16 code units)"

  it("accepts the seed's commentText and one of 500 characters", () => {
    expect(accepted(requestFor()).commentText).toBe("Update gold artwork")
    expect(accepted({ ...minimal, commentText: "c".repeat(500) }).commentText).toHaveLength(500)
  })

  it("refuses a commentText of 501 characters", () => {
    expect(issuesOf({ ...minimal, commentText: "c".repeat(501) })).toEqual([TOO_LONG])
  })

  it("counts UTF-16 code units, as a string's length: an emoji counts 2", () => {
    expect(accepted({ ...minimal, commentText: "😀".repeat(250) }).commentText).toHaveLength(500)
    // 251 code points, 502 code units
    expect(issuesOf({ ...minimal, commentText: "😀".repeat(251) })).toEqual([TOO_LONG])
    expect(issuesOf({ ...minimal, commentText: `${"c".repeat(499)}😀` })).toEqual([TOO_LONG])
  })

  it("accepts line breaks and tabs", () => {
    const text = "Update gold artwork\r\nas asked:\n\t- new card art"
    expect(accepted({ ...minimal, commentText: text }).commentText).toBe(text)
  })

  for (const [name, control] of [
    ["NUL", "\u0000"],
    ["ESC", "\u001b[31m"],
    ["DEL", "\u007f"]
  ] as const) {
    it(`refuses the control character ${name}`, () => {
      expect(issuesOf({ ...minimal, commentText: `Update ${control} artwork` })).toEqual([
        "commentText: must not hold control characters other than line breaks and tabs"
      ])
    })
  }

  it("takes an empty commentText as no comment", () => {
    expect("commentText" in accepted({ ...minimal, commentText: "" })).toBe(false)
  })

  it("stores no comment for an empty commentText, and keeps lastCommentId", async () => {
    const earlier = { commentId: "1", text: "Issued", at: DIGITIZED_AT, auditInfo: AUDIT_INFO }
    const commented = tokenFixtureOf({
      [TENANT_A]: [tokenFixture(TUR, { comments: [earlier], lastCommentId: "1" })]
    })
    const stored = await runTokens(
      commented,
      Effect.andThen(update(requestFor({ commentText: "" })), storedToken(TENANT_A, TUR))
    )
    expect(Option.map(stored, (t) => [t.comments, t.lastCommentId])).toEqual(Option.some([[earlier], "1"]))
    const { events } = await updateOn(commented, requestFor({ commentText: "" }))
    expect(events.map((e) => e.reason)).toEqual([
      "accountPan 541234XXXXXX1234 -> 541234XXXXXX8888; accountPanExpirationDate 0827 -> 1215; accountPanSequenceNumber 1 -> 3"
    ])
  })
})

describe("all violations together (DOMAIN.md §8)", () => {
  it("reports the tenant, every bad field and every broken rule between fields in one error", () => {
    const request = {
      tokenUniqueReference: "short",
      currentAccountPan: "54123456",
      expirationDate: "1399",
      issuerProductConfigurationId: "ANYGOLD1011",
      updateWalletProviderIndicator: 0,
      auditInfo: { userId: "agent-7" }
    }
    expect(issuesOf(request, "bad tenant")).toEqual([
      "tenant: must be 1-64 characters of A-Z a-z 0-9 _ -",
      "tokenUniqueReference: must be exactly 48 letters and digits",
      "currentAccountPan: must be 9-19 digits",
      "expirationDate: must be MMYY with a month 01-12",
      "issuerProductConfigurationId: must be 1-10 letters and digits",
      'updateWalletProviderIndicator: must be "0" (pass the update to the wallet provider) or "1" (do not)',
      "auditInfo.userName: is required",
      "auditInfo.organization: is required",
      "currentAccountPan: must not be present when tokenUniqueReference is present",
      "expirationDate: must not be present when issuerProductConfigurationId is present",
      "issuerProductConfigurationId: must not be present if any of newAccountPan, expirationDate or accountPanSequenceNumber is present"
    ])
  })

  it("refuses a broken rule between valid fields as a ValidationError, changing nothing", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })
    const { exit, unchanged } = await updateOn(fixture, { ...requestFor(), cardholderId: CARDHOLDER })
    expect(errorOf(exit)).toEqual(
      new ValidationError({
        issues: [
          { path: "cardholderId", message: "must not be present when tokenUniqueReference is present" }
        ]
      })
    )
    expect(unchanged).toBe(true)
  })

  it("never echoes a PAN it refuses", () => {
    const badPan = "54123456789012345678"
    const result = decode({ ...minimal, currentAccountPan: badPan, newAccountPan: `${PAN}X` })
    const error = Result.isFailure(result) ? result.failure : undefined
    expect(error).toBeInstanceOf(ValidationError)
    for (const shown of [JSON.stringify(error), String(error), error?.message, inspect(error)]) {
      expect(shown).not.toContain(badPan)
      expect(shown).not.toContain(PAN)
    }
  })
})
