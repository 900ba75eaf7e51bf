/**
 * The PostgreSQL card issuer beyond the port contract: the tenant's serials (fixture start, its 16
 * stripes, cards walked over, 2^53 − 1), reservations that commit and roll back with the caller's
 * transaction, and issues racing in transactions on separate connections without queueing.
 */
import { Deferred, Effect, Layer, Option, Redacted, Result } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import { layer as memoryLayer } from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { migrate, ports, seedFromFixture } from "../../../src/adapters/postgres/index.js"
import type { Card } from "../../../src/domain/card/Card.js"
import { protectPan } from "../../../src/domain/card/CardPan.js"
import { AccountNo, EntityId, KitNo, TenantId } from "../../../src/domain/ground/Identifiers.js"
import { luhnValid } from "../../../src/domain/ground/Pan.js"
import { StoreError } from "../../../src/domain/ground/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../../src/ports/CardIssuer.js"
import { CardRepository } from "../../../src/ports/CardRepository.js"
import type { SecurityModule } from "../../../src/ports/SecurityModule.js"
import { Transactor } from "../../../src/ports/Transactor.js"
import { withStorageKeys } from "../../../src/testing/contract/support.js"
import { cardFixture, customerWith, TENANT_A, TENANT_B } from "../../support/builders.js"
import { describePostgres, freshDatabaseLayer } from "../../support/postgres/database.js"

const A = TenantId.make(TENANT_A)
const B = TenantId.make(TENANT_B)
const BIN = "608040"
/** A 14-digit prefix leaves one digit before the check digit: ten PANs in all. */
const TEN_PANS = "60804012345678"

const makeLayer = (fixture: MemoryFixture) => {
  const memory = memoryLayer(withStorageKeys(fixture))
  const postgres = ports.pipe(
    Layer.provideMerge(freshDatabaseLayer({ maxConnections: 20 })),
    Layer.provide(memory)
  )
  const seeded = Layer.effectDiscard(Effect.andThen(migrate, seedFromFixture(withStorageKeys(fixture)))).pipe(
    Layer.provide(postgres)
  )
  return Layer.mergeAll(memory, postgres, seeded)
}

const run = <X, E>(
  program: Effect.Effect<
    X,
    E,
    CardIssuer | CardRepository | Transactor | SecurityModule | SqlClient.SqlClient
  >,
  fixture: MemoryFixture
) => Effect.runPromise(Effect.provide(program, makeLayer(fixture)))

const holder = (kitNos: ReadonlyArray<string>): MemoryFixture["tenants"][string] => ({
  customers: [
    customerWith(
      "E1",
      "9876543210",
      1,
      kitNos.map((kitNo, i) => cardFixture(kitNo, i + 1))
    )
  ]
})

/** The card an upgrade would store for an issued identity. */
const cardOf = (tenant: TenantId, { kitNo, pan }: IssuedIdentity) =>
  Effect.map(
    protectPan(tenant, kitNo, pan),
    (protectedPan): Card => ({
      kitNo,
      entityId: EntityId.make("E1"),
      accountNo: AccountNo.make(1),
      productId: "2003_PHYSICAL",
      tierType: "SILVER",
      cardType: "PHYSICAL",
      pan: protectedPan,
      expDate: "2029-07-31T00:00:00.000+00:00",
      status: "ASSIGNED"
    })
  )

const issue = (tenant: TenantId, bin = BIN) =>
  Effect.flatMap(CardIssuer, (issuer) => issuer.issue(tenant, bin))
const inTransaction = <X, E, R>(self: Effect.Effect<X, E, R>) =>
  Effect.flatMap(Transactor, (transactor) => transactor.withTransaction(self))

