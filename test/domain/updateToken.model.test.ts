/**
 * The pieces of a token update: masking account PANs of 9–19 digits, account ranges, and what the
 * memory fixture refuses.
 */
import { inspect } from "node:util"
import { Effect, Layer, Option, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { layer, type MemoryFixture } from "../../src/adapters/memory/index.js"
import { makeAccountPan } from "../../src/domain/token/AccountPan.js"
import { accountRangeContains, accountRangesOverlap } from "../../src/domain/token/AccountRange.js"
import {
  AccountPanDigits,
  AccountRange,
  maskAccountPan,
  TenantId,
  TokenRepository,
  TokenUniqueReference
} from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { TENANT_A } from "../support/builders.js"
import { PAN, RANGE, runTokens, TUR, tokenFixture, tokenFixtureOf } from "../support/tokens.js"

const pan = (digits: string) => makeAccountPan(AccountPanDigits.make(digits))
const range = (low: string, high: string) => AccountRange.make({ low, high })

describe("maskAccountPan", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["541234567", "XXXXX4567"],
    ["5412345678", "XXXXXX5678"],
    ["54123456789", "XXXXXXX6789"],
    ["541234567890", "541234XX7890"],
    [PAN, "541234XXXXXX1234"],
    ["5412345678901234567", "541234XXXXXXXXX4567"]
  ]
  for (const [digits, masked] of cases) {
    it(`masks ${digits.length} digits as ${masked}`, () => {
      expect(maskAccountPan(pan(digits))).toBe(masked)
    })
  }

  it("shows at most the first 6 and the last 4 digits, and hides at least 2", () => {
    for (let length = 9; length <= 19; length++) {
      const digits = "123456789012345678901".slice(0, length)
      const masked = maskAccountPan(pan(digits))
      expect(masked).toHaveLength(length)
      expect(masked.slice(6, -4)).toMatch(/^X*$/)
      expect(masked.replace(/[0-9]/g, "").length).toBeGreaterThanOrEqual(2)
    }
  })
})

describe("account ranges", () => {
  it("holds the PANs whose prefix lies between low and high", () => {
    const r = range("54123400000", "54123499999")
    expect([accountRangeContains(r, pan(PAN)), accountRangeContains(r, pan("5412350000000000"))]).toEqual([
      true,
      false
    ])
  })

  it("does not hold a PAN shorter than its prefixes", () => {
    expect(accountRangeContains(range("5412345678", "5412345678"), pan("541234567"))).toBe(false)
  })

  it("tells overlapping ranges of different prefix lengths", () => {
    expect(accountRangesOverlap(range("541234", "541234"), range("54123499", "54123500"))).toBe(true)
    expect(accountRangesOverlap(range("541234", "541234"), range("54123500", "54123599"))).toBe(false)
  })

  it("refuses a range whose low and high differ in length, or whose high is below low", () => {
    const messageOf = (input: unknown) => {
      const result = Schema.decodeUnknownResult(AccountRange)(input)
      return Result.isFailure(result) ? result.failure.message : "accepted"
    }
    expect(messageOf({ low: "5412", high: "541299" })).toBe('must have as many digits as low\n  at ["high"]')
    expect(messageOf({ low: "5499", high: "5412" })).toBe('must not be below low\n  at ["high"]')
    expect(messageOf({ low: "5412", high: "5499" })).toBe("accepted")
  })
})

describe("the memory fixture's token sections", () => {
  // the refusal a host sees: the layer's build fails with the fixture's ValidationError
  const issuesOf = (fixture: MemoryFixture) =>
    // the storage keys given: a tenant with tokens needs them, and that is not what these tests are about
    Effect.runSync(Effect.flip(Effect.scoped(Layer.build(layer(withStorageKeys(fixture)))))).issues

  it("refuses a tokenUniqueReference twice in one tenant", () => {
    expect(issuesOf(tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR), tokenFixture(TUR)] }))).toEqual([
      {
        path: `fixture.tenants.${TENANT_A}.tokens.1.tokenUniqueReference`,
        message: "must be unique in the tenant"
      }
    ])
  })

  it("refuses overlapping account ranges", () => {
    expect(
      issuesOf(tokenFixtureOf({ [TENANT_A]: [] }, [RANGE, { low: "5412340", high: "5412349" }]))
    ).toEqual([
      {
        path: `fixture.tenants.${TENANT_A}.accountRanges.1`,
        message: "must not overlap another account range"
      }
    ])
  })

  it("keeps the stored PAN out of String, JSON and inspect", async () => {
    const token = await runTokens(
      tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }),
      Effect.flatMap(TokenRepository, (repo) =>
        repo.findByReference(TenantId.make(TENANT_A), TokenUniqueReference.make(TUR))
      )
    )
    expect(Option.isSome(token)).toBe(true)
    for (const shown of [JSON.stringify(token), String(token), inspect(token, { depth: 10 })]) {
      expect(shown).not.toContain(PAN)
    }
  })
})
