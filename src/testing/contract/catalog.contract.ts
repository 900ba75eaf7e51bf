/**
 * The contract of CardOrderRepository and ProductCatalog: orders round-trip by orderId, products
 * and tier ladders are read per tenant, and no tenant sees another's.
 */
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { BranchId, EntityId, KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { type CardOrder, OrderId } from "../../domain/kit/CardOrder.js"
import type { Product } from "../../domain/product/Product.js"
import { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { ProductCatalog } from "../../ports/ProductCatalog.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, card, customer, type MakeLayer, runner } from "./support.js"

const order = (orderId: string, kitNo: string, fields: Partial<CardOrder> = {}): CardOrder => ({
  orderId: OrderId.make(orderId),
  kitNo: KitNo.make(kitNo),
  entityId: EntityId.make("E1"),
  branchId: BranchId.make("BR1"),
  status: "RECEIVED",
  deliveryAddress: "PERMANENT",
  createdAt: "2026-07-15T10:30:00.000Z",
  ...fields
})

/** The customer and the card an order is for, so that an adapter with foreign keys can store it. */
const withOrderedCards = (tenant: TenantId, ...kitNos: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(CustomerRepository, (r) => r.saveAll(tenant, [customer("E1", "9876543210")]))
    const cards = yield* Effect.forEach(kitNos, (kitNo, i) => card(tenant, kitNo, "E1", 1, i + 1))
    yield* Effect.flatMap(CardRepository, (r) =>
      r.insertAll(
        tenant,
        cards.map((stored) => ({ ...stored, status: "ASSIGNED" as const }))
      )
    )
  })

const product = (productId: string, tierType: string, fields: Partial<Product> = {}): Product => ({
  productId,
  productName: productId,
  tierType,
  cardType: "PHYSICAL",
  plasticCode: productId.slice(0, 4),
  bin: "608040",
  networkType: "RUPAY",
  cardCategory: "DEBIT",
  validityYears: 3,
  ...fields
})

const EMPTY_TENANT = TenantId.make("CONTRACT_C")
const catalogFixture: MemoryFixture = {
  tenants: {
    // given out of productId order: findAll sorts
    [A]: {
      products: [
        product("2003_PHYSICAL", "SILVER"),
        product("2001_PHYSICAL", "CLASSIC"),
        product("2003_VIRTUAL", "SILVER", { cardType: "VIRTUAL", plasticCode: "V2003", bin: "65243100" })
      ],
      tierLadder: ["CLASSIC", "SILVER", "GOLD"]
    },
    [B]: {
      products: [
        product("9001_PHYSICAL", "BASIC", { cardCategory: "PREPAID", networkType: "VISA", validityYears: 5 })
      ],
      tierLadder: ["BASIC", "PREMIUM"]
    },
    [EMPTY_TENANT]: {}
  }
}

/**
 * The contract of CardOrderRepository and ProductCatalog: orders round-trip by orderId, products and tier
 * ladders are read per tenant, and no tenant sees another's. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const catalogContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: CardOrderRepository`, () => {
    it("finds what insertAll stored, by orderId, with every field, for update too, and updateAll replaces by orderId", async () => {
      const first = order("ORD1", "K1")
      const second = order("ORD2", "K2", {
        deliveryAddress: "COMMUNICATION",
        branchId: BranchId.make("BR-2")
      })
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardOrderRepository
          yield* withOrderedCards(A, "K1", "K2")
          yield* repo.insertAll(A, [first, second])
          const stored = [yield* repo.findById(A, first.orderId), yield* repo.findById(A, second.orderId)]
          const locked = yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(A, second.orderId))
          yield* repo.updateAll(A, [{ ...first, status: "CANCELLED" }])
          const duplicate = yield* Effect.flip(repo.insertAll(A, [order("ORD3", "K1"), { ...second }]))
          return {
            stored,
            locked,
            duplicate,
            replaced: yield* repo.findById(A, first.orderId),
            missing: yield* repo.findById(A, OrderId.make("ORD3"))
          }
        })
      )
      expect(found.stored).toEqual([Option.some(first), Option.some(second)])
      expect(found.locked).toEqual(Option.some(second))
      // an orderId taken fails the whole insert: ORD3 is not stored either
      expect(found.duplicate._tag === "DuplicateKey" && found.duplicate.key).toBe("orderId")
      expect(found.replaced).toEqual(Option.some({ ...first, status: "CANCELLED" }))
      expect(found.missing).toEqual(Option.none())
    })

    it("keeps tenants apart, even for the same orderId", async () => {
      const found = await run(
        Effect.gen(function* () {
          const repo = yield* CardOrderRepository
          yield* withOrderedCards(A, "K1")
          yield* withOrderedCards(B, "K1")
          yield* repo.insertAll(A, [order("ORD1", "K1")])
          const onlyInA = yield* repo.findById(B, OrderId.make("ORD1"))
          yield* repo.insertAll(B, [order("ORD1", "K1", { status: "DISPATCHED" })])
          return {
            onlyInA,
            a: yield* repo.findById(A, OrderId.make("ORD1")),
            b: yield* repo.findById(B, OrderId.make("ORD1"))
          }
        })
      )
      expect(found.onlyInA).toEqual(Option.none())
      expect(Option.map(found.a, (o) => o.status)).toEqual(Option.some("RECEIVED"))
      expect(Option.map(found.b, (o) => o.status)).toEqual(Option.some("DISPATCHED"))
    })
  })

  describe(`${name}: ProductCatalog`, () => {
    it("gives each tenant its own products, in productId order, and its own tier ladder", async () => {
      const found = await run(
        Effect.gen(function* () {
          const catalog = yield* ProductCatalog
          return yield* Effect.forEach([A, B, EMPTY_TENANT, TenantId.make("CONTRACT_NOBODY")], (tenant) =>
            Effect.all({ products: catalog.findAll(tenant), ladder: catalog.findTierLadder(tenant) })
          )
        }),
        catalogFixture
      )
      const [a, b, empty, unknown] = found
      expect(a?.products.map((p) => p.productId)).toEqual(["2001_PHYSICAL", "2003_PHYSICAL", "2003_VIRTUAL"])
      expect(a?.products[2]).toEqual(
        product("2003_VIRTUAL", "SILVER", { cardType: "VIRTUAL", plasticCode: "V2003", bin: "65243100" })
      )
      expect(a?.ladder).toEqual(["CLASSIC", "SILVER", "GOLD"])
      expect(b).toEqual({
        products: [
          product("9001_PHYSICAL", "BASIC", {
            cardCategory: "PREPAID",
            networkType: "VISA",
            validityYears: 5
          })
        ],
        ladder: ["BASIC", "PREMIUM"]
      })
      expect(empty).toEqual({ products: [], ladder: [] })
      expect(unknown).toEqual({ products: [], ladder: [] })
    })

    it("finds a tenant's products of a tier and card type: findAll's, filtered, in productId order", async () => {
      const found = await run(
        Effect.gen(function* () {
          const catalog = yield* ProductCatalog
          return yield* Effect.forEach([A, B, EMPTY_TENANT], (tenant) =>
            Effect.gen(function* () {
              const all = yield* catalog.findAll(tenant)
              const tiers = ["CLASSIC", "SILVER", "GOLD", "BASIC", "NONE"]
              const byTier = yield* Effect.forEach(tiers, (tier) =>
                Effect.forEach(["PHYSICAL", "VIRTUAL"] as const, (cardType) =>
                  Effect.map(catalog.findByTier(tenant, tier, cardType), (products) => ({
                    products,
                    filtered: all.filter((p) => p.tierType === tier && p.cardType === cardType)
                  }))
                )
              )
              return byTier.flat()
            })
          )
        }),
        {
          tenants: {
            ...catalogFixture.tenants,
            // a second SILVER PHYSICAL product, given first: both come back, in productId order
            [A]: {
              ...catalogFixture.tenants[A],
              products: [product("2013_PHYSICAL", "SILVER"), ...(catalogFixture.tenants[A]?.products ?? [])]
            }
          }
        }
      )
      for (const tenant of found)
        for (const { products, filtered } of tenant) expect(products).toEqual(filtered)
      const [a, b] = found
      expect(a?.flatMap((x) => x.products.map((p) => p.productId))).toEqual([
        "2001_PHYSICAL",
        "2003_PHYSICAL",
        "2013_PHYSICAL",
        "2003_VIRTUAL"
      ])
      // another tenant's SILVER products are not B's
      expect(b?.flatMap((x) => x.products.map((p) => p.productId))).toEqual(["9001_PHYSICAL"])
    })
  })
}
