/**
 * The reference service in-process for the HTTP tests: served on a free loopback port over the ports
 * a test gives (the memory demo data by default, PostgreSQL for the same suites there), its log lines
 * kept for the tests to read.
 */
import { Effect, Layer, Logger, ManagedRuntime, Redacted, References } from "effect"
import { HttpServer } from "effect/http"
import { DEMO_TENANT, demoData, demoKeys } from "../../examples/demoData.js"
import * as Http from "../../src/adapters/http/index.js"
import type { KeyConfiguration } from "../../src/adapters/keys/KeyConfiguration.js"
import { layer as memoryLayer } from "../../src/adapters/memory/index.js"
import * as NodeSecurityModule from "../../src/adapters/node/NodeSecurityModule.js"
import * as Postgres from "../../src/adapters/postgres/index.js"

/** One log line as the service wrote it: its message, level and annotations. */
export interface LogLine {
  readonly message: unknown
  readonly level: string
  readonly annotations: Readonly<Record<string, unknown>>
}

export interface Service {
  /** `http://127.0.0.1:PORT` */
  readonly base: string
  readonly logs: ReadonlyArray<LogLine>
  /** What every log line holds, as one text, to search for secrets. */
  readonly logText: () => string
  readonly close: () => Promise<void>
}

/** Serves the routes over `ports` on a free port, logging into memory. */
export const startService = async (ports: Layer.Layer<Http.HttpPorts, unknown>): Promise<Service> => {
  const logs: Array<LogLine> = []
  const capture = Logger.make<unknown, void>((options) => {
    logs.push({
      message: options.message,
      level: options.logLevel,
      annotations: { ...options.fiber.getRef(References.CurrentLogAnnotations) }
    })
  })
  const runtime = ManagedRuntime.make(
    Http.layer({ port: 0 }).pipe(Layer.provide(ports), Layer.provide(Logger.layer([capture])))
  )
  const base = await runtime.runPromise(HttpServer.addressFormattedWith((address) => Effect.succeed(address)))
  return {
    base,
    logs,
    logText: () => JSON.stringify(logs),
    close: () => runtime.dispose()
  }
}

/** The memory adapter over the demo data of `npm start`. */
export const memoryDemo = (): Layer.Layer<Http.HttpPorts, unknown> => memoryLayer(demoData())

const demoKeyConfiguration: KeyConfiguration = {
  [DEMO_TENANT]: Object.fromEntries(
    Object.entries(demoKeys()).map(([purpose, hex]) => [purpose, [{ id: "1", hex: Redacted.make(hex) }]])
  )
}

/** PostgreSQL at `url` (a fresh database), migrated and holding the demo data, with the node:crypto module. */
export const postgresDemo = (url: string): Layer.Layer<Http.HttpPorts, unknown> => {
  const store = Postgres.layer({ url, migrate: true }).pipe(
    Layer.provideMerge(NodeSecurityModule.layer(demoKeyConfiguration))
  )
  return Layer.effectDiscard(Postgres.seedFromFixture(demoData())).pipe(Layer.provideMerge(store))
}

/** A request to the service: JSON unless `body` is a string, with the demo tenant unless told. */
export const call = async (
  service: Service,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> => {
  const init: RequestInit = {
    method,
    headers: {
      tenant: DEMO_TENANT,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  }
  const response = await fetch(service.base + path, init)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
}
