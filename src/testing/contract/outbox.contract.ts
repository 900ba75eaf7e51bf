/**
 * The contract of EventOutbox, through `deliverEvents`: every committed change's events delivered,
 * none of a rolled-back one, in order per subject, a failing event retried without holding back the
 * others, an interrupted pass delivered again, and many changes and two consumers at once.
 *
 * @since 0.1.0
 */
import { Effect, Fiber, Layer, Ref } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { cardFixture, customerFixture, tenantFixture } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { lockCard, unlockCard } from "../../domain/card/changeCardStatus.js"
import { type DomainEvent, deliverEvents } from "../../domain/events/Events.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, event, type MakeLayer, withStorageKeys } from "./support.js"

const CARDS = 50
const kitNoOf = (i: number) => String(4_240_190_000 + i)

const fixture: MemoryFixture = {
  tenants: {
    [A]: tenantFixture([
      customerFixture(
        "676165",
        Array.from({ length: CARDS }, (_, i) => cardFixture(kitNoOf(i))),
        { accountNo: 8642135 }
      )
    ]),
    [B]: tenantFixture([customerFixture("676165", [cardFixture(kitNoOf(0))], { accountNo: 8642135 })])
  }
}

/** Delivers until a pass finds nothing due; the events handled, in the order handled. */
const drain = <E>(handler: (event: DomainEvent) => Effect.Effect<void, E>, tenant: string = A) =>
  Effect.gen(function* () {
    let passes = 0
    while (passes < 10_000) {
      passes += 1
      const report = yield* deliverEvents(tenant, handler)
      if (report.delivered + report.failed === 0) return passes
    }
    return passes
  })

const recorder = () => {
  const seen: Array<DomainEvent> = []
  return { seen, handler: (event: DomainEvent) => Effect.sync(() => void seen.push(event)) }
}

/** The actions each subject got, in the order they were handled. */
const bySubject = (events: ReadonlyArray<DomainEvent>) => {
  const subjects = new Map<string, Array<string>>()
  for (const { event } of events)
    subjects.set(event.subject, [...(subjects.get(event.subject) ?? []), event.action])
  return subjects
}

