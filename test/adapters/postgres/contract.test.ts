/**
 * The port contract of card-lifecycle/testing on PostgreSQL, part by part as the ports land: each run
 * of a test works in a database of its own, migrated, then seeded with its fixture. The ports not yet
 * on PostgreSQL (and the security module) come from the memory adapter over the same fixture; the
 * parts run here use only the PostgreSQL ones.
 */
import { Effect, Layer } from "effect"
import { layer as memoryLayer } from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { migrate, ports, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import {
  cardsContract,
  catalogContract,
  customersContract,
  issuerContract,
  pinsContract,
  settingsContract,
  transactorContract
} from "../../../src/testing/index.js"
import { describePostgres, freshDatabaseLayer } from "../../support/postgres/database.js"

const makeLayer = (fixture: MemoryFixture) => {
  const memory = memoryLayer(fixture)
  // the card issuer hashes PANs with the memory adapter's security module (the fixture's keys)
  const postgres = ports.pipe(
    Layer.provideMerge(freshDatabaseLayer({ maxConnections: 4 })),
    Layer.provide(memory)
  )
  const seeded = Layer.effectDiscard(Effect.andThen(migrate, seedFromFixture(fixture))).pipe(
    Layer.provide(postgres)
  )
  // the right-hand layers' services replace the memory adapter's
  return Layer.mergeAll(memory, postgres, seeded)
}

describePostgres("card-lifecycle/postgres", () => {
  cardsContract("postgres", makeLayer)
  customersContract("postgres", makeLayer)
  transactorContract("postgres", makeLayer)
  pinsContract("postgres", makeLayer)
  settingsContract("postgres", makeLayer)
  issuerContract("postgres", makeLayer)
  catalogContract("postgres", makeLayer)
})
