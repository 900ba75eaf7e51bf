/**
 * Idempotency keys across service instances sharing one database: an instance that stops after its
 * transaction committed, before its answer reached the client, leaves the answer to the retry that
 * another instance receives; one that stops before its commit leaves nothing, and the retry runs.
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  NobleSecurityModule,
  randomKeyHex,
  tenantFixture
} from "../../../src/adapters/memory/index.js"
import { seedFromFixture as decodeFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { layer, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import { replaceCard, TenantId, withIdempotencyKey } from "../../../src/index.js"
import { AuditLog } from "../../../src/ports/AuditLog.js"
import { describePostgres, freshDatabase } from "../../support/postgres/database.js"

const TENANT = TenantId.make("ACME_BANK")
const fixture = {
  tenants: {
    [TENANT]: tenantFixture(
      [
        customerFixture("676165", [cardFixture("4240181595"), cardFixture("4240181596")], {
          accountNo: 8642135
        })
      ],
      {
        keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() }
      }
    )
  }
}
const replace = withIdempotencyKey("replaceCard", replaceCard)
const request = { correlationId: "8642135", oldLoyaltyId: 4240181595, status: "DAMAGED" }

/** What the database holds of the replacements: the tenant's cards, and the old cards' events. */
const stored = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const cards = yield* sql<{ readonly kit_no: string }>`
    SELECT kit_no FROM cards WHERE tenant = ${TENANT} ORDER BY kit_no`
  const audit = yield* AuditLog
  const events = [
    ...(yield* audit.findBySubject(TENANT, "4240181595")),
    ...(yield* audit.findBySubject(TENANT, "4240181596"))
  ]
  return { kitNos: cards.map((card) => card.kit_no), events: events.length }
})

/** Both cases on instances of `layer` over the database at `url`. */
const stopAndRetry = async (url: string) => {
  const seed = await Effect.runPromise(decodeFixture(fixture))
  const instance = () =>
    layer({ url, migrate: true, maxConnections: 2 }).pipe(
      Layer.provideMerge(NobleSecurityModule.layer(seed.keys))
    )
  /** Runs `program` on a service instance of its own: its own pool on the shared database, released after. */
  const onInstance = <A, E>(program: Effect.Effect<A, E, Layer.Success<ReturnType<typeof instance>>>) =>
    Effect.runPromise(Effect.provide(program, instance()))
  // the first build migrates the database
  await onInstance(seedFromFixture(fixture))

  // the first instance commits the replacement, then stops before it answers: its caller gets nothing
  const stopped = await onInstance(
    replace(TENANT, "retry-after-stop", request).pipe(
      Effect.andThen(Effect.die("the instance stops before its answer leaves")),
      Effect.exit
    )
  )
  expect(stopped._tag).toBe("Failure")
  const afterStop = await onInstance(stored)
  expect(afterStop.kitNos).toHaveLength(3)
  expect(afterStop.events).toBe(1)

  // the client retries; another instance answers it from the key, and so does a third
  const retry = await onInstance(replace(TENANT, "retry-after-stop", { ...request }))
  const again = await onInstance(replace(TENANT, "retry-after-stop", { ...request }))
  expect(retry.Message).toBe("Card updated.")
  expect(again).toEqual(retry)
  const afterRetries = await onInstance(stored)
  // the answer names the card the stopped instance issued, and nothing ran again
  expect(afterRetries).toEqual(afterStop)
  expect(afterRetries.kitNos).toContain(String(retry.NewLoyaltyCard))

  // an instance that stops inside the transaction, its replacement written but not committed,
  // leaves neither the replacement nor the key: the retry on another instance runs it, once
  const inside = withIdempotencyKey("replaceCard", (tenant, body) =>
    replaceCard(tenant, body).pipe(Effect.andThen(Effect.die("the instance stops before its commit")))
  )
  const next = { ...request, oldLoyaltyId: 4240181596 }
  const stoppedInside = await onInstance(Effect.exit(inside(TENANT, "retry-before-commit", next)))
  expect(stoppedInside._tag).toBe("Failure")
  expect(await onInstance(stored)).toEqual(afterRetries)
  const ran = await onInstance(replace(TENANT, "retry-before-commit", { ...next }))
  const afterRun = await onInstance(stored)
  expect(afterRun.kitNos).toHaveLength(4)
  expect(afterRun.kitNos).toContain(String(ran.NewLoyaltyCard))
  expect(afterRun.events).toBe(2)
  expect(await onInstance(replace(TENANT, "retry-before-commit", { ...next }))).toEqual(ran)
}

describePostgres("card-lifecycle/postgres: idempotency keys across instances", () => {
  it("answers the retry on another instance from the key when the first stopped after its commit, and runs it when the first stopped before", async () => {
    const database = await freshDatabase()
    try {
      await stopAndRetry(database.url)
    } finally {
      await database.drop()
    }
  })
})
