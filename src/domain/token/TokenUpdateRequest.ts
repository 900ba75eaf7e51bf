/**
 * The token-update request of seed 004 (`POST api/Update`): its fields, the rules between them, and
 * the command it decodes to.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { TenantId } from "../ground/Identifiers.js"
import {
  boundedStruct,
  decodeTenantRequest,
  type FieldIssue,
  type ValidationError
} from "../ground/Validation.js"
import { type AccountPan, AccountPanFromString } from "./AccountPan.js"
import {
  type AccountPanSequenceNumber,
  AccountPanSequenceNumber as AccountPanSequenceNumberSchema,
  type AuditInfo,
  type CardholderId,
  CardholderId as CardholderIdSchema,
  type ExpirationDate,
  ExpirationDate as ExpirationDateSchema,
  type ProductConfigurationId,
  ProductConfigurationId as ProductConfigurationIdSchema,
  type TokenUniqueReference,
  TokenUniqueReference as TokenUniqueReferenceSchema
} from "./Token.js"

const required = { messageMissingKey: "is required" } as const

/** Free text of a person: no control characters, which would let it forge lines in logs. */
const text = (max: number) =>
  Schema.String.check(
    Schema.isPattern(new RegExp(`^[^\\p{Cc}]{1,${max}}$`, "u"), {
      message: `must be 1-${max} characters without control characters`
    })
  )

/**
 * Seed 004 `AuditInfo` (required): `userId`, `userName`, `organization`, and an optional `phone`.
 *
 * @category schemas
 */
export const AuditInfoSchema = boundedStruct({
  userId: text(64).annotateKey(required),
  userName: text(128).annotateKey(required),
  organization: text(128).annotateKey(required),
  phone: Schema.optionalKey(
    Schema.String.check(
      Schema.isPattern(/^[0-9+() -]{1,32}$/, { message: "must be 1-32 characters of 0-9 + ( ) - and space" })
    )
  )
})

/**
 * Seed 004 `CommentText`: "Maximum length 500 characters", counted as JavaScript counts a string's
 * length (UTF-16 code units), and nothing more. Line breaks and tabs belong to a person's text; other
 * control characters (NUL, ESC, DEL…) never do, and could drive the terminal of whoever reads the
 * comment. An empty comment is no comment (docs/token-update.md).
 *
 * @category schemas
 */
export const CommentText = Schema.String.check(
  // abort: the pattern never scans a longer text
  Schema.isMaxLength(500, { message: "must be at most 500 characters (UTF-16 code units)" }).abort(),
  Schema.isPattern(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, {
    message: "must not hold control characters other than line breaks and tabs"
  })
)

/**
 * Seed 004 `UpdateWalletProviderIndicator`: "0" passes the update to the wallet provider, "1" (the
 * default) does not.
 *
 * @category models
 */
export const WalletProviderIndicator = Schema.Literals(["0", "1"]).annotate({
  message: 'must be "0" (pass the update to the wallet provider) or "1" (do not)'
})
export type WalletProviderIndicator = typeof WalletProviderIndicator.Type

/**
 * The request body, with the seed's JSON field names. Each field's own rule is checked here; the
 * rules between fields are {@link crossFieldIssues}.
 *
 * @category schemas
 */
export const UpdateTokenRequest = Schema.Struct({
  tokenUniqueReference: Schema.optionalKey(TokenUniqueReferenceSchema),
  currentAccountPan: Schema.optionalKey(AccountPanFromString),
  cardholderId: Schema.optionalKey(CardholderIdSchema),
  newAccountPan: Schema.optionalKey(AccountPanFromString),
  expirationDate: Schema.optionalKey(ExpirationDateSchema),
  accountPanSequenceNumber: Schema.optionalKey(AccountPanSequenceNumberSchema),
  issuerProductConfigurationId: Schema.optionalKey(ProductConfigurationIdSchema),
  updateWalletProviderIndicator: Schema.optionalKey(WalletProviderIndicator),
  commentText: Schema.optionalKey(CommentText),
  auditInfo: AuditInfoSchema.annotateKey(required)
})
/** What a caller sends: plain strings, in the seed's JSON names. */
export type UpdateTokenRequest = typeof UpdateTokenRequest.Encoded

type Field = keyof UpdateTokenRequest

const SELECTORS = ["tokenUniqueReference", "currentAccountPan", "cardholderId"] as const
const MAPPING_FIELDS = ["newAccountPan", "expirationDate", "accountPanSequenceNumber"] as const
const UPDATES = [...MAPPING_FIELDS, "issuerProductConfigurationId"] as const

/**
 * Field → the field whose presence forbids it, each as the seed (or DOMAIN.md) states it.
 */
const exclusions: ReadonlyArray<readonly [Field, Field]> = [
  // seed 004 CurrentAccountPan: "must not be present when TokenUniqueReference is present"
  ["currentAccountPan", "tokenUniqueReference"],
  // seed 004 CardholderId: "must not be present when TokenUniqueReference is present"
  ["cardholderId", "tokenUniqueReference"],
  // DOMAIN.md §8: exactly one selector; the cardholderId stands in for the PAN "if that is not available"
  ["cardholderId", "currentAccountPan"],
  // seed 004 ExpirationDate: "must not be present when IssuerProductConfigurationId is present"
  ["expirationDate", "issuerProductConfigurationId"],
  // seed 004 AccountPanSequenceNumber: "must not be present when IssuerProductConfigurationId is present"
  ["accountPanSequenceNumber", "issuerProductConfigurationId"]
]

