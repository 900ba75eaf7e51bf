/**
 * The PostgreSQL tests' helpers: the suites run only where this run has a server (`describePostgres`),
 * and each test file, or each test, works in a database of its own (`freshDatabase`,
 * `freshDatabaseLayer`), so that files running in parallel workers never share a table.
 *
 * A fresh database is a copy of `template0` made with STRATEGY FILE_COPY (PostgreSQL 15 and later):
 * measured on a fresh cluster, ~0.1 s each, and 8 at once in ~0.75 s where the default WAL_LOG strategy
 * takes ~0.1–0.2 s each and ~1.3 s for 8. template0 and template1 copy equally fast, but no session
 * can connect to template0, and CREATE DATABASE fails while one is connected to its template. A
 * database that is not dropped goes with the server's directory at the end of the run (~7 MB each).
 */
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { describe, inject } from "vitest"
import "./context.js"

/** The admin URL of this run's server; undefined where there is none (see `pgSkipReason`). */
export const pgUrl: string | undefined = inject("pgUrl")

/** Why the PostgreSQL suites are skipped here, when they are. */
export const pgSkipReason: string =
  inject("pgSkipReason") ?? "no PostgreSQL server for this run (see test/support/postgres/globalSetup.ts)"

/**
 * A suite that needs PostgreSQL: skipped, with `pgSkipReason` in its name, where this run has no
 * server (the global setup prints the reason once). Skip reason: the machine has no PostgreSQL
 * server binaries; .ci/run installs them, so CI always runs these suites.
 */
export const describePostgres = (name: string, fn: () => void): void => {
  if (pgUrl === undefined) describe.skip(`${name} (skipped: ${pgSkipReason})`, fn)
  else describe(name, fn)
}

/** A database of its own on this run's server. */
export interface FreshDatabase {
  /** `t_` and 16 hex digits. */
  readonly name: string
  /** Its URL, as the superuser `postgres`. */
  readonly url: string
  /** Drops it, closing any connection still open to it; idempotent. */
  readonly drop: () => Promise<void>
}

const requireServer = (): string => {
  if (pgUrl === undefined) throw new Error(`no PostgreSQL server: ${pgSkipReason} (use describePostgres)`)
  return pgUrl
}

const urlOf = (adminUrl: string, database: string): string => {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** A short-lived admin connection (CREATE/DROP DATABASE run outside any transaction). */
const asAdmin = <A>(
  use: (sql: SqlClient.SqlClient) => Effect.Effect<A, SqlError.SqlError>
): Effect.Effect<A, SqlError.SqlError> =>
  SqlClient.SqlClient.use(use).pipe(
    Effect.provide(PgClient.layer({ url: Redacted.make(requireServer()), maxConnections: 1 }))
  )

const createEffect: Effect.Effect<FreshDatabase, SqlError.SqlError> = Effect.suspend(() => {
  const adminUrl = requireServer()
  const name = `t_${randomBytes(8).toString("hex")}`
  let dropped = false
  const drop = (): Promise<void> => {
    if (dropped) return Promise.resolve()
    dropped = true
    return Effect.runPromise(
      asAdmin((sql) => Effect.asVoid(sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
    )
  }
  return asAdmin((sql) =>
    Effect.gen(function* () {
      const [version] = yield* sql<{ readonly server_version_num: string }>`SHOW server_version_num`
      const strategy = Number(version?.server_version_num) >= 150000 ? " STRATEGY FILE_COPY" : ""
      yield* sql.unsafe(`CREATE DATABASE ${name} TEMPLATE template0${strategy}`)
    })
  ).pipe(Effect.as({ name, url: urlOf(adminUrl, name), drop }))
})

/**
 * Creates a database of its own on this run's server (in `beforeAll` for a file, or in a test) and
 * returns its URL; `drop` it in `afterAll`, or leave it to the server's removal.
 */
export const freshDatabase = (): Promise<FreshDatabase> => Effect.runPromise(createEffect)

/**
 * A `PgClient` (and `SqlClient`) on a database of its own, created when the layer is built and
 * dropped when it is released: each `Effect.provide(freshDatabaseLayer())` works in a new database.
 */
export const freshDatabaseLayer = (options?: {
  readonly maxConnections?: number
  /** Settings every session of the pool starts with (`startupParameters`); the server's own when omitted. */
  readonly startupParameters?: Readonly<Record<string, string>> | undefined
}): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.unwrap(
    Effect.acquireRelease(createEffect, (database) => Effect.promise(() => database.drop())).pipe(
      Effect.map((database) =>
        PgClient.layer({
          url: Redacted.make(database.url),
          startupParameters: options?.startupParameters,
          ...(options?.maxConnections === undefined ? {} : { maxConnections: options.maxConnections })
        })
      )
    )
  )
