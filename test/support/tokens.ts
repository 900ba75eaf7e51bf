/**
 * Builders for the token-update tests (seed 004): the seed's example values, tokens, account
 * ranges, and a runner that gives back the outcome and the store before and after.
 */
import { Effect, Exit, Option, Redacted, Result } from "effect"
import {
  type MemoryFixture,
  type MemoryOptions,
  type MemoryPorts,
  MemoryState
} from "../../src/adapters/memory/index.js"
import { revealAccountPan } from "../../src/domain/token/TokenPan.js"
import { toTokenObject } from "../../src/domain/token/TokenResponse.js"
import { decodeTokenUpdate } from "../../src/domain/token/TokenUpdateRequest.js"
import {
  AuditLog,
  type FieldIssue,
  TenantId,
  type Token,
  TokenRepository,
  TokenUniqueReference,
  type UpdateTokenRequest,
  type UpdateTokenResult,
  updateToken
} from "../../src/index.js"
import {
  type AccountRangeFixture,
  RANGE,
  type TokenFixture,
  TUR,
  tokenFixture
} from "../../src/testing/contract/tokenFixture.js"
import { NOW, TENANT_A, TENANT_B, testLayer } from "./builders.js"
import { sameState, snapshot } from "./state.js"

// seed 004's example token, which the port contract stores too
export {
  ACCOUNT_PAN_EXPIRATION,
  type AccountRangeFixture,
  CARDHOLDER,
  DIGITIZED_AT,
  PAN,
  PAN_REFERENCE,
  RANGE,
  TOKEN_EXPIRATION,
  type TokenFixture,
  TUR,
  tokenFixture
} from "../../src/testing/contract/tokenFixture.js"

/** Seed 004's other example values. */
export const NEW_PAN = "5412345678908888"
export const EXPIRATION = "1215"
export const SEQUENCE = "3"
export const PRODUCT_CONFIG = "ANYGOLD101"
export const COMMENT = "Update gold artwork"
export const AUDIT_INFO = {
  userId: "agent-7",
  userName: "Ada Agent",
  organization: "ACME Support",
  phone: "+1 555 0100"
}

/** A PAN of the same tenant outside the example's account range. */
export const FOREIGN_PAN = "5499990000001234"
export const FOREIGN_RANGE: AccountRangeFixture = { low: "549999", high: "549999" }

/** A 48-character tokenUniqueReference, distinct per serial. */
export const turFor = (serial: number): string => `DWSPMC${String(serial).padStart(42, "0")}`

/** Tenants with their tokens; every tenant gets the example account range unless told otherwise. */
export const tokenFixtureOf = (
  tenants: Record<string, ReadonlyArray<TokenFixture>>,
  accountRanges: ReadonlyArray<AccountRangeFixture> = [RANGE, FOREIGN_RANGE]
): MemoryFixture => ({
  tenants: Object.fromEntries(Object.entries(tenants).map(([t, tokens]) => [t, { tokens, accountRanges }]))
})

/** The seed's example update of one token: a new PAN, expiry and sequence number, with a comment. */
export const requestFor = (overrides: Partial<Record<keyof UpdateTokenRequest, unknown>> = {}) => ({
  tokenUniqueReference: TUR,
  newAccountPan: NEW_PAN,
  expirationDate: EXPIRATION,
  accountPanSequenceNumber: SEQUENCE,
  commentText: COMMENT,
  auditInfo: AUDIT_INFO,
  ...overrides
})

/** Drops fields from a request (the seed's optional fields are absent, not null). */
export const without = <R extends object>(request: R, ...fields: ReadonlyArray<keyof R>): Partial<R> =>
  Object.fromEntries(Object.entries(request).filter(([k]) => !fields.includes(k as keyof R))) as Partial<R>

/** What an observer can tell about a stored token: its answer, its PAN mapping, product and comments. */
export const viewOf = (token: Token) => ({
  ...toTokenObject(token),
  // the masked form: its hash and ciphertext depend on the store's keys and IVs
  accountPan: token.accountPan.masked,
  accountPanExpirationDate: token.accountPanExpirationDate,
  productConfigurationId: token.productConfigurationId,
  comments: token.comments
})

/** The tokens the wallet provider is to be told of: the tenant's NOTIFY_WALLET events, oldest first. */
export const walletNotificationsOf = (tenant: string) =>
  Effect.map(
    Effect.flatMap(MemoryState, (state) => state.snapshot),
    (snapshot) =>
      (snapshot[tenant]?.auditEvents ?? []).filter((e) => e.action === "NOTIFY_WALLET").map((e) => e.subject)
  )

/** Runs an effect on a fresh store seeded from `fixture`. */
export const runTokens = <A, E>(
  fixture: MemoryFixture,
  effect: Effect.Effect<A, E, MemoryPorts | MemoryState>,
  options?: MemoryOptions
) => Effect.runPromise(Effect.provide(effect, testLayer(fixture, options)) as Effect.Effect<A, E>)

/**
 * Runs one update and gives back its exit, whether the committed store is untouched, the tenant's
 * audit trail of `subject` and its wallet notifications.
 */
