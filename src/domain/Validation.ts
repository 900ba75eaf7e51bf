/**
 * Decoding of untrusted requests: every bad field is reported at once, by path and rule, and no input
 * value is echoed (a request may hold a PAN).
 *
 * @since 0.1.0
 */
import { Effect, Schema, SchemaIssue } from "effect"
import { TenantId } from "./Identifiers.js"

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
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  readonly code = "VALIDATION_FAILED" as const
  override get message() {
    return `Invalid request: ${this.issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")}`
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const toValidationError = (prefix: ReadonlyArray<PropertyKey>) => (error: Schema.SchemaError) =>
  new ValidationError({
    issues: formatter(error.issue).issues.map((issue) => ({
      path: [...prefix, ...(issue.path ?? [])]
        .map((segment) => String(typeof segment === "object" && segment !== null ? segment.key : segment))
        .join("."),
      message: issue.message
    }))
  })

const parseOptions = { errors: "all", onExcessProperty: "error" } as const

/**
 * Decodes an untrusted value with a schema, reporting every bad field.
 *
 * @category constructors
 */
export const decodeWith =
  <S extends Schema.Constraint & { readonly DecodingServices: never }>(
    schema: S,
    prefix: ReadonlyArray<PropertyKey> = []
  ) =>
  (input: unknown): Effect.Effect<S["Type"], ValidationError> =>
    Schema.decodeUnknownEffect(schema)(input, parseOptions).pipe(Effect.mapError(toValidationError(prefix)))

const decodeTenantId = decodeWith(TenantId, ["tenant"])

/**
 * Decodes the tenant and the request of a use case together, so that a bad tenant and bad fields
 * are reported in one error. DOMAIN.md §1: this happens before any port is touched.
 *
 * @category constructors
 */
export const decodeTenantRequest =
  <S extends Schema.Constraint & { readonly DecodingServices: never }>(schema: S) =>
  (
    tenant: unknown,
    request: unknown
  ): Effect.Effect<{ readonly tenant: TenantId; readonly request: S["Type"] }, ValidationError> => {
    const decodeRequest = decodeWith(schema)
    return Effect.all([Effect.result(decodeTenantId(tenant)), Effect.result(decodeRequest(request))]).pipe(
      Effect.flatMap(([t, r]) => {
        if (t._tag === "Success" && r._tag === "Success") {
          return Effect.succeed({ tenant: t.success, request: r.success })
        }
        const issues = [
          ...(t._tag === "Failure" ? t.failure.issues : []),
          ...(r._tag === "Failure" ? r.failure.issues : [])
        ]
        return Effect.fail(new ValidationError({ issues }))
      })
    )
  }
