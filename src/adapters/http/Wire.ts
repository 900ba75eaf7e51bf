/**
 * What every endpoint does on the wire around its use case: read the body (its type, its size, well
 * formed), choose the answer's type, and write a success or a refusal in the shape of the endpoint's
 * family. The three families are the seeds' three platforms: the DCMS kit manager (seeds 000-002),
 * the loyalty platform (seed 003) and the token service (seed 004).
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpServerResponse } from "effect/http"
import { ModelError } from "../../domain/ErrorModel.js"
import { ACCEPTED } from "./Api.js"
import {
  type HttpError,
  HttpError as HttpErrorSchema,
  MAX_BODY_BYTES,
  MalformedBody,
  NotAcceptable,
  PayloadTooLarge,
  type Refusal,
  statusOf,
  UnsupportedMediaType
} from "./HttpErrors.js"
import { parseUpdateRequest, renderTokenAnswer, renderTokenRefusal } from "./Xml.js"

/**
 * The platform an endpoint belongs to, which decides the shape of its answers and refusals.
 *
 * @category models
 */
export type Family = "dcms" | "loyalty" | "token"

/**
 * The family of a path: `/v1/client/…` is the loyalty platform's, `/v1/api/…` the token service's,
 * anything else (the kit manager, unknown paths) the DCMS shape.
 *
 * @category getters
 */
export const familyOf = (path: string): Family =>
  path.startsWith("/v1/client/") ? "loyalty" : path.startsWith("/v1/api/") ? "token" : "dcms"

/**
 * The type a body is read as, and an answer written in.
 *
 * @category models
 */
export type Format = "json" | "xml"

/** `application/json; charset=utf-8` → `application/json`. */
const mediaTypeOf = (header: string | undefined): string =>
  (header ?? "").split(";")[0]?.trim().toLowerCase() ?? ""

const formatOfMediaType = (mediaType: string): Format | undefined =>
  (ACCEPTED.json as ReadonlyArray<string>).includes(mediaType)
    ? "json"
    : (ACCEPTED.xml as ReadonlyArray<string>).includes(mediaType)
      ? "xml"
      : undefined

/**
 * The format of the request's body, among `formats`; `UnsupportedMediaType` for any other type.
 *
 * @category parsing
 */
export const bodyFormat = (
  request: HttpServerRequest.HttpServerRequest,
  formats: ReadonlyArray<Format>
): Result.Result<Format, UnsupportedMediaType> => {
  const format = formatOfMediaType(mediaTypeOf(request.headers["content-type"]))
  return format !== undefined && formats.includes(format)
    ? Result.succeed(format)
    : Result.fail(new UnsupportedMediaType({ accepted: formats.map((f) => ACCEPTED[f][0]) }))
}

/**
 * The body as text, at most {@link MAX_BODY_BYTES}: a larger one (by its `Content-Length`, or once
 * that many bytes have arrived) is `PayloadTooLarge`, never read to its end.
 *
 * @category parsing
 */
export const bodyText = (
  request: HttpServerRequest.HttpServerRequest,
  format: Format
): Effect.Effect<string, PayloadTooLarge | MalformedBody> => {
  const length = Number(request.headers["content-length"])
  if (Number.isFinite(length) && length > MAX_BODY_BYTES)
    return Effect.fail(new PayloadTooLarge({ maxBytes: MAX_BODY_BYTES }))
  return request.text.pipe(
    Effect.catch((error) =>
      Effect.fail(
        error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge"
          ? new PayloadTooLarge({ maxBytes: MAX_BODY_BYTES })
          : new MalformedBody({ format: format === "xml" ? "XML" : "JSON", why: "malformed" })
      )
    )
  )
}

const parseJson = (text: string): Result.Result<unknown, MalformedBody> => {
  if (text.trim() === "") return Result.fail(new MalformedBody({ format: "JSON", why: "empty" }))
  try {
    return Result.succeed(JSON.parse(text))
  } catch {
    // JSON.parse's own message quotes the text around the mistake: never repeated
    return Result.fail(new MalformedBody({ format: "JSON", why: "malformed" }))
  }
}

/**
 * The request's body, parsed: JSON for every endpoint, and seed 004's `UpdateRequest` XML where
 * `formats` allows it. What comes out is untrusted: the use case decodes it.
 *
 * @category parsing
 */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  formats: ReadonlyArray<Format> = ["json"]
): Effect.Effect<{ readonly format: Format; readonly body: unknown }, HttpError> =>
  Effect.gen(function* () {
    const format = yield* Effect.fromResult(bodyFormat(request, formats))
    const text = yield* bodyText(request, format)
    const body = yield* Effect.fromResult(format === "xml" ? parseUpdateRequest(text) : parseJson(text))
    return { format, body }
  })

interface Preference {
  readonly format: Format | "any"
  readonly q: number
}

const preferenceOf = (range: string): Preference | undefined => {
  const [type = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase())
  const qParam = params.find((p) => p.startsWith("q="))
  const q = qParam === undefined ? 1 : Number(qParam.slice(2))
  if (!Number.isFinite(q) || q <= 0) return undefined
  if (type === "*/*" || type === "application/*" || type === "text/*") return { format: "any", q }
  const format = formatOfMediaType(type)
  return format === undefined ? undefined : { format, q }
}

