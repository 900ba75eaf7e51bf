/**
 * The test PostgreSQL server and its helpers (test/support/postgres), before any adapter uses them:
 * @effect/sql-pg reaches the run's server, each file or test gets a database of its own, two clients
 * are two independent connections, and a failed transaction leaves nothing behind.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, expect, it } from "vitest"
import {
  describePostgres,
  type FreshDatabase,
  freshDatabase,
  freshDatabaseLayer,
  pgUrl
} from "../../support/postgres/database.js"

const clientOn = (url: string) => PgClient.layer({ url: Redacted.make(url) })

/** Runs `effect` with a client of its own on `url`, closed afterwards. */
const runOn = <A, E>(url: string, effect: Effect.Effect<A, E, SqlClient.SqlClient>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, clientOn(url)))

const databaseExists = (name: string): Promise<boolean> =>
  runOn(
    pgUrl!,
    SqlClient.SqlClient.use(
      (sql) => sql<{ readonly n: number }>`SELECT 1 AS n FROM pg_database WHERE datname = ${name}`
    )
  ).then((rows) => rows.length === 1)

class Refused {
  readonly _tag = "Refused"
}

describePostgres("the test PostgreSQL server", () => {
  let db: FreshDatabase
  beforeAll(async () => {
    db = await freshDatabase()
  })
  afterAll(() => db?.drop())

  it("answers SELECT 1 through PgClient.layer, connected to the file's own database", async () => {
    const [row] = await runOn(
      db.url,
      SqlClient.SqlClient.use(
        (sql) => sql<{ readonly one: number; readonly db: string }>`
        SELECT 1 AS one, current_database() AS db`
      )
    )
    expect(row).toEqual({ one: 1, db: db.name })
  })

  it("gives every fresh database its own tables", async () => {
    await runOn(
      db.url,
      SqlClient.SqlClient.use((sql) =>
        Effect.andThen(
          sql`CREATE TABLE cards (kit_no text PRIMARY KEY)`,
          sql`INSERT INTO cards (kit_no) VALUES ('4240200000')`
        )
      )
    )
    const other = await freshDatabase()
    try {
      const tables = (url: string) =>
        runOn(
          url,
          SqlClient.SqlClient.use(
            (sql) => sql<{ readonly name: string }>`
              SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
          )
        )
      expect(other.name).not.toBe(db.name)
      expect(await tables(db.url)).toEqual([{ name: "cards" }])
      expect(await tables(other.url)).toEqual([])
    } finally {
      await other.drop()
    }
    expect(await databaseExists(other.name)).toBe(false)
  })

  it("runs two clients on two independent connections: one's uncommitted write is invisible to the other", async () => {
    const program = Effect.gen(function* () {
      const a = yield* Layer.build(clientOn(db.url))
      const b = yield* Layer.build(clientOn(db.url))
      const onA = <X, E>(effect: Effect.Effect<X, E, SqlClient.SqlClient>) => Effect.provideContext(effect, a)
      const onB = <X, E>(effect: Effect.Effect<X, E, SqlClient.SqlClient>) => Effect.provideContext(effect, b)
      const count = onB(
        SqlClient.SqlClient.use((sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM ledger`)
      ).pipe(Effect.map(([row]) => row?.n))
      const backend = SqlClient.SqlClient.use(
        (sql) => sql<{ readonly pid: number }>`SELECT pg_backend_pid() AS pid`
      )

      yield* onA(SqlClient.SqlClient.use((sql) => sql`CREATE TABLE ledger (entry int)`))
      const seenDuring = yield* onA(
        SqlClient.SqlClient.use((sql) =>
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO ledger (entry) VALUES (1)`
              const [pidA] = yield* backend
              const [pidB] = yield* onB(backend)
              return { pidA: pidA?.pid, pidB: pidB?.pid, countOnB: yield* count }
            })
          )
        )
      )
      return { ...seenDuring, countOnBAfterCommit: yield* count }
    })
    const seen = await Effect.runPromise(Effect.scoped(program))
    expect(seen.pidA).not.toBe(seen.pidB)
    expect([seen.countOnB, seen.countOnBAfterCommit]).toEqual([0, 1])
  })

  it("rolls back sql.withTransaction when its effect fails: the failure is the effect's, the writes are gone", async () => {
    const exit = await runOn(
      db.url,
      SqlClient.SqlClient.use((sql) =>
        Effect.gen(function* () {
          yield* sql`CREATE TABLE audit (event text)`
          const exit = yield* Effect.exit(
            sql.withTransaction(
              Effect.andThen(sql`INSERT INTO audit (event) VALUES ('blocked')`, Effect.fail(new Refused()))
            )
          )
          const rows = yield* sql<{ readonly event: string }>`SELECT event FROM audit`
          return { exit, rows }
        })
      )
    )
    expect(exit.exit).toStrictEqual(Exit.fail(new Refused()))
    expect(exit.rows).toEqual([])
  })

  it("builds a database per freshDatabaseLayer and drops it on release", async () => {
    const name = await Effect.runPromise(
      SqlClient.SqlClient.use((sql) =>
        Effect.andThen(
          sql`CREATE TABLE cards (kit_no text)`,
          sql<{ readonly db: string }>`SELECT current_database() AS db`
        )
      ).pipe(
        Effect.map(([row]) => row!.db),
        Effect.provide(freshDatabaseLayer())
      )
    )
    expect(name).toMatch(/^t_[0-9a-f]{16}$/)
    expect(name).not.toBe(db.name)
    expect(await databaseExists(name)).toBe(false)
  })
})
