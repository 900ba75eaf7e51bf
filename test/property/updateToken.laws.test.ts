/**
 * Laws of the token update (seed 004, DOMAIN.md §8) that hold for every input: the shape of a valid
 * request, statuses that never change, tenant walls, one PAN per cardholder update, and
 * all-or-nothing. No clear PAN anywhere: updateToken.leaks.test.ts.
 */
import { Effect, Exit, Option, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryOptions } from "../../src/adapters/memory/index.js"
import { decodeTokenUpdate } from "../../src/domain/token/TokenUpdateRequest.js"
import {
  AuditLog,
  CardholderHasSeveralPans,
  TenantId,
  TokenRepository,
  TokenUniqueReference,
  updateToken
} from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { TENANT_A, TENANT_B, testLayer } from "../support/builders.js"
import { sameState, snapshot } from "../support/state.js"
import {
  AUDIT_INFO,
  CARDHOLDER,
  FOREIGN_PAN,
  RANGE,
  type TokenFixture,
  tokenFixture,
  tokenFixtureOf,
  turFor,
  viewOf
} from "../support/tokens.js"

const SELECTORS = ["tokenUniqueReference", "currentAccountPan", "cardholderId"] as const
const MAPPING = ["newAccountPan", "expirationDate", "accountPanSequenceNumber"] as const

/** PANs of 9–19 digits in the example account range (prefix 541234). */
const panInRange = Arbitraries.accountPan({ range: RANGE })
const status = fc.constantFrom("ACTIVE", "SUSPENDED", "INACTIVE", "DELETED" as const)

/** The refusals "a request refused for any reason changes nothing" must meet at least once. */
const REFUSALS_SEEN = [
  "ValidationError",
  "TokenNotFound",
  "TokenNotUpdatable",
  "AccountRangeMismatch",
  "CardholderHasSeveralPans",
  "StoreError"
]

/** Requests whose fields are each valid on their own, present or not at random. */
const validFieldsRequest = fc.record(
  {
    tokenUniqueReference: Arbitraries.tokenUniqueReference(),
    currentAccountPan: panInRange,
    cardholderId: Arbitraries.cardholderId(),
    newAccountPan: panInRange,
    expirationDate: Arbitraries.expirationDate(),
    accountPanSequenceNumber: Arbitraries.accountPanSequenceNumber(),
    issuerProductConfigurationId: Arbitraries.productConfigurationId(),
    updateWalletProviderIndicator: fc.constantFrom("0", "1"),
    commentText: Arbitraries.commentText(),
    auditInfo: Arbitraries.auditInfo()
  },
  { requiredKeys: ["auditInfo"] }
)

/** A valid account PAN mapping: any of its three fields, the new PAN in range or not. */
const mappingChange = fc
  .record(
    {
      newAccountPan: fc.oneof(panInRange, fc.constant(FOREIGN_PAN)),
      expirationDate: Arbitraries.expirationDate(),
      accountPanSequenceNumber: Arbitraries.accountPanSequenceNumber()
    },
    { requiredKeys: [] }
  )
  .filter((c) => Object.keys(c).length > 0)

/** A valid change: an account PAN mapping or a product configuration. */
const change = fc.oneof(
  mappingChange,
  fc.record({ issuerProductConfigurationId: Arbitraries.productConfigurationId() })
)

/** Up to 6 tokens of one tenant, on two PANs of the range, all of one cardholder. */
const tokens = (pans: ReadonlyArray<string>) =>
  fc
    .array(fc.tuple(status, fc.constantFrom(...pans)), { minLength: 1, maxLength: 6 })
    .map((rows) => rows.map(([s, pan], i) => tokenFixture(turFor(i + 1), { status: s, accountPan: pan })))

