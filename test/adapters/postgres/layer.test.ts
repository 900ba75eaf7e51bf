/**
 * card-lifecycle/postgres's `layer`: a host's way in. It migrates when asked (a second build applies
 * nothing), and its ports run a use case on the database it names.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import { afterAll, beforeAll, expect, it } from "vitest"
import { NobleSecurityModule, randomKeyHex } from "../../../src/adapters/memory/index.js"
import { layer, migrate, migrations } from "../../../src/adapters/postgres/index.js"
import { PgIdempotencyStore } from "../../../src/adapters/postgres/PgIdempotencyStore.js"
import { CustomerNotFound, manageAllCards, TenantPolicy } from "../../../src/index.js"
import { IdempotencyStore } from "../../../src/ports/IdempotencyStore.js"
import {
  describePostgres,
  type FreshDatabase,
  freshDatabase,
  pgUrl
} from "../../support/postgres/database.js"

const security = NobleSecurityModule.layer({
  ACME_BANK: { panStore: [{ id: "1", hex: randomKeyHex() }], cardNumber: [{ id: "1", hex: randomKeyHex() }] }
})

/** The ids of the migrations before `id`: a database an older version of the library migrated. */
const before = (id: number) => Object.keys(migrations).filter((key) => Number.parseInt(key, 10) < id)

/** A database as the migrations `ids` alone leave it: what an older version of the library migrated. */
const migratedUpTo = (ids: ReadonlyArray<string>) =>
  Migrator.make({})({
    loader: Migrator.fromRecord(Object.fromEntries(ids.map((id) => [id, migrations[id]!]))),
    table: "card_lifecycle_migrations"
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
      pinTryLimit: 3,
      idempotencyRetentionHours: 24
    })
    const refused = await Effect.runPromise(
      Effect.flip(manageAllCards("ACME_BANK", { entityId: "E1", operation: "LOCK" })).pipe(
        Effect.provide(layer({ url, maxConnections: 2 }).pipe(Layer.provide(security)))
      )
    )
    expect(refused).toBeInstanceOf(CustomerNotFound)
  })

  it("turns a tenant's single serial row into 16 stripes from it, on a database migrated before stripes", async () => {
    const older = await freshDatabase()
    try {
      const rows = await Effect.runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* migratedUpTo(["1_initial", "2_kit_manager", "3_tokens"])
          yield* sql`INSERT INTO issuer_serials (tenant, next_serial) VALUES ('ACME_BANK', 4240200123)`
          yield* migrate
          return yield* sql<{ readonly stripe: number; readonly next_serial: string }>`
            SELECT stripe, next_serial::text FROM issuer_serials WHERE tenant = 'ACME_BANK' ORDER BY stripe`
        }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(older.url), maxConnections: 1 })))
      )
      expect(rows).toEqual(
        Array.from({ length: 16 }, (_, k) => ({ stripe: k, next_serial: String(4_240_200_123 + k) }))
      )
    } finally {
      await older.drop()
    }
  })
  it("moves the wallet notifications still pending onto the outbox, one NOTIFY_WALLET event per token, in order", async () => {
    const older = await freshDatabase()
    try {
      const rows = await Effect.runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* migratedUpTo(before(7))
          yield* sql`INSERT INTO wallet_notifications (tenant, token_unique_references)
            VALUES ('ACME_BANK', '["TUR2", "TUR1"]'::jsonb), ('OTHER_BANK', '["TUR9"]'::jsonb),
              ('ACME_BANK', '["TUR3"]'::jsonb)`
          yield* migrate
          const tables = yield* sql<{
            readonly n: number
          }>`SELECT count(*)::int AS n FROM information_schema.tables
            WHERE table_name = 'wallet_notifications'`
          const events = yield* sql<{
            readonly tenant: string
            readonly subject: string
            readonly action: string
          }>`
            SELECT o.tenant, o.subject, e.event->>'action' AS action FROM outbox o
            JOIN audit_events e USING (tenant, seq) ORDER BY o.seq`
          return { tables: tables[0]?.n, events }
        }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(older.url), maxConnections: 1 })))
      )
      expect(rows.tables).toBe(0)
      expect(rows.events).toEqual([
        { tenant: "ACME_BANK", subject: "TUR2", action: "NOTIFY_WALLET" },
        { tenant: "ACME_BANK", subject: "TUR1", action: "NOTIFY_WALLET" },
        { tenant: "OTHER_BANK", subject: "TUR9", action: "NOTIFY_WALLET" },
        { tenant: "ACME_BANK", subject: "TUR3", action: "NOTIFY_WALLET" }
      ])
    } finally {
      await older.drop()
    }
  })

  it("moves the answers of the keys already stored into idempotency_answers, each replayed as it was", async () => {
    const older = await freshDatabase()
    const answer = { _tag: "Success", value: { NewLoyaltyCard: 4240200123, Message: "Card updated." } }
    try {
      const found = await Effect.runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* migratedUpTo(before(8))
          // a key as the library stored it before: its answer in its own row
          yield* sql`INSERT INTO idempotency_keys
              (tenant, key, operation, fingerprint_key_id, fingerprint, answer, expires_at)
            VALUES ('ACME_BANK', 'k-1', 'replaceCard', '1', 'ab', ${JSON.stringify(answer)}::json,
              now() + interval '1 hour')`
          yield* migrate
          const columns = yield* sql<{ readonly column_name: string }>`SELECT column_name
            FROM information_schema.columns WHERE table_name = 'idempotency_keys' AND column_name = 'answer'`
          const store = yield* IdempotencyStore
          const record = yield* sql.withTransaction(
            store.claim(
              "ACME_BANK" as never,
              { key: "k-1", operation: "replaceCard", fingerprint: { keyId: "1" as never, hash: "ab" } },
              Date.now()
            )
          )
          return { columns, record }
        }).pipe(
          Effect.provide(
            PgIdempotencyStore.pipe(
              Layer.provideMerge(PgClient.layer({ url: Redacted.make(older.url), maxConnections: 1 }))
            )
          )
        )
      )
      expect(found.columns).toEqual([])
      expect(found.record._tag).toBe("Some")
      if (found.record._tag === "Some") {
        expect(found.record.value.answer).toEqual(answer)
        // json, not jsonb: the answer's fields in the order they were stored
        expect(Object.keys(found.record.value.answer)).toEqual(["_tag", "value"])
      }
    } finally {
      await older.drop()
    }
  })
})
