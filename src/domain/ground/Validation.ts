/**
 * Decoding of untrusted requests: every bad field is reported at once, by path and rule, and no input
 * value is echoed (a request may hold a PAN). Every request is bounded: an array's length and an
 * object's key count are checked before any of their elements is decoded, and an error lists at most
 * {@link MAX_REPORTED_ISSUES} issues (docs/errors.md).
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
 * The request (or the tenant) broke one or more field rules. Nothing was read or changed. Built by
 * {@link validationError}, it lists at most {@link MAX_REPORTED_ISSUES} issues and then one more,
 * at the empty path, counting the rest (`and 37 more issues`).
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

/**
 * The most issues a `ValidationError` lists one by one; the rest are counted in one last issue.
 *
 * @category models
 */
export const MAX_REPORTED_ISSUES = 20

/**
 * The most keys an object of a request may hold: the largest request (updateToken's) has 10 fields,
 * so this leaves room for every field and dozens of unknown keys, each reported, while an object
 * of thousands of keys is refused with one issue before any key is looked at one by one.
 *
 * @category models
 */
export const MAX_KEYS = 64

/** Effect's own words for a key the schema does not have, which docs/token-update.md quotes. */
const UNKNOWN_KEY = "Expected no excess property"

/** The longest piece of an unknown key a path shows; the rest is cut, marked with `…`. */
const MAX_SEGMENT = 32

/**
 * The error for `issues`: the broken field rules first, in the order found, then the unknown keys;
 * past {@link MAX_REPORTED_ISSUES}, one last issue counts the rest, so that neither the error nor
 * its message grows with the request.
 *
 * @category constructors
 */
export const validationError = (issues: ReadonlyArray<FieldIssue>): ValidationError => {
  const ordered = [
    ...issues.filter((i) => i.message !== UNKNOWN_KEY),
    ...issues.filter((i) => i.message === UNKNOWN_KEY)
  ]
  if (ordered.length <= MAX_REPORTED_ISSUES) return new ValidationError({ issues: ordered })
  const rest = ordered.length - MAX_REPORTED_ISSUES
  return new ValidationError({
    issues: [
      ...ordered.slice(0, MAX_REPORTED_ISSUES),
      { path: "", message: `and ${rest} more ${rest === 1 ? "issue" : "issues"}` }
    ]
  })
}

const isRecord = (input: unknown): input is { readonly [key: string]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input)

// `abort`: an object over the bound is not decoded further, so none of its keys costs an issue
const keysAtMost = Schema.makeFilter(
  (input: unknown) =>
    !isRecord(input) || Object.keys(input).length <= MAX_KEYS
      ? undefined
      : `must hold at most ${MAX_KEYS} keys`,
  undefined,
  true
)

/**
 * An array of at most `maxEntries` entries. Its length is checked before any entry is decoded (a
 * check on `Schema.Array` runs after its entries), so a million entries cost one comparison and one
 * issue: `must hold at most N entries`.
 *
 * @category schemas
 */
export const boundedArray = <S extends Schema.Top>(item: S, maxEntries: number) =>
  Schema.declare((input: unknown): input is ReadonlyArray<S["Encoded"]> => Array.isArray(input), {
    expected: "array"
  })
    .check(
      Schema.makeFilter(
        (entries: ReadonlyArray<unknown>) =>
          entries.length <= maxEntries ? undefined : `must hold at most ${maxEntries} entries`,
        undefined,
        true
      )
    )
    .pipe(Schema.decodeTo(Schema.Array(item)))

/**
 * A struct nested in a request: an object of more than {@link MAX_KEYS} keys is refused before any
 * of its fields is decoded (the request itself is bounded by {@link decodeTenantRequest}).
 *
 * @category schemas
 */
export const boundedStruct = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.declare((input: unknown): input is Schema.Struct<Fields>["Encoded"] => isRecord(input), {
    expected: "object"
  })
    .check(keysAtMost)
    .pipe(Schema.decodeTo(Schema.Struct(fields)))

const formatter = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => (issue._tag === "UnexpectedKey" ? UNKNOWN_KEY : SchemaIssue.defaultLeafHook(issue))
})

/**
 * A path names fields, but an unknown key is caller data: a run of 9 or more digits in it (an account
 * PAN has 9, DOMAIN.md §8), whatever separates them, could be a card number sent as a key, so it is
 * masked like one (`maskDigitRuns`), over the whole key so that a cut never splits a run; then a
 * long key is cut after {@link MAX_SEGMENT} characters.
 */
const pathSegment = (segment: unknown): string => {
  const masked = maskDigitRuns(
    // Stryker disable next-line StringLiteral: the formatter gives every path as property keys (never an object), so this branch is never taken
    String(typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment),
    9
  )
  return masked.length <= MAX_SEGMENT ? masked : `${masked.slice(0, MAX_SEGMENT)}…`
}

const issuesOf =
  (prefix: ReadonlyArray<PropertyKey>) =>
  (error: Schema.SchemaError): ReadonlyArray<FieldIssue> =>
    formatter(error.issue).issues.map((issue) => ({
      path: [...prefix, ...(issue.path ?? [])].map(pathSegment).join("."),
      message: issue.message
    }))

const parseOptions = { errors: "all", onExcessProperty: "error" } as const

type Decodable = Schema.Constraint & { readonly DecodingServices: never }

// The request's own key count is checked first, as a nested struct's is (`boundedStruct`)
const decodeResult = <S extends Decodable>(schema: S, prefix: ReadonlyArray<PropertyKey>) => {
  const decode = Schema.decodeUnknownResult(
    Schema.Unknown.check(keysAtMost).pipe(Schema.decodeTo(schema)),
    parseOptions
  )
  const toIssues = issuesOf(prefix)
  return (input: unknown): Result.Result<S["Type"], ReadonlyArray<FieldIssue>> =>
    Result.mapError(decode(input), toIssues)
}

/**
 * Decodes an untrusted value with a schema, reporting every bad field.
 *
 * @category constructors
 */
export const decodeWith = <S extends Decodable>(schema: S, prefix: ReadonlyArray<PropertyKey> = []) => {
  const decode = decodeResult(schema, prefix)
  return (input: unknown): Effect.Effect<S["Type"], ValidationError> =>
    Effect.fromResult(Result.mapError(decode(input), validationError))
}

const decodeTenantId = decodeResult(TenantId, ["tenant"])

const noCrossFieldIssues = (): ReadonlyArray<FieldIssue> => []

/**
 * Decodes the tenant and the request of a use case together, so that a bad tenant, bad fields and
 * the broken rules between fields (`crossFieldIssues`, judged on the raw request) are reported in
 * one error. DOMAIN.md §1: this happens before any port is touched.
 *
 * @category constructors
 */
export const decodeTenantRequest = <S extends Decodable>(
  schema: S,
  crossFieldIssues: (request: unknown) => ReadonlyArray<FieldIssue> = noCrossFieldIssues
) => {
  const decodeRequest = decodeResult(schema, [])
  return (
    tenant: unknown,
    request: unknown
  ): Effect.Effect<{ readonly tenant: TenantId; readonly request: S["Type"] }, ValidationError> => {
    const t = decodeTenantId(tenant)
    const r = decodeRequest(request)
    const crossField = crossFieldIssues(request)
    if (Result.isSuccess(t) && Result.isSuccess(r) && crossField.length === 0)
      return Effect.succeed({ tenant: t.success, request: r.success })
    return Effect.fail(
      validationError([
        ...(Result.isFailure(t) ? t.failure : []),
        ...(Result.isFailure(r) ? r.failure : []),
        ...crossField
      ])
    )
  }
}
