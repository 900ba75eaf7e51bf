/**
 * Rules of the product catalog (src/domain/product/Product.ts, DOMAIN.md §4): a product is found by
 * its tierType, cardType and plasticCode all three; a card expires on the last day of its month,
 * 29 February only in a Gregorian leap year, written in seed 000's shape; a product not found is
 * named in the error's message, card numbers masked.
 */
import { DateTime } from "effect"
import { describe, expect, it } from "vitest"
import {
  expiryDate,
  findProduct,
  type Product,
  ProductNotFound,
  type ProductVariant
} from "../../src/domain/product/Product.js"

const product = (tierType: string, cardType: "PHYSICAL" | "VIRTUAL", plasticCode: string): Product => ({
  productId: `${tierType}_${cardType}_${plasticCode}`,
  productName: `${tierType} ${cardType}`,
  tierType,
  cardType,
  plasticCode,
  bin: "608040",
  networkType: "RUPAY",
  cardCategory: "DEBIT",
  validityYears: 5
})

describe("findProduct", () => {
  const catalog = [product("GOLD", "VIRTUAL", "4566"), product("SILVER", "PHYSICAL", "4566")]
  const variant = (
    tierType: string,
    cardType: "PHYSICAL" | "VIRTUAL",
    plasticCode: string
  ): ProductVariant => ({
    tierType,
    cardType,
    plasticCode
  })

  it("finds the product whose tierType, cardType and plasticCode all three match", () => {
    expect(findProduct(catalog, variant("SILVER", "PHYSICAL", "4566"))?.productId).toBe(
      "SILVER_PHYSICAL_4566"
    )
    expect(findProduct(catalog, variant("GOLD", "VIRTUAL", "4566"))?.productId).toBe("GOLD_VIRTUAL_4566")
  })

  it("finds no product when only the tierType differs", () => {
    expect(
      findProduct([product("GOLD", "PHYSICAL", "4566")], variant("SILVER", "PHYSICAL", "4566"))
    ).toBeUndefined()
  })

  it("finds no product when only the cardType differs", () => {
    expect(
      findProduct([product("SILVER", "VIRTUAL", "4566")], variant("SILVER", "PHYSICAL", "4566"))
    ).toBeUndefined()
  })

  it("finds no product when tierType and cardType both differ, the plastic alone matching", () => {
    expect(
      findProduct([product("GOLD", "VIRTUAL", "4566")], variant("SILVER", "PHYSICAL", "4566"))
    ).toBeUndefined()
  })
})

describe("expiryDate", () => {
  const on = (iso: string) => DateTime.makeUnsafe(iso) as DateTime.Utc

  it("ends February on the 28th in a year divisible by 100 but not by 400", () => {
    expect(expiryDate(on("2099-02-10T12:00:00Z"), 1)).toBe("2100-02-28T00:00:00.000+00:00")
    expect(expiryDate(on("1899-02-10T12:00:00Z"), 1)).toBe("1900-02-28T00:00:00.000+00:00")
  })

  it("ends February on the 29th in a year divisible by 400", () => {
    expect(expiryDate(on("1999-02-10T12:00:00Z"), 1)).toBe("2000-02-29T00:00:00.000+00:00")
    expect(expiryDate(on("2396-02-10T12:00:00Z"), 4)).toBe("2400-02-29T00:00:00.000+00:00")
  })

  it("writes the year with four digits and the month and day with two", () => {
    expect(expiryDate(on("0995-03-01T00:00:00Z"), 5)).toBe("1000-03-31T00:00:00.000+00:00")
    expect(expiryDate(on("0500-07-15T00:00:00Z"), 5)).toBe("0505-07-31T00:00:00.000+00:00")
    expect(expiryDate(on("0090-04-15T00:00:00Z"), 1)).toBe("0091-04-30T00:00:00.000+00:00")
  })
})

describe("ProductNotFound", () => {
  it("names the variant it did not find in its message, a card number in it masked", () => {
    const error = new ProductNotFound({
      tierType: "4111111111111111",
      cardType: "PHYSICAL",
      plasticCode: "4566"
    })
    expect(error.tierType).toBe("411111XXXXXX1111")
    expect(error.message).toBe(
      "No product of this tenant is a 411111XXXXXX1111 PHYSICAL card on plastic 4566; check kitInfo against the catalog."
    )
  })
})
