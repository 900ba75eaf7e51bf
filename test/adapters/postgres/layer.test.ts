/**
 * card-lifecycle/postgres's `layer`: a host's way in. It migrates when asked (a second build applies
 * nothing), and its ports run a use case on the database it names.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, expect, it } from "vitest"
import { NobleSecurityModule, randomKeyHex } from "../../../src/adapters/memory/index.js"
import { layer } from "../../../src/adapters/postgres/index.js"
import { CustomerNotFound, manageAllCards, TenantPolicy } from "../../../src/index.js"
import {
  describePostgres,
  type FreshDatabase,
  freshDatabase,
  pgUrl
} from "../../support/postgres/database.js"

const security = NobleSecurityModule.layer({
  ACME_BANK: { panStore: [{ id: "1", hex: randomKeyHex() }], cardNumber: [{ id: "1", hex: randomKeyHex() }] }
})

describePostgres("card-lifecycle/postgres layer", () => {
  let database: FreshDatabase | undefined
  beforeAll(async () => {
    if (pgUrl !== undefined) database = await freshDatabase()
  })
  afterAll(() => database?.drop())

  it("migrates on its first build and applies nothing on the next, and serves the use cases", async () => {
    const url = database?.url ?? ""
    const build = (program: Effect.Effect<unknown, unknown, TenantPolicy | SqlClient.SqlClient>) =>
      Effect.runPromise(
        Effect.provide(
          program,
          layer({ url, migrate: true, maxConnections: 2 }).pipe(Layer.provide(security))
        )
      )
    const tables = Effect.flatMap(
      SqlClient.SqlClient,
      (sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM card_lifecycle_migrations`
    )
    const first = await build(tables)
    const second = await build(tables)
    expect(first).toEqual(second)
    expect(await build(Effect.flatMap(TenantPolicy, (p) => p.policyOf("ACME_BANK" as never)))).toEqual({
      migrationInTransition: false,
      allowTrivialPins: false,
      pinTryLimit: 3
    })
    const refused = await Effect.runPromise(
      Effect.flip(manageAllCards("ACME_BANK", { entityId: "E1", operation: "LOCK" })).pipe(
        Effect.provide(layer({ url, maxConnections: 2 }).pipe(Layer.provide(security)))
      )
    )
    expect(refused).toBeInstanceOf(CustomerNotFound)
  })
})
