/**
 * Builders of a `MemoryFixture` with sensible defaults: a tenant with a product catalog on a tier
 * ladder, its keys and its policy; customers with one account; cards with a Luhn-valid PAN on the
 * catalog's BIN. What a README, a demo or a test needs to activate, lock, block, upgrade and replace a
 * card, without writing a catalog by hand.
 *
 * @since 0.1.0
 */
import { luhnCheckDigit } from "../../domain/ground/Pan.js"
import type { MemoryFixture } from "./MemoryFixture.js"

/**
 * One tenant of a fixture, as written.
 *
 * @category models
 */
export type TenantFixture = MemoryFixture["tenants"][string]

/**
 * @category models
 */
export type CustomerFixture = NonNullable<TenantFixture["customers"]>[number]

/**
 * @category models
 */
export type AccountFixture = NonNullable<CustomerFixture["accounts"]>[number]

/**
 * @category models
 */
export type CardFixture = NonNullable<AccountFixture["cards"]>[number]

/**
 * @category models
 */
export type ProductFixture = NonNullable<TenantFixture["products"]>[number]

/**
 * The BIN of the default catalog (seed 000's masked numbers start with it: `608040XXXXXX6954`).
 *
 * @category constants
 */
export const defaultBin = "608040"

/**
 * The default tier ladder, lowest first.
 *
 * @category constants
 */
export const defaultTierLadder: ReadonlyArray<string> = ["CLASSIC", "SILVER", "GOLD", "PLATINUM"]

/**
 * The default catalog: for each tier of the ladder a PHYSICAL and a VIRTUAL DEBIT RUPAY product on
 * `defaultBin`, valid 3 years, in seed 000's naming: `2001_PHYSICAL` / `2001_VIRTUAL` (CLASSIC, plastics
 * `4564` / `V4564`), `2003_*` (SILVER, `4566` / `V4566`), `2005_*` (GOLD), `2007_*` (PLATINUM).
 *
 * @category constants
 */
export const defaultCatalog: ReadonlyArray<ProductFixture> = defaultTierLadder.flatMap((tierType, rank) => {
  const line = String(2001 + 2 * rank)
  const plastic = String(4564 + 2 * rank)
  const product = (cardType: "PHYSICAL" | "VIRTUAL", plasticCode: string): ProductFixture => ({
    productId: `${line}_${cardType}`,
    productName: `${tierType} ${cardType.toLowerCase()} debit`,
    tierType,
    cardType,
    plasticCode,
    bin: defaultBin,
    networkType: "RUPAY",
    cardCategory: "DEBIT",
    validityYears: 3
  })
  return [product("PHYSICAL", plastic), product("VIRTUAL", `V${plastic}`)]
})

/**
 * A Luhn-valid 16-digit PAN on `bin` for a serial number: the same serial always gives the same PAN,
 * two serials below 10^(15 − bin length) never the same one.
 *
 * @category constructors
 */
export const panForSerial = (serial: number, bin: string = defaultBin): string => {
  const body = bin + String(serial).padStart(15 - bin.length, "0")
  if (body.length !== 15 || !/^[0-9]+$/.test(body))
    throw new RangeError(
      "panForSerial: serial must be a non-negative integer that fits the PAN after the bin"
    )
  return body + luhnCheckDigit(body)
}

/**
 * The serial a PAN, an account number and a mobile number are derived from: the last 9 digits of an
 * id of digits only, else the id's 32-bit FNV-1a hash modulo 10^9. Two ids that share their last
 * 9 digits, or whose hashes meet, get the same serial: give `pan`, `accountNo` or `mobileNo` for one
 * of them (`layer` refuses a fixture that holds one of them twice in a tenant, naming the field).
 */
const serialOf = (id: string): number => {
  if (/^[0-9]+$/.test(id)) return Number(id.slice(-9))
  let hash = 2166136261
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0
  return hash % 1_000_000_000
}

/**
 * A card of the default catalog: ACTIVE, a CLASSIC PHYSICAL card of `2001_PHYSICAL`, expiring at the
 * end of July 2029, with a PAN on `defaultBin` derived from its kitNo (`serialOf`: the last 9 digits
 * of a numeric kitNo, a hash of any other). Give `pan` to choose it; `tierType` and `cardType` pick the catalog product unless
 * `productId` is given.
 *
 * @category constructors
 */
export const cardFixture = (kitNo: string, fields: Partial<CardFixture> = {}): CardFixture => {
  const tierType = fields.tierType ?? "CLASSIC"
  const cardType = fields.cardType ?? "PHYSICAL"
  const product = defaultCatalog.find((p) => p.tierType === tierType && p.cardType === cardType)
  return {
    kitNo,
    pan: panForSerial(serialOf(kitNo)),
    productId: product?.productId ?? `${tierType}_${cardType}`,
    tierType,
    cardType,
    expDate: "2029-07-31T00:00:00.000+00:00",
    status: "ACTIVE",
    ...fields
  }
}

/**
 * A customer with one ACTIVE, registered account holding `cards`. Its account number
 * (1 000 000 000 + the serial), mobile number (`9` and the serial's 9 digits) and branch (`BR001`)
 * have defaults derived from the entityId (`serialOf`); give them in `fields` to choose them.
 *
 * @category constructors
 */
export const customerFixture = (
  entityId: string,
  cards: ReadonlyArray<CardFixture> = [],
  fields: Partial<Omit<CustomerFixture, "entityId">> & { readonly accountNo?: number } = {}
): CustomerFixture => {
  const serial = serialOf(entityId)
  const { accountNo = 1_000_000_000 + serial, ...customer } = fields
  return {
    entityId,
    mobileNo: `9${String(serial).padStart(9, "0")}`,
    branchId: "BR001",
    accounts: [{ accountNo, cards }],
    ...customer
  }
}

/**
 * A tenant with `customers`, the default catalog and ladder, the default policy, and fresh random
 * keys for every purpose (`cardNumber`, `setPin`, `pinStore`, `panStore`: 32 bytes each, drawn when
 * the builder runs, so two runs never share keys, and no key serves two purposes). Everything can be
 * replaced through `fields`; `keys` are merged purpose by purpose, so a test that seals a Set PIN V2
 * envelope itself gives only its own `keys.setPin` (one hex key, or a list of `{ id, hex }`) and keeps
 * the others.
 *
 * @category constructors
 */
export const tenantFixture = (
  customers: ReadonlyArray<CustomerFixture> = [],
  fields: Partial<TenantFixture> = {}
): TenantFixture => ({
  customers,
  products: defaultCatalog,
  tierLadder: defaultTierLadder,
  ...fields,
  keys: {
    cardNumber: randomKeyHex(),
    setPin: randomKeyHex(),
    pinStore: randomKeyHex(),
    panStore: randomKeyHex(),
    ...fields.keys
  }
})

/**
 * 32 random bytes in hex, from the platform's cryptographic generator.
 *
 * @category constructors
 */
export const randomKeyHex = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (byte) =>
    byte.toString(16).padStart(2, "0")
  ).join("")

/**
 * A fixture of the given tenants, for `layer`.
 *
 * @category constructors
 */
export const fixture = (tenants: Readonly<Record<string, TenantFixture>>): MemoryFixture => ({ tenants })
