/**
 * The PostgreSQL adapter against hand-written SQL over the same client, in the same run, on a
 * throw-away server: lock+unlock of a card with 1 and 16 concurrent fibers (operations per second and
 * p99 latency), and manageAllCards on 1e4 cards (time per call and statements). The hand-written side
 * does the same work a host would write by hand without the library: the card read for update, its
 * status written, one audit row, in one transaction. Run alone with `npm run bench -- postgres`.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient, Statement } from "effect/sql"
import {
  cardFixture,
  customerFixture,
  fixture,
  layer as memoryLayer,
  tenantFixture
} from "../src/adapters/memory/index.js"
import { migrate, ports, seedFromFixture } from "../src/adapters/postgres/index.js"
import { KitNo, lockCard, manageAllCards, replaceCard, TenantId, unlockCard } from "../src/index.js"
import { findBinaries, startServer } from "../test/support/postgres/server.js"
import { line, ratio } from "./harness.js"

const TENANT = TenantId.make("ACME_BANK")
const CARDS = 10_000
const FIBERS = [1, 16] as const
const PAIRS_PER_FIBER = Number(process.env.PAIRS ?? 200)
const kitNoOf = (i: number) => String(4_240_180_000 + i)

/** Accounts for the replacement runs: one card each, one replacement per account per run. */
const REPLACING = 16 * 40 + 40
const replacingAccount = (i: number) =>
  customerFixture(`R${i}`, [cardFixture(kitNoOf(20_000 + i), { status: "ACTIVE" })], { accountNo: 1_000 + i })

const bank = fixture({
  [TENANT]: tenantFixture([
    ...Array.from({ length: REPLACING * 2 }, (_, i) => replacingAccount(i)),
    customerFixture("E1", [cardFixture(kitNoOf(0), { status: "ACTIVE" })], { accountNo: 1 }),
    ...Array.from({ length: 16 }, (_, f) =>
      customerFixture(`S${f}`, [cardFixture(kitNoOf(1 + f), { status: "ACTIVE" })], { accountNo: 10 + f })
    ),
    customerFixture(
      "BULK",
      Array.from({ length: CARDS }, (_, i) => cardFixture(kitNoOf(100 + i), { status: "ACTIVE" })),
      { accountNo: 2 }
    )
  ])
})

/** The work of a lock (or an unlock) written by hand: read for update, write, one audit row. */
const handWritten = (sql: SqlClient.SqlClient, kitNo: string, to: "LOCKED" | "ACTIVE") =>
  sql.withTransaction(
    Effect.gen(function* () {
      const [card] = yield* sql<{ readonly status: string }>`SELECT status FROM cards
        WHERE tenant = ${TENANT} AND kit_no = ${kitNo} FOR UPDATE`
      if (card === undefined) return yield* Effect.die(new Error("no card"))
      yield* sql`UPDATE cards SET status = ${to}, locked_from = ${to === "LOCKED" ? "ACTIVE" : null}::text
        WHERE tenant = ${TENANT} AND kit_no = ${kitNo}`
      yield* sql`INSERT INTO audit_events (tenant, subject, event) VALUES (${TENANT}, ${kitNo},
        ${JSON.stringify({ action: to === "LOCKED" ? "LOCK" : "UNLOCK", subject: kitNo, outcome: "OK" })}::jsonb)`
    })
  )

/**
 * A replacement by hand: the account and the old card read for update, the old card's status, the
 * new card (a stand-in protected PAN: no issuer, no crypto), the account's replacement, two audit rows.
 */
