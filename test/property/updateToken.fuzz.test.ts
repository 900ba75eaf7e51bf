/**
 * Arbitrary, mostly invalid token-update requests built from seed 004's fields: random presence,
 * random strings, wrong types, nulls and extra fields. Validation never throws and always answers
 * with a typed result.
 */
import { Cause, Effect, Exit } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeTokenUpdate } from "../../src/domain/token/TokenUpdateRequest.js"
import { updateToken, ValidationError } from "../../src/index.js"
import { TENANT_A, testLayer } from "../support/builders.js"
import {
  AUDIT_INFO,
  CARDHOLDER,
  EXPIRATION,
  NEW_PAN,
  PAN,
  PRODUCT_CONFIG,
  SEQUENCE,
  TUR,
  tokenFixture,
  tokenFixtureOf
} from "../support/tokens.js"

/** Each seed field with one value that is valid on its own (seed 004's examples). */
const examples: Record<string, unknown> = {
  tokenUniqueReference: TUR,
  currentAccountPan: PAN,
  cardholderId: CARDHOLDER,
  newAccountPan: NEW_PAN,
  expirationDate: EXPIRATION,
  accountPanSequenceNumber: SEQUENCE,
  issuerProductConfigurationId: PRODUCT_CONFIG,
  updateWalletProviderIndicator: "0",
  commentText: "Update gold artwork",
  auditInfo: AUDIT_INFO
}

/** Anything a careless or hostile client might put in a field. */
const junk = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[0-9]{0,25}$/),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.record(
    {
      userId: fc.oneof(fc.string(), fc.integer()),
      userName: fc.string(),
      organization: fc.string(),
      phone: fc.string()
    },
    { requiredKeys: [] }
  )
)

/** A value for a field: its example most often, junk otherwise. */
const valueFor = (field: string) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(examples[field]) }, { weight: 1, arbitrary: junk })

const seedShaped = fc
  .tuple(
    fc.record(
      Object.fromEntries(Object.keys(examples).map((field) => [field, valueFor(field)])) as Record<
        string,
        fc.Arbitrary<unknown>
      >,
      { requiredKeys: [] }
    ),
    fc.oneof(fc.constant({}), fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), junk, { maxKeys: 2 }))
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }))

/** A valid request (one selector, one kind of change) with up to two fields spoiled or dropped. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom("tokenUniqueReference", "currentAccountPan", "cardholderId"),
    fc.constantFrom(
      ["newAccountPan", "expirationDate"],
      ["accountPanSequenceNumber"],
      ["issuerProductConfigurationId"]
    ),
    fc.array(fc.tuple(fc.constantFrom(...Object.keys(examples)), fc.option(junk, { nil: undefined })), {
      maxLength: 2
    })
  )
  .map(([selector, changes, spoils]) => {
    const request: Record<string, unknown> = { auditInfo: AUDIT_INFO }
    for (const field of [selector, ...changes]) request[field] = examples[field]
    for (const [field, value] of spoils) {
      if (value === undefined) delete request[field]
      else request[field] = value
    }
    return request
  })

/** Seed-shaped objects, nearly valid ones, and sometimes anything at all (arrays, strings, null). */
const anyRequest = fc.oneof(
  { weight: 3, arbitrary: seedShaped },
  { weight: 3, arbitrary: nearlyValid },
  { weight: 1, arbitrary: fc.anything() }
)
const anyTenant = fc.oneof(
  { weight: 4, arbitrary: fc.constant(TENANT_A) },
  { weight: 1, arbitrary: fc.anything() }
)

const TYPED_REFUSALS = [
  "ValidationError",
  "TokenNotFound",
  "TokenNotUpdatable",
  "AccountRangeMismatch",
  "CardholderHasSeveralPans",
  // a tenant without keys: a PAN in the request cannot be hashed to be looked up
  "TenantKeyMissing"
]

describe("fuzzing the token-update request", () => {
  it("validation never throws: a command or one ValidationError naming each field and rule", () => {
    const outcomes = { accepted: 0, refused: 0 }
    fc.assert(
      fc.property(anyTenant, anyRequest, (tenant, request) => {
        const exit = Effect.runSyncExit(decodeTokenUpdate(tenant, request))
        outcomes[Exit.isSuccess(exit) ? "accepted" : "refused"]++
        if (Exit.isSuccess(exit)) return
        expect(Cause.hasDies(exit.cause)).toBe(false)
        const error = Exit.findErrorOption(exit)
        expect(error._tag === "Some" && error.value).toBeInstanceOf(ValidationError)
        const issues = error._tag === "Some" ? error.value.issues : []
        expect(issues.length).toBeGreaterThan(0)
        for (const issue of issues) {
          expect(typeof issue.path).toBe("string")
          expect(issue.message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 2000 }
    )
    // the generator reaches both answers, so the property is not vacuous
    expect(outcomes.accepted).toBeGreaterThan(0)
    expect(outcomes.refused).toBeGreaterThan(0)
  })

  it("the use case answers every request with a result or a typed refusal, never a defect", async () => {
    const fixture = tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })
    await fc.assert(
      fc.asyncProperty(anyTenant, anyRequest, async (tenant, request) => {
        const exit = await Effect.runPromiseExit(
          Effect.provide(updateToken(tenant as string, request), testLayer(fixture))
        )
        if (Exit.isSuccess(exit)) return
        expect(Cause.hasDies(exit.cause)).toBe(false)
        const error = Exit.findErrorOption(exit)
        expect(error._tag === "Some" && TYPED_REFUSALS.includes(error.value._tag)).toBe(true)
      }),
      { numRuns: 300 }
    )
  })
})
