/**
 * `npm start` as a process (examples/server.ts): it prints the reference page's URL, serves on
 * 127.0.0.1:PORT, lets a request in flight finish on SIGTERM before it exits; with DATABASE_URL it
 * migrates PostgreSQL and, with `--demo`, stores the demo data once.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { request } from "node:http"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { describePostgres, freshDatabase } from "../support/postgres/database.js"
import { seed002 } from "./seedExamples.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const tsx = createRequire(import.meta.url).resolve("tsx/cli")

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

interface Started {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
}

/**
 * Starts examples/server.ts and waits for its "serving on" line. tsx runs the server in a child
 * process of its own, which a SIGKILL of tsx would leave running: the two get a process group of
 * their own, which `killAll` ends.
 */
const start = async (env: Record<string, string>, args: ReadonlyArray<string> = []): Promise<Started> => {
  const child = spawn(process.execPath, [tsx, "examples/server.ts", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true
  })
  let output = ""
  child.stdout?.on("data", (chunk) => {
    output += String(chunk)
  })
  child.stderr?.on("data", (chunk) => {
    output += String(chunk)
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const deadline = Date.now() + 30_000
  while (!output.includes("serving on")) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the service did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { child, output: () => output, exited }
}

/** Ends tsx and the server it runs, whatever state they are in. */
const killAll = (child: ChildProcess) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
  } catch {
    // the group has already ended
  }
}

const post = (port: number, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { tenant: "ACME_BANK", "content-type": "application/json" },
    body: JSON.stringify(body)
  })

describe("npm start", () => {
  it("serves the demo data on 127.0.0.1:PORT, prints the docs URL, and finishes a request in flight on SIGTERM", async () => {
    const port = await freePort()
    const service = await start({ PORT: String(port), DATABASE_URL: "" })
    try {
      expect(service.output()).toContain(`http://127.0.0.1:${port}/v1/docs`)
      const answer = await post(port, seed002.path, seed002.request)
      expect(answer.status).toBe(200)

      // a request whose body is half sent when the signal arrives
      const body = JSON.stringify({ kitNo: "4561789", reason: "CARD_MISPLACED" })
      const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: "/v1/kit-manager/lockCard",
            headers: {
              tenant: "ACME_BANK",
              "content-type": "application/json",
              "content-length": body.length
            }
          },
          (res) => {
            let text = ""
            res.on("data", (chunk) => {
              text += String(chunk)
            })
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
          }
        )
        req.on("error", reject)
        req.write(body.slice(0, 10))
        setTimeout(() => {
          service.child.kill("SIGTERM")
          setTimeout(() => req.end(body.slice(10)), 500)
        }, 200)
      })
      const finished = await inFlight
      expect(finished.status).toBe(200)
      expect(JSON.parse(finished.text)).toMatchObject({
        result: { kitNo: "4561789", currentStatus: "LOCKED" }
      })
      await service.exited
      await expect(post(port, seed002.path, seed002.request)).rejects.toThrow()
    } finally {
      killAll(service.child)
    }
  })

  it("logs one JSON line per request, with no card number of the request", async () => {
    const port = await freePort()
    const service = await start({ PORT: String(port), DATABASE_URL: "" })
    try {
      await post(port, "/v1/kit-manager/lockCard", { kitNo: "6080400000056384" })
      await new Promise((resolve) => setTimeout(resolve, 200))
      const line = service
        .output()
        .split("\n")
        .find((l) => l.includes('"message":"request"'))
      expect(JSON.parse(line ?? "{}")).toMatchObject({
        annotations: { method: "POST", path: "/v1/kit-manager/lockCard", tenant: "ACME_BANK", status: 404 }
      })
      expect(service.output()).not.toContain("6080400000056384")
    } finally {
      killAll(service.child)
    }
  })
})

describePostgres("npm start with DATABASE_URL", () => {
  it("migrates, stores the demo data once with --demo, and keeps it across restarts", async () => {
    const database = await freshDatabase()
    const port = await freePort()
    const env = { PORT: String(port), DATABASE_URL: database.url }
    const first = await start(env, ["--demo"])
    try {
      expect(first.output()).toContain("demo data stored for ACME_BANK")
      const blocked = await post(port, seed002.path, seed002.request)
      expect(blocked.status).toBe(200)
      expect(await blocked.json()).toMatchObject({ result: { totalCardsManaged: 2 } })
    } finally {
      first.child.kill("SIGTERM")
      await first.exited
    }
    const second = await start(env, ["--demo"])
    try {
      expect(second.output()).toContain("demo data already stored for ACME_BANK")
      const again = await post(port, seed002.path, seed002.request)
      expect(await again.json()).toMatchObject({
        result: { totalCardsManaged: 0, skippedCards: [{ status: "BLOCKED" }, { status: "BLOCKED" }] }
      })
    } finally {
      second.child.kill("SIGTERM")
      await second.exited
    }
  })
})
