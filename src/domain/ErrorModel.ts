/**
 * The error model: every error of the library is a `Schema.TaggedError` whose `code` and `message` are
 * encoded fields beside its data, and every `code` has one row here, its kind and the HTTP status an
 * adapter answers with (docs/errors.md).
 *
 * @since 0.1.0
 */
import { Schema, SchemaAST } from "effect"
import { InvalidKey, InvalidPinInput, InvalidRandomSource } from "../crypto/Errors.js"
import { InvalidKeyConfiguration } from "../ports/SecurityModule.js"
import { DomainError } from "./DomainError.js"
import { DuplicateKey } from "./ground/StoreError.js"
import { IdempotencyKeyReused } from "./idempotency/IdempotencyKey.js"
import { type ReplacementRefusal, replacementErrorTable } from "./replacement/ReplacementErrorTable.js"

/**
 * What went wrong, for a caller: the request is invalid; what it names is not found; a rule refuses
 * it; it conflicts with the current state of what it changes; the store or the tenant's configuration
 * cannot serve it.
 *
 * @category models
 * @since 0.1.0
 */
export const ErrorKind = Schema.Literals(["InvalidRequest", "NotFound", "Refused", "Conflict", "Unavailable"])
export type ErrorKind = typeof ErrorKind.Type

/**
 * The HTTP status of each kind (RFC 9110 §15). Seed 003's rows keep the seed's own status instead.
 *
 * @category models
 * @since 0.1.0
 */
export const kindStatus: { readonly [K in ErrorKind]: number } = {
  // §15.5.1: the request itself is malformed or breaks a field rule
  InvalidRequest: 400,
  // §15.5.5: what the request names does not exist in the tenant
  NotFound: 404,
  // §15.5.21: the request is well-formed and names existing things, but a business rule refuses it
  Refused: 422,
  // §15.5.10: the current state of the target (its status, a taken key) forbids the change
  Conflict: 409,
  // §15.6.4: the store failed, or the tenant's configuration lacks what the operation needs
  Unavailable: 503
}

/**
 * One row of the error table.
 *
 * @category models
 * @since 0.1.0
 */
export interface ErrorRow {
  readonly kind: ErrorKind
  readonly status: number
}

/**
 * Every error of the model: the use cases' (`DomainError`), the PIN-block codec's, the security
 * module's that no use case returns (`InvalidKeyConfiguration`, when a module is built), and `DuplicateKey`, a port's answer that no use case returns. Its type is the union of
 * their instances.
 *
 * @category errors
 * @since 0.1.0
 */
export const ModelError = Schema.Union([
  ...DomainError.members,
  InvalidPinInput,
  InvalidKey,
  InvalidRandomSource,
  InvalidKeyConfiguration,
  DuplicateKey,
  IdempotencyKeyReused
])
export type ModelError = typeof ModelError.Type

/**
 * Whether a value is an error of the model (an instance of one of its classes): what a host that
 * catches a rejection of the Promise facade checks before `httpStatusOf`, anything else being a
 * defect.
 *
 * @category guards
 * @since 0.1.0
 */
export const isModelError: (input: unknown) => input is ModelError = Schema.is(ModelError)

/**
 * The `code` of every error of the model.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorCode = ModelError["code"]

const of = (kind: ErrorKind): ErrorRow => ({ kind, status: kindStatus[kind] })

// seed 003: a row of the replacement error table answers with the table's status
const seed003 = (kind: ErrorKind, code: ReplacementRefusal): ErrorRow => ({
  kind,
  status: replacementErrorTable[code].statusCode
})

/**
 * Every `code` to its kind and HTTP status. A code without a row does not compile.
 *
 * @category models
 * @since 0.1.0
 */