/**
 * Registers the contract's tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const outboxContract = (name: string, makeLayer: MakeLayer) => {
  const provide = <X, E, R>(program: Effect.Effect<X, E, R>, clock = true) =>
    Effect.runPromise(
      Effect.provide(
        program,
        (clock
          ? Layer.merge(makeLayer(withStorageKeys(fixture)), TestClock.layer())
          : makeLayer(withStorageKeys(fixture))) as never
      ) as Effect.Effect<X, unknown, never>
    )

  describe(`${name}: EventOutbox`, () => {
    it("delivers every committed change's events once, in order per card, none of a rolled-back change, each tenant its own", async () => {
      const { seen, handler } = recorder()
      const other = recorder()
      await provide(
        Effect.gen(function* () {
          yield* lockCard(A, { kitNo: kitNoOf(0) })
          yield* lockCard(A, { kitNo: kitNoOf(1) })
          yield* unlockCard(A, { kitNo: kitNoOf(0) })
          yield* lockCard(B, { kitNo: kitNoOf(0) })
          // a change that rolls back after its event was appended
          yield* Effect.flip(
            (yield* Transactor).withTransaction(
              Effect.andThen(
                (yield* AuditLog).append(A, [
                  { at: "2026-01-01T00:00:00.000Z", action: "LOCK", subject: kitNoOf(2), outcome: "OK" }
                ]),
                Effect.fail("rolled back")
              )
            )
          )
          yield* drain(handler)
          yield* drain(other.handler, B)
        })
      )
      expect(bySubject(seen)).toEqual(
        new Map([
          [kitNoOf(0), ["LOCK", "UNLOCK"]],
          [kitNoOf(1), ["LOCK"]]
        ])
      )
      expect(seen.every((e) => e.tenant === A)).toBe(true)
      const sequences = seen.map((e) => e.sequence)
      expect(new Set(sequences).size).toBe(3)
      expect(other.seen.map((e) => [e.tenant, e.event.action])).toEqual([[B, "LOCK"]])
    })

    it("retries a failing event with backoff, holding back its card's later events only", async () => {
      const handled: Array<string> = []
      let failures = 0
      const handler = (event: DomainEvent) =>
        event.event.subject === kitNoOf(0) && failures < 2
          ? Effect.sync(() => {
              failures += 1
            }).pipe(Effect.andThen(Effect.fail("handler down")))
          : Effect.sync(() => void handled.push(`${event.event.subject}:${event.event.action}`))
      await provide(
        Effect.gen(function* () {
          yield* lockCard(A, { kitNo: kitNoOf(0) })
          yield* unlockCard(A, { kitNo: kitNoOf(0) })
          yield* lockCard(A, { kitNo: kitNoOf(1) })
          expect(yield* deliverEvents(A, handler)).toEqual({ delivered: 1, failed: 1 })
          // not due yet: nothing of card 0 moves, its UNLOCK waits behind its LOCK
          expect(yield* deliverEvents(A, handler)).toEqual({ delivered: 0, failed: 0 })
          yield* TestClock.adjust("1 second")
          expect(yield* deliverEvents(A, handler)).toEqual({ delivered: 0, failed: 1 })
          yield* TestClock.adjust("1 second")
          expect(yield* deliverEvents(A, handler)).toEqual({ delivered: 0, failed: 0 })
          yield* TestClock.adjust("1 second")
          yield* drain(handler)
        })
      )
      expect(handled).toEqual([`${kitNoOf(1)}:LOCK`, `${kitNoOf(0)}:LOCK`, `${kitNoOf(0)}:UNLOCK`])
    })

    it("finds a card's event behind thousands of another card's held-back events, in the first pass", async () => {
      const handled: Array<string> = []
      const handler = (delivered: DomainEvent) =>
        delivered.event.subject === "HELD"
          ? Effect.fail("handler down")
          : Effect.sync(() => void handled.push(delivered.event.subject))
      const report = await provide(
        Effect.gen(function* () {
          const log = yield* AuditLog
          const transactor = yield* Transactor
          // a deep backlog of one card, its oldest event failing: the rest wait behind it
          yield* transactor.withTransaction(
            log.append(
              A,
              Array.from({ length: 2_500 }, (_, i) => event("HELD", `STEP_${i}`))
            )
          )
          yield* transactor.withTransaction(log.append(A, [event("BEHIND", "LOCK")]))
          return yield* deliverEvents(A, handler)
        })
      )
      expect(report).toEqual({ delivered: 1, failed: 1 })
      expect(handled).toEqual(["BEHIND"])
    })

    it("delivers again what an interrupted pass held, once its lease ends", async () => {
      const { seen, handler } = recorder()
      await provide(
        Effect.gen(function* () {
          yield* lockCard(A, { kitNo: kitNoOf(0) })
          const stuck = yield* Effect.forkChild(deliverEvents(A, () => Effect.never))
          yield* Effect.yieldNow
          yield* Fiber.interrupt(stuck)
          yield* drain(handler)
          expect(seen).toHaveLength(0)
          yield* TestClock.adjust("31 seconds")
          yield* drain(handler)
        })
      )
      expect(seen.map((e) => e.event.action)).toEqual(["LOCK"])
    })

    it("delivers 1 000 concurrent changes to two consumers at once: each event once, never two of a card at a time, in order per card", async () => {
      const inFlight = new Set<string>()
      const delivered: Array<DomainEvent> = []
      let overlaps = 0
      const handler = (event: DomainEvent) =>
        Effect.gen(function* () {
          if (inFlight.has(event.event.subject)) overlaps += 1
          inFlight.add(event.event.subject)
          yield* Effect.yieldNow
          delivered.push(event)
          inFlight.delete(event.event.subject)
        })
      await provide(
        Effect.gen(function* () {
          const done = yield* Ref.make(false)
          const consumer = Effect.gen(function* () {
            while (!(yield* Ref.get(done))) {
              const report = yield* deliverEvents(A, handler, { batchSize: 50 })
              if (report.delivered === 0) yield* Effect.sleep("5 millis")
            }
          })
          const consumers = yield* Effect.forkChild(Effect.all([consumer, consumer], { concurrency: 2 }))
          // 20 rounds of a lock and an unlock on each of 50 cards (1 000 changes), cards side by side
          yield* Effect.forEach(
            Array.from({ length: CARDS }, (_, i) => kitNoOf(i)),
            (kitNo) =>
              Effect.forEach(
                Array.from({ length: 10 }),
                () => Effect.andThen(lockCard(A, { kitNo }), unlockCard(A, { kitNo })),
                { discard: true }
              ),
            { concurrency: 16, discard: true }
          )
          yield* Ref.set(done, true)
          yield* Fiber.join(consumers)
          yield* drain(handler)
        }),
        false
      )
      expect(delivered).toHaveLength(1_000)
      expect(new Set(delivered.map((e) => e.sequence)).size).toBe(1_000)
      expect(overlaps).toBe(0)
      for (const [, actions] of bySubject(delivered))
        expect(actions).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? "LOCK" : "UNLOCK")))
    })
  })
}
