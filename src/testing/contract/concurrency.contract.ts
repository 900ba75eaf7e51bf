/**
 * What any adapter must give the use cases: concurrent use cases deciding on the same row behave as
 * in some serial order. For status changes the card's audit trail is that order: each change starts
 * from the status the one before it left. For the limits and refusals, exactly as many requests win
 * as a serial order would let win.
 */
import { Effect, Option, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import {
  type AccountFixture,
  type CardFixture,
  type CustomerFixture,
  cardFixture,
  defaultCatalog,
  tenantFixture
} from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { revealPan } from "../../domain/card/CardPan.js"
import { lockCard, unlockCard } from "../../domain/card/changeCardStatus.js"
import type { AuditEvent } from "../../domain/ground/AuditEvent.js"
import { EntityId, KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { cancelCardOrder } from "../../domain/kit/cancelCardOrder.js"
import { manageAllCards } from "../../domain/kit/manageAllCards.js"
import { upgradeCard } from "../../domain/kit/upgradeCard.js"
import { setPin } from "../../domain/pin/setPin.js"
import { verifyPin } from "../../domain/pin/verifyPin.js"
import { replaceCard } from "../../domain/replacement/replaceCard.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import { A, type MakeLayer, type Ports, runner } from "./support.js"

const DAY = 86_400_000

/** The kitNo of the card with this serial; the fixture builder derives its PAN from it. */
const kitNoOf = (serial: number): string => String(4_240_180_000 + serial)

/** Customer `E<n>` with account `n` holding the cards of these serials, ACTIVE unless told. */
const holder = (
  n: number,
  serials: ReadonlyArray<number>,
  account: Partial<AccountFixture> = {},
  card: Partial<CardFixture> = {}
): CustomerFixture => ({
  entityId: `E${n}`,
  mobileNo: `9${String(n).padStart(9, "0")}`,
  branchId: "BR001",
  accounts: [{ accountNo: n, ...account, cards: serials.map((serial) => cardFixture(kitNoOf(serial), card)) }]
})

/** Seed 003's request: replace the card of `serial` on account `n`, LOST_OR_STOLEN unless told. */
const replacement = (n: number, serial: number, fields: { readonly newLoyaltyId?: string } = {}) => ({
  correlationId: String(n),
  oldLoyaltyId: Number(kitNoOf(serial)),
  status: "LOST_OR_STOLEN",
  ...fields
})

const fixture = (): MemoryFixture => {
  // the contract runs on the real clock: one replacement yesterday leaves one slot this month
  const yesterday = new Date(Date.now() - DAY).toISOString()
  return {
    tenants: {
      [A]: tenantFixture(
        [
          holder(1, [1, 4]),
          holder(2, [6]),
          holder(3, [7, 8, 9, 10], { replacements: [yesterday] }),
          holder(4, [11]),
          holder(5, [12, 13]),
          holder(6, [5], {}, { status: "ASSIGNED" }),
          holder(7, [14])
        ],
        { orders: [{ orderId: "ORD5", kitNo: kitNoOf(5), branchId: "BR001", createdAt: yesterday }] }
      )
    }
  }
}

/**
 * The adapter's repositories, each read followed by a pause: whatever the adapter, the racing calls
 * interleave between their reads and their writes, where a missing lock loses an update.
 */
const pausingAfterReads = <S extends object>(service: S): S =>
  Object.fromEntries(
    Object.entries(service).map(([name, method]) => [
      name,
      name.startsWith("find") && typeof method === "function"
        ? (...args: ReadonlyArray<unknown>) =>
            Effect.tap(method(...args) as Effect.Effect<unknown>, () => Effect.sleep("1 millis"))
        : method
    ])
  ) as S

/** Runs the calls at once, the reads pausing; each one's success or error. */
const all = (effects: ReadonlyArray<Effect.Effect<unknown, { readonly code: string }, Ports>>) =>
  Effect.gen(function* () {
    const cards = pausingAfterReads(yield* CardRepository)
    const customers = pausingAfterReads(yield* CustomerRepository)
    const orders = pausingAfterReads(yield* CardOrderRepository)
    const pins = pausingAfterReads(yield* PinStore)
    return yield* Effect.all(effects.map(Effect.result), { concurrency: "unbounded" }).pipe(
      Effect.provideService(CardRepository, cards),
      Effect.provideService(CustomerRepository, customers),
      Effect.provideService(CardOrderRepository, orders),
      Effect.provideService(PinStore, pins)
    )
  })

/** The catalog's GOLD PHYSICAL product, which the upgrades ask for. */
const GOLD_PHYSICAL = defaultCatalog.find((p) => p.tierType === "GOLD" && p.cardType === "PHYSICAL")!

const wins = (results: ReadonlyArray<Result.Result<unknown, unknown>>) =>
  results.filter(Result.isSuccess).length

const trailOf = (kitNo: string) =>
  Effect.flatMap(AuditLog, (log) => log.findBySubject(TenantId.make(A), kitNo))

/** The events chain: each starts from the status the one before left, the first from `initial`. */
const expectChain = (events: ReadonlyArray<AuditEvent>, initial: string) => {
  const starts = events.map((e) => e.previousStatus)
  const ends = [initial, ...events.map((e) => e.currentStatus)].slice(0, -1)
  expect(starts).toEqual(ends)
}

const statusOf = (entityId: string) =>
  Effect.map(
    Effect.flatMap(CardRepository, (cards) =>
      cards.findByCustomer(TenantId.make(A), EntityId.make(entityId))
    ),
    (cards) => Object.fromEntries(cards.map((c) => [c.kitNo, c.status]))
  )

/**
 * The contract of The use cases racing on the same rows (LOCK and UNLOCK, bulk and single operations, the last
 * replacement of the month, one newLoyaltyId, upgrades, wrong PINs on one card, order cancellations)
 * behave as in some serial order. Runs on the real clock. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const concurrencyContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: concurrent use cases`, () => {
    it("LOCK and UNLOCK racing on one card change it one after the other", async () => {
      const kitNo = kitNoOf(1)
      const { results, trail, status } = await run(
        Effect.gen(function* () {
          const results = yield* all(
            Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? lockCard : unlockCard)(A, { kitNo }))
          )
          return { results, trail: yield* trailOf(kitNo), status: yield* statusOf("E1") }
        }),
        fixture()
      )
      expect(trail).toHaveLength(wins(results))
      expect(wins(results)).toBeGreaterThan(0)
      expectChain(trail, "ACTIVE")
      expect(status[kitNo]).toBe(trail.at(-1)?.currentStatus)
    })

    it("a bulk LOCK/UNLOCK racing with single-card operations on the customer's cards keeps every card's chain", async () => {
      const [k12, k13] = [kitNoOf(12), kitNoOf(13)]
      const { trails, status } = await run(
        Effect.gen(function* () {
          yield* all([
            ...Array.from({ length: 6 }, (_, i) =>
              manageAllCards(A, { entityId: "E5", operation: i % 2 === 0 ? "LOCK" : "UNLOCK" })
            ),
            ...Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? unlockCard : lockCard)(A, { kitNo: k12 }))
          ])
          return { trails: [yield* trailOf(k12), yield* trailOf(k13)], status: yield* statusOf("E5") }
        }),
        fixture()
      )
      for (const [i, kitNo] of [k12, k13].entries()) {
        expectChain(trails[i]!, "ACTIVE")
        expect(status[kitNo]).toBe(trails[i]!.at(-1)?.currentStatus ?? "ACTIVE")
      }
    })

    it("replacements racing for the account's last slot of the month: exactly one wins", async () => {
      const { answers, status } = await run(
        Effect.gen(function* () {
          const results = yield* all([7, 8, 9, 10].map((serial) => replaceCard(A, replacement(3, serial))))
          return {
            answers: results.map((r) => (Result.isSuccess(r) ? "OK" : r.failure.code)),
            status: yield* statusOf("E3")
          }
        }),
        fixture()
      )
      expect(answers.filter((a) => a === "OK")).toHaveLength(1)
      expect(answers.filter((a) => a !== "OK")).toEqual(Array(3).fill("REPLACEMENT_LIMIT_EXCEEDED"))
      expect(Object.values(status).filter((s) => s === "LOST_OR_STOLEN")).toHaveLength(1)
    })

    it("two replacements racing for the same newLoyaltyId on two accounts: one wins, one is refused", async () => {
      const answers = await run(
        Effect.gen(function* () {
          const results = yield* all([
            replaceCard(A, replacement(2, 6, { newLoyaltyId: "7000000001" })),
            replaceCard(A, replacement(4, 11, { newLoyaltyId: "7000000001" }))
          ])
          return results.map((r) => (Result.isSuccess(r) ? "OK" : r.failure.code)).sort()
        }),
        fixture()
      )
      expect(answers).toEqual(["NEW_LOYALTY_ID_IN_USE", "OK"])
    })

    it("upgrades racing on one card: one wins, the others find it REPLACED", async () => {
      const kitNo = kitNoOf(4)
      const { answers, gold } = await run(
        Effect.gen(function* () {
          const results = yield* all(
            Array.from({ length: 4 }, () =>
              upgradeCard(A, {
                entityId: "E1",
                kitNo,
                kitInfo: [{ cardType: "PHYSICAL", plasticCode: GOLD_PHYSICAL.plasticCode, tierType: "GOLD" }]
              })
            )
          )
          const cards = yield* Effect.flatMap(CardRepository, (r) =>
            r.findByCustomer(TenantId.make(A), EntityId.make("E1"))
          )
          return {
            answers: results.map((r) => (Result.isSuccess(r) ? "OK" : r.failure.code)).sort(),
            gold: cards.filter((c) => c.tierType === "GOLD").length
          }
        }),
        fixture()
      )
      expect(answers).toEqual([
        "INVALID_STATUS_TRANSITION",
        "INVALID_STATUS_TRANSITION",
        "INVALID_STATUS_TRANSITION",
        "OK"
      ])
      expect(gold).toBe(1)
    })

    it("20 wrong PINs racing on one card: exactly the tenant's limit (3) is counted, every later attempt refused", async () => {
      const kitNo = kitNoOf(14)
      const { answers, record, outcomes } = await run(
        Effect.gen(function* () {
          // the envelope sealed by the adapter's own security module, for the card's stored PAN
          const card = Option.getOrThrow(yield* (yield* CardRepository).findByKitNo(A, KitNo.make(kitNo)))
          const pan = yield* revealPan(A, card)
          const pinBlock = yield* (yield* SecurityModule).sealPinBlock(A, Redacted.make("4821"), pan)
          yield* setPin(A, { kitNo, pinBlock, expiryDate: "0729" })
          const results = yield* all(Array.from({ length: 20 }, () => verifyPin(A, { kitNo, pin: "4822" })))
          return {
            answers: results.map((r) => (Result.isSuccess(r) ? String(r.success) : r.failure.code)),
            record: yield* Effect.flatMap(PinStore, (pins) => pins.find(TenantId.make(A), KitNo.make(kitNo))),
            outcomes: (yield* trailOf(kitNo)).filter((e) => e.action === "VERIFY_PIN").map((e) => e.outcome)
          }
        }),
        fixture()
      )
      // a serial order: two wrong PINs answered false, the third blocks, the other 17 find it blocked
      expect(answers.filter((a) => a === "false")).toHaveLength(2)
      expect(answers.filter((a) => a === "PIN_TRIES_EXCEEDED")).toHaveLength(18)
      expect(Option.map(record, (r) => [r.failedAttempts, r.blocked])).toEqual(Option.some([3, true]))
      expect(outcomes).toEqual([
        "WRONG_PIN",
        "WRONG_PIN",
        "PIN_BLOCKED",
        ...Array(17).fill("PIN_TRIES_EXCEEDED")
      ])
    })

    it("cancellations racing on one order: one wins, the others find it CANCELLED", async () => {
      const answers = await run(
        Effect.gen(function* () {
          const results = yield* all(
            Array.from({ length: 4 }, () => cancelCardOrder(A, { orderId: "ORD5", branchId: "BR001" }))
          )
          return results.map((r) => (Result.isSuccess(r) ? "OK" : r.failure.code)).sort()
        }),
        fixture()
      )
      expect(answers).toEqual([
        "OK",
        "ORDER_NOT_CANCELLABLE",
        "ORDER_NOT_CANCELLABLE",
        "ORDER_NOT_CANCELLABLE"
      ])
    })
  })
}
