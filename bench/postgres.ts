/**
 * The PostgreSQL adapter against hand-written SQL over the same client, in the same run, on a
 * throw-away server: lock+unlock of a card and replaceCard with 1 and 16 concurrent fibers
 * (operations per second and p99 latency), replaceCard under an idempotency key against replaceCard
 * without one, manageAllCards on 1e4 cards (time per call and statements), and the outbox's delivered
 * events per second. Run alone with `npm run bench -- postgres`.
 *
 * The hand-written side does the same work a host would have to write without the library, no less:
 * the rows read for update, the transition checked, the same columns written, the same audit events
 * (every field the library records), and for a replacement a new card issued (a serial from a
 * sequence, a random PAN on the product's BIN reserved by its keyed hash, the PAN encrypted with
 * node:crypto). Both sides run on the node:crypto security module's keys, as a production host
 * would. Each figure is the median of rounds that alternate the two sides after a warm-up of each,
 * so that both see the same load of a shared machine; beside the ratio of the two medians, the median
 * of the rounds' own ratios (`by round`). Each side runs in a Node process of its own
 * (`PG_SHARED_PROCESS=1`: both in one), as a host runs either the library or its own SQL: two stacks
 * in one process change each other's figures through the JIT's shared feedback.
 */

import { type ChildProcess, fork, spawnSync } from "node:child_process"
import { createCipheriv, createHmac, randomBytes, randomInt } from "node:crypto"
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { SqlClient, Statement } from "effect/sql"
import {
  cardFixture,
  customerFixture,
  fixture,
  randomKeyHex,
  tenantFixture
} from "../src/adapters/memory/index.js"
import { NodeSecurityModule } from "../src/adapters/node/index.js"
import { migrate, ports, seedFromFixture } from "../src/adapters/postgres/index.js"
import { luhnCheckDigit } from "../src/domain/ground/Pan.js"
import {
  deliverEvents,
  KitNo,
  lockCard,
  manageAllCards,
  replaceCard,
  TenantId,
  unlockCard,
  withIdempotencyKey
} from "../src/index.js"
import { findBinaries, startServer } from "../test/support/postgres/server.js"
import { line, ratio } from "./harness.js"

const TENANT = TenantId.make("ACME_BANK")
const CARDS = 10_000
/**
 * Rounds per side: each figure is a median of this many (`PG_ROUNDS`). More rounds leave a deeper
 * backlog per card for the outbox block (docs/events.md, "Few cards, deep backlogs"). Five: with
 * three, one disturbed round of this shared machine moved a median by a tenth.
 */
const ROUNDS = Number(process.env.PG_ROUNDS ?? 5)
/**
 * Rounds of the key block (`PG_KEY_ROUNDS`): a key adds about a fifth to a replacement, and one round
 * of one side varies by more than that on this shared machine, so its medians take more rounds.
 */
const KEY_ROUNDS = Number(process.env.PG_KEY_ROUNDS ?? 9)
const FIBERS = [1, 16] as const
/** lock+unlock pairs per fiber and round. */
const PAIRS = { 1: Number(process.env.PAIRS ?? 200), 16: 40 } as const
/** replaceCard calls per fiber and round. */
const REPLACES = { 1: 200, 16: 15 } as const
/**
 * Calls of each side before its rounds (`PG_WARMUP`): enough for the JIT to have compiled both sides'
 * code (with 60, the library's one-fiber figures moved by a third from run to run).
 */
const WARM_UP = Number(process.env.PG_WARMUP ?? 500)
/**
 * `PG_ONLY=replace,key` runs only the named blocks (lock, replace, key, bulk, outbox), in this
 * process. By default every block runs, each group of them in a process and on a server of its own
 * (`BLOCK_PROCESSES`), so that no block's figures depend on what ran before it in the process: with
 * all of them in one, the library's one-fiber replaceCard ran up to 1.6 times faster in a later block
 * than in its own. `PG_ONE_PROCESS=1` runs them all in this process, one after the other.
 */
const ONLY = process.env.PG_ONLY?.split(",").map((name) => name.trim())
const ONE_PROCESS = process.env.PG_ONE_PROCESS !== undefined
/** The processes of a default run: the outbox delivers the events of the bulk block before it. */
const BLOCK_PROCESSES = ["lock", "replace", "key", "bulk,outbox"] as const
const runs = (block: "lock" | "replace" | "key" | "bulk" | "outbox") =>
  ONLY === undefined || ONLY.includes(block)
