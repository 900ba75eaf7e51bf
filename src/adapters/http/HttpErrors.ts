/**
 * The refusals of the HTTP layer itself, before a request reaches a use case: a body that is not
 * well-formed, of a type or size the endpoint does not take, a path or method no endpoint answers, an
 * answer type the client does not accept, and the unexpected failure. They have the error model's
 * shape (`_tag`, `code`, `message`, data), and their statuses sit in one table beside the model's
 * (docs/http.md, "Errors").
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { errorTable, type ModelError } from "../../domain/ErrorModel.js"

/**
 * The most bytes a request body may hold: the largest request of the seeds (a token update in XML
 * with a 500-character comment) is under 2 KiB.
 *
 * @category constants
 */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * The body is not well-formed in the type it was sent as (JSON or XML), is empty, or holds an XML
 * document type declaration (entities are never expanded, so a DOCTYPE is refused whole).
 *
 * @category errors
 */
export class MalformedBody extends Schema.TaggedError<MalformedBody>()("MalformedBody", {
  code: Schema.tag("MALFORMED_BODY"),
  message: Schema.String,
  format: Schema.Literals(["JSON", "XML"])
}) {
  constructor(props: { readonly format: "JSON" | "XML"; readonly why: "empty" | "malformed" | "doctype" }) {
    super({
      format: props.format,
      message:
        props.why === "empty"
          ? `The request has no body; send the request as ${props.format}.`
          : props.why === "doctype"
            ? "The XML body holds a document type declaration, which is not accepted."
            : `The body is not well-formed ${props.format}.`
    })
  }
}

/**
 * The body's `Content-Type` is not one the endpoint takes. The header is not repeated (a caller's
 * text); the types the endpoint takes are.
 *
 * @category errors
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  code: Schema.tag("UNSUPPORTED_MEDIA_TYPE"),
  message: Schema.String,
  accepted: Schema.Array(Schema.String)
}) {
  constructor(props: { readonly accepted: ReadonlyArray<string> }) {
    super({
      accepted: props.accepted,
      message: `The body must be sent as ${props.accepted.join(" or ")}.`
    })
  }
}

/**
 * The body is larger than {@link MAX_BODY_BYTES}; it was not read to its end.
 *
 * @category errors
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  code: Schema.tag("PAYLOAD_TOO_LARGE"),
  message: Schema.String,
  maxBytes: Schema.Number
}) {
  constructor(props: { readonly maxBytes: number }) {
    super({ maxBytes: props.maxBytes, message: `The body exceeds ${props.maxBytes} bytes.` })
  }
}

/**
 * The client accepts none of the types the endpoint answers in.
 *
 * @category errors
 */
export class NotAcceptable extends Schema.TaggedError<NotAcceptable>()("NotAcceptable", {
  code: Schema.tag("NOT_ACCEPTABLE"),
  message: Schema.String,
  available: Schema.Array(Schema.String)
}) {
  constructor(props: { readonly available: ReadonlyArray<string> }) {
    super({
      available: props.available,
      message: `This endpoint answers in ${props.available.join(" or ")} only.`
    })
  }
}

/**
 * No endpoint answers at the path. The path is not repeated (a caller's text).
 *
 * @category errors
 */
export class RouteNotFound extends Schema.TaggedError<RouteNotFound>()("RouteNotFound", {
  code: Schema.tag("ROUTE_NOT_FOUND"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "No endpoint answers at this path; the endpoints are listed at /v1/docs." })
  }
}

/**
 * An endpoint answers at the path, but not to the method; `allowed` is also the `Allow` header.
 *
 * @category errors
 */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  code: Schema.tag("METHOD_NOT_ALLOWED"),
  message: Schema.String,
  allowed: Schema.Array(Schema.String)
}) {
  constructor(props: { readonly allowed: ReadonlyArray<string> }) {
    super({
      allowed: props.allowed,
      message: `This path answers ${props.allowed.join(", ")} only.`
    })
  }
}

/**
 * Something failed that no rule foresees (a defect). The answer says nothing of it but `errorId`,
 * which the service logs beside the failure.
 *
 * @category errors
 */
export class UnexpectedError extends Schema.TaggedError<UnexpectedError>()("UnexpectedError", {
  code: Schema.tag("UNEXPECTED_ERROR"),
  message: Schema.String,
  errorId: Schema.String
}) {
  constructor(props: { readonly errorId: string }) {
    super({
      errorId: props.errorId,
      message: `The request failed unexpectedly; quote error id ${props.errorId} to the operator.`
    })
  }
}

/**
 * Every refusal of the HTTP layer.
 *
 * @category errors
 */
export const HttpError = Schema.Union([
  MalformedBody,
  UnsupportedMediaType,
  PayloadTooLarge,
  NotAcceptable,
  RouteNotFound,
  MethodNotAllowed,
  UnexpectedError
])
export type HttpError = typeof HttpError.Type

/**
 * The status of each refusal of the HTTP layer (RFC 9110 §15).
 *
 * @category models
 */
export const httpErrorStatus: { readonly [C in HttpError["code"]]: number } = {
  MALFORMED_BODY: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  NOT_ACCEPTABLE: 406,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNEXPECTED_ERROR: 500
}

/**
 * Any error a response can carry: the model's or the HTTP layer's.
 *
 * @category models
 */
export type Refusal = ModelError | HttpError

const httpCodes: ReadonlySet<string> = new Set(Object.keys(httpErrorStatus))

const isHttpError = (error: Refusal): error is HttpError => httpCodes.has(error.code)

/**
 * The one place a refusal gets its status: the error model's table (`errorTable`), or the HTTP
 * layer's.
 *
 * @category getters
 */
export const statusOf = (error: Refusal): number =>
  isHttpError(error) ? httpErrorStatus[error.code] : errorTable[error.code].status
