/**
 * The contract of CardIssuer: inside the caller's transaction it hands out a kitNo and a Luhn-valid
 * PAN on the BIN, never twice and never one an existing card holds; a rolled-back issue stores
 * nothing.
 */
import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { panForSerial } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import type { Card } from "../../domain/card/Card.js"
import { protectPan } from "../../domain/card/CardPan.js"
import { AccountNo, EntityId, KitNo } from "../../domain/ground/Identifiers.js"
import { luhnValid } from "../../domain/ground/Pan.js"
import { StoreError } from "../../domain/ground/StoreError.js"
import { CardIssuer, type IssuedIdentity } from "../../ports/CardIssuer.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, type MakeLayer, runner } from "./support.js"

const ENTITY = "E1"
const ACCOUNT = 1
/** The memory issuer's first serial: its first candidate kitNo is taken, so it must pass over it. */
const TAKEN_KIT = "4240200000"
const TAKEN_PAN = panForSerial(1)
const BINS = ["608040", "65243100"] as const

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
              cards: [
                {
                  kitNo: TAKEN_KIT,
                  pan: TAKEN_PAN,
                  productId: "2001_PHYSICAL",
                  tierType: "CLASSIC",
                  cardType: "PHYSICAL",
                  expDate: "2029-07-31T00:00:00.000+00:00",
                  status: "ACTIVE"
                }
              ]
            }
          ]
        }
      ]
    }
  }
}

/** The card an upgrade would store for an issued identity, its PAN protected as the upgrade does. */
const cardOf = ({ kitNo, pan }: IssuedIdentity) =>
  Effect.map(
    protectPan(A, kitNo, pan),
    (protectedPan): Card => ({
      kitNo,
      entityId: EntityId.make(ENTITY),
      accountNo: AccountNo.make(ACCOUNT),
      productId: "2003_PHYSICAL",
      tierType: "SILVER",
      cardType: "PHYSICAL",
      pan: protectedPan,
      expDate: "2029-07-31T00:00:00.000+00:00",
      status: "ASSIGNED"
    })
  )

/** Issues `n` identities (alternating BINs) and then stores their cards, as an upgrade does. */
const issueAndStore = (n: number) =>
  Effect.gen(function* () {
    const issuer = yield* CardIssuer
    const issued = yield* Effect.forEach(
      Array.from({ length: n }, (_, i) => BINS[i % 2]!),
      (bin) => Effect.map(issuer.issue(A, bin), (identity) => ({ bin, identity }))
    )
    const cards = yield* Effect.forEach(issued, (i) => cardOf(i.identity))
    yield* Effect.flatMap(CardRepository, (r) => r.insertAll(A, cards))
    return issued
  })

const committedCards = Effect.flatMap(CardRepository, (r) => r.findByCustomer(A, EntityId.make(ENTITY)))

const expectUnique = (cards: ReadonlyArray<Card>) => {
  expect(new Set(cards.map((c) => c.kitNo)).size).toBe(cards.length)
  expect(new Set(cards.map((c) => c.pan.hash)).size).toBe(cards.length)
}