/**
 * `PG_PLAN_CACHE_MODE=force_generic_plan` (or another mode): both sides' sessions start with that
 * `plan_cache_mode` instead of the server's own (`auto`), to see what planning costs.
 */
const PLAN_CACHE_MODE = process.env.PG_PLAN_CACHE_MODE
/**
 * `PG_FLOOR_FIRST=1`: each round runs the floor (hand-written SQL, or replaceCard without a key) before
 * the library's side instead of after it, to see what the order does to the figures.
 */
const FLOOR_FIRST = process.env.PG_FLOOR_FIRST !== undefined
/**
 * `PG_PROFILE=file.cpuprofile`: a CPU profile of the timed blocks only (the seeding left out); in a
 * default run, one per process, named after its blocks (`file.lock.cpuprofile`, …).
 */
const PROFILE =
  process.env.PG_PROFILE === undefined || process.env.BENCH_CHILD === undefined || ONLY === undefined
    ? process.env.PG_PROFILE
    : process.env.PG_PROFILE.replace(
        /(\.cpuprofile)?$/,
        `.${ONLY.join("-")}${process.env.BENCH_SIDE === undefined ? "" : `.${process.env.BENCH_SIDE}`}$1`
      )
/**
 * `PG_SHARED_PROCESS=1`: the two sides of a comparison run in one process (the block's), as before
 * each had a process of its own; the library's figures then depend on the other side's code having
 * run in the same process.
 */
const SHARED_PROCESS = process.env.PG_SHARED_PROCESS !== undefined
const kitNoOf = (i: number) => String(4_240_180_000 + i)

const KEYS = { cardNumber: randomKeyHex(), panStore: randomKeyHex() }
const security = NodeSecurityModule.layer({
  [TENANT]: {
    cardNumber: [{ id: "1", hex: Redacted.make(KEYS.cardNumber) }],
    panStore: [{ id: "1", hex: Redacted.make(KEYS.panStore) }]
  }
})
const cardNumberKey = Buffer.from(KEYS.cardNumber, "hex")
const panStoreKey = Buffer.from(KEYS.panStore, "hex")

/**
 * The accounts each side replaces a card of, one replacement each (seed 003 allows two a month): the
 * one-fiber warm-up, one call per fiber before the 16-fiber rounds, the rounds, and one for `PG_TRACE`.
 */
const REPLACING = WARM_UP + 16 + Math.max(ROUNDS, KEY_ROUNDS) * (REPLACES[1] + 16 * REPLACES[16]) + 1
const replacing = (side: 0 | 1 | 2 | 3, i: number) => side * REPLACING + i
const replacingAccount = (n: number) =>
  customerFixture(`R${n}`, [cardFixture(kitNoOf(20_000 + n), { status: "ACTIVE" })], { accountNo: 1_000 + n })

const bank = fixture({
  [TENANT]: tenantFixture(
    [
      // sides 0 and 1: the library and the floor; 2 and 3: replaceCard with and without a key
      ...Array.from({ length: REPLACING * 4 }, (_, n) => replacingAccount(n)),
      customerFixture("E1", [cardFixture(kitNoOf(0), { status: "ACTIVE" })], { accountNo: 1 }),
      ...Array.from({ length: 16 }, (_, f) =>
        customerFixture(`S${f}`, [cardFixture(kitNoOf(1 + f), { status: "ACTIVE" })], { accountNo: 10 + f })
      ),
      customerFixture(
        "BULK",
        Array.from({ length: CARDS }, (_, i) => cardFixture(kitNoOf(100 + i), { status: "ACTIVE" })),
        { accountNo: 2 }
      )
    ],
    { keys: KEYS }
  )
})

interface Event {
  readonly at: string
  readonly action: string
  readonly subject: string
  readonly outcome: "OK"
  readonly cardNumber: string
  readonly previousStatus?: string
  readonly currentStatus: string
}

/** The new status of a LOCK or UNLOCK, or undefined when the card's status does not allow it. */
const transition = (operation: "LOCK" | "UNLOCK", status: string, lockedFrom: string | null) =>
  operation === "LOCK"
    ? status === "ASSIGNED" || status === "ACTIVE"
      ? { status: "LOCKED", lockedFrom: status }
      : undefined
    : status === "LOCKED"
      ? { status: lockedFrom ?? "ACTIVE", lockedFrom: null }
      : undefined

interface CardRow {
  readonly kit_no: string
  readonly status: string
  readonly locked_from: string | null
  readonly pan_masked: string
}

