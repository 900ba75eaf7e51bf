/**
 * The contract of the `…ForUpdate` reads: transactions that read a row for update, let others run,
 * and write what they read, changed, behave as in some serial order. Each racer toggles a status and
 * records the status it saw; in a serial order every racer sees the previous racer's write, so the
 * statuses seen alternate and the last write holds the toggle of them all. A read that does not lock
 * lets two racers see the same status: one of their writes is lost, and the law fails.
 */
import { DateTime, Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { cardFixture } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import type { Card } from "../../domain/card/Card.js"
import { AccountNo, EntityId, KitNo } from "../../domain/ground/Identifiers.js"
import { type CardOrder, OrderId } from "../../domain/kit/CardOrder.js"
import { AccountPanDigits, makeAccountPan } from "../../domain/token/AccountPan.js"
import { CardholderId, type Token, TokenUniqueReference } from "../../domain/token/Token.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import { KeyId, SecurityModule } from "../../ports/SecurityModule.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, type MakeLayer, runner } from "./support.js"
import { CARDHOLDER, PAN, RANGE, TUR, tokenFixture } from "./tokenFixture.js"

const RACERS = 12
const ENTITY = "E1"
const ACCOUNT = 1
const K1 = "K1"
const ORDER = "ORD1"

const fixture: MemoryFixture = {
  tenants: {
    [A]: {
      customers: [
        {
          entityId: ENTITY,
          mobileNo: "9876543210",
          branchId: "BR1",
          accounts: [
            {
              accountNo: ACCOUNT,
              cards: [cardFixture(K1), cardFixture("K2")]
            }
          ]
        }
      ],
      orders: [{ orderId: ORDER, kitNo: K1, branchId: "BR1", createdAt: "2026-07-15T10:30:00.000Z" }],
      tokens: [tokenFixture(TUR)],
      accountRanges: [RANGE]
    }
  }
}

const toggleCard = (card: Card): Card => {
  if (card.status === "LOCKED") {
    const { lockedFrom: _, ...rest } = card
    return { ...rest, status: "ACTIVE" }
  }
  return { ...card, status: "LOCKED", lockedFrom: "ACTIVE" }
}
const toggleOrder = (order: CardOrder): CardOrder => ({
  ...order,
  status: order.status === "RECEIVED" ? "PENDING" : "RECEIVED"
})
const toggleToken = (token: Token): Token => ({
  ...token,
  status: token.status === "ACTIVE" ? "SUSPENDED" : "ACTIVE"
})

/**
 * Runs the racers at once, each in its own transaction: `read` for update, let the others run, then
 * `write` and record what it saw, in the same transaction. Gives back what the racers saw, in the
 * order they wrote it.
 */
const race = <S, E, R>(read: Effect.Effect<S, E, R>, write: (seen: S) => Effect.Effect<string, E, R>) =>
  Effect.gen(function* () {
    const transactor = yield* Transactor
    const log = yield* AuditLog
    const racer = transactor.withTransaction(
      Effect.gen(function* () {
        const seen = yield* read
        // the others run here: without a lock, they read the same row before this write
        yield* Effect.yieldNow
        yield* Effect.sleep("1 millis")
        const label = yield* write(seen)
        yield* log.append(A, [
          { at: "2026-07-15T10:30:00.000Z", action: label, subject: "race", outcome: "OK" }
        ])
      })
    )
    yield* Effect.all(
      Array.from({ length: RACERS }, () => racer),
      { concurrency: "unbounded", discard: true }
    )
    return (yield* log.findBySubject(A, "race")).map((e) => e.action)
  })

/** The statuses a serial order of `RACERS` toggles from `first` sees: first, other, first, … */
const alternating = (first: string, other: string) =>
  Array.from({ length: RACERS }, (_, i) => (i % 2 === 0 ? first : other))