/**
 * The type to answer in (RFC 9110 §12.5.1): the client's most preferred of JSON and XML; the body's
 * own type when it accepts either (or sends no `Accept`); `NotAcceptable` when it accepts neither.
 *
 * @category parsing
 */
export const answerFormat = (
  request: HttpServerRequest.HttpServerRequest,
  bodyType: Format
): Result.Result<Format, NotAcceptable> => {
  const accept = request.headers.accept
  if (accept === undefined || accept.trim() === "") return Result.succeed(bodyType)
  const preferences = accept
    .split(",")
    .map(preferenceOf)
    .filter((p): p is Preference => p !== undefined)
  const best = preferences.reduce<Preference | undefined>(
    (chosen, p) =>
      chosen === undefined ||
      p.q > chosen.q ||
      (p.q === chosen.q && chosen.format === "any" && p.format !== "any")
        ? p
        : chosen,
    undefined
  )
  if (best === undefined)
    return Result.fail(new NotAcceptable({ available: [ACCEPTED.json[0], ACCEPTED.xml[0]] }))
  return Result.succeed(best.format === "any" ? bodyType : best.format)
}

/**
 * The format the token service's refusals take before the body is judged: XML when the client sent
 * XML or prefers it, else JSON.
 *
 * @category parsing
 */
export const refusalFormat = (request: HttpServerRequest.HttpServerRequest): Format => {
  const sent = formatOfMediaType(mediaTypeOf(request.headers["content-type"])) ?? "json"
  return Result.getOrElse(answerFormat(request, sent), () => sent)
}

const XML_CONTENT_TYPE = "application/xml; charset=utf-8"

const xmlResponse = (text: string, status: number) =>
  HttpServerResponse.text(text, { status, contentType: XML_CONTENT_TYPE })

/**
 * The writer of a JSON success whose body `schema` encodes: the encoder is made once, when the
 * endpoint's handler is, not at each answer.
 *
 * @category rendering
 */
export const jsonSuccess = <A>(schema: Schema.Codec<A, unknown>) => {
  const encode = Schema.encodeSync(schema)
  return (answer: A) => HttpServerResponse.jsonUnsafe(encode(answer))
}

/**
 * The writer of a token-service success, in the chosen format; its encoder made once.
 *
 * @category rendering
 */
export const tokenSuccess = <A extends object>(schema: Schema.Codec<A, unknown>) => {
  const encode = Schema.encodeSync(schema)
  return (answer: A, format: Format) => {
    const encoded = encode(answer) as object
    return format === "xml"
      ? xmlResponse(renderTokenAnswer(encoded), 200)
      : HttpServerResponse.jsonUnsafe(encoded)
  }
}

const encodeError = Schema.encodeSync(Schema.Union([ModelError, HttpErrorSchema]))

const issuesOf = (error: Refusal) =>
  error._tag === "ValidationError"
    ? error.issues.map((i) => ({ path: i.path, message: i.message }))
    : undefined

const errorIdOf = (error: Refusal) => (error._tag === "UnexpectedError" ? error.errorId : undefined)

const loyaltyBody = (error: Refusal, status: number) => {
  const issues = issuesOf(error)
  const errorId = errorIdOf(error)
  return {
    statusCode: error._tag === "CardReplacementRefused" ? error.statusCode : status,
    errorMessage: error.message,
    errorCode: error._tag === "CardReplacementRefused" ? error.errorCode : error.code,
    code: error.code,
    ...(issues === undefined ? {} : { issues }),
    ...(errorId === undefined ? {} : { errorId })
  }
}

const tokenServiceBody = (error: Refusal) => {
  const issues = issuesOf(error)
  const errorId = errorIdOf(error)
  const recoverable = error._tag === "StoreError" ? error.retryable : error._tag === "UnexpectedError"
  return {
    Errors: {
      Error:
        issues === undefined
          ? [
              {
                Source: "request",
                ReasonCode: error.code,
                Description: error.message,
                Recoverable: recoverable
              }
            ]
          : issues.map((issue) => ({
              Source: issue.path === "" ? "request" : issue.path,
              ReasonCode: error.code,
              Description: issue.message,
              Recoverable: false
            }))
    },
    ...(errorId === undefined ? {} : { errorId })
  }
}

/**
 * A refusal in the family's shape, with the status of the error tables (`statusOf`): the DCMS
 * envelope with the encoded error in `exception`; seed 003's error row; the token service's
 * `Errors`, in JSON or XML. A `MethodNotAllowed` also sets `Allow`.
 *
 * @category rendering
 */
export const refusalResponse = (family: Family, error: Refusal, format: Format = "json") => {
  const status = statusOf(error)
  const response =
    family === "dcms"
      ? HttpServerResponse.jsonUnsafe(
          { result: null, exception: encodeError(error), pagination: null },
          { status }
        )
      : family === "loyalty"
        ? HttpServerResponse.jsonUnsafe(loyaltyBody(error, status), { status })
        : format === "xml"
          ? xmlResponse(renderTokenRefusal(tokenServiceBody(error)), status)
          : HttpServerResponse.jsonUnsafe(tokenServiceBody(error), { status })
  return error._tag === "MethodNotAllowed"
    ? HttpServerResponse.setHeader(response, "allow", error.allowed.join(", "))
    : response
}