/** A lock (or an unlock) by hand: the card read for update, the transition checked, written, audited. */
const handWritten = (sql: SqlClient.SqlClient, kitNo: string, operation: "LOCK" | "UNLOCK") =>
  sql.withTransaction(
    Effect.gen(function* () {
      const [card] = yield* sql<CardRow>`SELECT kit_no, status, locked_from, pan_masked FROM cards
        WHERE tenant = ${TENANT} AND kit_no = ${kitNo} FOR UPDATE`
      if (card === undefined) return yield* Effect.die(new Error("no card"))
      const next = transition(operation, card.status, card.locked_from)
      if (next === undefined) return yield* Effect.die(new Error("refused"))
      yield* sql`UPDATE cards SET status = ${next.status}, locked_from = ${next.lockedFrom}::text
        WHERE tenant = ${TENANT} AND kit_no = ${kitNo}`
      const event: Event = {
        at: new Date().toISOString(),
        action: operation,
        subject: kitNo,
        outcome: "OK",
        cardNumber: card.pan_masked,
        previousStatus: card.status,
        currentStatus: next.status
      }
      // the event and its outbox row in one statement, as the library's audit log writes them
      yield* sql`WITH appended AS (INSERT INTO audit_events (tenant, subject, event)
        VALUES (${TENANT}, ${kitNo}, ${JSON.stringify(event)}::jsonb) RETURNING tenant, seq, subject)
        INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM appended`
      return { kitNo, cardNumber: card.pan_masked, previousStatus: card.status, currentStatus: next.status }
    })
  )

/** A PAN on `bin` by hand: random digits and the Luhn check digit, its keyed hash and ciphertext. */
const newPan = (bin: string, kitNo: string) => {
  const body = bin + String(randomInt(0, 10 ** (15 - bin.length))).padStart(15 - bin.length, "0")
  const pan = body + luhnCheckDigit(body)
  const hash = createHmac("sha256", cardNumberKey).update(`${TENANT}:${pan}`).digest("hex")
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", panStoreKey, iv).setAAD(Buffer.from(`${TENANT}:${kitNo}`))
  const ciphertext = Buffer.concat([iv, cipher.update(pan, "ascii"), cipher.final(), cipher.getAuthTag()])
  return {
    hash,
    ciphertext: ciphertext.toString("base64"),
    masked: `${pan.slice(0, 6)}XXXXXX${pan.slice(-4)}`
  }
}

/**
 * A replacement by hand: the account and the old card read for update, the limit checked, the
 * product read, a kitNo from a sequence and a PAN reserved by its hash, the old card's status, the new
 * card, the account's replacement, the same two audit events.
 */