/**
 * The contract of The `…ForUpdate` reads of CardRepository, CustomerRepository, CardOrderRepository,
 * TokenRepository and PinStore: transactions that read a row for update and write it take turns. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const locksContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: reads for update`, () => {
    it("CardRepository.findByKitNoForUpdate: racers on one card take turns", async () => {
      const { seen, last } = await run(
        Effect.gen(function* () {
          const cards = yield* CardRepository
          const seen = yield* race(
            Effect.map(cards.findByKitNoForUpdate(A, KitNo.make(K1)), Option.getOrThrow),
            (card) => Effect.as(cards.updateAll(A, [toggleCard(card)]), card.status)
          )
          return { seen, last: yield* cards.findByKitNo(A, KitNo.make(K1)) }
        }),
        fixture
      )
      expect(seen).toEqual(alternating("ACTIVE", "LOCKED"))
      expect(Option.map(last, (c) => c.status)).toEqual(Option.some("ACTIVE"))
    })

    it("CardRepository.findByCustomerForUpdate: racers on a customer's cards take turns", async () => {
      const { seen, last } = await run(
        Effect.gen(function* () {
          const cards = yield* CardRepository
          const seen = yield* race(cards.findByCustomerForUpdate(A, EntityId.make(ENTITY)), (owned) =>
            Effect.as(cards.updateAll(A, owned.map(toggleCard)), owned.map((c) => c.status).join("+"))
          )
          return { seen, last: yield* cards.findByCustomer(A, EntityId.make(ENTITY)) }
        }),
        fixture
      )
      expect(seen).toEqual(alternating("ACTIVE+ACTIVE", "LOCKED+LOCKED"))
      expect(last.map((c) => c.status)).toEqual(["ACTIVE", "ACTIVE"])
    })

    it("CustomerRepository.findAccountForUpdate: every racer's replacement is kept", async () => {
      const { seen, last } = await run(
        Effect.gen(function* () {
          const customers = yield* CustomerRepository
          const seen = yield* race(
            Effect.map(customers.findAccountForUpdate(A, AccountNo.make(ACCOUNT)), Option.getOrThrow),
            (account) =>
              Effect.as(
                customers.saveAccounts(A, [
                  {
                    ...account,
                    replacements: [...account.replacements, DateTime.makeUnsafe(account.replacements.length)]
                  }
                ]),
                String(account.replacements.length)
              )
          )
          return { seen, last: yield* customers.findAccount(A, AccountNo.make(ACCOUNT)) }
        }),
        fixture
      )
      expect(seen).toEqual(Array.from({ length: RACERS }, (_, i) => String(i)))
      expect(Option.map(last, (a) => a.replacements.length)).toEqual(Option.some(RACERS))
    })

    it("PinStore.findForUpdate: every racer's wrong PIN is counted", async () => {
      const { seen, last } = await run(
        Effect.gen(function* () {
          const pins = yield* PinStore
          const verifier = {
            keyId: KeyId.make("1"),
            mac: Redacted.make("a".repeat(64), { label: "PIN verifier" })
          }
          yield* pins.save(A, KitNo.make(K1), { verifier, failedAttempts: 0, blocked: false })
          const seen = yield* race(
            Effect.map(pins.findForUpdate(A, KitNo.make(K1)), Option.getOrThrow),
            (record) =>
              Effect.as(
                pins.recordAttempts(A, KitNo.make(K1), {
                  failedAttempts: record.failedAttempts + 1,
                  blocked: false
                }),
                String(record.failedAttempts)
              )
          )
          return { seen, last: yield* pins.find(A, KitNo.make(K1)) }
        }),
        fixture
      )
      expect(seen).toEqual(Array.from({ length: RACERS }, (_, i) => String(i)))
      expect(Option.map(last, (r) => r.failedAttempts)).toEqual(Option.some(RACERS))
    })

    it("CardOrderRepository.findByIdForUpdate: racers on one order take turns", async () => {
      const seen = await run(
        Effect.gen(function* () {
          const orders = yield* CardOrderRepository
          return yield* race(
            Effect.map(orders.findByIdForUpdate(A, OrderId.make(ORDER)), Option.getOrThrow),
            (order) => Effect.as(orders.updateAll(A, [toggleOrder(order)]), order.status)
          )
        }),
        fixture
      )
      expect(seen).toEqual(alternating("RECEIVED", "PENDING"))
    })

    it("TokenRepository's reads for update, by reference, by PAN and by cardholder: racers take turns", async () => {
      const seen = await run(
        Effect.gen(function* () {
          const tokens = yield* TokenRepository
          // a store knows an account PAN by its keyed hash
          const panHash = yield* (yield* SecurityModule).cardNumberHash(
            A,
            makeAccountPan(AccountPanDigits.make(PAN))
          )
          const reads = [
            Effect.map(tokens.findByReferenceForUpdate(A, TokenUniqueReference.make(TUR)), (t) =>
              Option.toArray(t)
            ),
            tokens.findByPanHashForUpdate(A, panHash),
            tokens.findByCardholderForUpdate(A, CardholderId.make(CARDHOLDER))
          ]
          // the three reads in turn, each racing with itself: RACERS toggles each
          const all: Array<ReadonlyArray<string>> = []
          for (const read of reads) {
            const before = all.flat().length
            const seen = yield* race(read, (found) =>
              Effect.as(tokens.saveAll(A, found.map(toggleToken)), found.map((t) => t.status).join("+"))
            )
            all.push(seen.slice(before))
          }
          return all
        }),
        fixture
      )
      for (const seenBy of seen) expect(seenBy).toEqual(alternating("ACTIVE", "SUSPENDED"))
    })
  })
}
