/**
 * deliverEvents' options and defaults (docs/events.md): a pass leases at most `batchSize` events (100
 * when omitted), holds them for `lease` (30 seconds when omitted), retries a failed event after
 * `retryBase` doubled per attempt up to `retryMax`, and runs the subjects' handlers side by side.
 */
import { Deferred, type Duration, Effect, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  layer,
  type MemoryFixture,
  tenantFixture
} from "../../src/adapters/memory/index.js"
import { type DomainEvent, deliverEvents, lockCard } from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"

const A = "ACME_BANK"
const kitNoOf = (i: number) => String(4_240_190_000 + i)
const fixtureOf = (cards: number): MemoryFixture => ({
  tenants: {
    [A]: tenantFixture([
      customerFixture(
        "676165",
        Array.from({ length: cards }, (_, i) => cardFixture(kitNoOf(i))),
        { accountNo: 8642135 }
      )
    ])
  }
})

const run = <X, E>(cards: number, program: Effect.Effect<X, E, never>, clock = true) =>
  Effect.runPromise(
    Effect.provide(
      program,
      (clock
        ? Layer.merge(layer(withStorageKeys(fixtureOf(cards))), TestClock.layer())
        : layer(withStorageKeys(fixtureOf(cards)))) as never
    ) as Effect.Effect<X, unknown, never>
  )

/** One LOCK event on each of the first `count` cards. */
const lockEach = (count: number) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => kitNoOf(i)),
    (kitNo) => lockCard(A, { kitNo }),
    {
      discard: true
    }
  )

const ok = () => Effect.void

describe("deliverEvents", () => {
  it("leases 100 events a pass when no batchSize is given, and batchSize when it is", async () => {
    const reports = await run(
      150,
      Effect.gen(function* () {
        yield* lockEach(150)
        const first = yield* deliverEvents(A, ok)
        const second = yield* deliverEvents(A, ok, { batchSize: 30 })
        const third = yield* deliverEvents(A, ok)
        return [first, second, third]
      }) as Effect.Effect<unknown, unknown, never>
    )
    expect(reports).toEqual([
      { delivered: 100, failed: 0 },
      { delivered: 30, failed: 0 },
      { delivered: 20, failed: 0 }
    ])
  })

  it("leases an event again once `lease` has passed, not before; 30 seconds when not given", async () => {
    /** The actions delivered at `before` and at `after` seconds, after a pass with `lease` was interrupted. */
    const redelivery = (lease: Duration.Input | undefined, before: number, after: number) =>
      run(
        1,
        Effect.gen(function* () {
          const seen: Array<string> = []
          const record = (event: DomainEvent) => Effect.sync(() => void seen.push(`${event.event.action}`))
          yield* lockEach(1)
          // a pass that never ends holds its lease; interrupted, it marks nothing
          const stuck = yield* Effect.forkChild(
            deliverEvents(A, () => Effect.never, lease === undefined ? {} : { lease })
          )
          yield* Effect.yieldNow
          yield* Fiber.interrupt(stuck)
          yield* TestClock.adjust(`${before} seconds`)
          const early = (yield* deliverEvents(A, record)).delivered
          yield* TestClock.adjust(`${after - before} seconds`)
          const late = (yield* deliverEvents(A, record)).delivered
          return [early, late, seen]
        }) as Effect.Effect<unknown, unknown, never>
      )
    expect(await redelivery("5 seconds", 4, 6)).toEqual([0, 1, ["LOCK"]])
    expect(await redelivery(undefined, 29, 31)).toEqual([0, 1, ["LOCK"]])
  })

  it("retries a failed event after retryBase × 2^attempts, at most retryMax", async () => {
    const passes = await run(
      1,
      Effect.gen(function* () {
        yield* lockEach(1)
        const failing = () => Effect.fail("down")
        const options = { retryBase: "1 second", retryMax: "3 seconds" } as const
        const at: Array<number> = []
        for (let second = 0; second <= 12; second++) {
          const report = yield* deliverEvents(A, failing, options)
          if (report.failed > 0) at.push(second)
          yield* TestClock.adjust("1 second")
        }
        return at
      }) as Effect.Effect<Array<number>, unknown, never>
    )
    // due again after 1 s, 2 s, then 3 s (4 s capped), 3 s …
    expect(passes).toEqual([0, 1, 3, 6, 9, 12])
  })

  it("runs the handlers of different cards side by side: one waiting for another does not hold it up", async () => {
    const report = await run(
      2,
      Effect.gen(function* () {
        yield* lockEach(2)
        const secondStarted = yield* Deferred.make<void>()
        // whichever card comes first waits for the other's handler to start
        let first: string | undefined
        const handler = (event: DomainEvent) =>
          Effect.gen(function* () {
            if (first === undefined) {
              first = event.event.subject
              yield* Deferred.await(secondStarted)
            } else yield* Deferred.succeed(secondStarted, undefined)
          })
        return yield* deliverEvents(A, handler).pipe(Effect.timeout("5 seconds"))
      }) as Effect.Effect<unknown, unknown, never>,
      false
    )
    expect(report).toEqual({ delivered: 2, failed: 0 })
  })
})