/**
 * The contract of CardIssuer: inside the caller's transaction, kitNos and Luhn-valid PANs on the BIN, never
 * twice and never an existing card's; a rolled-back issue keeps nothing. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const issuerContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: CardIssuer`, () => {
    it("issues, inside a transaction, a kitNo and a Luhn-valid PAN on the BIN, unique over 200 issues and never an existing card's", async () => {
      const { issued, cards } = await run(
        Effect.gen(function* () {
          const transactor = yield* Transactor
          // 20 transactions of 10 issues each: unique within a transaction (before its cards are
          // stored) and across transactions
          const batches = yield* Effect.forEach(Array.from({ length: 20 }), () =>
            transactor.withTransaction(issueAndStore(10))
          )
          return { issued: batches.flat(), cards: yield* committedCards }
        }),
        fixture
      )
      expect(issued).toHaveLength(200)
      for (const { bin, identity } of issued) {
        const pan = Redacted.value(identity.pan)
        expect(pan).toMatch(/^[0-9]{12,19}$/)
        expect(luhnValid(pan)).toBe(true)
        expect(pan.startsWith(bin)).toBe(true)
        expect(identity.kitNo).not.toBe(TAKEN_KIT)
        expect(pan).not.toBe(TAKEN_PAN)
      }
      expect(cards).toHaveLength(201)
      expectUnique(cards)
    })

    it("stores nothing for an issue in a rolled-back transaction; committed cards stay unique", async () => {
      const { failed, rolledBack, committed, cards } = await run(
        Effect.gen(function* () {
          const transactor = yield* Transactor
          let rolledBack: IssuedIdentity | undefined
          const failed = yield* Effect.result(
            transactor.withTransaction(
              Effect.gen(function* () {
                const [first] = yield* issueAndStore(1)
                rolledBack = first?.identity
                return yield* new StoreError({ operation: "contract" })
              })
            )
          )
          const committed = yield* transactor.withTransaction(issueAndStore(5))
          return { failed, rolledBack, committed, cards: yield* committedCards }
        }),
        fixture
      )
      expect(Result.isFailure(failed)).toBe(true)
      expect(rolledBack).toBeDefined()
      // the rolled-back identity may be issued again or not; only committed cards are stored
      const expected = [TAKEN_KIT, ...committed.map((c) => c.identity.kitNo)].sort()
      expect(cards.map((c) => c.kitNo).sort()).toEqual(expected)
      expectUnique(cards)
    })

    it("never issues the kitNo of a card stored after issuing began, however it was chosen", async () => {
      const { first, next } = await run(
        Effect.gen(function* () {
          const issuer = yield* CardIssuer
          const transactor = yield* Transactor
          const first = yield* transactor.withTransaction(issuer.issue(A, BINS[0]))
          // a card stored under the kitNo a counting issuer would hand out next
          const successor = KitNo.make(
            /^[1-9][0-9]*$/.test(first.kitNo) ? String(Number(first.kitNo) + 1) : "K2"
          )
          yield* transactor.withTransaction(
            Effect.flatMap(issuer.issue(A, BINS[0], successor), (identity) =>
              Effect.gen(function* () {
                yield* (yield* CardRepository).insertAll(A, [yield* cardOf(identity)])
              })
            )
          )
          const next = yield* transactor.withTransaction(issuer.issue(A, BINS[0]))
          return { first, next: { identity: next, successor } }
        }),
        fixture
      )
      expect(next.identity.kitNo).not.toBe(first.kitNo)
      expect(next.identity.kitNo).not.toBe(next.successor)
    })

    it("keeps the caller's kitNo and allocates only a PAN, unique and on the BIN", async () => {
      const wanted = ["7000000001", "7000000002", "7000000003"].map((k) => KitNo.make(k))
      const { issued, cards } = await run(
        Effect.gen(function* () {
          const issuer = yield* CardIssuer
          const issued = yield* (yield* Transactor).withTransaction(
            Effect.gen(function* () {
              const issued = yield* Effect.forEach(wanted, (kitNo) => issuer.issue(A, BINS[0], kitNo))
              const cards = yield* Effect.forEach(issued, cardOf)
              yield* Effect.flatMap(CardRepository, (r) => r.insertAll(A, cards))
              return issued
            })
          )
          return { issued, cards: yield* committedCards }
        }),
        fixture
      )
      expect(issued.map((i) => i.kitNo)).toEqual(wanted)
      for (const { pan } of issued) {
        expect(Redacted.value(pan).startsWith(BINS[0])).toBe(true)
        expect(luhnValid(Redacted.value(pan))).toBe(true)
      }
      expect(cards).toHaveLength(4)
      expectUnique(cards)
    })
  })
}
