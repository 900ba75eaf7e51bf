/**
 * Token update (seed 004, DOMAIN.md §8): the request's rules, one test per rule, with the seed's
 * example values. Every violation of one request is reported in one ValidationError.
 */
import { inspect } from "node:util"
import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { decodeTokenUpdate, type FieldIssue, ValidationError } from "../../src/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  AUDIT_INFO,
  CARDHOLDER,
  EXPIRATION,
  errorOf,
  NEW_PAN,
  PAN,
  PRODUCT_CONFIG,
  requestFor,
  SEQUENCE,
  TUR,
  tokenFixture,
  tokenFixtureOf,
  updateOn,
  without
} from "../support/tokens.js"

const decode = (request: unknown, tenant: unknown = TENANT_A) =>
  Effect.runSync(Effect.result(decodeTokenUpdate(tenant, request)))

/** The issues of a refused request, as `path: message`. */
const issuesOf = (request: unknown, tenant?: unknown): ReadonlyArray<string> => {
  const result = decode(request, tenant)
  if (Result.isSuccess(result)) throw new Error("expected the request to be refused")
  return result.failure.issues.map((i: FieldIssue) => `${i.path}: ${i.message}`)
}

const accepted = (request: unknown) => {
  const result = decode(request)
  if (Result.isFailure(result)) throw new Error(`expected the request to pass: ${result.failure.message}`)
  return result.success.command
}

/** The example by TUR, updating only the expiry: the smallest valid request. */
const minimal = { tokenUniqueReference: TUR, expirationDate: EXPIRATION, auditInfo: AUDIT_INFO }
const withoutSelector = without(minimal, "tokenUniqueReference")

describe("the selector (DOMAIN.md §8: exactly one of three)", () => {
  it("accepts the seed's tokenUniqueReference", () => {
    expect(accepted(minimal).selector).toEqual({ by: "tokenUniqueReference", tokenUniqueReference: TUR })
  })

  it("accepts the seed's currentAccountPan, held as a Redacted PAN", () => {
    const selector = accepted({ ...withoutSelector, currentAccountPan: PAN }).selector
    expect(selector.by === "currentAccountPan" && Redacted.value(selector.currentAccountPan)).toBe(PAN)
    expect(String(selector.by === "currentAccountPan" && selector.currentAccountPan)).toBe("<redacted:PAN>")
  })

  it("accepts the seed's cardholderId", () => {
    expect(accepted({ ...withoutSelector, cardholderId: CARDHOLDER }).selector).toEqual({
      by: "cardholderId",
      cardholderId: CARDHOLDER
    })
  })

  it("refuses a request without a selector", () => {
    expect(issuesOf(withoutSelector)).toEqual([
      ": exactly one of tokenUniqueReference, currentAccountPan or cardholderId is required"
    ])
  })

  it("refuses a tokenUniqueReference that is not 48 characters", () => {
    expect(issuesOf({ ...minimal, tokenUniqueReference: TUR.slice(1) })).toEqual([
      "tokenUniqueReference: must be exactly 48 letters and digits"
    ])
  })

  it("refuses a tokenUniqueReference with a character other than a letter or digit", () => {
    expect(issuesOf({ ...minimal, tokenUniqueReference: `${TUR.slice(1)}-` })).toEqual([
      "tokenUniqueReference: must be exactly 48 letters and digits"
    ])
  })

  for (const pan of ["54123456", "54123456789012345678", "541234567890123X"]) {
    it(`refuses the currentAccountPan ${pan.length === 16 ? "with a letter" : `of ${pan.length} digits`}`, () => {
      expect(issuesOf({ ...withoutSelector, currentAccountPan: pan })).toEqual([
        "currentAccountPan: must be 9-19 digits"
      ])
    })
  }

  it("refuses currentAccountPan together with tokenUniqueReference (seed: must not be present)", () => {
    expect(issuesOf({ ...minimal, currentAccountPan: PAN })).toEqual([
      "currentAccountPan: must not be present when tokenUniqueReference is present"
    ])
  })

  it("refuses cardholderId together with tokenUniqueReference (seed: must not be present)", () => {
    expect(issuesOf({ ...minimal, cardholderId: CARDHOLDER })).toEqual([
      "cardholderId: must not be present when tokenUniqueReference is present"
    ])
  })

  it("refuses cardholderId together with currentAccountPan (DOMAIN.md §8: exactly one)", () => {
    expect(issuesOf({ ...withoutSelector, currentAccountPan: PAN, cardholderId: CARDHOLDER })).toEqual([
      "cardholderId: must not be present when currentAccountPan is present"
    ])
  })

  it("refuses a cardholderId with a space", () => {
    expect(issuesOf({ ...withoutSelector, cardholderId: "2000 0587525" })).toEqual([
      "cardholderId: must be 1-64 characters of A-Z a-z 0-9 _ -"
    ])
  })
})

