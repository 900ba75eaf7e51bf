/**
 * The Promise facade: one store across calls, each method the use case of its name, a refusal
 * rejected as the use case's typed error itself, a failed build rejected as its error, and no call
 * after `close()`.
 */
import { Effect, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { cardFixture, customerFixture, fixture, layer, tenantFixture } from "../src/adapters/memory/index.js"
import {
  activateCard,
  blockCard,
  CardNotFound,
  cancelCardOrder,
  createCardLifecycle,
  IdempotencyKeyReused,
  InvalidKeyConfiguration,
  InvalidStatusTransition,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  unlockCard,
  updateToken,
  upgradeCard,
  ValidationError,
  verifyPin
} from "../src/index.js"

const bank = () =>
  fixture({
    ACME_BANK: tenantFixture([
      customerFixture("676165", [cardFixture("4240181595"), cardFixture("4240181596")], {
        accountNo: 8642135
      })
    ])
  })

/** What a promise rejects with. */
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`resolved with ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

describe("createCardLifecycle", () => {
  it("keeps one store across calls, and rejects a refusal with the use case's error instance", async () => {
    const cards = createCardLifecycle(layer(bank()))
    try {
      const locked = await cards.lockCard("ACME_BANK", { kitNo: "4240181595" })
      expect(locked).toMatchObject({ kitNo: "4240181595", previousStatus: "ACTIVE", currentStatus: "LOCKED" })
      const blocked = await cards.blockCard("ACME_BANK", { kitNo: "4240181595" })
      expect(blocked).toMatchObject({ previousStatus: "LOCKED", currentStatus: "BLOCKED" })
      const refused = await rejection(cards.unlockCard("ACME_BANK", { kitNo: "4240181595" }))
      expect(refused).toBeInstanceOf(InvalidStatusTransition)
      expect(refused).toMatchObject({ _tag: "InvalidStatusTransition", code: "INVALID_STATUS_TRANSITION" })
      expect((refused as InvalidStatusTransition).message).toMatch(/BLOCKED/)
      const missing = await rejection(cards.lockCard("ACME_BANK", { kitNo: "999" }))
      expect(missing).toBeInstanceOf(CardNotFound)
      // the other tenant sees none of it
      expect(await rejection(cards.lockCard("OTHER_BANK", { kitNo: "4240181596" }))).toBeInstanceOf(
        CardNotFound
      )
      const bulk = await cards.manageAllCards("ACME_BANK", { entityId: "676165", operation: "LOCK" })
      expect(bulk).toMatchObject({ totalCardsManaged: 1 })
    } finally {
      await cards.close()
    }
  })

  it("runs a call under an idempotency key once: the retry gets the first answer", async () => {
    const cards = createCardLifecycle(layer(bank()))
    try {
      const request = { correlationId: "8642135", oldLoyaltyId: 4240181595, status: "DAMAGED" }
      const first = await cards.replaceCard("ACME_BANK", request, { idempotencyKey: "r-1" })
      expect(await cards.replaceCard("ACME_BANK", request, { idempotencyKey: "r-1" })).toEqual(first)
      const other = await rejection(
        cards.replaceCard("ACME_BANK", { ...request, oldLoyaltyId: 4240181596 }, { idempotencyKey: "r-1" })
      )
      expect(other).toBeInstanceOf(IdempotencyKeyReused)
      // without a key the same request runs again, and the card replaced first is refused
      expect(await rejection(cards.replaceCard("ACME_BANK", request))).toMatchObject({ code: "CARD_DAMAGED" })
    } finally {
      await cards.close()
    }
  })

  it("runs each method as the use case of its name: the same answer to the same bad request", async () => {
    const direct = ManagedRuntime.make(layer(bank()))
    const cards = createCardLifecycle(layer(bank()))
    const pairs = [
      [cards.activateCard, activateCard],
      [cards.lockCard, lockCard],
      [cards.unlockCard, unlockCard],
      [cards.blockCard, blockCard],
      [cards.manageAllCards, manageAllCards],
      [cards.upgradeCard, upgradeCard],
      [cards.cancelCardOrder, cancelCardOrder],
      [cards.replaceCard, replaceCard],
      [cards.setPin, setPin],
      [cards.verifyPin, verifyPin],
      [cards.updateToken, updateToken]
    ] as const
    try {
      for (const [method, useCase] of pairs) {
        // an empty body: each use case names its own missing fields
        const viaFacade = await rejection(method("ACME_BANK", {}))
        const viaEffect = await direct.runPromise(
          Effect.flip(useCase("ACME_BANK", {}) as Effect.Effect<unknown, unknown, never>)
        )
        expect(viaFacade).toBeInstanceOf(ValidationError)
        expect(viaFacade).toEqual(viaEffect)
      }
      const messages = new Set(
        await Promise.all(
          pairs.map(([method]) => rejection(method("ACME_BANK", {})).then((e) => (e as Error).message))
        )
      )
      // use cases of different requests refuse an empty body differently
      expect(messages.size).toBeGreaterThanOrEqual(6)
    } finally {
      await cards.close()
      await direct.dispose()
    }
  })

  it("rejects every call with the layer's build error when the layer cannot be built", async () => {
    const sameKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    const cards = createCardLifecycle(
      layer(fixture({ ACME_BANK: tenantFixture([], { keys: { setPin: sameKey, pinStore: sameKey } }) }))
    )
    try {
      const first = await rejection(cards.lockCard("ACME_BANK", { kitNo: "4240181595" }))
      expect(first).toBeInstanceOf(InvalidKeyConfiguration)
      expect(JSON.stringify(first)).not.toContain(sameKey)
      expect(await rejection(cards.lockCard("ACME_BANK", { kitNo: "4240181595" }))).toBeInstanceOf(
        InvalidKeyConfiguration
      )
    } finally {
      await cards.close()
    }
  })

  it("refuses calls after close()", async () => {
    const cards = createCardLifecycle(layer(bank()))
    await cards.lockCard("ACME_BANK", { kitNo: "4240181595" })
    await cards.close()
    await expect(cards.unlockCard("ACME_BANK", { kitNo: "4240181595" })).rejects.toBeDefined()
  })
})
