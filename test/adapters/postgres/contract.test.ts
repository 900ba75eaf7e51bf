/**
 * The whole port contract of card-lifecycle/testing on PostgreSQL, and the at-rest contract: each run
 * of a test works in a database of its own, migrated, then seeded with its fixture. Every port is the
 * PostgreSQL one; the security module is the portable one over the fixture's keys.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { NobleSecurityModule } from "../../../src/adapters/memory/index.js"
import {
  seedFromFixture as decodeFixture,
  type MemoryFixture
} from "../../../src/adapters/memory/MemoryFixture.js"
import { migrate, ports, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import { atRestContract, portsContract } from "../../../src/testing/index.js"
import { describePostgres, freshDatabaseLayer } from "../../support/postgres/database.js"

const makeLayer = (fixture: MemoryFixture) => {
  const security = Layer.unwrap(
    Effect.map(decodeFixture(fixture), (seed) => NobleSecurityModule.layer(seed.keys))
  )
  const postgres = ports.pipe(
    Layer.provideMerge(freshDatabaseLayer({ maxConnections: 8 })),
    Layer.provideMerge(security)
  )
  const seeded = Layer.effectDiscard(Effect.andThen(migrate, seedFromFixture(fixture))).pipe(
    Layer.provide(postgres)
  )
  return Layer.mergeAll(postgres, seeded)
}

/** Every row of every table of the database, as JSON text: what the at-rest contract searches. */
const storedRows = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const tables = yield* sql<{
    readonly name: string
  }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' ORDER BY table_name`
  const rows: Array<string> = []
  for (const { name } of tables) {
    // the name comes from the catalog, quoted as an identifier
    const found = yield* sql.unsafe<{ readonly row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${name.replaceAll('"', '""')}" t`
    )
    rows.push(...found.map((r) => r.row))
  }
  return rows
})

describePostgres("card-lifecycle/postgres", () => {
  portsContract("postgres", makeLayer)
  atRestContract("postgres", makeLayer, storedRows)
})
