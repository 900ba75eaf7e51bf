/**
 * What every request goes through, around the router: its id, the body limit, the answers the
 * framework would otherwise give empty (an unknown path or method, a missing `tenant` header), the
 * unexpected failure, the security headers, and one structured log line.
 *
 * @since 0.1.0
 */
import { ByteSize, Cause, Clock, Effect } from "effect"
import { Base64 } from "effect/encoding"
import {
  type HttpBody,
  HttpIncomingMessage,
  HttpRouter,
  HttpServerRequest,
  HttpServerResponse
} from "effect/http"
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
 * The bodies of a page's inline `<script>` elements as the HTML parser reads them: from the end of
 * the start tag to the first `</script` (case-insensitive); the scripts with a `src` are left out.
 */
const inlineScriptsOf = (html: string): ReadonlyArray<string> => {
  const scripts: Array<string> = []
  const open = /<script(?=[\s/>])[^>]*>/gi
  const close = /<\/script/gi
  for (let tag = open.exec(html); tag !== null; tag = open.exec(html)) {
    close.lastIndex = open.lastIndex
    const end = close.exec(html)
    if (end === null) break
    if (!/\ssrc\s*=/i.test(tag[0])) scripts.push(html.slice(open.lastIndex, end.index))
    open.lastIndex = end.index
  }
  return scripts
}

const utf8 = new TextEncoder()

/** The CSP source of a script: `'sha256-…'`, the Base64 of the SHA-256 of its UTF-8 text. */
const scriptHashSource = async (script: string): Promise<string> =>
  `'sha256-${Base64.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(script))))}'`

const docsPolicyOf = async (body: HttpBody.HttpBody): Promise<string> => {
  const html = body._tag === "Uint8Array" ? (body.text ?? new TextDecoder().decode(body.body)) : undefined
  const hashes = new Set(
    await Promise.all((html === undefined ? [] : inlineScriptsOf(html)).map(scriptHashSource))
  )
  const scripts = hashes.size === 0 ? "'none'" : [...hashes].join(" ")
  return `default-src 'none'; script-src ${scripts}; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`
}

/** The policy of each body the reference page was answered with: one, the page being made once. */
const docsPolicies = new WeakMap<HttpBody.HttpBody, Promise<string>>()

/**
 * The policy of the reference page: its own inline scripts only, each allowed by its SHA-256 (no
 * `'unsafe-inline'` for scripts; the page is made once, and its hashes computed once, off the event
 * loop, by Web Crypto), inline styles (Scalar injects its own), data images and fonts, and requests to
 * this service only (its "Test request" button). An answer that is not text gets `script-src 'none'`.
 *
 * @category constructors
 */
export const docsContentSecurityPolicy = (
  response: HttpServerResponse.HttpServerResponse
): Effect.Effect<string> =>
  Effect.promise(() => {
    const known = docsPolicies.get(response.body)
    if (known !== undefined) return known
    const policy = docsPolicyOf(response.body)
    docsPolicies.set(response.body, policy)
    return policy
  })

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
      const docsPolicy = path === DOCS_PATH ? yield* docsContentSecurityPolicy(answered) : undefined
      const response = HttpServerResponse.setHeaders(answered, {
        ...securityHeaders,
        ...(docsPolicy === undefined ? {} : { "content-security-policy": docsPolicy }),
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
