import { Effect, Layer, ManagedRuntime } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  defaultBin,
  defaultCatalog,
  defaultTierLadder,
  fixture,
  layer,
  MemoryState,
  panForSerial,
  tenantFixture
} from "../../src/adapters/memory/index.js"
import { luhnValid, makePan, maskPan, type PanDigits } from "../../src/domain/ground/Pan.js"
import { replaceCard, upgradeCard } from "../../src/index.js"

const stateOf = (built: ReturnType<typeof fixture>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.flatMap(MemoryState, (s) => s.snapshot),
      layer(built)
    )
  )

describe("the fixture builders", () => {
  it("give a tenant a catalog on the ladder, every key and the default policy", () => {
    const tenant = tenantFixture()
    expect(tenant.tierLadder).toEqual(defaultTierLadder)
    expect(tenant.products).toEqual(defaultCatalog)
    for (const tier of defaultTierLadder)
      for (const cardType of ["PHYSICAL", "VIRTUAL"])
        expect(defaultCatalog.filter((p) => p.tierType === tier && p.cardType === cardType)).toHaveLength(1)
    expect(Object.keys(tenant.keys ?? {}).sort()).toEqual(["cardNumber", "panStore", "pinStore", "setPin"])
  })

  it("draw fresh keys for each tenant, and keep the defaults of the purposes not given", () => {
    const a = tenantFixture()
    const b = tenantFixture()
    expect(a.keys?.cardNumber).not.toBe(b.keys?.cardNumber)
    expect(new Set([a.keys?.cardNumber, a.keys?.setPin, a.keys?.pinStore, a.keys?.panStore]).size).toBe(4)
    const own = "00".repeat(32)
    const given = tenantFixture([], { keys: { setPin: own } })
    expect(given.keys?.setPin).toBe(own)
    expect(given.keys?.cardNumber).toMatch(/^[0-9a-f]{64}$/)
    expect(given.keys?.pinStore).toMatch(/^[0-9a-f]{64}$/)
    expect(given.keys?.panStore).toMatch(/^[0-9a-f]{64}$/)
  })

  it("build a fixture that can upgrade and replace a card, with only one key given", async () => {
    const customer = customerFixture("676165", [cardFixture("4240181595"), cardFixture("4240181596")])
    const bank = fixture({ ACME_BANK: tenantFixture([customer], { keys: { setPin: "11".repeat(32) } }) })
    const runtime = ManagedRuntime.make(layer(bank))
    const upgraded = await runtime.runPromise(
      upgradeCard("ACME_BANK", {
        entityId: "676165",
        kitNo: "4240181595",
        kitInfo: [{ cardType: "VIRTUAL", plasticCode: "V4568", tierType: "GOLD" }]
      })
    )
    expect(upgraded.kitInfo[0]).toMatchObject({ productId: "2005_VIRTUAL", cardStatus: "ASSIGNED" })
    const accountNo = customer.accounts?.[0]?.accountNo
    const replaced = await runtime.runPromise(
      replaceCard("ACME_BANK", {
        correlationId: accountNo,
        oldLoyaltyId: 4240181596,
        status: "LOST_OR_STOLEN"
      })
    )
    expect(replaced.Message).toBe("Card updated.")
    await runtime.dispose()
  })

  it("derive distinct Luhn-valid PANs on the BIN from kitNos that differ in their last 9 digits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999 }), { minLength: 1, maxLength: 20 }),
        async (serials) => {
          const kitNos = serials.map((serial, i) => `${(i % 9) + 1}${String(serial).padStart(9, "0")}`)
          const cards = kitNos.map((kitNo) => cardFixture(kitNo))
          for (const card of cards) {
            expect(card.pan.startsWith(defaultBin)).toBe(true)
            expect(card.pan).toHaveLength(16)
            expect(luhnValid(card.pan)).toBe(true)
          }
          expect(new Set(cards.map((c) => c.pan)).size).toBe(cards.length)
          // and the layer stores them all, each with its own PAN
          const state = await stateOf(fixture({ T: tenantFixture([customerFixture("E1", cards)]) }))
          const stored = state["T"]?.cards ?? []
          expect(stored.map((c) => c.pan.masked).sort()).toEqual(
            cards.map((c) => maskPan(makePan(c.pan as PanDigits))).sort()
          )
          expect(new Set(stored.map((c) => c.pan.hash)).size).toBe(cards.length)
        }
      ),
      { numRuns: 30 }
    )
  })

  it("derive distinct account and mobile numbers from entityIds of distinct serials", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999 }), { minLength: 1, maxLength: 20 }),
        async (serials) => {
          const customers = serials.map((serial) => customerFixture(String(serial)))
          expect(new Set(customers.map((c) => c.accounts?.[0]?.accountNo)).size).toBe(customers.length)
          expect(new Set(customers.map((c) => c.mobileNo)).size).toBe(customers.length)
          await expect(stateOf(fixture({ T: tenantFixture(customers) }))).resolves.toBeDefined()
        }
      ),
      { numRuns: 30 }
    )
  })

  it("name the field when two derived ids meet, so the fixture says which one to give", async () => {
    const twins = [cardFixture("4240181595"), cardFixture("5240181595")]
    const failure = await Effect.runPromise(
      Effect.flip(
        Layer.build(layer(fixture({ T: tenantFixture([customerFixture("E1", twins)]) }))).pipe(Effect.scoped)
      )
    )
    expect(failure.issues).toEqual([
      {
        path: "fixture.tenants.T.customers.0.accounts.0.cards.1.pan",
        message: "must be unique in the tenant"
      }
    ])
  })

  it("panForSerial refuses a serial that does not fit after the BIN", () => {
    expect(() => panForSerial(1e9)).toThrow(RangeError)
    expect(() => panForSerial(-1)).toThrow(RangeError)
    expect(panForSerial(0)).toBe(`${defaultBin}000000000${panForSerial(0).slice(-1)}`)
  })
})