/** Runs a request against a store and gives back the exit and every token before and after. */
const runUpdate = (
  fixture: ReturnType<typeof tokenFixtureOf>,
  tenant: string,
  request: unknown,
  options?: MemoryOptions
) => {
  const refs = Object.values(fixture.tenants).flatMap((t) =>
    (t.tokens ?? []).map((k) => k.tokenUniqueReference)
  )
  const readAll = Effect.flatMap(TokenRepository, (repo) =>
    Effect.forEach(Object.keys(fixture.tenants), (t) =>
      Effect.forEach(refs, (ref) =>
        Effect.map(repo.findByReference(TenantId.make(t), TokenUniqueReference.make(ref)), (found) => [
          `${t}/${ref}`,
          Option.getOrUndefined(Option.map(found, viewOf))
        ])
      )
    )
  ).pipe(Effect.map((rows) => new Map(rows.flat() as Array<[string, ReturnType<typeof viewOf> | undefined]>)))
  return Effect.runPromise(
    Effect.gen(function* () {
      const state = yield* snapshot
      const before = yield* readAll
      const exit = yield* Effect.exit(updateToken(tenant, request))
      const after = yield* readAll
      const events = yield* Effect.flatMap(AuditLog, (log) =>
        Effect.forEach(refs, (ref) => log.findBySubject(TenantId.make(tenant), ref))
      )
      return { exit, before, after, events: events.flat(), unchanged: sameState(state, yield* snapshot) }
    }).pipe(Effect.provide(testLayer(fixture, options)))
  )
}