const handWrittenReplace = (sql: SqlClient.SqlClient, n: number) =>
  sql.withTransaction(
    Effect.gen(function* () {
      const accountNo = 1_000 + n
      const oldKit = kitNoOf(20_000 + n)
      const now = Date.now()
      const [account] = yield* sql<{ readonly replacements: ReadonlyArray<string> }>`SELECT replacements
        FROM accounts WHERE tenant = ${TENANT} AND account_no = ${accountNo} FOR UPDATE`
      if (account === undefined) return yield* Effect.die(new Error("no account"))
      const lastMonth = now - 31 * 24 * 3600 * 1000
      if (account.replacements.filter((at) => Number(at) >= lastMonth).length >= 2)
        return yield* Effect.die(new Error("limit"))
      const [old] = yield* sql<
        CardRow & { readonly tier_type: string; readonly entity_id: string }
      >`SELECT kit_no,
          status, locked_from, pan_masked, tier_type, entity_id FROM cards
        WHERE tenant = ${TENANT} AND kit_no = ${oldKit} FOR UPDATE`
      if (old === undefined || old.status !== "ACTIVE") return yield* Effect.die(new Error("no card"))
      const [product] = yield* sql<{
        readonly product_id: string
        readonly bin: string
        readonly validity_years: number
      }>`SELECT product_id, bin, validity_years FROM products
        WHERE tenant = ${TENANT} AND tier_type = ${old.tier_type} AND card_type = 'VIRTUAL'`
      if (product === undefined) return yield* Effect.die(new Error("no product"))
      const [serial] = yield* sql<{
        readonly kit_no: string
      }>`SELECT nextval('bench_kit_serials')::text AS kit_no`
      const kitNo = serial!.kit_no
      let pan = newPan(product.bin, kitNo)
      while (
        (yield* sql`INSERT INTO pan_reservations (tenant, pan_hash, kit_no)
          SELECT ${TENANT}, ${pan.hash}, ${kitNo}
          WHERE NOT EXISTS (SELECT 1 FROM cards WHERE tenant = ${TENANT} AND pan_hash = ${pan.hash})
          ON CONFLICT (tenant, pan_hash) DO NOTHING RETURNING kit_no`).length === 0
      )
        pan = newPan(product.bin, kitNo)
      const expDate = new Date(now)
      expDate.setUTCFullYear(expDate.getUTCFullYear() + product.validity_years)
      yield* sql`UPDATE cards SET status = 'DAMAGED' WHERE tenant = ${TENANT} AND kit_no = ${oldKit}`
      yield* sql`INSERT INTO cards (tenant, kit_no, entity_id, account_no, product_id, tier_type, card_type,
          pan_key_id, pan_ciphertext, pan_masked, pan_hash, exp_date, status)
        VALUES (${TENANT}, ${kitNo}, ${old.entity_id}, ${accountNo}, ${product.product_id}, ${old.tier_type},
          'VIRTUAL', '1', ${pan.ciphertext}, ${pan.masked}, ${pan.hash}, ${expDate.toISOString()}, 'ACTIVE')`
      yield* sql`UPDATE accounts SET replacements = array_append(replacements, ${now}::bigint)
        WHERE tenant = ${TENANT} AND account_no = ${accountNo}`
      const at = new Date(now).toISOString()
      const events: ReadonlyArray<Event> = [
        {
          at,
          action: "REPLACE",
          subject: oldKit,
          outcome: "OK",
          cardNumber: old.pan_masked,
          previousStatus: "ACTIVE",
          currentStatus: "DAMAGED"
        },
        {
          at,
          action: "ISSUE",
          subject: kitNo,
          outcome: "OK",
          cardNumber: pan.masked,
          currentStatus: "ACTIVE"
        }
      ]
      yield* sql`WITH appended AS (INSERT INTO audit_events (tenant, subject, event)
        SELECT ${TENANT}, e->>'subject', e FROM unnest(${events.map((e) => JSON.stringify(e))}::jsonb[]) AS e
        RETURNING tenant, seq, subject)
        INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM appended`
      return { NewLoyaltyCard: Number(kitNo), Message: "Card updated." }
    })
  )

/** manageAllCards by hand: the customer, its cards for update, the transitions, one UPDATE, one INSERT. */
const handWrittenBulk = (sql: SqlClient.SqlClient, operation: "LOCK" | "UNLOCK") =>
  sql.withTransaction(
    Effect.gen(function* () {
      const [customer] =
        yield* sql`SELECT entity_id FROM customers WHERE tenant = ${TENANT} AND entity_id = 'BULK'`
      if (customer === undefined) return yield* Effect.die(new Error("no customer"))
      const cards = yield* sql<CardRow>`SELECT kit_no, status, locked_from, pan_masked FROM cards
        WHERE tenant = ${TENANT} AND entity_id = 'BULK' ORDER BY kit_no FOR UPDATE`
      const at = new Date().toISOString()
      const kitNos: Array<string> = []
      const statuses: Array<string> = []
      const lockedFrom: Array<string> = []
      const events: Array<string> = []
      for (const card of cards) {
        const next = transition(operation, card.status, card.locked_from)
        if (next === undefined) continue
        kitNos.push(card.kit_no)
        statuses.push(next.status)
        lockedFrom.push(next.lockedFrom ?? "")
        const event: Event = {
          at,
          action: operation,
          subject: card.kit_no,
          outcome: "OK",
          cardNumber: card.pan_masked,
          previousStatus: card.status,
          currentStatus: next.status
        }
        events.push(JSON.stringify(event))
      }
      yield* sql`UPDATE cards SET status = v.status, locked_from = NULLIF(v.locked_from, '')
        FROM unnest(${kitNos}::text[], ${statuses}::text[], ${lockedFrom}::text[]) AS v(kit_no, status, locked_from)
        WHERE cards.tenant = ${TENANT} AND cards.kit_no = v.kit_no`
      yield* sql`WITH appended AS (INSERT INTO audit_events (tenant, subject, event)
        SELECT ${TENANT}, e->>'subject', e FROM unnest(${events}::jsonb[]) AS e RETURNING tenant, seq, subject)
        INSERT INTO outbox (tenant, seq, subject) SELECT tenant, seq, subject FROM appended`
      return kitNos.length
    })
  )

