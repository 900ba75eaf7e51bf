/**
 * Decoding of untrusted requests: every bad field is reported at once, by path and rule, and no input
 * value is echoed (a request may hold a PAN).
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema, SchemaIssue } from "effect"
import { TenantId } from "./Identifiers.js"
import { maskDigitRuns } from "./Masking.js"

/**
 * @category models
 */
export interface FieldIssue {
  /** The field's path, dot-separated (`kitInfo.0.cardType`); empty for the request itself. */
  readonly path: string
  /** The rule the field broke. */
  readonly message: string
}

/**
 * The request (or the tenant) broke one or more field rules. Nothing was read or changed.
 *
 * @category errors
 */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", {
  code: Schema.tag("VALIDATION_FAILED"),
  message: Schema.String,
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  constructor(props: { readonly issues: ReadonlyArray<FieldIssue> }) {
    super({
      issues: props.issues,
      message: `Invalid request: ${props.issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")}`
    })
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * A path names fields, but an unknown key is caller data: a run of 9 or more digits in it (an account
 * PAN has 9, DOMAIN.md §8), whatever separates them, could be a card number sent as a key, so it is
 * masked like one (`maskDigitRuns`).
 */
const pathSegment = (segment: unknown): string =>
  maskDigitRuns(
    String(typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment),
    9
  )

const toValidationError = (prefix: ReadonlyArray<PropertyKey>) => (error: Schema.SchemaError) =>
  new ValidationError({
    issues: formatter(error.issue).issues.map((issue) => ({
      path: [...prefix, ...(issue.path ?? [])].map(pathSegment).join("."),
      message: issue.message
    }))
  })

const parseOptions = { errors: "all", onExcessProperty: "error" } as const

type Decodable = Schema.Constraint & { readonly DecodingServices: never }

const decodeResult = <S extends Decodable>(schema: S, prefix: ReadonlyArray<PropertyKey>) => {
  const decode = Schema.decodeUnknownResult(schema, parseOptions)
  const toError = toValidationError(prefix)
  return (input: unknown): Result.Result<S["Type"], ValidationError> =>
    Result.mapError(decode(input), toError)
}

/**
 * Decodes an untrusted value with a schema, reporting every bad field.
 *
 * @category constructors
 */
export const decodeWith = <S extends Decodable>(schema: S, prefix: ReadonlyArray<PropertyKey> = []) => {
  const decode = decodeResult(schema, prefix)
  return (input: unknown): Effect.Effect<S["Type"], ValidationError> => Effect.fromResult(decode(input))
}

const decodeTenantId = decodeResult(TenantId, ["tenant"])

/**
 * Decodes the tenant and the request of a use case together, so that a bad tenant and bad fields
 * are reported in one error. DOMAIN.md §1: this happens before any port is touched.
 *
 * @category constructors
 */
export const decodeTenantRequest = <S extends Decodable>(schema: S) => {
  const decodeRequest = decodeResult(schema, [])
  return (
    tenant: unknown,
    request: unknown
  ): Effect.Effect<{ readonly tenant: TenantId; readonly request: S["Type"] }, ValidationError> => {
    const t = decodeTenantId(tenant)
    const r = decodeRequest(request)
    if (Result.isSuccess(t) && Result.isSuccess(r))
      return Effect.succeed({ tenant: t.success, request: r.success })
    const issues = [
      ...(Result.isFailure(t) ? t.failure.issues : []),
      ...(Result.isFailure(r) ? r.failure.issues : [])
    ]
    return Effect.fail(new ValidationError({ issues }))
  }
}
