import { createHmac } from "node:crypto"
import { Effect, Equal, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  AuditLog,
  blockCard,
  CardRepository,
  EntityId,
  lockCard,
  luhnValid,
  manageAllCards,
  SameProductUpgrade,
  StoreError,
  TenantId,
  TierDowngrade,
  unlockCard,
  upgradeCard
} from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { cardFixture, customerWith, TENANT_A } from "../support/builders.js"
import {
  CARD_NUMBER_KEY_HEX,
  CATALOG,
  entryFor,
  kitManagerTenant,
  LADDER,
  productFixture,
  productOf,
  runOn,
  type Tier,
  writeLog
} from "../support/kitManager.js"
import { clearPanOf } from "../support/protectedPan.js"
import { differences, snapshot } from "../support/state.js"

const ENTITY = "req11"
const MOBILE = "9876543210"
const ACCOUNT = 8642135
const tenantA = TenantId.make(TENANT_A)

// ---- manageAllCards ------------------------------------------------------------------------------

const cardState = Arbitraries.cardState()

const customerCards = fc
  .array(cardState, { maxLength: 12 })
  .map((states) => states.map((state, i) => cardFixture(`K${String(i).padStart(3, "0")}`, i + 1, state)))

const bulkRequest = fc.record(
  {
    operation: fc.constantFrom("BLOCK", "LOCK", "UNLOCK"),
    reason: fc.constantFrom("CUSTOMER_REQUEST", "LOST_PHONE"),
    changer: fc.constantFrom("user", "agent-7"),
    channel: fc.constantFrom("IVR", "WEB", "MOBILE", "BRANCH")
  },
  { requiredKeys: ["operation"] }
)

const bulkFixture = (cards: ReadonlyArray<ReturnType<typeof cardFixture>>) => ({
  tenants: { [TENANT_A]: kitManagerTenant([customerWith(ENTITY, MOBILE, ACCOUNT, cards)]) }
})

/**
 * Every card of the customer (its PAN's ciphertext left out: each store's is drawn with a fresh IV),
 * and the audit events about each.
 */
const customerState = Effect.gen(function* () {
  const cards = yield* Effect.flatMap(CardRepository, (r) => r.findByCustomer(tenantA, EntityId.make(ENTITY)))
  const log = yield* AuditLog
  const events = yield* Effect.forEach(cards, (card) => log.findBySubject(tenantA, card.kitNo))
  return {
    cards: cards.map(({ pan: { masked, hash }, ...card }) => ({ ...card, pan: { masked, hash } })),
    events
  }
})

const singleOperation = { BLOCK: blockCard, LOCK: lockCard, UNLOCK: unlockCard } as const

describe("manageAllCards, for any cards and operation", () => {
  it("changes nothing when run a second time", async () => {
    await fc.assert(
      fc.asyncProperty(customerCards, bulkRequest, async (cards, request) => {
        const program = Effect.gen(function* () {
          yield* manageAllCards(TENANT_A, { entityId: ENTITY, ...request })
          const afterFirst = yield* snapshot
          const second = yield* manageAllCards(TENANT_A, { entityId: ENTITY, ...request })
          return { second, afterFirst, afterSecond: yield* snapshot }
        })
        const { outcome } = await runOn(bulkFixture(cards), program)
        const { second, afterFirst, afterSecond } = Result.getOrThrow(outcome)
        expect(second.totalCardsManaged).toBe(0)
        expect(second.skippedCards).toHaveLength(cards.length)
        expect(differences(afterFirst, afterSecond)).toEqual([])
      })
    )
  })

  it("equals the single-card operations applied one by one: statuses, audit events and skipped cards", async () => {
    await fc.assert(
      fc.asyncProperty(customerCards, bulkRequest, async (cards, request) => {
        const { operation, ...audit } = request
        const bulk = await runOn(
          bulkFixture(cards),
          Effect.gen(function* () {
            const result = yield* manageAllCards(TENANT_A, { entityId: ENTITY, ...request })
            return { state: yield* customerState, skipped: result.skippedCards.map((c) => c.kitNo) }
          })
        )
        const oneByOne = Effect.gen(function* () {
          const outcomes = yield* Effect.forEach(cards, (card) =>
            Effect.result(singleOperation[operation](TENANT_A, { kitNo: card.kitNo, ...audit }))
          )
          const skipped = cards.filter((_, i) => Result.isFailure(outcomes[i]!)).map((c) => c.kitNo)
          return { state: yield* customerState, skipped }
        })
        const single = await runOn(bulkFixture(cards), oneByOne)
        const [b, s] = [Result.getOrThrow(bulk.outcome), Result.getOrThrow(single.outcome)]
        expect(Equal.equals(b.state, s.state)).toBe(true)
        expect(b.skipped).toEqual(s.skipped)
      })
    )
  })

  it("leaves every store as it was when any one of its writes fails", async () => {
    await fc.assert(
      fc.asyncProperty(customerCards, bulkRequest, async (cards, request) => {
        const call = manageAllCards(TENANT_A, { entityId: ENTITY, ...request })
        const log = writeLog()
        await runOn(bulkFixture(cards), call, log)
        for (let k = 0; k < log.operations.length; k++) {
          const { outcome, before, after } = await runOn(bulkFixture(cards), call, {
            failWrite: ({ index }) => index === k
          })
          expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(StoreError)
          expect(differences(before, after)).toEqual([])
        }
      }),
      { numRuns: 50 }
    )
  })
})