const handWrittenReplace = (sql: SqlClient.SqlClient, i: number) =>
  sql.withTransaction(
    Effect.gen(function* () {
      const accountNo = 1_000 + REPLACING + i
      const oldKit = kitNoOf(20_000 + REPLACING + i)
      const newKit = kitNoOf(900_000 + i)
      yield* sql`SELECT replacements FROM accounts WHERE tenant = ${TENANT} AND account_no = ${accountNo} FOR UPDATE`
      yield* sql`SELECT status FROM cards WHERE tenant = ${TENANT} AND kit_no = ${oldKit} FOR UPDATE`
      yield* sql`UPDATE cards SET status = 'DAMAGED' WHERE tenant = ${TENANT} AND kit_no = ${oldKit}`
      yield* sql`INSERT INTO cards (tenant, kit_no, entity_id, account_no, product_id, tier_type, card_type,
          pan_key_id, pan_ciphertext, pan_masked, pan_hash, exp_date, status)
        VALUES (${TENANT}, ${newKit}, ${`R${REPLACING + i}`}, ${accountNo}, '2001_VIRTUAL', 'CLASSIC', 'VIRTUAL',
          '1', 'stand-in', '608040XXXXXX0000', ${`hand-${i}`}, '2029-07-31T00:00:00.000+00:00', 'ACTIVE')`
      yield* sql`UPDATE accounts SET replacements = array_append(replacements, ${Date.now()}::bigint)
        WHERE tenant = ${TENANT} AND account_no = ${accountNo}`
      yield* sql`INSERT INTO audit_events (tenant, subject, event) SELECT ${TENANT}, k, jsonb_build_object('subject', k)
        FROM unnest(${[oldKit, newKit]}::text[]) AS k`
    })
  )

/** manageAllCards' work by hand: the customer, its cards for update, one UPDATE, one INSERT. */
const handWrittenBulk = (sql: SqlClient.SqlClient, to: "ACTIVE") =>
  sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`SELECT entity_id FROM customers WHERE tenant = ${TENANT} AND entity_id = 'BULK'`
      const cards = yield* sql<{ readonly kit_no: string }>`SELECT kit_no FROM cards
        WHERE tenant = ${TENANT} AND entity_id = 'BULK' ORDER BY kit_no FOR UPDATE`
      const kitNos = cards.map((c) => c.kit_no)
      yield* sql`UPDATE cards SET status = ${to} FROM unnest(${kitNos}::text[]) AS v(kit_no)
        WHERE cards.tenant = ${TENANT} AND cards.kit_no = v.kit_no`
      yield* sql`INSERT INTO audit_events (tenant, subject, event)
        SELECT ${TENANT}, k, jsonb_build_object('subject', k, 'action', ${to}::text) FROM unnest(${kitNos}::text[]) AS k`
    })
  )

const percentile = (samples: ReadonlyArray<number>, p: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** `fibers` fibers, each running `pairs` times `pair(fiber)`: pairs per second and p99 ms. */
const concurrently = <E, R>(
  fibers: number,
  pairs: number,
  pair: (fiber: number) => Effect.Effect<unknown, E, R>
) =>
  Effect.gen(function* () {
    const latencies: Array<number> = []
    const start = performance.now()
    yield* Effect.forEach(
      Array.from({ length: fibers }, (_, f) => f),
      (f) =>
        Effect.gen(function* () {
          for (let i = 0; i < pairs; i++) {
            const t = performance.now()
            yield* pair(f)
            latencies.push(performance.now() - t)
          }
        }),
      { concurrency: "unbounded", discard: true }
    )
    const seconds = (performance.now() - start) / 1000
    return { perSecond: (fibers * pairs) / seconds, p99: percentile(latencies, 99) }
  })

const counted = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    let statements = 0
    const start = performance.now()
    yield* program.pipe(
      Effect.provideService(Statement.CurrentTransformer, (statement) =>
        Effect.sync(() => {
          statements++
          return statement
        })
      )
    )
    return { ms: performance.now() - start, statements }
  })