describePostgres("card-lifecycle/postgres: CardIssuer", () => {
  it("starts at the tenant's nextKitNo, hands a lone caller consecutive serials, and keeps each tenant's serials", async () => {
    const kitNos = await run(
      Effect.map(Effect.all([issue(A), issue(A), issue(A), issue(B), issue(B)]), (ids) =>
        ids.map((i) => i.kitNo)
      ),
      { tenants: { [A]: { nextKitNo: 7 }, [B]: {} } }
    )
    expect(kitNos).toEqual(["7", "8", "9", "4240200000", "4240200001"])
  })

  it("walks a stripe over the serials cards hold: stripe k of a tenant starting at 7 hands out 7 + k + 16·j", async () => {
    const kitNos = await run(
      Effect.map(Effect.all([issue(A), issue(A), issue(A), issue(A)]), (ids) => ids.map((i) => i.kitNo)),
      { tenants: { [A]: { ...holder(["8", "9", "25"]), nextKitNo: 7 } } }
    )
    // stripe 0 gives 7; stripe 1 starts at 8, held, so 24; stripe 2 starts at 9, held, 25 held, so 41;
    // then stripe 3's 10 is the lowest next serial
    expect(kitNos).toEqual(["7", "24", "41", "10"])
  })

  it("lets 16 transactions of one tenant issue at once, each holding its stripe", async () => {
    const out = await run(
      Effect.gen(function* () {
        // the tenant's first issue creates its stripes: issues racing with it wait for it to commit
        yield* inTransaction(issue(A))
        const started = yield* Deferred.make<void>()
        let open = 0
        // 16 transactions issue, then stay open until all 16 have issued: they can only all get
        // there if no issue waits for another transaction to end
        const sixteen = Effect.forEach(
          Array.from({ length: 16 }),
          () =>
            inTransaction(
              Effect.gen(function* () {
                const identity = yield* issue(A)
                if (++open === 16) yield* Deferred.succeed(started, undefined)
                yield* Deferred.await(started)
                return identity.kitNo
              })
            ),
          { concurrency: "unbounded" }
        )
        const kitNos = yield* sixteen.pipe(Effect.timeoutOption("10 seconds"))
        return kitNos
      }),
      { tenants: { [A]: {} } }
    )
    expect(Option.isSome(out)).toBe(true)
    const kitNos = Option.getOrThrow(out)
      .map(Number)
      .sort((a, b) => a - b)
    // one serial from each stripe: the 16 after the first issue's
    expect(kitNos).toEqual(Array.from({ length: 16 }, (_, k) => 4_240_200_001 + k))
  })

  it("issues kitNo 2^53 − 1 once, then refuses with IdentifiersExhausted, storing nothing", async () => {
    const out = await run(
      Effect.gen(function* () {
        const last = yield* inTransaction(issue(A))
        const sql = yield* SqlClient.SqlClient
        const before = yield* sql`SELECT * FROM pan_reservations ORDER BY pan_hash`
        const next = yield* Effect.result(inTransaction(issue(A)))
        const after = yield* sql`SELECT * FROM pan_reservations ORDER BY pan_hash`
        return { last, next, unchanged: JSON.stringify(before) === JSON.stringify(after) }
      }),
      { tenants: { [A]: { ...holder(["4240100000"]), nextKitNo: Number.MAX_SAFE_INTEGER } } }
    )
    expect(out.last.kitNo).toBe(String(Number.MAX_SAFE_INTEGER))
    expect(Result.isFailure(out.next) && out.next.failure).toMatchObject({
      _tag: "IdentifiersExhausted",
      identifier: "kitNo"
    })
    expect(out.unchanged).toBe(true)
  })

  it("keeps a committed reservation (no card stored) and drops a rolled-back one: ten PANs on a BIN with room for ten", async () => {
    const out = await run(
      Effect.gen(function* () {
        // ten issues rolled back: none of their PANs stays reserved
        yield* Effect.result(
          inTransaction(
            Effect.andThen(
              Effect.forEach(Array.from({ length: 10 }), () => issue(A, TEN_PANS)),
              Effect.fail(new StoreError({ operation: "test" }))
            )
          )
        )
        // ten issues, each committed without its card: each PAN stays reserved
        const issued = yield* Effect.forEach(Array.from({ length: 10 }), () =>
          inTransaction(issue(A, TEN_PANS))
        )
        const refused = yield* Effect.flip(inTransaction(issue(A, TEN_PANS)))
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{
          readonly tenant: string
          readonly pan_hash: string
          readonly kit_no: string
        }>`
          SELECT tenant, pan_hash, kit_no FROM pan_reservations ORDER BY kit_no`
        return { issued, refused, rows }
      }),
      { tenants: { [A]: {} } }
    )
    const pans = out.issued.map((i) => Redacted.value(i.pan))
    expect(new Set(pans).size).toBe(10)
    for (const pan of pans) expect(pan.startsWith(TEN_PANS) && luhnValid(pan)).toBe(true)
    expect(out.refused).toMatchObject({ _tag: "IdentifiersExhausted", identifier: "pan" })
    expect(out.rows.map((r) => r.kit_no)).toEqual(out.issued.map((i) => i.kitNo).sort())
    // the reservations hold the keyed hash, never the PAN
    for (const row of out.rows) for (const pan of pans) expect(JSON.stringify(row)).not.toContain(pan)
  })

  it("hands out distinct kitNos and distinct PANs to issues racing in transactions on separate connections", async () => {
    const out = await run(
      Effect.gen(function* () {
        const batches = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) =>
            inTransaction(
              Effect.gen(function* () {
                const issued = yield* Effect.forEach(Array.from({ length: 5 }), () => issue(A))
                // the transactions stay open together, so that the issues overlap
                yield* Effect.sleep(20)
                const cards = yield* Effect.forEach(issued, (identity) => cardOf(A, identity))
                yield* Effect.flatMap(CardRepository, (r) => r.insertAll(A, cards))
                // one transaction of the eight rolls back: its kitNos may be handed out again
                if (i === 3) return yield* new StoreError({ operation: "test" })
                return issued
              })
            ).pipe(Effect.result),
          { concurrency: "unbounded" }
        )
        const stored = yield* Effect.flatMap(CardRepository, (r) => r.findByCustomer(A, EntityId.make("E1")))
        return { batches, stored }
      }),
      { tenants: { [A]: holder(["4240200001"]) } }
    )
    const committed = out.batches.flatMap((b) => (Result.isSuccess(b) ? b.success : []))
    expect(out.batches.filter(Result.isFailure)).toHaveLength(1)
    expect(committed).toHaveLength(35)
    const kitNos = committed.map((i) => Number(i.kitNo)).sort((a, b) => a - b)
    expect(new Set(kitNos).size).toBe(35)
    // serials of the tenant's stripes, never the fixture's card's
    for (const kitNo of kitNos) expect(kitNo).toBeGreaterThanOrEqual(4_240_200_000)
    expect(kitNos).not.toContain(4_240_200_001)
    expect(out.stored).toHaveLength(36)
    expect(new Set(out.stored.map((c) => c.pan.hash)).size).toBe(36)
  })

  it("lets issues racing for the PANs of a BIN with room for ten, each with its caller's kitNo, reserve each PAN once", async () => {
    const out = await run(
      Effect.forEach(
        Array.from({ length: 12 }, (_, i) => KitNo.make(`K${i}`)),
        (kitNo) =>
          inTransaction(
            Effect.gen(function* () {
              const identity = yield* Effect.flatMap(CardIssuer, (issuer) => issuer.issue(A, TEN_PANS, kitNo))
              // the transactions stay open together: a reservation not yet committed holds its PAN
              yield* Effect.sleep(20)
              return identity
            })
          ).pipe(Effect.result),
        { concurrency: "unbounded" }
      ),
      { tenants: { [A]: {} } }
    )
    const issued = out.flatMap((r) => (Result.isSuccess(r) ? [r.success] : []))
    const refused = out.flatMap((r) => (Result.isFailure(r) ? [r.failure] : []))
    expect(issued).toHaveLength(10)
    expect(new Set(issued.map((i) => Redacted.value(i.pan))).size).toBe(10)
    expect(refused).toHaveLength(2)
    for (const error of refused)
      expect(error).toMatchObject({ _tag: "IdentifiersExhausted", identifier: "pan" })
  })
})
