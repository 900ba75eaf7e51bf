/**
 * The vitest global setup: one throw-away PostgreSQL server per test run (server.ts), its admin URL
 * provided to the tests as `pgUrl`. Where the server binaries are missing, `pgUrl` is undefined, the
 * reason is provided as `pgSkipReason` and printed here, once, and the PostgreSQL suites
 * (`describePostgres`) are skipped.
 */
import type { TestProject } from "vitest/node"
import "./context.js"
import { findBinaries, startServer } from "./server.js"

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = await findBinaries()
  if (binaries._tag === "Missing") {
    console.warn(`PostgreSQL tests skipped: ${binaries.reason}`)
    project.provide("pgUrl", undefined)
    project.provide("pgSkipReason", binaries.reason)
    return async () => {}
  }
  const server = await startServer(binaries.binDir)
  project.provide("pgUrl", server.url)
  project.provide("pgSkipReason", undefined)
  return server.stop
}
