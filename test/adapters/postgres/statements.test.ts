/**
 * card-lifecycle/postgres: a bulk operation's statements do not grow with the number of cards, a flat
 * transaction (an idempotency key's) takes no savepoint unless a nested one fails, and a
 * connection lost in the middle of a use case leaves nothing half-written, ends as the retryable
 * `StoreError`, and the next call succeeds.
 */
import { Effect, Exit, Option } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  defaultCatalog,
  fixture,
  tenantFixture
} from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import {
  CardRepository,
  KitNo,
  lockCard,
  manageAllCards,
  replaceCard,
  StoreError,
  TenantId,
  Transactor,
  upgradeCard,
  withIdempotencyKey
} from "../../../src/index.js"
import { describePostgres } from "../../support/postgres/database.js"
import { seededPostgres } from "../../support/postgres/seeded.js"

const TENANT = TenantId.make("ACME_BANK")

const kitNoOf = (i: number) => String(4_240_180_000 + i)
const GOLD_PHYSICAL = defaultCatalog.find((p) => p.tierType === "GOLD" && p.cardType === "PHYSICAL")!

/** One customer with `n` ACTIVE cards. */
const bank = (n: number): MemoryFixture =>
  fixture({
    [TENANT]: tenantFixture([
      customerFixture(
        "E1",
        Array.from({ length: n }, (_, i) => cardFixture(kitNoOf(i), { status: "ACTIVE" })),
        { accountNo: 1 }
      )
    ])
  })

// the security module: the memory adapter's, over the fixture's keys
const storeOf = (seed: MemoryFixture, maxConnections = 4) => seededPostgres(seed, maxConnections)

/** The SQL statements `program` runs (BEGIN and COMMIT aside). */
const statementsOf = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    const result = yield* program.pipe(
      Effect.provideService(Statement.CurrentTransformer, (statement) =>
        Effect.sync(() => {
          seen.push(statement.compile()[0])
          return statement
        })
      )
    )
    return { result, seen }
  })

/**
 * Runs `program`, killing its transaction's connection just before the first statement that holds
 * `fragment` (after the reads for update): the backend is terminated from inside the transaction.
 */
const killedAt = <A, E, R>(fragment: string, program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    let done = false
    return yield* Effect.exit(
      program.pipe(
        Effect.provideService(Statement.CurrentTransformer, (statement) =>
          Effect.gen(function* () {
            if (!done && statement.compile()[0].includes(fragment)) {
              done = true
              const [self] = yield* Effect.orDie(
                sql<{ readonly pid: number }>`SELECT pg_backend_pid() AS pid`
              )
              yield* Effect.orDie(
                sql`SELECT pg_terminate_backend(${self?.pid ?? 0})`.pipe(
                  Effect.provideService(Statement.CurrentTransformer, undefined)
                )
              )
            }
            return statement
          })
        )
      )
    )
  })