export const benchPostgres = async (): Promise<void> => {
  console.log(
    "\ncard-lifecycle/postgres against hand-written SQL over the same client, on a throw-away server"
  )
  const binaries = await findBinaries()
  if (binaries._tag === "Missing") {
    line("skipped", binaries.reason)
    return
  }
  const server = await startServer(binaries.binDir)
  try {
    const client = PgClient.layer({ url: Redacted.make(server.url), maxConnections: 20 })
    // the security module (the issuer hashes PANs with it): the memory adapter's, over the fixture's keys
    const store = ports.pipe(Layer.provideMerge(client), Layer.provideMerge(memoryLayer(bank)))
    await Effect.runPromise(
      Effect.gen(function* () {
        yield* migrate
        yield* seedFromFixture(bank)
        const sql = yield* SqlClient.SqlClient
        for (const fibers of FIBERS) {
          const kitOf = (f: number) => KitNo.make(kitNoOf(fibers === 1 ? 0 : 1 + f))
          const ours = (f: number) =>
            Effect.andThen(lockCard(TENANT, { kitNo: kitOf(f) }), unlockCard(TENANT, { kitNo: kitOf(f) }))
          const floor = (f: number) =>
            Effect.andThen(handWritten(sql, kitOf(f), "LOCKED"), handWritten(sql, kitOf(f), "ACTIVE"))
          yield* concurrently(fibers, 20, ours) // warm-up
          yield* concurrently(fibers, 20, floor)
          const a = yield* concurrently(fibers, PAIRS_PER_FIBER, ours)
          const b = yield* concurrently(fibers, PAIRS_PER_FIBER, floor)
          line(
            `lock+unlock, ${fibers} fiber(s), library`,
            `${a.perSecond.toFixed(0)} pairs/s, p99 ${a.p99.toFixed(2)} ms`
          )
          line(
            `lock+unlock, ${fibers} fiber(s), hand-written SQL`,
            `${b.perSecond.toFixed(0)} pairs/s, p99 ${b.p99.toFixed(2)} ms`
          )
          line(`  library ÷ hand-written (time per pair)`, ratio(b.perSecond, a.perSecond))
        }
        // each call replaces the card of an account of its own (seed 003 allows two a month)
        let next = 0
        let nextHand = 0
        for (const fibers of FIBERS) {
          const calls = fibers === 1 ? 40 : 20
          const ours = () =>
            Effect.suspend(() => {
              const i = next++
              return replaceCard(TENANT, {
                correlationId: String(1_000 + i),
                oldLoyaltyId: Number(kitNoOf(20_000 + i)),
                status: "DAMAGED"
              })
            })
          const floor = () => Effect.suspend(() => handWrittenReplace(sql, nextHand++))
          const a = yield* concurrently(fibers, calls, ours)
          const b = yield* concurrently(fibers, calls, floor)
          line(
            `replaceCard, ${fibers} fiber(s), library`,
            `${a.perSecond.toFixed(0)} calls/s, p99 ${a.p99.toFixed(2)} ms`
          )
          line(
            `replaceCard, ${fibers} fiber(s), hand-written SQL`,
            `${b.perSecond.toFixed(0)} calls/s, p99 ${b.p99.toFixed(2)} ms`
          )
          line(`  library ÷ hand-written (time per call)`, ratio(b.perSecond, a.perSecond))
        }
        // the hand-written bulk first, on the ACTIVE cards (it leaves them ACTIVE), then the library's BLOCK
        const floor = yield* counted(handWrittenBulk(sql, "ACTIVE"))
        const ours = yield* counted(manageAllCards(TENANT, { entityId: "BULK", operation: "BLOCK" }))
        line(
          `manageAllCards BLOCK on ${CARDS} cards, library`,
          `${ours.ms.toFixed(0)} ms, ${ours.statements} statements`
        )
        line(`the same by hand-written SQL`, `${floor.ms.toFixed(0)} ms, ${floor.statements} statements`)
        line(`  library ÷ hand-written`, ratio(ours.ms, floor.ms))
        line("target", "within 1.5× of hand-written SQL; statements flat in the number of cards")
      }).pipe(Effect.provide(store))
    )
  } finally {
    await server.stop()
  }
}