// ---- upgradeCard -----------------------------------------------------------------------------------

const tier = fc.constantFrom(...LADDER)
const plastic = fc.constantFrom(0 as const, 1 as const)
const upgradable = fc.constantFrom(
  { status: "ASSIGNED" },
  { status: "ACTIVE" },
  { status: "LOCKED", lockedFrom: "ACTIVE" }
) as fc.Arbitrary<Parameters<typeof cardFixture>[2]>

/** 1 or 2 entries, one per cardType. */
const entries = fc
  .tuple(tier, plastic, fc.option(tier, { nil: undefined }), fc.boolean())
  .map(([t, p, virtualTier, physicalFirst]) => {
    const physical = entryFor(productOf(t, "PHYSICAL", p))
    if (virtualTier === undefined) return [physical]
    const virtual = entryFor(productOf(virtualTier, "VIRTUAL"))
    return physicalFirst ? [physical, virtual] : [virtual, physical]
  })

const upgradeFixture = (
  currentTier: Tier,
  currentPlastic: 0 | 1,
  state: Parameters<typeof cardFixture>[2]
) => {
  const product = productOf(currentTier, "PHYSICAL", currentPlastic)
  const card = cardFixture("4561789", 1, { ...state, tierType: currentTier, productId: product.productId })
  return { tenants: { [TENANT_A]: kitManagerTenant([customerWith(ENTITY, MOBILE, ACCOUNT, [card])]) } }
}
const upgradeOf = (kitInfo: ReadonlyArray<ReturnType<typeof entryFor>>) =>
  upgradeCard(TENANT_A, { entityId: ENTITY, kitNo: "4561789", kitInfo })