const percentile = (samples: ReadonlyArray<number>, p: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const median = (xs: ReadonlyArray<number>) => percentile(xs, 50)

/** `fibers` fibers, each running `times` times `op(fiber)`: operations per second and latencies (ms). */
const concurrently = <E, R>(
  fibers: number,
  times: number,
  op: (fiber: number) => Effect.Effect<unknown, E, R>
) =>
  Effect.gen(function* () {
    const latencies: Array<number> = []
    const cpu = process.cpuUsage()
    const start = performance.now()
    yield* Effect.forEach(
      Array.from({ length: fibers }, (_, f) => f),
      (f) =>
        Effect.gen(function* () {
          for (let i = 0; i < times; i++) {
            const t = performance.now()
            yield* op(f)
            latencies.push(performance.now() - t)
          }
        }),
      { concurrency: "unbounded", discard: true }
    )
    const used = process.cpuUsage(cpu)
    return {
      perSecond: (fibers * times) / ((performance.now() - start) / 1000),
      latencies,
      // this process's CPU (both threads of the client's work: JavaScript and the socket) per operation
      cpuMicros: (used.user + used.system) / (fibers * times)
    }
  })

/** A round's figures: operations per second, each operation's latency (ms), CPU per operation (µs). */
interface Round {
  readonly perSecond: number
  readonly latencies: ReadonlyArray<number>
  readonly cpuMicros: number
}

/** One side of a comparison: where its rounds run (this process, or one of its own). */
interface Side<R> {
  readonly run: (fibers: number, times: number) => Effect.Effect<Round, unknown, R>
  readonly stop: Effect.Effect<void>
}

/** The operation a side times, for a block run with `fibers` fibers. */
type Operation<R> = (fibers: number, fiber: number) => Effect.Effect<unknown, unknown, R>

const inThisProcess = <R>(op: Operation<R>): Side<R> => ({
  run: (fibers, times) => concurrently(fibers, times, (f) => op(fibers, f)),
  stop: Effect.void
})

/**
 * The library and the hand-written side in alternating rounds after a warm-up of each: the median
 * rate of each side's rounds, the p99 of all their latencies, the ratio of the medians, and the
 * median of the rounds' own ratios (each round's two sides timed one after the other).
 */
const alternating = <R1, R2>(
  label: string,
  unit: string,
  fibers: number,
  times: number,
  ours: Side<R1>,
  floor: Side<R2>,
  warmUp: number,
  names: { readonly ours: string; readonly floor: string } = { ours: "library", floor: "hand-written SQL" },
  rounds = ROUNDS
) =>
  Effect.gen(function* () {
    yield* ours.run(1, warmUp)
    yield* floor.run(1, warmUp)
    // one call per fiber on each side: the pool opens the connections the block's fibers use before any
    // round is timed (else the first side of the first round waits for them, and its p99 shows it)
    if (fibers > 1) {
      yield* ours.run(fibers, 1)
      yield* floor.run(fibers, 1)
    }
    const a = { rates: [] as Array<number>, latencies: [] as Array<number>, cpu: [] as Array<number> }
    const b = { rates: [] as Array<number>, latencies: [] as Array<number>, cpu: [] as Array<number> }
    for (let round = 0; round < rounds; round++) {
      const order = [
        [a, ours],
        [b, floor]
      ] as const
      for (const [figures, side] of FLOOR_FIRST ? [order[1], order[0]] : order) {
        const r = yield* (side as Side<R1 | R2>).run(fibers, times)
        figures.rates.push(r.perSecond)
        figures.latencies.push(...r.latencies)
        figures.cpu.push(r.cpuMicros)
      }
    }
    const show = (side: typeof a) =>
      `${median(side.rates).toFixed(0)} ${unit}/s, p99 ${percentile(side.latencies, 99).toFixed(2)} ms, ` +
      `client CPU ${median(side.cpu).toFixed(0)} µs/${unit}`
    line(`${label}, ${fibers} fiber(s), ${names.ours}`, show(a))
    line(`${label}, ${fibers} fiber(s), ${names.floor}`, show(b))
    // two decimals: the targets sit between 1.2 and 1.5, where one decimal hides which side of them a figure is
    line(
      `  ${names.ours} ÷ ${names.floor} (time per ${unit})`,
      `${(median(b.rates) / median(a.rates)).toFixed(2)}×`
    )
    // each round's two sides ran one after the other: their ratio leaves out what the machine's load did
    // between rounds, which the medians of each side keep
    const paired = a.rates.map((rate, round) => b.rates[round]! / rate)
    line(
      `    by round (the median, min–max)`,
      `${median(paired).toFixed(2)}× (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)})`
    )
  })

type Block = "lock" | "replace" | "key"
type SideName = "ours" | "floor"

const replacementOf = (n: number) => ({
  correlationId: String(1_000 + n),
  oldLoyaltyId: Number(kitNoOf(20_000 + n)),
  status: "DAMAGED"
})

/**
 * What each side of each block times. Each call of a replacement block takes an account of its own,
 * each side from a range of its own (`replacing`): a side in a process of its own counts its own.
 */
const operations = (sql: SqlClient.SqlClient) => {
  const next = [0, 0, 0, 0]
  const take = (side: 0 | 1 | 2 | 3) => replacing(side, next[side]!++)
  const kitOf = (fibers: number, f: number) => KitNo.make(kitNoOf(fibers === 1 ? 0 : 1 + f))
  // the cost of an idempotency key: the same replacement with a fresh key and without one
  const keyed = withIdempotencyKey("replaceCard", replaceCard)
  return {
    lock: {
      ours: (fibers: number, f: number) =>
        Effect.andThen(
          lockCard(TENANT, { kitNo: kitOf(fibers, f) }),
          unlockCard(TENANT, { kitNo: kitOf(fibers, f) })
        ),
      floor: (fibers: number, f: number) =>
        Effect.andThen(
          handWritten(sql, kitOf(fibers, f), "LOCK"),
          handWritten(sql, kitOf(fibers, f), "UNLOCK")
        )
    },
    replace: {
      ours: () => Effect.suspend(() => replaceCard(TENANT, replacementOf(take(0)))),
      floor: () => Effect.suspend(() => handWrittenReplace(sql, take(1)))
    },
    key: {
      ours: () =>
        Effect.suspend(() => {
          const n = take(2)
          return keyed(TENANT, `bench-${n}`, replacementOf(n))
        }),
      floor: () => Effect.suspend(() => replaceCard(TENANT, replacementOf(take(3))))
    }
  }
}

/** The ports over one pool of 20 connections to `url`; PG_PLAN_CACHE_MODE sets its sessions' plan_cache_mode. */
const storeFor = (url: string) =>
  ports.pipe(
    Layer.provideMerge(
      PgClient.layer({
        url: Redacted.make(url),
        maxConnections: 20,
        ...(PLAN_CACHE_MODE === undefined ? {} : { startupParameters: { plan_cache_mode: PLAN_CACHE_MODE } })
      })
    ),
    Layer.provideMerge(security)
  )

/** Starts the CPU profiler (`PG_PROFILE`); the effect it returns stops it and writes the profile. */
const startProfile = async (): Promise<() => Promise<void>> => {
  if (PROFILE === undefined) return async () => {}
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.start")
  return async () => {
    const { profile } = await session.post("Profiler.stop")
    writeFileSync(PROFILE, JSON.stringify(profile))
    session.disconnect()
  }
}

interface RunMessage {
  readonly kind: "run"
  readonly fibers: number
  readonly times: number
}
type ToSide = RunMessage | { readonly kind: "stop" }
type FromSide = { readonly kind: "ready" } | ({ readonly kind: "round" } & Round)

/**
 * A side in a Node process of its own (this script again, `BENCH_SIDE`), on the block's server: it
 * runs the rounds this process asks for, one at a time, and reports each.
 */
const sideProcess = (block: Block, side: SideName, url: string): Effect.Effect<Side<never>> =>
  Effect.promise(
    () =>
      new Promise<Side<never>>((resolve, reject) => {
        const child: ChildProcess = fork(process.argv[1]!, ["postgres"], {
          execArgv: process.execArgv,
          env: { ...process.env, BENCH_CHILD: "1", BENCH_SIDE: side, PG_ONLY: block, PG_SIDE_URL: url },
          stdio: ["ignore", "inherit", "inherit", "ipc"]
        })
        let waiting: { resolve: (round: Round) => void; reject: (error: Error) => void } | undefined
        child.on("exit", (code, signal) => {
          const error = new Error(`the bench's ${side} side of ${block} ended (${code ?? signal})`)
          waiting?.reject(error)
          reject(error)
        })
        child.on("message", (message: FromSide) => {
          if (message.kind === "ready")
            resolve({
              run: (fibers, times) =>
                Effect.promise(
                  () =>
                    new Promise<Round>((resolveRound, rejectRound) => {
                      waiting = { resolve: resolveRound, reject: rejectRound }
                      child.send({ kind: "run", fibers, times } satisfies ToSide)
                    })
                ),
              stop: Effect.promise(
                () =>
                  new Promise<void>((stopped) => {
                    child.removeAllListeners("exit")
                    child.once("exit", () => stopped())
                    child.send({ kind: "stop" } satisfies ToSide)
                  })
              )
            })
          else waiting?.resolve(message)
        })
      })
  )

/** The body of a side's own process: builds the store, then runs the rounds it is sent. */
const sideMain = async (block: Block, side: SideName, url: string): Promise<void> => {
  const runtime = ManagedRuntime.make(storeFor(url))
  const op: Operation<Layer.Success<ReturnType<typeof storeFor>>> = (
    await runtime.runPromise(Effect.map(SqlClient.SqlClient, operations))
  )[block][side]
  const stopProfile = await startProfile()
  let queue = Promise.resolve()
  process.on("message", (message: ToSide) => {
    queue = queue.then(async () => {
      if (message.kind === "run") {
        const round = await runtime.runPromise(
          concurrently(message.fibers, message.times, (f) => op(message.fibers, f))
        )
        process.send!({ kind: "round", ...round } satisfies FromSide)
      } else {
        await stopProfile()
        await runtime.dispose()
        process.exit(0)
      }
    })
  })
  // the block's process ended without stopping this one: nothing is left to run for
  process.once("disconnect", () => process.exit(1))
  process.send!({ kind: "ready" } satisfies FromSide)
}

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

/** Runs the bench again in a child process of its own (the same Node, loader and script) for `blocks`. */
const inChildProcess = (blocks: string) => {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "postgres"], {
    env: { ...process.env, PG_ONLY: blocks, BENCH_CHILD: "1" },
    stdio: "inherit"
  })
  if (child.status !== 0)
    throw new Error(`the bench's ${blocks} block(s) failed (${child.status ?? child.signal})`)
}

