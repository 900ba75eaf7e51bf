/**
 * A throw-away PostgreSQL server for the tests: found on this machine, initialised in a fresh
 * temporary directory, started on a free loopback port with durability off, and removed with its
 * directory when the run ends. The vitest global setup (globalSetup.ts) starts one per test run.
 *
 * The server binaries are `initdb` on the PATH, else the newest `/usr/lib/postgresql/<n>/bin`
 * (Debian's packages do not put them on the PATH). `initdb` refuses to run as root: when the tests
 * run as root, the directory belongs to the `postgres` user and `initdb` and `pg_ctl` run as that
 * user through `runuser`.
 */
import { execFile, spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { access, chown, mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, dirname, join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** Where the server binaries are, or why the PostgreSQL tests cannot run here. */
export type Binaries =
  | { readonly _tag: "Found"; readonly binDir: string }
  | { readonly _tag: "Missing"; readonly reason: string }

/** A started server, reachable at `url` as the superuser `postgres` (trust authentication). */
export interface PgServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the admin connection. */
  readonly url: string
  readonly port: number
  /** The temporary directory: the cluster in `data`, its log in `log`, the unix socket. */
  readonly dir: string
  /** Stops the server (immediate shutdown) and removes its directory; safe to call twice. */
  readonly stop: () => Promise<void>
}

const isExecutable = (path: string): Promise<boolean> =>
  access(path, 1 /* X_OK */).then(
    () => true,
    () => false
  )

/** `initdb` on the PATH (its real directory, which holds `pg_ctl` and `postgres` too), else the newest Debian-style install. */
export const findBinaries = async (): Promise<Binaries> => {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue
    const initdb = join(dir, "initdb")
    if (await isExecutable(initdb)) {
      const binDir = dirname(await realpath(initdb))
      if (await isExecutable(join(binDir, "pg_ctl"))) return { _tag: "Found", binDir }
    }
  }
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as Array<string>)
  const newestFirst = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
  for (const version of newestFirst) {
    const binDir = join("/usr/lib/postgresql", version, "bin")
    if ((await isExecutable(join(binDir, "initdb"))) && (await isExecutable(join(binDir, "pg_ctl")))) {
      return { _tag: "Found", binDir }
    }
  }
  return {
    _tag: "Missing",
    reason:
      "no PostgreSQL server binaries (initdb and pg_ctl neither on the PATH nor in /usr/lib/postgresql/*/bin); " +
      "install them (apt-get install postgresql, as .ci/run does) to run the PostgreSQL tests"
  }
}

/** A port free on 127.0.0.1 a moment ago: listen on port 0, read the port, close. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from 127.0.0.1:0"))))
    })
  })

const isRoot = (): boolean => process.getuid?.() === 0

/** The command line of a server binary, through `runuser -u postgres --` when we are root. */
const asServerUser = (binary: string, args: ReadonlyArray<string>): [string, Array<string>] =>
  isRoot() ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, [...args]]

const idOf = async (flag: "-u" | "-g"): Promise<number> => {
  const { stdout } = await run("id", [flag, "postgres"])
  return Number.parseInt(stdout.trim(), 10)
}

/**
 * Initialises a cluster in a new temporary directory and starts it; throws (with the server log)
 * when it does not start, having removed the directory.
 */
export const startServer = async (binDir: string): Promise<PgServer> => {
  const dir = await mkdtemp(join(tmpdir(), "card-lifecycle-pg-"))
  const data = join(dir, "data")
  const log = join(dir, "log")
  const pgCtl = join(binDir, "pg_ctl")
  // The server user needs a working directory it can read: its own.
  const options = { cwd: dir, env: { ...process.env, LC_ALL: "C" } }

  let started = false
  const stopSync = (): void => {
    if (started) {
      const [command, args] = asServerUser(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w"])
      spawnSync(command, args, { ...options, stdio: "ignore" })
      started = false
    }
    rmSync(dir, { recursive: true, force: true })
  }
  // Best effort on an interrupt: vitest exits the process on SIGINT/SIGTERM, which runs "exit" listeners.
  process.once("exit", stopSync)

  const stop = async (): Promise<void> => {
    process.off("exit", stopSync)
    if (started) {
      started = false
      const [command, args] = asServerUser(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w"])
      await run(command, args, options).catch(() => undefined)
    }
    await rm(dir, { recursive: true, force: true })
  }

  try {
    if (isRoot()) await chown(dir, await idOf("-u"), await idOf("-g"))
    const [initCommand, initArgs] = asServerUser(join(binDir, "initdb"), [
      ...["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
      ...["--no-locale", "--no-sync", "--no-instructions"]
    ])
    await run(initCommand, initArgs, options)

    // The port may be taken between freePort and the server's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      const serverOptions = [
        ...["-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"],
        ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        ...["-c", "max_connections=200"]
      ].join(" ")
      const [command, args] = asServerUser(pgCtl, [
        ...["start", "-D", data, "-w", "-t", "30", "-l", log, "-o", serverOptions]
      ])
      try {
        await run(command, args, options)
        started = true
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop }
      } catch (error) {
        const serverLog = await readFile(log, "utf8").catch(() => "")
        if (attempt < 3 && /could not bind|address already in use/i.test(serverLog)) continue
        throw new Error(`PostgreSQL did not start (${binDir}):\n${serverLog}`, { cause: error })
      }
    }
  } catch (error) {
    await stop()
    throw error
  }
}