describePostgres("card-lifecycle/postgres: statements and faults", () => {
  it("manageAllCards runs as many statements for 1 card as for 2 and for 200, the same ones for 2 and 200", async () => {
    const counted = async (n: number) =>
      Effect.runPromise(
        statementsOf(manageAllCards(TENANT, { entityId: "E1", operation: "LOCK" })).pipe(
          Effect.provide(storeOf(bank(n)))
        )
      )
    const one = await counted(1)
    const two = await counted(2)
    const many = await counted(200)
    expect(one.result.totalCardsManaged).toBe(1)
    expect(many.result.totalCardsManaged).toBe(200)
    // one card is written by its key (a statement the server plans once), more as a set
    expect(one.seen.length).toBe(many.seen.length)
    expect(many.seen).toEqual(two.seen)
  })

  // under PostgreSQL's own plan_cache_mode (auto), named so that a server configured otherwise cannot
  // hide a statement whose shape keeps the server planning it at every run
  it("lets the server keep one plan for each statement of lock, unlock and replaceCard after a few runs", async () => {
    const plans = await Effect.runPromise(
      Effect.gen(function* () {
        for (let i = 0; i < 8; i++) {
          yield* lockCard(TENANT, { kitNo: kitNoOf(0) })
          yield* Effect.flatMap(
            Effect.flip(lockCard(TENANT, { kitNo: kitNoOf(0) })),
            () => Effect.void // refused: the card is LOCKED
          )
          yield* Effect.asVoid(
            manageAllCards(TENANT, { entityId: "E1", operation: "UNLOCK" }).pipe(Effect.orDie)
          )
          yield* replaceCard(TENANT, {
            correlationId: "1",
            oldLoyaltyId: Number(kitNoOf(1 + i)),
            status: "DAMAGED"
          }).pipe(Effect.catchTag("CardReplacementRefused", () => Effect.void))
        }
        const sql = yield* SqlClient.SqlClient
        // one connection: every statement above was prepared on it
        return yield* sql<{
          readonly statement: string
          readonly generic_plans: number
          readonly custom_plans: number
        }>`SELECT statement, generic_plans::int, custom_plans::int FROM pg_prepared_statements
          WHERE statement LIKE 'UPDATE cards%' OR statement LIKE 'WITH appended AS%'
            OR statement LIKE 'INSERT INTO cards%' OR statement LIKE 'INSERT INTO accounts%'
            OR statement LIKE 'SELECT kit_no, entity_id%'`
      }).pipe(Effect.provide(seededPostgres(bank(10), 1, { plan_cache_mode: "auto" })))
    )
    expect(plans.length).toBeGreaterThanOrEqual(5)
    // the audit log's append (which also fills the outbox) is among them
    expect(plans.some((p) => p.statement.startsWith("WITH appended AS"))).toBe(true)
    // a statement planned anew at each run (custom plans only) costs the server more than the write
    for (const plan of plans.filter((p) => p.generic_plans + p.custom_plans > 5))
      expect({ statement: plan.statement.slice(0, 60), generic: plan.generic_plans > 0 }).toEqual({
        statement: plan.statement.slice(0, 60),
        generic: true
      })
  })

  it("a flat transaction takes no savepoint; one a failed nested transaction spoiled runs again with them", async () => {
    const seen = await Effect.runPromise(
      Effect.gen(function* () {
        const transactor = yield* Transactor
        const sql = yield* SqlClient.SqlClient
        // replaceCard under a key: its own transaction joins the key's
        const keyed = yield* statementsOf(
          withIdempotencyKey("replaceCard", replaceCard)(TENANT, "flat-1", {
            correlationId: "1",
            oldLoyaltyId: Number(kitNoOf(0)),
            status: "DAMAGED"
          })
        )
        let runs = 0
        const spoiled = yield* statementsOf(
          transactor.withFlatTransaction(
            Effect.gen(function* () {
              runs++
              yield* sql`SELECT 1`
              yield* Effect.ignore(
                transactor.withTransaction(Effect.andThen(sql`SELECT 2`, Effect.fail("refused")))
              )
            })
          )
        )
        const plain = yield* statementsOf(
          replaceCard(TENANT, { correlationId: "1", oldLoyaltyId: Number(kitNoOf(1)), status: "DAMAGED" })
        )
        const trail = yield* sql<{ readonly subject: string; readonly queued: boolean }>`SELECT e.subject,
            EXISTS (SELECT 1 FROM outbox o WHERE o.tenant = e.tenant AND o.seq = e.seq) AS queued
          FROM audit_events e WHERE e.tenant = ${TENANT} ORDER BY e.seq`
        return {
          keyed: keyed.seen,
          plain: plain.seen,
          spoiled: spoiled.seen,
          runs,
          trail,
          first: keyed.result
        }
      }).pipe(
        // the tenant's serial stripes seeded: no issue below is the tenant's first (which creates them)
        Effect.provide(
          storeOf({ tenants: { [TENANT]: { ...bank(2).tenants[TENANT]!, nextKitNo: 9_000_000_000 } } })
        )
      )
    )
    expect(seen.keyed.filter((text) => text.includes("SAVEPOINT"))).toEqual([])
    expect(seen.keyed[0]).toMatch(/^INSERT INTO idempotency_keys/)
    // the replacement's events go with the key's answer: one statement fewer than the claim and the
    // replacement's own
    expect(seen.keyed.length).toBe(seen.plain.length + 1)
    // the answer inserted: no statement of a run looks the key's row up (a plan could make that a scan)
    expect(seen.keyed.at(-1)).toMatch(/^WITH appended AS[\s\S]*INSERT INTO idempotency_answers/)
    expect(seen.keyed.filter((text) => /idempotency_/.test(text))).toHaveLength(2)
    // each replacement's two events (the old card's, the new card's) stored, each in the outbox too
    expect(seen.trail.map((row) => row.subject)).toEqual([
      kitNoOf(0),
      String(seen.first.NewLoyaltyCard),
      kitNoOf(1),
      expect.any(String)
    ])
    expect(seen.trail.every((row) => row.queued)).toBe(true)
    expect(seen.runs).toBe(2)
    expect(seen.spoiled.map((text) => text.trim())).toEqual([
      "SELECT 1",
      "SELECT 2",
      "SELECT 1",
      "SAVEPOINT card_lifecycle_1",
      "SELECT 2",
      "ROLLBACK TO SAVEPOINT card_lifecycle_1"
    ])
  })

  it("a connection killed in the middle of a bulk operation: a retryable StoreError, nothing written, the next call succeeds", async () => {
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        const first = yield* killedAt(
          "UPDATE cards",
          manageAllCards(TENANT, { entityId: "E1", operation: "BLOCK" })
        )
        const cards = yield* Effect.flatMap(CardRepository, (r) => r.findByCustomer(TENANT, "E1" as never))
        const again = yield* lockCard(TENANT, { kitNo: kitNoOf(0) })
        const card = yield* Effect.flatMap(CardRepository, (r) =>
          r.findByKitNo(TENANT, KitNo.make(kitNoOf(0)))
        )
        return {
          first,
          statuses: cards.map((c) => c.status),
          again,
          locked: Option.map(card, (c) => c.status)
        }
      }).pipe(Effect.provide(storeOf(bank(3))))
    )
    expect(killed(outcome.first)).toBe(true)
    expect(outcome.statuses).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"])
    expect(outcome.again.currentStatus).toBe("LOCKED")
    expect(outcome.locked).toEqual(Option.some("LOCKED"))
  })

  it("a connection killed in the middle of a replacement, then of an upgrade: a retryable StoreError, nothing written, the next call succeeds", async () => {
    const replacement = { correlationId: "1", oldLoyaltyId: Number(kitNoOf(0)), status: "DAMAGED" }
    const upgrade = {
      entityId: "E1",
      kitNo: kitNoOf(1),
      kitInfo: [{ cardType: "PHYSICAL", plasticCode: GOLD_PHYSICAL.plasticCode, tierType: "GOLD" }]
    }
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        const state = Effect.flatMap(CardRepository, (r) => r.findByCustomer(TENANT, "E1" as never))
        const before = yield* state
        const replaced = yield* killedAt("INSERT INTO cards", replaceCard(TENANT, replacement))
        const afterReplace = yield* state
        const upgraded = yield* killedAt("INSERT INTO card_orders", upgradeCard(TENANT, upgrade))
        const afterUpgrade = yield* state
        const replacedAgain = yield* replaceCard(TENANT, replacement)
        const upgradedAgain = yield* upgradeCard(TENANT, upgrade)
        return { before, replaced, afterReplace, upgraded, afterUpgrade, replacedAgain, upgradedAgain }
      }).pipe(Effect.provide(storeOf(bank(3))))
    )
    expect([killed(outcome.replaced), killed(outcome.upgraded)]).toEqual([true, true])
    expect(outcome.afterReplace).toEqual(outcome.before)
    expect(outcome.afterUpgrade).toEqual(outcome.before)
    expect(outcome.replacedAgain.Message).toBe("Card updated.")
    expect(outcome.upgradedAgain.kitInfo).toHaveLength(1)
  })
})

/** The exit is the retryable StoreError of a lost store. */
const killed = (exit: Exit.Exit<unknown, unknown>): boolean => {
  if (Exit.isSuccess(exit)) return false
  const error = Exit.findErrorOption(exit)
  return Option.isSome(error) && error.value instanceof StoreError && error.value.retryable
}
