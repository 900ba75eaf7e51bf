/**
 * The product and BIN of a replacement card (DOMAIN.md §2, §5): the old card's tier, the new card
 * type, the catalog's product and that product's BIN (6 or 8 digits); no such product refuses.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { replacementProduct } from "../../src/domain/replacement/CardReplacement.js"
import { type Card, luhnValid, type Product } from "../../src/index.js"
import { panFor, TENANT_A } from "../support/builders.js"
import { clearPanOf } from "../support/protectedPan.js"
import {
  ACCOUNT,
  activeCard,
  attempt,
  bank,
  CATALOG,
  cardOf,
  cardsOnAccount,
  GOLD_BIN,
  GOLD_VIRTUAL_BIN,
  OLD,
  request,
  runOn,
  VIRTUAL_BIN
} from "../support/replacement.js"

const GOLD_CARD = activeCard(OLD, {
  productId: "3001_PHYSICAL",
  tierType: "GOLD",
  pan: panFor(OLD, GOLD_BIN)
})

/** The replacement of card OLD on ACCOUNT, and the new card it made. */
const replaced = (fixture: ReturnType<typeof bank>, fields: Parameters<typeof request>[2] = {}) =>
  runOn(
    fixture,
    Effect.gen(function* () {
      const out = yield* attempt(TENANT_A, request(ACCOUNT, OLD, fields))
      const newCard = (yield* cardsOnAccount(TENANT_A, ACCOUNT)).find((c) => c.status === "ACTIVE")
      return { ...out, newCard, pan: newCard === undefined ? "" : yield* clearPanOf(TENANT_A, newCard) }
    })
  )

describe("replaceCard: the new card's product and BIN", () => {
  it("a VIRTUAL replacement gets the VIRTUAL product of the same tier and line, on its 8-digit BIN", async () => {
    const out = await replaced(bank())
    expect(out.newCard).toMatchObject({ productId: "2001_VIRTUAL", tierType: "CLASSIC", cardType: "VIRTUAL" })
    expect(out.pan.slice(0, 8)).toBe(VIRTUAL_BIN)
    expect(out.pan).toHaveLength(16)
    expect(luhnValid(out.pan)).toBe(true)
  })

  it("a PHYSICAL replacement of a card on an 8-digit BIN stays on that BIN, not its first 6 digits", async () => {
    const out = await runOn(
      bank({}, [GOLD_CARD]),
      Effect.gen(function* () {
        yield* attempt(TENANT_A, request(ACCOUNT, OLD, { newLoyaltyId: "7000000002" }))
        const card = yield* cardOf(TENANT_A, "7000000002")
        return { card, pan: card._tag === "Some" ? yield* clearPanOf(TENANT_A, card.value) : "" }
      })
    )
    const card = out.card._tag === "Some" ? out.card.value : undefined
    expect(card).toMatchObject({ productId: "3001_PHYSICAL", tierType: "GOLD", cardType: "PHYSICAL" })
    expect(out.pan.slice(0, 8)).toBe(GOLD_BIN)
  })

  it("a VIRTUAL replacement of a GOLD card gets the GOLD VIRTUAL product and its BIN", async () => {
    const out = await replaced(bank({}, [GOLD_CARD]))
    expect(out.newCard).toMatchObject({ productId: "3001_VIRTUAL", tierType: "GOLD", cardType: "VIRTUAL" })
    expect(out.pan.slice(0, 8)).toBe(GOLD_VIRTUAL_BIN)
  })

  it("refuses, changing nothing, when the catalog has no product of the tier in the card type", async () => {
    const physicalOnly = CATALOG.filter((p) => p.cardType === "PHYSICAL")
    const out = await replaced(bank({}, [activeCard(OLD)], undefined, physicalOnly))
    expect(out.answer).toBe("ReplacementProductNotFound")
    expect(out.unchanged).toBe(true)
    const failure = out.result._tag === "Failure" ? out.result.failure : undefined
    expect(failure).toMatchObject({
      code: "REPLACEMENT_PRODUCT_NOT_FOUND",
      tierType: "CLASSIC",
      cardType: "VIRTUAL"
    })
    expect(failure?.message).toBe(
      "Card 4240180001 cannot be replaced: no product of this tenant is a CLASSIC VIRTUAL card. " +
        "Add one to the catalog; meanwhile BLOCK the card if it is lost or stolen."
    )
  })

  it("refuses a tenant without a catalog the same way, and answers the seed's rows first", async () => {
    const noCatalog = await replaced(bank({}, [activeCard(OLD)], undefined, []))
    expect(noCatalog.answer).toBe("ReplacementProductNotFound")
    const closed = await replaced(bank({ status: "CLOSED" }, [activeCard(OLD)], undefined, []))
    expect(closed.answer).toMatchObject({ errorMessage: "Account status is CLOSED." })
  })
})

describe("replacementProduct", () => {
  const card = (productId: string, tierType = "CLASSIC") => ({ productId, tierType }) as Card
  const products = CATALOG as ReadonlyArray<Product>
  const productOf = (old: Card, cardType: "PHYSICAL" | "VIRTUAL", list = products) =>
    replacementProduct(list, old, cardType)?.productId

  it("keeps the old card's own product when it has the wanted card type", () => {
    expect(productOf(card("2001_PHYSICAL"), "PHYSICAL")).toBe("2001_PHYSICAL")
  })

  it("prefers the old card's product line (the prefix before _) over the first by productId", () => {
    expect(productOf(card("2001_PHYSICAL"), "VIRTUAL")).toBe("2001_VIRTUAL")
    expect(productOf(card("2001_PHYSICAL"), "VIRTUAL", [...products].reverse())).toBe("2001_VIRTUAL")
  })

  it("takes the first by productId, in any catalog order, when no product shares the line", () => {
    expect(productOf(card("9001_PHYSICAL"), "VIRTUAL")).toBe("1001_VIRTUAL")
    expect(productOf(card("9001_PHYSICAL"), "VIRTUAL", [...products].reverse())).toBe("1001_VIRTUAL")
  })

  it("never leaves the old card's tier", () => {
    expect(productOf(card("2001_PHYSICAL", "PLATINUM"), "VIRTUAL")).toBeUndefined()
    expect(productOf(card("3001_PHYSICAL", "GOLD"), "VIRTUAL")).toBe("3001_VIRTUAL")
  })
})