describe("the updates (DOMAIN.md §8)", () => {
  const mapping = { newAccountPan: NEW_PAN, expirationDate: EXPIRATION, accountPanSequenceNumber: SEQUENCE }
  const combinations = [1, 2, 3, 4, 5, 6, 7].map((bits) =>
    Object.fromEntries(Object.entries(mapping).filter((_, i) => (bits >> i) & 1))
  )

  for (const fields of combinations) {
    it(`accepts ${Object.keys(fields).join(" + ")} as an account PAN mapping update`, () => {
      const change = accepted({ tokenUniqueReference: TUR, auditInfo: AUDIT_INFO, ...fields }).change
      expect(change.kind).toBe("accountPanMapping")
      expect(Object.keys(change).filter((k) => k !== "kind")).toEqual(Object.keys(fields))
    })
  }

  it("accepts the seed's issuerProductConfigurationId alone", () => {
    const request = {
      tokenUniqueReference: TUR,
      issuerProductConfigurationId: PRODUCT_CONFIG,
      auditInfo: AUDIT_INFO
    }
    expect(accepted(request).change).toEqual({
      kind: "productConfiguration",
      issuerProductConfigurationId: PRODUCT_CONFIG
    })
  })

  it("refuses a request without any update", () => {
    expect(issuesOf(without(minimal, "expirationDate"))).toEqual([
      ": at least one of newAccountPan, expirationDate, accountPanSequenceNumber or issuerProductConfigurationId is required"
    ])
  })

  it("refuses a newAccountPan of 8 digits", () => {
    expect(issuesOf({ ...minimal, newAccountPan: "54123456" })).toEqual([
      "newAccountPan: must be 9-19 digits"
    ])
  })

  for (const expiry of ["1315", "0015", "12/15", "121", "12155"]) {
    it(`refuses the expirationDate ${expiry}`, () => {
      expect(issuesOf({ ...minimal, expirationDate: expiry })).toEqual([
        "expirationDate: must be MMYY with a month 01-12"
      ])
    })
  }

  for (const sequence of ["1234", "", "a"]) {
    it(`refuses the accountPanSequenceNumber "${sequence}"`, () => {
      expect(issuesOf({ ...minimal, accountPanSequenceNumber: sequence })).toEqual([
        "accountPanSequenceNumber: must be 1-3 digits"
      ])
    })
  }

  for (const id of ["ANYGOLD1011", "", "ANY-GOLD"]) {
    it(`refuses the issuerProductConfigurationId "${id}"`, () => {
      const request = { tokenUniqueReference: TUR, issuerProductConfigurationId: id, auditInfo: AUDIT_INFO }
      expect(issuesOf(request)).toEqual(["issuerProductConfigurationId: must be 1-10 letters and digits"])
    })
  }

  it("refuses expirationDate together with issuerProductConfigurationId (both fields' rules)", () => {
    expect(issuesOf({ ...minimal, issuerProductConfigurationId: PRODUCT_CONFIG })).toEqual([
      "expirationDate: must not be present when issuerProductConfigurationId is present",
      "issuerProductConfigurationId: must not be present if any of newAccountPan, expirationDate or accountPanSequenceNumber is present"
    ])
  })

  it("refuses accountPanSequenceNumber together with issuerProductConfigurationId", () => {
    const request = { ...without(minimal, "expirationDate"), accountPanSequenceNumber: SEQUENCE }
    expect(issuesOf({ ...request, issuerProductConfigurationId: PRODUCT_CONFIG })).toEqual([
      "accountPanSequenceNumber: must not be present when issuerProductConfigurationId is present",
      "issuerProductConfigurationId: must not be present if any of newAccountPan, expirationDate or accountPanSequenceNumber is present"
    ])
  })

  it("refuses newAccountPan together with issuerProductConfigurationId (the seed states it on the latter)", () => {
    const request = { ...without(minimal, "expirationDate"), newAccountPan: NEW_PAN }
    expect(issuesOf({ ...request, issuerProductConfigurationId: PRODUCT_CONFIG })).toEqual([
      "issuerProductConfigurationId: must not be present if any of newAccountPan, expirationDate or accountPanSequenceNumber is present"
    ])
  })
})

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

  it("accepts the seed's commentText and one of 500 characters", () => {
    expect(accepted(requestFor()).commentText).toBe("Update gold artwork")
    expect(accepted({ ...minimal, commentText: "c".repeat(500) }).commentText).toHaveLength(500)
  })

  it("refuses a commentText of 501 characters", () => {
    expect(issuesOf({ ...minimal, commentText: "c".repeat(501) })).toEqual([
      "commentText: must be 1-500 characters without control characters"
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