describe("upgradeCard, for any card and request", () => {
  it("never lowers the tier, and refuses exactly the lower tiers and the same product", async () => {
    await fc.assert(
      fc.asyncProperty(
        tier,
        plastic,
        upgradable,
        entries,
        async (current, currentPlastic, state, kitInfo) => {
          const { outcome } = await runOn(upgradeFixture(current, currentPlastic, state), upgradeOf(kitInfo))
          const currentProduct = productOf(current, "PHYSICAL", currentPlastic)
          const rank = (t: string) => LADDER.indexOf(t as Tier)
          // DOMAIN.md §4, entry by entry: the first entry that breaks the ladder decides the refusal
          const refusals = kitInfo.map((e) =>
            rank(e.tierType) < rank(current)
              ? TierDowngrade
              : rank(e.tierType) === rank(current) &&
                  e.cardType === "PHYSICAL" &&
                  e.plasticCode === currentProduct.plasticCode
                ? SameProductUpgrade
                : undefined
          )
          const expected = refusals.find((r) => r !== undefined)
          if (expected === undefined) {
            for (const kit of Result.getOrThrow(outcome).kitInfo) {
              const issued = CATALOG.find((p) => p.productId === kit.productId)!
              expect(rank(issued.tierType)).toBeGreaterThanOrEqual(rank(current))
              expect(kit.productId).not.toBe(currentProduct.productId)
            }
          } else {
            expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(expected)
          }
        }
      )
    )
  })

  it("leaves every store as it was when any one of its writes fails", async () => {
    await fc.assert(
      fc.asyncProperty(upgradable, entries, async (state, kitInfo) => {
        const fixture = upgradeFixture("CLASSIC", 0, state)
        const safeInfo = kitInfo.map((e) =>
          e.tierType === "CLASSIC" ? entryFor(productOf("SILVER", e.cardType)) : e
        )
        const log = writeLog()
        await runOn(fixture, upgradeOf(safeInfo), log)
        expect(log.operations.length).toBeGreaterThanOrEqual(3)
        for (let k = 0; k < log.operations.length; k++) {
          const { outcome, before, after } = await runOn(fixture, upgradeOf(safeInfo), {
            failWrite: ({ index }) => index === k
          })
          expect(Result.isFailure(outcome) && outcome.failure).toBeInstanceOf(StoreError)
          expect(differences(before, after)).toEqual([])
        }
      }),
      { numRuns: 50 }
    )
  })

  it("issues Luhn-valid PANs on the product's BIN, unique in the tenant, hashed and masked as the seed says", async () => {
    // every tier on its own BIN, one of them 8 digits long
    const bins: Record<Tier, string> = {
      CLASSIC: "608040",
      SILVER: "608041",
      GOLD: "65243100",
      PLATINUM: "608043"
    }
    const catalog = CATALOG.map((p) =>
      productFixture(p.productId, p.tierType as Tier, p.cardType, p.plasticCode, {
        bin: bins[p.tierType as Tier]
      })
    )
    const key = Buffer.from(CARD_NUMBER_KEY_HEX, "hex")
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(plastic, fc.boolean()), { minLength: 1, maxLength: 3 }),
        async (steps) => {
          const card = cardFixture("4561789", 1, {
            status: "ACTIVE",
            tierType: "CLASSIC",
            productId: "2001_PHYSICAL"
          })
          const fixture = {
            tenants: {
              [TENANT_A]: kitManagerTenant([customerWith(ENTITY, MOBILE, ACCOUNT, [card])], {
                products: catalog
              })
            }
          }
          // climb the ladder one tier per step, each time upgrading the card the last step issued
          const program = Effect.gen(function* () {
            let kitNo = "4561789"
            const issued = []
            for (const [i, [p, withVirtual]] of steps.entries()) {
              const next = LADDER[i + 1]!
              const kitInfo = [
                entryFor(productOf(next, "PHYSICAL", p)),
                ...(withVirtual ? [entryFor(productOf(next, "VIRTUAL"))] : [])
              ]
              const result = yield* upgradeCard(TENANT_A, { entityId: ENTITY, kitNo, kitInfo })
              issued.push(...result.kitInfo)
              kitNo = result.kitInfo[0]!.kitNo
            }
            const cards = (yield* snapshot)[TENANT_A]?.cards ?? []
            const pans = yield* Effect.forEach(cards, (c) =>
              Effect.map(clearPanOf(TENANT_A, c), (pan) => [c.kitNo as string, pan] as const)
            )
            return { issued, pans }
          })
          const { issued, pans } = Result.getOrThrow((await runOn(fixture, program)).outcome)
          const panOf = new Map(pans)
          expect(new Set(panOf.values()).size).toBe(panOf.size)
          for (const kit of issued) {
            const pan = panOf.get(kit.kitNo)!
            expect(luhnValid(pan)).toBe(true)
            expect(pan.startsWith(kit.bin)).toBe(true)
            expect(kit.bin).toBe(bins[CATALOG.find((p) => p.productId === kit.productId)!.tierType as Tier])
            expect(kit.encryptedCardNumber).toBe(createHmac("sha256", key).update(pan).digest("hex"))
            expect(kit.cardNumber).toMatch(/^[0-9]{6}X+[0-9]{4}$/)
            expect(kit.cardNumber).toBe(pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4))
          }
        }
      )
    )
  })
})