export const benchPostgres = async (): Promise<void> => {
  if (process.env.BENCH_CHILD === undefined) {
    console.log(
      "\ncard-lifecycle/postgres against hand-written SQL over the same client, on a throw-away server"
    )
    line(
      "sides",
      SHARED_PROCESS
        ? "both in one Node process"
        : "each in a Node process of its own (PG_SHARED_PROCESS=1: in one)"
    )
  }
  if (process.env.BENCH_SIDE !== undefined)
    return sideMain(ONLY![0] as Block, process.env.BENCH_SIDE as SideName, process.env.PG_SIDE_URL!)
  if (ONLY === undefined && !ONE_PROCESS) {
    for (const blocks of BLOCK_PROCESSES) inChildProcess(blocks)
    return
  }
  const binaries = await findBinaries()
  if (binaries._tag === "Missing") {
    line("skipped", binaries.reason)
    return
  }
  const server = await startServer(binaries.binDir)
  if (PLAN_CACHE_MODE !== undefined) line("sessions", `plan_cache_mode = ${PLAN_CACHE_MODE}`)
  try {
    const store = storeFor(server.url)
    await Effect.runPromise(
      Effect.gen(function* () {
        yield* migrate
        yield* seedFromFixture(bank)
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE SEQUENCE bench_kit_serials START 9000000000`
        yield* sql`ANALYZE`
        const ops = operations(sql)
        const sideOf = (block: Block, name: SideName) =>
          SHARED_PROCESS
            ? Effect.succeed(inThisProcess(ops[block][name]))
            : sideProcess(block, name, server.url)
        const stopProfile = yield* Effect.promise(startProfile)

        if (process.env.PG_TRACE !== undefined) {
          // the statements of one call each way, in the order they run, on accounts the rounds leave
          const last = REPLACING - 1
          for (const [label, call] of [
            ["replaceCard", replaceCard(TENANT, replacementOf(replacing(3, last)))],
            [
              "replaceCard with an idempotency key",
              withIdempotencyKey("replaceCard", replaceCard)(
                TENANT,
                `bench-${replacing(2, last)}`,
                replacementOf(replacing(2, last))
              )
            ]
          ] as const) {
            const texts: Array<string> = []
            yield* (call as Effect.Effect<unknown, unknown, never>).pipe(
              Effect.provideService(Statement.CurrentTransformer, (statement) =>
                Effect.sync(() => {
                  texts.push(statement.compile()[0].replace(/\s+/g, " ").slice(0, 110))
                  return statement
                })
              )
            )
            line(`${label}: ${texts.length} statements`, "")
            for (const text of texts) console.log(`    ${text}`)
          }
        }

        const blocks = [
          { block: "lock", label: "lock+unlock", unit: "pair", times: PAIRS, warmUp: () => WARM_UP },
          {
            block: "replace",
            label: "replaceCard",
            unit: "call",
            times: REPLACES,
            warmUp: (fibers: number) => (fibers === 1 ? WARM_UP : 0)
          },
          {
            block: "key",
            label: "replaceCard",
            unit: "call",
            times: REPLACES,
            warmUp: (fibers: number) => (fibers === 1 ? WARM_UP : 0),
            names: { ours: "with an idempotency key", floor: "without" },
            rounds: KEY_ROUNDS
          }
        ] as const
        for (const comparison of blocks) {
          if (!runs(comparison.block)) continue
          const ours = yield* sideOf(comparison.block, "ours")
          const floor = yield* sideOf(comparison.block, "floor")
          for (const fibers of FIBERS)
            yield* alternating(
              comparison.label,
              comparison.unit,
              fibers,
              comparison.times[fibers],
              ours,
              floor,
              comparison.warmUp(fibers),
              "names" in comparison ? comparison.names : undefined,
              "rounds" in comparison ? comparison.rounds : ROUNDS
            )
          yield* ours.stop
          yield* floor.stop
        }
        if (runs("key")) line("target", "an idempotency key adds under 25 % to replaceCard")
        if (!runs("bulk") && !runs("outbox")) return yield* Effect.promise(stopProfile)

        // LOCK and UNLOCK of the 1e4 cards in turns, each side one of each per round
        const library = { ms: [] as Array<number>, statements: 0 }
        const hand = { ms: [] as Array<number>, statements: 0 }
        const bulk = (operation: "LOCK" | "UNLOCK") => manageAllCards(TENANT, { entityId: "BULK", operation })
        yield* bulk("LOCK")
        yield* handWrittenBulk(sql, "UNLOCK") // warm-up of each side
        for (let round = 0; round < ROUNDS; round++) {
          for (const [side, run] of [
            [library, bulk("LOCK")],
            [hand, handWrittenBulk(sql, "UNLOCK")],
            [hand, handWrittenBulk(sql, "LOCK")],
            [library, bulk("UNLOCK")]
          ] as const) {
            const r = yield* counted(run as Effect.Effect<unknown, unknown, never>)
            side.ms.push(r.ms)
            side.statements = r.statements
          }
        }
        line(
          `manageAllCards LOCK/UNLOCK on ${CARDS} cards, library`,
          `${median(library.ms).toFixed(0)} ms, ${library.statements} statements`
        )
        line(
          `the same by hand-written SQL`,
          `${median(hand.ms).toFixed(0)} ms, ${hand.statements} statements`
        )
        line(`  library ÷ hand-written`, ratio(median(library.ms), median(hand.ms)))
        line("target", "within 1.5× of hand-written SQL; statements flat in the number of cards")

        // the outbox: every event the blocks above appended in this process (the bulk block's, by
        // default), delivered to a handler that does nothing
        const pending = (yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM outbox`)[0]?.n ?? 0
        for (const consumers of [1, 4]) {
          const started = performance.now()
          let delivered = 0
          const consumer = Effect.gen(function* () {
            while (true) {
              const report = yield* deliverEvents(TENANT, () => Effect.void, { batchSize: 500 })
              delivered += report.delivered
              if (report.delivered === 0) return
            }
          })
          yield* Effect.all(
            Array.from({ length: consumers }, () => consumer),
            { concurrency: consumers }
          )
          const seconds = (performance.now() - started) / 1000
          line(
            `outbox: ${delivered} events delivered by ${consumers} consumer(s)`,
            `${(delivered / seconds).toFixed(0)} events/s (${seconds.toFixed(2)} s)`
          )
          // the same events again for the next consumer count
          if (consumers === 1)
            yield* sql`INSERT INTO outbox (tenant, seq, subject)
              SELECT tenant, seq, subject FROM audit_events ORDER BY seq LIMIT ${delivered}`
        }
        line("outbox before delivery", `${pending} pending events`)
        yield* Effect.promise(stopProfile)
      }).pipe(Effect.provide(store))
    )
  } finally {
    await server.stop()
  }
}
