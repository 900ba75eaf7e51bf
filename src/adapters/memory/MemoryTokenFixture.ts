/**
 * The token sections of a tenant's fixture: its tokens and its account-range table.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { ProtectedPan } from "../../domain/ground/ProtectedPan.js"
import type { FieldIssue } from "../../domain/ground/Validation.js"
import { type AccountPan, AccountPanFromString } from "../../domain/token/AccountPan.js"
import { AccountRange, accountRangesOverlap } from "../../domain/token/AccountRange.js"
import {
  AccountPanSequenceNumber,
  CardholderId,
  ExpirationDate,
  ProductConfigurationId,
  type Token,
  TokenStatus,
  TokenUniqueReference
} from "../../domain/token/Token.js"
import { AuditInfoSchema } from "../../domain/token/TokenUpdateRequest.js"
import type { Tables } from "./MemoryDatabase.js"
import { putTokens } from "./MemoryTokenRepository.js"
import * as Table from "./Table.js"

const optionalString = Schema.optionalKey(Schema.String)

/**
 * A token as a fixture writes it: the clear account PAN (held as `Redacted` from here on), ACTIVE
 * when no status is given, empty lists when omitted.
 *
 * @category schemas
 */
export const TokenFixture = Schema.Struct({
  tokenUniqueReference: TokenUniqueReference,
  accountPan: AccountPanFromString,
  panUniqueReference: optionalString,
  cardholderId: Schema.optionalKey(CardholderId),
  tokenSuffix: Schema.String,
  /** The token's own expiry. */
  expirationDate: ExpirationDate,
  accountPanExpirationDate: Schema.optionalKey(ExpirationDate),
  accountPanSequenceNumber: Schema.optionalKey(AccountPanSequenceNumber),
  productConfigurationId: Schema.optionalKey(ProductConfigurationId),
  status: Schema.optionalKey(TokenStatus),
  statusDateTime: Schema.String,
  suspendedBy: Schema.optionalKey(Schema.Array(Schema.String)),
  wallet: Schema.Struct({
    walletId: Schema.String,
    tokenRequestorId: Schema.String,
    tokenRequestorName: Schema.String,
    tokenRequestorConsumerFacingEntityName: optionalString,
    paymentAppInstanceId: optionalString
  }),
  devices: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        deviceId: Schema.String,
        deviceName: Schema.String,
        deviceType: Schema.String,
        secureElementId: optionalString
      })
    )
  ),
  comments: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        commentId: Schema.String,
        text: Schema.String,
        at: Schema.String,
        auditInfo: AuditInfoSchema
      })
    )
  ),
  lastCommentId: optionalString,
  provisioning: Schema.optionalKey(
    Schema.Struct({
      correlationId: optionalString,
      digitizationRequestDateTime: optionalString,
      activationCodeExpirationDateTime: optionalString,
      finalTokenizationDecision: optionalString,
      provisioningStatusCode: optionalString,
      provisioningStatusDescription: optionalString,
      storageTechnology: optionalString,
      tokenActivatedDateTime: optionalString,
      tokenAssuranceLevel: optionalString,
      tokenType: optionalString,
      tokenDeletedFromConsumerApp: optionalString
    })
  )
})

/**
 * The optional sections of a tenant's fixture this file reads.
 *
 * @category schemas
 */
export const TokenFixtureFields = {
  tokens: Schema.optionalKey(Schema.Array(TokenFixture)),
  accountRanges: Schema.optionalKey(Schema.Array(AccountRange))
}

interface DecodedSections {
  readonly tokens?: ReadonlyArray<typeof TokenFixture.Type>
  readonly accountRanges?: ReadonlyArray<AccountRange>
}

/**
 * Puts a tenant's tokens and account ranges into the tables, refusing what the domain could never
 * have stored: a tokenUniqueReference twice in one tenant, two account ranges that overlap.
 *
 * @category constructors
 */
export const putTokenFixture = (
  tables: Tables,
  tenant: TenantId,
  content: DecodedSections,
  at: string,
  /** The account PAN as stored, bound to its token; `undefined` when the tenant has no storage keys. */
  protect: ((token: TokenUniqueReference, pan: AccountPan) => ProtectedPan) | undefined
): { readonly tables: Tables; readonly issues: ReadonlyArray<FieldIssue> } => {
  const issues: Array<FieldIssue> = []
  const refs = new Set<string>()
  const tokens: Array<Token> = []
  for (const [i, fixture] of (content.tokens ?? []).entries()) {
    if (refs.has(fixture.tokenUniqueReference)) {
      issues.push({ path: `${at}.tokens.${i}.tokenUniqueReference`, message: "must be unique in the tenant" })
    }
    refs.add(fixture.tokenUniqueReference)
    const {
      status = "ACTIVE",
      suspendedBy = [],
      devices = [],
      comments = [],
      provisioning = {},
      ...rest
    } = fixture
    if (protect !== undefined)
      tokens.push({
        ...rest,
        accountPan: protect(rest.tokenUniqueReference, rest.accountPan),
        status,
        suspendedBy,
        devices,
        comments,
        provisioning
      })
  }
  const ranges = content.accountRanges ?? []
  for (const [i, range] of ranges.entries()) {
    if (ranges.slice(0, i).some((earlier) => accountRangesOverlap(earlier, range))) {
      issues.push({ path: `${at}.accountRanges.${i}`, message: "must not overlap another account range" })
    }
  }
  const withTokens = putTokens(tables, tenant, tokens)
  return {
    tables:
      ranges.length === 0
        ? withTokens
        : { ...withTokens, accountRanges: Table.set(withTokens.accountRanges, tenant, "", ranges) },
    issues
  }
}
