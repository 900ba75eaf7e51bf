/**
 * card-lifecycle/http: the reference HTTP service, the seeds' endpoints under `/v1` over the use
 * cases, built with `effect/http-api` on `@effect/platform-node`. The host provides the ports (the
 * memory adapter, the PostgreSQL one, its own) and, for logs, its logger (docs/http.md).
 *
 * ```ts
 * import { Layer } from "effect"
 * import { NodeRuntime } from "@effect/platform-node"
 * import * as Http from "card-lifecycle/http"
 * import { layer as memory } from "card-lifecycle/memory"
 *
 * Http.layer({ port: 8080 }).pipe(Layer.provide(memory(fixture)), Layer.launch, NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { stdout } from "node:process"
import { NodeHttpServer } from "@effect/platform-node"
import { type Duration, Layer, Logger, References } from "effect"
import { HttpRouter, type HttpServer, type HttpServerError } from "effect/http"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { CardLifecycleApi } from "./Api.js"
import { DOCS_PATH, edge, OPENAPI_PATH } from "./Edge.js"
import { type HttpPorts, KitManagerHandlers, LoyaltyHandlers, TokenServiceHandlers } from "./Handlers.js"

export * as Answers from "./Answers.js"
export { CardLifecycleApi, KitManager, Loyalty, TokenService } from "./Api.js"
export { DOCS_PATH, OPENAPI_PATH, securityHeaders } from "./Edge.js"
export type { HttpPorts } from "./Handlers.js"
export {
  HttpError,
  httpErrorStatus,
  MAX_BODY_BYTES,
  MalformedBody,
  MethodNotAllowed,
  NotAcceptable,
  PayloadTooLarge,
  type Refusal,
  RouteNotFound,
  statusOf,
  UnexpectedError,
  UnsupportedMediaType
} from "./HttpErrors.js"
export { type Family, familyOf } from "./Wire.js"

/**
 * The service's routes on an `HttpRouter`: every endpoint, the OpenAPI document at
 * {@link OPENAPI_PATH}, the reference page at {@link DOCS_PATH} (Scalar, its script served from this
 * package, no CDN), and the edge middleware. For a host that serves them on its own server.
 *
 * @category layers
 */
export const routes = Layer.mergeAll(
  HttpApiBuilder.layer(CardLifecycleApi, { openapiPath: OPENAPI_PATH }).pipe(
    Layer.provide([KitManagerHandlers, LoyaltyHandlers, TokenServiceHandlers])
  ),
  HttpApiScalar.layer(CardLifecycleApi, {
    path: DOCS_PATH,
    scalar: { withDefaultFonts: false, agent: { disabled: true }, defaultOpenAllTags: true, hideModels: true }
  }),
  edge
)

/**
 * @category models
 */
export interface ServeOptions {
  /** 8080 when omitted; 0 picks a free port. */
  readonly port?: number
  /** `127.0.0.1` when omitted. */
  readonly host?: string
  /** How long a shutdown waits for the requests in flight; 20 seconds when omitted. */
  readonly gracefulShutdownTimeout?: Duration.Input
}

/**
 * The service on a Node HTTP server: the routes, served at `host:port`, until the layer's scope
 * closes (then the server stops taking connections and the requests in flight finish). The
 * framework's own request log is off: the edge writes one line per request, masked.
 *
 * @category layers
 */
export const layer = (
  options: ServeOptions = {}
): Layer.Layer<HttpServer.HttpServer, HttpServerError.ServeError, HttpPorts> =>
  HttpRouter.serve(routes, { disableLogger: true, disableListenLog: true }).pipe(
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, {
        port: options.port ?? 8080,
        host: options.host ?? "127.0.0.1",
        ...(options.gracefulShutdownTimeout === undefined
          ? {}
          : { gracefulShutdownTimeout: options.gracefulShutdownTimeout })
      })
    )
  )

const messageOf = (message: unknown): unknown =>
  Array.isArray(message) && message.length === 1 ? message[0] : message

/**
 * One JSON line per log entry on stdout, `{ timestamp, level, message, annotations }`, written as it
 * is: what `npm start` logs with. The service's lines are the edge's (one per request, masked) and
 * the unexpected failures'.
 *
 * @category logging
 */
export const jsonLogger = Logger.make<unknown, void>(({ message, logLevel, date, fiber }) => {
  stdout.write(
    `${JSON.stringify({
      timestamp: date.toISOString(),
      level: logLevel,
      message: messageOf(message),
      annotations: fiber.getRef(References.CurrentLogAnnotations)
    })}\n`
  )
})

/**
 * `jsonLogger` as the only logger.
 *
 * @category logging
 */
export const jsonLogs: Layer.Layer<never> = Logger.layer([jsonLogger])
