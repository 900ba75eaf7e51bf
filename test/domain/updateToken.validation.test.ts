/**
 * Token update (seed 004, DOMAIN.md §8): the rules of the selector and of the updates, one test per
 * rule, with the seed's example values. The other fields and the reporting of every violation
 * together are in updateToken.fields.test.ts.
 */
import { Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  AUDIT_INFO,
  accepted,
  CARDHOLDER,
  EXPIRATION,
  issuesOf,
  minimal,
  NEW_PAN,
  PAN,
  PRODUCT_CONFIG,
  SEQUENCE,
  TUR,
  without
} from "../support/tokens.js"

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