const isRecord = (input: unknown): input is Readonly<Record<string, unknown>> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/**
 * The rules between fields, judged by which fields are present (whatever their values), so that
 * they are reported together with the fields' own rules. A request that is not an object has no
 * fields to compare: the schema reports it.
 *
 * @category validation
 */
export const crossFieldIssues = (request: unknown): ReadonlyArray<FieldIssue> => {
  if (!isRecord(request)) return []
  const present = (field: Field) => Object.hasOwn(request, field) && request[field] !== undefined
  const issues: Array<FieldIssue> = []
  // DOMAIN.md §8: exactly one of the three selectors
  if (!SELECTORS.some(present)) {
    issues.push({
      path: "",
      message: "exactly one of tokenUniqueReference, currentAccountPan or cardholderId is required"
    })
  }
  // DOMAIN.md §8: at least one update
  if (!UPDATES.some(present)) {
    issues.push({
      path: "",
      message:
        "at least one of newAccountPan, expirationDate, accountPanSequenceNumber or issuerProductConfigurationId is required"
    })
  }
  for (const [field, forbiddenBy] of exclusions) {
    if (present(field) && present(forbiddenBy)) {
      issues.push({ path: field, message: `must not be present when ${forbiddenBy} is present` })
    }
  }
  // seed 004 IssuerProductConfigurationId: "must not be present if any of the following are present
  // - NewAccountPan, ExpirationDate, AccountPanSequenceNumber"
  if (present("issuerProductConfigurationId") && MAPPING_FIELDS.some(present)) {
    issues.push({
      path: "issuerProductConfigurationId",
      message:
        "must not be present if any of newAccountPan, expirationDate or accountPanSequenceNumber is present"
    })
  }
  return issues
}

/**
 * Which tokens the request is about.
 *
 * @category models
 */
export type TokenSelector =
  | { readonly by: "tokenUniqueReference"; readonly tokenUniqueReference: TokenUniqueReference }
  | { readonly by: "currentAccountPan"; readonly currentAccountPan: AccountPan }
  | { readonly by: "cardholderId"; readonly cardholderId: CardholderId }

/**
 * What the request changes: the account PAN mapping (any of its three fields) or the product
 * configuration, never both.
 *
 * @category models
 */
export type TokenChange =
  | {
      readonly kind: "accountPanMapping"
      readonly newAccountPan?: AccountPan
      readonly expirationDate?: ExpirationDate
      readonly accountPanSequenceNumber?: AccountPanSequenceNumber
    }
  | { readonly kind: "productConfiguration"; readonly issuerProductConfigurationId: ProductConfigurationId }

/**
 * A valid token-update request, in the domain's terms.
 *
 * @category models
 */
export interface TokenUpdateCommand {
  readonly selector: TokenSelector
  readonly change: TokenChange
  /** Seed 004: "1" when the request does not say. */
  readonly updateWalletProviderIndicator: WalletProviderIndicator
  /** Never empty: an empty `commentText` is no comment. */
  readonly commentText?: string
  readonly auditInfo: AuditInfo
}

const selectorOf = (r: typeof UpdateTokenRequest.Type): TokenSelector =>
  r.tokenUniqueReference !== undefined
    ? { by: "tokenUniqueReference", tokenUniqueReference: r.tokenUniqueReference }
    : r.currentAccountPan !== undefined
      ? { by: "currentAccountPan", currentAccountPan: r.currentAccountPan }
      : { by: "cardholderId", cardholderId: r.cardholderId as CardholderId }

const changeOf = (r: typeof UpdateTokenRequest.Type): TokenChange =>
  r.issuerProductConfigurationId !== undefined
    ? { kind: "productConfiguration", issuerProductConfigurationId: r.issuerProductConfigurationId }
    : {
        kind: "accountPanMapping",
        ...(r.newAccountPan === undefined ? {} : { newAccountPan: r.newAccountPan }),
        ...(r.expirationDate === undefined ? {} : { expirationDate: r.expirationDate }),
        ...(r.accountPanSequenceNumber === undefined
          ? {}
          : { accountPanSequenceNumber: r.accountPanSequenceNumber })
      }

/** Only reached once {@link crossFieldIssues} found nothing: one selector and one kind of change. */
const toCommand = (r: typeof UpdateTokenRequest.Type): TokenUpdateCommand => ({
  selector: selectorOf(r),
  change: changeOf(r),
  updateWalletProviderIndicator: r.updateWalletProviderIndicator ?? "1",
  ...(r.commentText === undefined || r.commentText === "" ? {} : { commentText: r.commentText }),
  auditInfo: r.auditInfo
})

const decodeFields = decodeTenantRequest(UpdateTokenRequest, crossFieldIssues)

/**
 * Decodes the tenant and a token-update request, reporting in one `ValidationError` every field that
 * breaks its own rule and every rule between fields that is broken (DOMAIN.md §8).
 *
 * @category validation
 */
export const decodeTokenUpdate = (
  tenant: unknown,
  request: unknown
): Effect.Effect<{ readonly tenant: TenantId; readonly command: TokenUpdateCommand }, ValidationError> =>
  Effect.map(decodeFields(tenant, request), (decoded) => ({
    tenant: decoded.tenant,
    command: toCommand(decoded.request)
  }))