describe("laws of the token update", () => {
  it("a request that passes validation has exactly one selector and one kind of change", () => {
    fc.assert(
      fc.property(validFieldsRequest, (request) => {
        const result = Effect.runSync(Effect.result(decodeTokenUpdate(TENANT_A, request)))
        const selectors = SELECTORS.filter((f) => f in request)
        const mapping = MAPPING.some((f) => f in request)
        const productConfiguration = "issuerProductConfigurationId" in request
        // every field is valid on its own, so only the rules between fields decide
        expect(Result.isSuccess(result)).toBe(selectors.length === 1 && mapping !== productConfiguration)
        if (Result.isSuccess(result)) {
          const { selector, change } = result.success.command
          expect(selector.by).toBe(selectors[0])
          expect(change.kind).toBe(productConfiguration ? "productConfiguration" : "accountPanMapping")
        }
      }),
      { numRuns: 500 }
    )
  })

  it("DELETED and INACTIVE tokens never change", async () => {
    await fc.assert(
      fc.asyncProperty(
        tokens(["5412345678901234", "5412340000000001"]),
        fc.nat(),
        fc.constantFrom(...SELECTORS),
        change,
        async (stored, pick, by, changed) => {
          const target = stored[pick % stored.length] as TokenFixture
          const selector =
            by === "tokenUniqueReference"
              ? { tokenUniqueReference: target.tokenUniqueReference }
              : by === "currentAccountPan"
                ? { currentAccountPan: target.accountPan }
                : { cardholderId: CARDHOLDER }
          const request = { ...selector, ...changed, commentText: "law", auditInfo: AUDIT_INFO }
          const { before, after } = await runUpdate(tokenFixtureOf({ [TENANT_A]: stored }), TENANT_A, request)
          for (const token of stored.filter((t) => t.status === "DELETED" || t.status === "INACTIVE")) {
            const key = `${TENANT_A}/${token.tokenUniqueReference}`
            expect(after.get(key)).toEqual(before.get(key))
          }
        }
      ),
      { numRuns: 150 }
    )
  })

  it("an update by PAN touches exactly the ACTIVE and SUSPENDED tokens of that PAN in that tenant", async () => {
    const pans = ["5412345678901234", "5412340000000001"]
    await fc.assert(
      fc.asyncProperty(tokens(pans), fc.constantFrom(...pans), async (stored, pan) => {
        // tenant B holds the very same tokens: the same references on the same PANs
        const fixture = tokenFixtureOf({ [TENANT_A]: stored, [TENANT_B]: stored })
        const request = {
          currentAccountPan: pan,
          expirationDate: "1215",
          commentText: "law",
          auditInfo: AUDIT_INFO
        }
        const { exit, before, after } = await runUpdate(fixture, TENANT_A, request)
        const ofPan = stored.filter((t) => t.accountPan === pan)
        if (ofPan.length === 0) {
          expect(Exit.isFailure(exit)).toBe(true)
          return
        }
        const expected = ofPan
          .filter((t) => t.status === "ACTIVE" || t.status === "SUSPENDED")
          .map((t) => `${TENANT_A}/${t.tokenUniqueReference}`)
        const touched = [...before.keys()].filter(
          (key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key))
        )
        expect(touched.sort()).toEqual(expected.sort())
      }),
      { numRuns: 150 }
    )
  })

  it("a request refused for any reason changes nothing", async () => {
    // requests valid field by field, most of them aimed at the stored tokens, so that every refusal
    // a store can answer (not found, not updatable, out of range, several PANs, a failed write) comes up
    const aimed = fc.tuple(fc.constantFrom(...SELECTORS), fc.nat(), change).map(([by, n, changed]) => ({
      ...(by === "tokenUniqueReference"
        ? { tokenUniqueReference: turFor(n % 8) }
        : by === "currentAccountPan"
          ? { currentAccountPan: n % 2 === 0 ? "5412345678901234" : FOREIGN_PAN }
          : { cardholderId: n % 4 === 0 ? "NOBODY" : CARDHOLDER }),
      ...changed,
      updateWalletProviderIndicator: "0",
      commentText: "law",
      auditInfo: AUDIT_INFO
    }))
    const anyRequest = fc.oneof({ weight: 1, arbitrary: validFieldsRequest }, { weight: 3, arbitrary: aimed })
    const faults = fc.option(fc.nat({ max: 3 }), { nil: undefined })
    const refusals = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        tokens(["5412345678901234", FOREIGN_PAN]),
        anyRequest,
        faults,
        async (stored, request, failAt) => {
          const options: MemoryOptions =
            failAt === undefined ? {} : { failWrite: ({ index }) => index === failAt }
          const fixture = tokenFixtureOf({ [TENANT_A]: stored })
          const { exit, unchanged, events } = await runUpdate(fixture, TENANT_A, request, options)
          if (Exit.isFailure(exit)) {
            expect(Exit.hasDies(exit)).toBe(false)
            expect(unchanged).toBe(true)
            expect(events).toEqual([])
            const tag = Option.match(Exit.findErrorOption(exit), { onNone: () => "?", onSome: (e) => e._tag })
            refusals.set(tag, (refusals.get(tag) ?? 0) + 1)
          }
        }
      ),
      { numRuns: 400 }
    )
    // the law is about refusals: the generator must produce them, of every kind a store can see
    expect([...refusals.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100)
    for (const tag of REFUSALS_SEEN) expect(refusals.get(tag) ?? 0, tag).toBeGreaterThan(0)
  })

  it("an account PAN mapping by cardholderId reaches one PAN: a cardholder on two is refused, unchanged", async () => {
    const pans = ["5412345678901234", "5412340000000001"]
    let refused = 0
    await fc.assert(
      fc.asyncProperty(tokens(pans), change, async (stored, changed) => {
        const updatable = stored.filter((t) => t.status === "ACTIVE" || t.status === "SUSPENDED")
        const onTwoPans = new Set(updatable.map((t) => t.accountPan)).size > 1
        // the product configuration is each token's own: it may change across PANs
        const refuses = onTwoPans && !("issuerProductConfigurationId" in changed)
        const request = {
          cardholderId: CARDHOLDER,
          ...changed,
          updateWalletProviderIndicator: "0",
          commentText: "law",
          auditInfo: AUDIT_INFO
        }
        const fixture = tokenFixtureOf({ [TENANT_A]: stored })
        const { exit, unchanged, events } = await runUpdate(fixture, TENANT_A, request)
        const error = Option.getOrUndefined(Exit.findErrorOption(exit))
        expect(error instanceof CardholderHasSeveralPans).toBe(refuses)
        if (refuses) {
          refused++
          expect([unchanged, events]).toEqual([true, []])
        }
      }),
      { numRuns: 150 }
    )
    expect(refused).toBeGreaterThan(0)
  })
})
