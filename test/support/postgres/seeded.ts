/**
 * Every port on a database of its own, migrated and seeded from a memory fixture: the PostgreSQL
 * adapter's ports, with the memory adapter's for what PostgreSQL does not hold (the security module
 * over the fixture's keys). `seed` is the fixture as `withStorageKeys` completes it; `startupParameters`,
 * the settings each session starts with (the server's own when omitted).
 */
import { Effect, Layer } from "effect"
import { layer as memoryLayer } from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { migrate, ports, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import { freshDatabaseLayer } from "./database.js"

export const seededPostgres = (
  seed: MemoryFixture,
  maxConnections: number,
  startupParameters?: Readonly<Record<string, string>>
) => {
  const postgres = ports.pipe(
    Layer.provideMerge(freshDatabaseLayer({ maxConnections, startupParameters })),
    Layer.provideMerge(memoryLayer(seed))
  )
  const seeded = Layer.effectDiscard(Effect.andThen(migrate, seedFromFixture(seed))).pipe(
    Layer.provide(postgres)
  )
  return Layer.mergeAll(postgres, seeded)
}