export const errorTable: { readonly [C in ErrorCode]: ErrorRow } = {
  VALIDATION_FAILED: of("InvalidRequest"),
  STORE_UNAVAILABLE: of("Unavailable"),
  DUPLICATE_KEY: of("Conflict"),
  IDENTIFIERS_EXHAUSTED: of("Unavailable"),
  // idempotency keys (docs/idempotency.md): the key's first request was another one
  IDEMPOTENCY_KEY_REUSED: of("Refused"),
  // security modules (docs/pin-blocks.md, "Security modules"): the tenant's keys are the host's
  // configuration, and a stored value that does not open is the store's fault, never the caller's
  TENANT_KEY_MISSING: of("Unavailable"),
  UNKNOWN_KEY_ID: of("Unavailable"),
  CIPHERTEXT_REJECTED: of("Unavailable"),
  INVALID_KEY_CONFIGURATION: of("Unavailable"),
  // cards (DOMAIN.md §2)
  CARD_NOT_FOUND: of("NotFound"),
  INVALID_STATUS_TRANSITION: of("Conflict"),
  CUSTOMER_NOT_FOUND: of("NotFound"),
  ACCOUNT_NOT_FOUND: of("NotFound"),
  // upgrades (seed 000, DOMAIN.md §4)
  KIT_INFO_COUNT_OUT_OF_RANGE: of("InvalidRequest"),
  DUPLICATE_CARD_TYPE: of("InvalidRequest"),
  PRODUCT_NOT_FOUND: of("NotFound"),
  // the tenant's ladder lacks a tier of its own catalog or cards: its configuration, not the request
  TIER_NOT_ON_LADDER: of("Unavailable"),
  TIER_DOWNGRADE: of("Refused"),
  SAME_PRODUCT_UPGRADE: of("Refused"),
  // card orders (seed 001, DOMAIN.md §7)
  CARD_ORDER_NOT_FOUND: of("NotFound"),
  ORDER_BRANCH_MISMATCH: of("Refused"),
  ORDER_NOT_CANCELLABLE: of("Conflict"),
  // replacements (seed 003, DOMAIN.md §5): the table's rows, and the catalog's gap
  ACCOUNT_CLOSED: seed003("Refused", "ACCOUNT_CLOSED"),
  ACCOUNT_SUSPENDED: seed003("Refused", "ACCOUNT_SUSPENDED"),
  ACCOUNT_NOT_ACTIVE: seed003("Refused", "ACCOUNT_NOT_ACTIVE"),
  ACCOUNT_NOT_REGISTERED: seed003("Refused", "ACCOUNT_NOT_REGISTERED"),
  LOYALTY_ID_NOT_ON_ACCOUNT: seed003("NotFound", "LOYALTY_ID_NOT_ON_ACCOUNT"),
  INVALID_REPLACEMENT_STATUS: seed003("InvalidRequest", "INVALID_REPLACEMENT_STATUS"),
  CARD_CANCELLED: seed003("Conflict", "CARD_CANCELLED"),
  CARD_DAMAGED: seed003("Conflict", "CARD_DAMAGED"),
  CARD_LOST_OR_STOLEN: seed003("Conflict", "CARD_LOST_OR_STOLEN"),
  REPLACEMENT_LIMIT_EXCEEDED: seed003("Refused", "REPLACEMENT_LIMIT_EXCEEDED"),
  NEW_LOYALTY_ID_IN_USE: seed003("Conflict", "NEW_LOYALTY_ID_IN_USE"),
  REPLACEMENT_PRODUCT_NOT_FOUND: of("Unavailable"),
  // PINs (seed 001, DOMAIN.md §6)
  INVALID_CARD_STATUS: of("Conflict"),
  EXPIRY_DATE_MISMATCH: of("Refused"),
  TRIVIAL_PIN: of("Refused"),
  // the card's PIN is blocked: the same request is right again once a new PIN is set
  PIN_TRIES_EXCEEDED: of("Conflict"),
  INVALID_PIN_BLOCK: of("InvalidRequest"),
  INVALID_PIN_INPUT: of("InvalidRequest"),
  // a key and a random source are the host's, never the caller's
  INVALID_KEY: of("Unavailable"),
  INVALID_RANDOM_SOURCE: of("Unavailable"),
  // tokens (seed 004, DOMAIN.md §8)
  TOKEN_NOT_FOUND: of("NotFound"),
  TOKEN_NOT_UPDATABLE: of("Conflict"),
  ACCOUNT_RANGE_MISMATCH: of("Refused"),
  CARDHOLDER_HAS_SEVERAL_PANS: of("Refused")
}

/**
 * The row of an error of the model.
 *
 * @category getters
 * @since 0.1.0
 */
export const errorRow = (error: ModelError): ErrorRow => errorTable[error.code]

/**
 * The HTTP status an adapter answers an error with.
 *
 * @category getters
 * @since 0.1.0
 */
export const httpStatusOf = (error: ModelError): number => errorRow(error).status

/**
 * The kind of an error.
 *
 * @category getters
 * @since 0.1.0
 */
export const errorKindOf = (error: ModelError): ErrorKind => errorRow(error).kind

// the codes an error class can carry: its `code` field is one literal, or a union of them
const codesOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  SchemaAST.isLiteral(ast) ? [String(ast.literal)] : SchemaAST.isUnion(ast) ? ast.types.flatMap(codesOf) : []

/**
 * Every error class of the model with the codes it carries, in the order of `ModelError`.
 *
 * @category getters
 * @since 0.1.0
 */
export const errorCodes = (): ReadonlyArray<{ readonly tag: string; readonly code: ErrorCode }> =>
  ModelError.members.flatMap((error) =>
    codesOf(error.fields.code.ast).map((code) => ({ tag: error.identifier, code: code as ErrorCode }))
  )

/**
 * The error table as the Markdown table of docs/errors.md, one line per code.
 *
 * @category getters
 * @since 0.1.0
 */
export const errorTableMarkdown = (): string =>
  [
    "| error | code | kind | HTTP status |",
    "| --- | --- | --- | --- |",
    ...errorCodes().map(({ tag, code }) => {
      const { kind, status } = errorTable[code]
      return `| \`${tag}\` | \`${code}\` | ${kind} | ${status} |`
    })
  ].join("\n")
