/**
 * The reference HTTP service under load: `autocannon` on loopback against the service on the memory
 * adapter (lockCard, manageAllKits on customers of 100 cards, upgradeCard) at 1, 16 and 64
 * connections, beside a bare `node:http` server answering a fixed JSON body in the same run, the
 * ceiling of Node on the machine. Run alone with `npm run bench -- http`.
 *
 * Each server runs in a child process of its own (the same Node, `--import tsx`), so that the load
 * generator does not share its event loop; the service logs one JSON line per request as in
 * production (`Logger.consoleJson`), to /dev/null. Every request is one the service accepts:
 *
 * - lockCard: each connection has a customer of its own with 50 ACTIVE cards, and locks them one by
 *   one, then unlocks them one by one, and so on (a connection has one request in flight, so no two
 *   in-flight requests touch the same card);
 * - manageAllKits: each connection has a customer of its own with 100 ACTIVE cards, and LOCKs and
 *   UNLOCKs all of them in turn;
 * - upgradeCard: every request upgrades a CLASSIC card of its own (one customer each) to SILVER, on a
 *   server of its own per connection count whose cards are created up front: as many as lockCard
 *   (which does less per request) answers in a point's time, by a calibration run of 2 s at 16
 *   connections after a warm-up, times 1.5 (and at least 2 500 per second), plus 1 000.
 *
 * Every server is started before the first run. At each connection count the bare server runs first
 * and again last, around the service's scenarios, so that the ceiling is measured under the same load of a shared machine. Every point is
 * `HTTP_BENCH_SECONDS` (5) seconds after `HTTP_BENCH_WARMUP` (1) seconds of warm-up at the same
 * connection count, each on fresh customers. Latencies are those of the 2xx answers, and so is the
 * rate; a non-2xx answer, an error or a timeout fails the bench. Beside each figure: the server's CPU
 * time per answer (user + system, from /proc) and the load generator's share of a core.
 * `HTTP_BENCH_CONNECTIONS=16` runs one connection count only; `HTTP_BENCH_UPGRADES=n` sets the
 * upgradeCard cards; `HTTP_BENCH_PROFILE=dir` writes a CPU profile of every server child into `dir`
 * (`--cpu-prof`; `HTTP_BENCH_SERVER=file.mjs` runs an esbuild bundle of bench/httpServer.ts instead,
 * for function names; summarise with `npm exec -- tsx bench/profileSummary.ts file.cpuprofile`).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import {
  BULK_CARDS,
  bulkEntityId,
  type FixtureSize,
  LOCK_CARDS_PER_SLOT,
  lockKitNo,
  TENANT,
  upgradeEntityId,
  upgradeKitNo
} from "./httpFixture.js"

const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 5)
const WARM_UP = Number(process.env.HTTP_BENCH_WARMUP ?? 1)
const CONNECTIONS = (process.env.HTTP_BENCH_CONNECTIONS ?? "1,16,64").split(",").map(Number)
const PROFILE = process.env.HTTP_BENCH_PROFILE
/** The server's script: bench/httpServer.ts, or a bundle of it (for a profile with function names). */
const SERVER = process.env.HTTP_BENCH_SERVER ?? "bench/httpServer.ts"
/** lockCard's calibration, which sizes upgradeCard's fixtures: connections and seconds, after a warm-up. */
const CALIBRATION = { connections: 16, seconds: 2, warmUp: 1 } as const
/** Customers per scenario: one per connection of every warm-up, measured and calibration run. */
const SLOTS = 2 * CONNECTIONS.reduce((a, b) => a + b, 0) + 2 * CALIBRATION.connections

const root = fileURLToPath(new URL("..", import.meta.url))

// autocannon 9 ships no types: the part of its API this bench uses
interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest
}
interface AutocannonClient {
  setRequests: (requests: ReadonlyArray<AutocannonRequest>) => void
}
interface AutocannonResult {
  readonly duration: number
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>
}
interface AutocannonInstance {
  on(
    event: "response",
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void
  ): void
}
type Autocannon = (
  options: {
    readonly url: string
    readonly connections: number
    readonly duration: number
    readonly setupClient: (client: AutocannonClient) => void
  },
  done: (error: unknown, result: AutocannonResult) => void
) => AutocannonInstance
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon

interface Server {
  readonly url: string
  /** The CPU time the server's process has used so far, in µs (Linux: /proc; undefined elsewhere). */
  readonly cpu: () => number | undefined
  readonly stop: () => Promise<void>
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    return 100
  }
})()

/** utime + stime of a process, in µs. */
const cpuOf = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond
  } catch {
    return undefined
  }
}

/** bench/httpServer.ts in a child process: its stdout (the service's log) to /dev/null. */
const startServer = async (args: ReadonlyArray<string>, label: string): Promise<Server> => {
  const profile =
    PROFILE === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`, `--cpu-prof-name=${label}.cpuprofile`]
  const child: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", SERVER, ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"]
  })
  let stderr = ""
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const running = () => child.exitCode === null && child.signalCode === null
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${label}: not listening after 120 s\n${stderr}`))
    }, 120_000)
    child.stderr!.setEncoding("utf8")
    child.stderr!.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8_000)
      const listening = /listening on (http:\/\/\S+)/.exec(stderr)
      if (listening !== null) {
        clearTimeout(timer)
        resolve(listening[1]!)
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited (${code}) before listening\n${stderr}`))
    })
  })
  return {
    url,
    cpu: () => cpuOf(child.pid),
    stop: async () => {
      if (!running()) return
      child.kill("SIGTERM")
      const killer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      await exited
      clearTimeout(killer)
    }
  }
}

/**
 * A scenario's requests: `connection(slot)` gives the requests of one connection, `slot` being the
 * connection's own number in the scenario (every warm-up and measured connection has its own).
 */
interface Requests {
  readonly connection: (slot: number) => AutocannonRequest
}

interface Point {
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  /** The server's CPU time per 2xx answer, µs. */
  readonly serverCpu: number
  /** The load generator's (this process's) CPU time over the run's wall time. */
  readonly clientCpu: number
  readonly non2xx: number
  /** non-2xx answers, errors and timeouts. */
  readonly failures: number
  readonly detail: string
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const run = (server: Server, connections: number, seconds: number, connection: () => AutocannonRequest) =>
  new Promise<Point>((resolve, reject) => {
    const latencies: Array<number> = []
    const serverCpu = server.cpu()
    const clientCpu = process.cpuUsage()
    const instance = autocannon(
      {
        url: server.url,
        connections,
        duration: seconds,
        setupClient: (client) => client.setRequests([connection()])
      },
      (error, result) => {
        if (error) return reject(error)
        const serverCpuAfter = server.cpu()
        const client = process.cpuUsage(clientCpu)
        const sorted = Float64Array.from(latencies).sort()
        const failures = result.non2xx + result.errors + result.timeouts
        resolve({
          perSecond: latencies.length / result.duration,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          serverCpu:
            serverCpu === undefined || serverCpuAfter === undefined
              ? Number.NaN
              : (serverCpuAfter - serverCpu) / latencies.length,
          clientCpu: (client.user + client.system) / 1e6 / result.duration,
          non2xx: result.non2xx,
          failures,
          detail:
            failures === 0
              ? ""
              : `non-2xx ${result.non2xx} (${JSON.stringify(result.statusCodeStats)}), errors ${result.errors}, timeouts ${result.timeouts}`
        })
      }
    )
    // autocannon's own histogram keeps whole milliseconds: the latencies of the 2xx answers, exact
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms)
    })
  })

const json = (path: string, body: () => object): AutocannonRequest => ({
  method: "POST",
  path,
  headers: { tenant: TENANT, "content-type": "application/json" },
  setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) })
})

/** lockCard, then unlockCard, over the slot's cards in turn: every answer a success. */
const lockRequests: Requests = {
  connection: (slot) => {
    let sent = 0
    return {
      method: "POST",
      headers: { tenant: TENANT, "content-type": "application/json" },
      setupRequest: (request) => {
        const card = sent % LOCK_CARDS_PER_SLOT
        const lock = Math.floor(sent / LOCK_CARDS_PER_SLOT) % 2 === 0
        sent++
        return {
          ...request,
          path: lock ? "/v1/kit-manager/lockCard" : "/v1/kit-manager/unlockCard",
          body: JSON.stringify({ kitNo: lockKitNo(slot, card) })
        }
      }
    }
  }
}

/** LOCK, then UNLOCK, every card of the slot's customer. */
const bulkRequests: Requests = {
  connection: (slot) => {
    let sent = 0
    return json("/v1/kit-manager/manageAllKits", () => ({
      entityId: bulkEntityId(slot),
      operation: sent++ % 2 === 0 ? "LOCK" : "UNLOCK"
    }))
  }
}

/** A fresh CLASSIC card per request, upgraded to SILVER (seed 000's kitInfo), of `available`. */
const upgradeRequests = (available: number) => {
  const state = { sent: 0 }
  const requests: Requests = {
    connection: () =>
      json("/v1/kit-manager/upgradeCard", () => {
        const n = state.sent++
        return {
          entityId: upgradeEntityId(n % available),
          kitNo: upgradeKitNo(n % available),
          kitInfo: [{ cardType: "PHYSICAL", plasticCode: "4566", tierType: "SILVER" }]
        }
      })
  }
  return { requests, sent: () => state.sent }
}

interface Row {
  readonly scenario: string
  readonly connections: number
  readonly point: Point
}

/** A scenario on its server: a warm-up and a measured run at a connection count, each on fresh slots. */
const scenario = (name: string, server: Server, requests: Requests) => {
  let slot = 0
  const connection = () => requests.connection(slot++)
  return {
    name,
    server,
    run: (connections: number, seconds: number) => run(server, connections, seconds, connection),
    measure: async (connections: number): Promise<Row> => {
      if (WARM_UP > 0) {
        const warm = await run(server, connections, WARM_UP, connection)
        if (warm.failures > 0) return { scenario: `${name} (warm-up)`, connections, point: warm }
      }
      return { scenario: name, connections, point: await run(server, connections, SECONDS, connection) }
    }
  }
}

const ms = (x: number) => x.toFixed(2).padStart(8)
const header = () =>
  console.log(
    `  ${"scenario".padEnd(26)} ${"conns".padStart(5)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"÷ bare".padStart(7)} ${"non-2xx".padStart(7)} ${"server µs/req".padStart(13)} ${"autocannon CPU".padStart(14)}`
  )
const printRow = (row: Row, bare: number | undefined) =>
  console.log(
    `  ${row.scenario.padEnd(26)} ${String(row.connections).padStart(5)} ${row.point.perSecond.toFixed(0).padStart(8)} ${ms(row.point.p50)} ${ms(row.point.p99)} ${(bare === undefined ? "" : `${((100 * row.point.perSecond) / bare).toFixed(0)} %`).padStart(7)} ${String(row.point.non2xx).padStart(7)} ${row.point.serverCpu.toFixed(0).padStart(13)} ${`${(100 * row.point.clientCpu).toFixed(0)} %`.padStart(14)}${row.point.detail === "" ? "" : `  ${row.point.detail}`}`
  )
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")

const fixture = (size: Partial<FixtureSize>): string =>
  JSON.stringify({ lockSlots: 0, bulkSlots: 0, upgrades: 0, ...size })

const BARE = "bare node:http"
const LOCK = "lockCard / unlockCard"

export const benchHttp = async (): Promise<void> => {
  console.log(
    `\nThe HTTP service on the memory adapter under autocannon (loopback, ${SECONDS} s per point after ${WARM_UP} s of warm-up), beside a bare node:http server`
  )
  const rows: Array<Row> = []
  const started: Array<Server> = []
  const start = async (args: ReadonlyArray<string>, label: string) => {
    const server = await startServer(args, label)
    started.push(server)
    return server
  }
  let upgradesCreated = 0
  let upgradesSent = 0
  try {
    // every server is started before the first run (none mid-run, while the tree may be edited)
    const bare = scenario(BARE, await start(["bare"], "bare"), lockRequests)
    const lock = scenario(
      LOCK,
      await start(["service", fixture({ lockSlots: SLOTS })], "lockCard"),
      lockRequests
    )
    const bulk = scenario(
      `manageAllKits (${BULK_CARDS} cards)`,
      await start(["service", fixture({ bulkSlots: SLOTS })], "manageAllKits"),
      bulkRequests
    )
    // upgradeCard does more per request than lockCard: lockCard's rate, times 1.5 (at least 2 500 a
    // second), bounds the fresh cards a point can use; a server per connection count, none of them huge
    await lock.run(CALIBRATION.connections, CALIBRATION.warmUp)
    const calibration = await lock.run(CALIBRATION.connections, CALIBRATION.seconds)
    if (calibration.failures > 0) throw new Error(`lockCard calibration: ${calibration.detail}`)
    const upgrades =
      Number(process.env.HTTP_BENCH_UPGRADES ?? 0) ||
      Math.ceil(Math.max(calibration.perSecond * 1.5, 2_500) * (SECONDS + WARM_UP)) + 1_000
    const upgraders = new Map<
      number,
      { readonly of: ReturnType<typeof scenario>; readonly sent: () => number }
    >()
    for (const connections of CONNECTIONS) {
      const upgrade = upgradeRequests(upgrades)
      const server = await start(["service", fixture({ upgrades })], `upgradeCard-${connections}`)
      upgraders.set(connections, {
        of: scenario("upgradeCard", server, upgrade.requests),
        sent: upgrade.sent
      })
    }
    console.log(
      `  lockCard calibration: ${calibration.perSecond.toFixed(0)} req/s at ${CALIBRATION.connections} connections; ${upgrades} fresh CLASSIC cards per upgradeCard server`
    )
    console.log(`  load average at the start: ${load()}`)
    header()
    const measure = async (of: ReturnType<typeof scenario>, connections: number, label = of.name) => {
      const row = await of.measure(connections)
      rows.push(row.scenario === of.name ? { ...row, scenario: label } : row)
      printRow(rows.at(-1)!, undefined)
    }
    for (const connections of CONNECTIONS) {
      // the bare server before and after the service's scenarios, at each connection count
      await measure(bare, connections)
      await measure(lock, connections)
      await measure(bulk, connections)
      const upgrader = upgraders.get(connections)!
      await measure(upgrader.of, connections)
      await upgrader.of.server.stop()
      upgradesCreated += upgrades
      upgradesSent += upgrader.sent()
      if (upgrader.sent() > upgrades)
        throw new Error(
          `upgradeCard ran out of fresh cards (${upgrader.sent()} requests, ${upgrades} cards): set HTTP_BENCH_UPGRADES higher`
        )
      await measure(bare, connections, `${BARE} (again)`)
    }
  } finally {
    await Promise.all(started.map((server) => server.stop()))
  }
  console.log(`  load average at the end: ${load()}`)

  // the ceiling at each connection count: the better of the two bare runs
  const ceiling = new Map<number, number>()
  for (const row of rows)
    if (row.scenario.startsWith(BARE))
      ceiling.set(row.connections, Math.max(ceiling.get(row.connections) ?? 0, row.point.perSecond))
  console.log(`\n  ÷ bare: against the better of the two bare runs at the same connection count`)
  header()
  for (const row of rows) printRow(row, ceiling.get(row.connections))

  const lock = rows.filter((r) => r.scenario === LOCK)
  const shares = lock.map((r) => ({
    connections: r.connections,
    share: r.point.perSecond / ceiling.get(r.connections)!
  }))
  console.log(
    `  target: lockCard ≥ 30 % of bare req/s: ${shares.every((s) => s.share >= 0.3) ? "PASS" : "FAIL"} (${shares.map((s) => `${s.connections} conn ${(100 * s.share).toFixed(0)} %`).join(", ")})`
  )
  const at16 = lock.find((r) => r.connections === 16)
  console.log(
    at16 === undefined
      ? "  target: lockCard p99 < 20 ms at 16 connections: not measured (16 not in HTTP_BENCH_CONNECTIONS)"
      : `  target: lockCard p99 < 20 ms at 16 connections: ${at16.point.p99 < 20 ? "PASS" : "FAIL"} (${at16.point.p99.toFixed(2)} ms)`
  )
  console.log(`  upgradeCard: ${upgradesSent} requests over ${upgradesCreated} fresh CLASSIC cards`)

  const failed = rows.filter((r) => r.point.failures > 0)
  if (failed.length > 0)
    throw new Error(
      `non-2xx answers, errors or timeouts: ${failed.map((r) => `${r.scenario} at ${r.connections}: ${r.point.detail}`).join("; ")}`
    )
}
