/**
 * What every request goes through, around the router: its id, the body limit, the answers the
 * framework would otherwise give empty (an unknown path or method, a missing `tenant` header), the
 * unexpected failure, the security headers, and one structured log line.
 *
 * @since 0.1.0
 */
import { ByteSize, Cause, Clock, Effect } from "effect"
import { HttpIncomingMessage, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApiError } from "effect/http-api"
import { maskDigitRuns } from "../../domain/ground/Masking.js"
import { validationError } from "../../domain/ground/Validation.js"
import { CardLifecycleApi } from "./Api.js"
import { MAX_BODY_BYTES, MethodNotAllowed, RouteNotFound, UnexpectedError } from "./HttpErrors.js"
import { familyOf, refusalFormat, refusalResponse } from "./Wire.js"

/**
 * Where the API reference page and the OpenAPI document are served.
 *
 * @category constants
 */
export const DOCS_PATH = "/v1/docs"
export const OPENAPI_PATH = "/v1/openapi.json"

/** A route of the service, as a pattern over the path. */
interface KnownRoute {
  readonly method: string
  readonly pattern: RegExp
}

const patternOf = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split("/")
      .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/")}/?$`
  )

const knownRoutes: ReadonlyArray<KnownRoute> = [
  ...Object.values(CardLifecycleApi.groups).flatMap((group) =>
    Object.values(group.endpoints).map((endpoint) => ({
      method: endpoint.method,
      pattern: patternOf(endpoint.path)
    }))
  ),
  { method: "GET", pattern: patternOf(DOCS_PATH) },
  { method: "GET", pattern: patternOf(OPENAPI_PATH) }
]

/** The methods the service answers at `path`: none for an unknown path. */
const methodsAt = (path: string): ReadonlyArray<string> => {
  const methods = knownRoutes.filter((route) => route.pattern.test(path)).map((route) => route.method)
  return methods.includes("GET") ? [...methods, "HEAD"] : methods
}

/**
 * The client's `x-request-id` when it is a plain token of at most 128 characters that holds no
 * run of 9 or more digits (it is echoed and logged, so it must not carry a card number); a fresh
 * UUID otherwise.
 */
const requestIdOf = (header: string | undefined): string =>
  header !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(header) && maskDigitRuns(header, 9) === header
    ? header
    : crypto.randomUUID()

/** A path or tenant as a log shows it: digit runs that could be a card number masked, bounded. */
const forLog = (text: string, max: number): string => {
  const masked = maskDigitRuns(text, 9)
  return masked.length <= max ? masked : `${masked.slice(0, max)}…`
}

const pathOf = (url: string): string => url.split("?")[0] ?? url

/**
 * The headers of every answer: no cache may keep card data; no sniffing, framing or referrer; a
 * content security policy that lets an answer load nothing (the reference page: its own inline
 * scripts and styles only).
 *
 * @category constants
 */
export const securityHeaders = {
  "cache-control": "no-cache, no-store, must-revalidate",
  pragma: "no-cache",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
} as const

/**
 * The policy of the reference page: the page's own inline script and styles, data images and fonts,
 * and requests to this service only (its "Test request" button).
 *
 * @category constants
 */
export const docsContentSecurityPolicy =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

const isRouteNotFound = (cause: Cause.Cause<unknown>): boolean =>
  cause.reasons.some(
    (reason) =>
      Cause.isFailReason(reason) &&
      typeof reason.error === "object" &&
      reason.error !== null &&
      "reason" in reason.error &&
      (reason.error as { reason: { _tag: string } }).reason._tag === "RouteNotFound"
  )

const isMissingHeader = (cause: Cause.Cause<unknown>): boolean =>
  cause.reasons.some(
    (reason) =>
      Cause.isDieReason(reason) &&
      HttpApiError.HttpApiSchemaError.is(reason.defect) &&
      reason.defect.kind === "Headers"
  )

const isInterruptedOnly = (cause: Cause.Cause<unknown>): boolean =>
  cause.reasons.length > 0 && cause.reasons.every(Cause.isInterruptReason)

/** The answer for a failure no handler answered, in the family's shape of the path. */
const answerFailure = (
  request: HttpServerRequest.HttpServerRequest,
  path: string,
  cause: Cause.Cause<unknown>
) =>
  Effect.gen(function* () {
    const family = familyOf(path)
    const format = refusalFormat(request)
    if (isRouteNotFound(cause)) {
      const allowed = methodsAt(path)
      return refusalResponse(
        family,
        allowed.length === 0 ? new RouteNotFound() : new MethodNotAllowed({ allowed }),
        format
      )
    }
    if (isMissingHeader(cause))
      return refusalResponse(family, validationError([{ path: "tenant", message: "Missing key" }]), format)
    const errorId = crypto.randomUUID()
    yield* Effect.logError("request failed unexpectedly").pipe(
      Effect.annotateLogs({ errorId, cause: forLog(Cause.pretty(cause), 4000) })
    )
    return refusalResponse(family, new UnexpectedError({ errorId }), format)
  })

/**
 * The global middleware of the service.
 *
 * @category middleware
 */
export const edge = HttpRouter.middleware(
  (httpEffect) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const started = yield* Clock.currentTimeMillis
      const requestId = requestIdOf(request.headers["x-request-id"])
      const path = pathOf(request.url)
      const answered = yield* httpEffect.pipe(
        Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(MAX_BODY_BYTES)),
        Effect.catchCause((cause) =>
          isInterruptedOnly(cause) ? Effect.failCause(cause) : answerFailure(request, path, cause)
        )
      )
      const response = HttpServerResponse.setHeaders(answered, {
        ...securityHeaders,
        ...(path === DOCS_PATH ? { "content-security-policy": docsContentSecurityPolicy } : {}),
        "x-request-id": requestId
      })
      const ended = yield* Clock.currentTimeMillis
      yield* Effect.logInfo("request").pipe(
        Effect.annotateLogs({
          requestId,
          method: request.method,
          path: forLog(path, 256),
          tenant: forLog(request.headers.tenant ?? "", 64),
          status: response.status,
          durationMs: ended - started
        })
      )
      return response
    }),
  { global: true }
)