export const updateOn = (
  fixture: MemoryFixture,
  request: unknown,
  {
    tenant = TENANT_A,
    subject = TUR,
    options
  }: { tenant?: string; subject?: string; options?: MemoryOptions } = {}
) =>
  runTokens(
    fixture,
    Effect.gen(function* () {
      const before = yield* snapshot
      const exit = yield* Effect.exit(updateToken(tenant, request))
      const unchanged = sameState(before, yield* snapshot)
      const events = yield* Effect.flatMap(AuditLog, (log) =>
        log.findBySubject(TenantId.make(tenant), subject)
      )
      const notifications = yield* walletNotificationsOf(tenant)
      return { exit, unchanged, events, notifications }
    }),
    options
  )

/** The stored token, as {@link viewOf} shows it. */
export const storedToken = (tenant: string, tokenUniqueReference: string) =>
  Effect.gen(function* () {
    const repo = yield* TokenRepository
    const found = yield* repo.findByReference(
      TenantId.make(tenant),
      TokenUniqueReference.make(tokenUniqueReference)
    )
    if (Option.isNone(found)) return Option.none()
    // the account PAN in clear, decrypted by the layer's security module
    const pan = yield* revealAccountPan(TenantId.make(tenant), found.value)
    return Option.some({ ...viewOf(found.value), accountPan: Redacted.value(pan) as string })
  })

/** The success of an exit, or a test failure naming the error. */
export const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got ${String(exit.cause)}`)
}

/** The typed error of an exit, or a test failure. */
export const errorOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  const error = Exit.findErrorOption(exit)
  if (Option.isSome(error)) return error.value
  throw new Error("expected a typed failure")
}

/** NOW, as audit events and comments record it. */
export const AT = new Date(NOW).toISOString()
export const SUSPENDED_TUR = turFor(2)
export const INACTIVE_TUR = turFor(3)
export const DELETED_TUR = turFor(4)
export const OTHER_PAN_TUR = turFor(5)

/**
 * Four tokens of the example PAN and cardholder, one per status, and one token of another PAN. Tokens
 * are found in tokenUniqueReference order: turFor(n) sorts before the seed's TUR.
 */
export const statusFixture = tokenFixtureOf({
  [TENANT_A]: [
    tokenFixture(TUR),
    tokenFixture(SUSPENDED_TUR, { status: "SUSPENDED", suspendedBy: ["ISSUER"] }),
    tokenFixture(INACTIVE_TUR, { status: "INACTIVE" }),
    tokenFixture(DELETED_TUR, { status: "DELETED" }),
    tokenFixture(OTHER_PAN_TUR, { accountPan: "5412340000000001", cardholderId: "OTHER" })
  ],
  [TENANT_B]: [tokenFixture(turFor(9))]
})

/** Seed 004's `Token` object, field by field, in the seed's order. */
export const SEED_TOKEN_FIELDS = [
  "tokenUniqueReference",
  "primaryAccountNumberUniqueReference",
  "tokenSuffix",
  "expirationDate",
  "accountPanSequenceNumber",
  "activationCodeExpirationDateTime",
  "correlationId",
  "currentStatusCode",
  "currentStatusDescription",
  "currentStatusDateTime",
  "digitizationRequestDateTime",
  "finalTokenizationDecision",
  "lastCommentId",
  "paymentAppInstanceId",
  "provisioningStatusCode",
  "provisioningStatusDescription",
  "storageTechnology",
  "suspender",
  "tokenActivatedDateTime",
  "tokenAssuranceLevel",
  "tokenRequestorId",
  "tokenRequestorName",
  "tokenType",
  "walletId",
  "devices",
  "tokenDeletedFromConsumerApp",
  "tokenRequestorConsumerFacingEntityName"
]

/** The use case on the default tenant. */
export const update = (request: unknown) => updateToken(TENANT_A, request)

/** The references of the tokens an update changed. */
export const updatedRefs = (result: UpdateTokenResult) =>
  "tokens" in result ? result.tokens.map((t) => t.tokenUniqueReference) : [result.token.tokenUniqueReference]

/** Decodes a request for the default tenant (validation only: no store is read). */
export const decode = (request: unknown, tenant: unknown = TENANT_A) =>
  Effect.runSync(Effect.result(decodeTokenUpdate(tenant, request)))

/** The issues of a refused request, as `path: message`. */
export const issuesOf = (request: unknown, tenant?: unknown): ReadonlyArray<string> => {
  const result = decode(request, tenant)
  if (Result.isSuccess(result)) throw new Error("expected the request to be refused")
  return result.failure.issues.map((i: FieldIssue) => `${i.path}: ${i.message}`)
}

/** The command of a request that passes validation, or a test failure. */
export const accepted = (request: unknown) => {
  const result = decode(request)
  if (Result.isFailure(result)) throw new Error(`expected the request to pass: ${result.failure.message}`)
  return result.success.command
}

/** The example by TUR, updating only the expiry: the smallest valid request. */
export const minimal = { tokenUniqueReference: TUR, expirationDate: EXPIRATION, auditInfo: AUDIT_INFO }
