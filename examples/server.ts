/**
 * `npm start`: the reference HTTP service on 127.0.0.1:$PORT (8080 by default).
 *
 * - Without `DATABASE_URL`: the memory adapter over the demo data (examples/demoData.ts), under which
 *   every example request of the seeds and of docs/http.md works as written.
 * - With `DATABASE_URL`: PostgreSQL, migrated first; keys from `CARD_LIFECYCLE_KEYS` (the JSON of a
 *   key configuration, docs/pin-blocks.md). `--demo` also stores the demo data (once: a database that
 *   has it already is left as it is), under the demo keys for its tenant.
 *
 * Logs are JSON lines on stdout, one per request. SIGINT or SIGTERM stops taking connections and
 * lets the requests in flight finish.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect, Layer, Option, Redacted } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import * as Http from "../src/adapters/http/index.js"
import type { KeyConfiguration } from "../src/adapters/keys/KeyConfiguration.js"
import { keyConfigurationConfig, layer as memoryLayer } from "../src/adapters/memory/index.js"
import * as NodeSecurityModule from "../src/adapters/node/NodeSecurityModule.js"
import * as Postgres from "../src/adapters/postgres/index.js"
import { DEMO_TENANT, demoData, demoKeys } from "./demoData.js"

const demo = process.argv.includes("--demo")

const demoKeyConfiguration: KeyConfiguration = {
  [DEMO_TENANT]: Object.fromEntries(
    Object.entries(demoKeys()).map(([purpose, hex]) => [
      purpose,
      [{ id: "1", hex: Redacted.make(hex, { label: "key" }) }]
    ])
  )
}

/** The keys of a PostgreSQL run: the host's, with the demo tenant's demo keys under `--demo`. */
const keys = Effect.gen(function* () {
  const configured = yield* Config.option(keyConfigurationConfig())
  if (Option.isSome(configured))
    return demo ? { ...configured.value, ...demoKeyConfiguration } : configured.value
  if (demo) return demoKeyConfiguration
  return yield* Effect.die(
    "CARD_LIFECYCLE_KEYS is not set: give the JSON of a key configuration (docs/pin-blocks.md), or run with --demo"
  )
})

/** The demo data, stored unless the database holds the demo tenant's cards already. */
const seedDemo = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const present = yield* sql`SELECT 1 FROM cards WHERE tenant = ${DEMO_TENANT} LIMIT 1`
  if (present.length > 0) return yield* Console.log(`demo data already stored for ${DEMO_TENANT}`)
  yield* Postgres.seedFromFixture(demoData())
  yield* Console.log(`demo data stored for ${DEMO_TENANT}`)
})

const postgresPorts = (url: string) => {
  const store = Postgres.layer({ url: Redacted.make(url), migrate: true }).pipe(
    Layer.provideMerge(Layer.unwrap(Effect.map(keys, NodeSecurityModule.layer)))
  )
  return demo ? Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(store)) : store
}

const databaseUrl = process.env.DATABASE_URL
const ports: Layer.Layer<Http.HttpPorts, unknown> =
  databaseUrl === undefined || databaseUrl === "" ? memoryLayer(demoData()) : postgresPorts(databaseUrl)

const announce = Layer.effectDiscard(
  HttpServer.addressFormattedWith((base) =>
    Console.log(
      `card-lifecycle serving on ${base} (${databaseUrl ? "PostgreSQL" : "memory, demo data"}); API reference: ${base}${Http.DOCS_PATH}`
    )
  )
)

const port = Number(process.env.PORT ?? 8080)

announce.pipe(
  Layer.provideMerge(Http.layer({ port, host: "127.0.0.1" })),
  Layer.provide(ports),
  Layer.provide(Http.jsonLogs),
  Layer.launch,
  NodeRuntime.runMain
)
