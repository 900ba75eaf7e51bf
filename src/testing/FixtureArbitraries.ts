/**
 * fast-check arbitraries of stored data: cards (the `Card` model, and as a fixture writes them),
 * customers with their accounts and cards, tenants and whole fixtures. Every fixture decodes with
 * `layer` of `card-lifecycle/memory`.
 *
 * @since 0.1.0
 */
import { Base64 } from "effect/encoding"
import * as fc from "fast-check"
import {
  type AccountFixture,
  type CardFixture,
  type CustomerFixture,
  defaultCatalog,
  defaultTierLadder,
  type ProductFixture,
  type TenantFixture
} from "../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../adapters/memory/MemoryFixture.js"
import type { Card } from "../domain/card/Card.js"
import { AccountNo, EntityId, KitNo } from "../domain/ground/Identifiers.js"
import { makePan, maskPan, PanDigits } from "../domain/ground/Pan.js"
import { KeyId } from "../domain/ground/ProtectedPan.js"
import {
  accountNo,
  branchId,
  type CardState,
  cardState,
  entityId,
  kitNo,
  mobileNo,
  pan,
  tenantId
} from "./DomainArbitraries.js"

/**
 * Expiry dates in seed 000's shape: the last day of a month of 2026–2045, at midnight UTC.
 *
 * @category models
 */
export const expDate = (): fc.Arbitrary<string> =>
  fc
    .record({ year: fc.integer({ min: 2026, max: 2045 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => {
      // day 0 of the next month is the last day of this one
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
      return `${year}-${String(month).padStart(2, "0")}-${lastDay}T00:00:00.000+00:00`
    })

/**
 * @category models
 */
export interface CardConstraints {
  /** The kitNos to draw from; `kitNo()` when omitted. */
  readonly kitNo?: fc.Arbitrary<string>
  /** The catalog the card is a product of; `defaultCatalog` when omitted. */
  readonly catalog?: ReadonlyArray<ProductFixture>
  /** The states to draw from; `cardState()` when omitted. */
  readonly state?: fc.Arbitrary<CardState>
}

/** A product, a PAN on its BIN, an expiry and a state: what every card is made of. */
const cardParts = (constraints: CardConstraints) =>
  fc.constantFrom(...(constraints.catalog ?? defaultCatalog)).chain((product) =>
    fc.record({
      product: fc.constant(product),
      pan: pan({ bin: product.bin }),
      expDate: expDate(),
      state: constraints.state ?? cardState()
    })
  )

/**
 * Cards as a fixture writes them: a product of the catalog (`defaultCatalog` unless told), a
 * Luhn-valid PAN on its BIN, an expiry, any status. Alone, two of them may share a kitNo or a PAN:
 * put them in a tenant with `customerFixtures`, which keeps both unique.
 *
 * @category cards
 */
export const cardFixture = (constraints: CardConstraints = {}): fc.Arbitrary<CardFixture> =>
  fc
    .tuple(constraints.kitNo ?? kitNo(), cardParts(constraints))
    .map(([kitNo, { product, pan, expDate, state }]) => ({
      kitNo,
      pan,
      productId: product.productId,
      tierType: product.tierType,
      cardType: product.cardType,
      expDate,
      ...state
    }))

/**
 * Cards as the domain holds them (the `Card` model), of any customer and account unless told. The
 * protected PAN is a stand-in: masked from a Luhn-valid PAN on the product's BIN, with a random
 * 64-hex hash and a random ciphertext under key id `"1"`. Enough for the status rules and for a store
 * (which never opens it); a card whose PAN must open (to set or verify a PIN) is made through a
 * fixture, whose layer protects each PAN with the tenant's keys.
 *
 * @category cards
 */
export const card = (
  constraints: CardConstraints & { readonly entityId?: string; readonly accountNo?: number } = {}
): fc.Arbitrary<Card> =>
  fc
    .record({
      card: cardFixture(constraints),
      hash: fc.stringMatching(/^[0-9a-f]{64}$/),
      ciphertext: fc.uint8Array({ minLength: 40, maxLength: 47 }).map(Base64.encode),
      entityId: constraints.entityId === undefined ? entityId() : fc.constant(constraints.entityId),
      accountNo: constraints.accountNo === undefined ? accountNo() : fc.constant(constraints.accountNo)
    })
    .map(({ card, hash, ciphertext, entityId, accountNo }) => ({
      ...card,
      kitNo: KitNo.make(card.kitNo),
      entityId: EntityId.make(entityId),
      accountNo: AccountNo.make(accountNo),
      cardType: card.cardType,
      status: card.status ?? "ASSIGNED",
      pan: {
        encrypted: { keyId: KeyId.make("1"), ciphertext },
        masked: maskPan(makePan(PanDigits.make(card.pan))),
        hash
      }
    }))

/**
 * @category models
 */
export interface CustomerConstraints extends CardConstraints {
  /** 1 when omitted. */
  readonly minCustomers?: number
  /** 4 when omitted. */
  readonly maxCustomers?: number
  /** Accounts per customer, at least 1; 2 when omitted. */
  readonly maxAccounts?: number
  /** Cards per account; 3 when omitted. */
  readonly maxCards?: number
}

/** How many accounts each customer has, and how many cards each account holds. */
type Shape = ReadonlyArray<ReadonlyArray<number>>

const uniqueOf = <T>(arbitrary: fc.Arbitrary<T>, length: number) =>
  fc.uniqueArray(arbitrary, { minLength: length, maxLength: length })

/**
 * The customers of one tenant, each with its accounts and their cards, as a fixture writes them.
 * entityIds, mobileNos, accountNos, kitNos and PANs are unique among them, as the tenant's store
 * requires; accounts are ACTIVE and REGISTERED.
 *
 * @category customers
 */
export const customerFixtures = (
  constraints: CustomerConstraints = {}
): fc.Arbitrary<ReadonlyArray<CustomerFixture>> => {
  const { minCustomers = 1, maxCustomers = 4, maxAccounts = 2, maxCards = 3 } = constraints
  const shape: fc.Arbitrary<Shape> = fc.array(
    fc.array(fc.integer({ min: 0, max: maxCards }), { minLength: 1, maxLength: Math.max(1, maxAccounts) }),
    { minLength: minCustomers, maxLength: maxCustomers }
  )
  return shape.chain((accounts) => {
    const customers = accounts.length
    const accountCount = accounts.reduce((sum, cards) => sum + cards.length, 0)
    const cardCount = accounts.flat().reduce((sum, cards) => sum + cards, 0)
    return fc
      .record({
        entityIds: uniqueOf(entityId(), customers),
        mobileNos: uniqueOf(mobileNo(), customers),
        branchIds: fc.array(branchId(), { minLength: customers, maxLength: customers }),
        accountNos: uniqueOf(accountNo(), accountCount),
        kitNos: uniqueOf(constraints.kitNo ?? kitNo(), cardCount),
        cards: fc.uniqueArray(cardParts(constraints), {
          minLength: cardCount,
          maxLength: cardCount,
          selector: (parts) => parts.pan
        })
      })
      .map(({ entityIds, mobileNos, branchIds, accountNos, kitNos, cards }) => {
        let nextAccount = 0
        let nextCard = 0
        return accounts.map(
          (cardsPerAccount, c): CustomerFixture => ({
            entityId: entityIds[c]!,
            mobileNo: mobileNos[c]!,
            branchId: branchIds[c]!,
            accounts: cardsPerAccount.map(
              (count): AccountFixture => ({
                accountNo: accountNos[nextAccount++]!,
                cards: Array.from({ length: count }, (): CardFixture => {
                  const { product, pan, expDate, state } = cards[nextCard]!
                  return {
                    kitNo: kitNos[nextCard++]!,
                    pan,
                    productId: product.productId,
                    tierType: product.tierType,
                    cardType: product.cardType,
                    expDate,
                    ...state
                  }
                })
              })
            )
          })
        )
      })
  })
}

/**
 * One customer with its accounts and cards.
 *
 * @category customers
 */
export const customerFixture = (
  constraints: Omit<CustomerConstraints, "minCustomers" | "maxCustomers"> = {}
): fc.Arbitrary<CustomerFixture> =>
  customerFixtures({ ...constraints, minCustomers: 1, maxCustomers: 1 }).map((customers) => customers[0]!)

const PURPOSES = ["cardNumber", "setPin", "pinStore", "panStore"] as const

/**
 * 32 bytes in hex: a key of one purpose of one tenant. Its first byte is the purpose's index and its
 * second the tenant's, so that two keys of a fixture are never the same bytes (key separation), even
 * as fast-check shrinks the rest towards zeros.
 */
const keyHex = (purpose: number, tenant = 0) =>
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => {
    bytes[0] = purpose
    bytes[1] = tenant
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
  })

const tenantKeys = (tenant: number) =>
  fc.record(
    Object.fromEntries(PURPOSES.map((purpose, i) => [purpose, keyHex(i, tenant)])) as {
      readonly [P in (typeof PURPOSES)[number]]: fc.Arbitrary<string>
    }
  )

/**
 * @category models
 */
export interface TenantConstraints extends CustomerConstraints {
  /** The catalog's tier ladder, lowest first; `defaultTierLadder` when omitted. */
  readonly tierLadder?: ReadonlyArray<string>
}

/**
 * @category models
 */
export interface FixtureConstraints extends TenantConstraints {
  /** 2 when omitted. */
  readonly maxTenants?: number
}

/**
 * One tenant: its customers (`customerFixtures`), the default catalog and tier ladder (or
 * `catalog` with `tierLadder`), and a distinct key for every purpose.
 *
 * @category customers
 */
export const tenantFixture = (constraints: TenantConstraints = {}): fc.Arbitrary<TenantFixture> =>
  tenantFixtureNumbered(constraints, 0)

const tenantFixtureNumbered = (constraints: TenantConstraints, tenant: number): fc.Arbitrary<TenantFixture> =>
  fc
    .record({
      customers: customerFixtures(constraints),
      keys: tenantKeys(tenant)
    })
    .map(({ customers, keys }) => ({
      customers,
      products: constraints.catalog ?? defaultCatalog,
      tierLadder: constraints.tierLadder ?? defaultTierLadder,
      keys
    }))

/**
 * Whole fixtures for `layer`: 1 to `maxTenants` (2 unless told) tenants of `tenantFixture`; two
 * tenants may share kitNos, PANs and every other id, as tenants may, never a key.
 *
 * @category customers
 */
export const fixture = (constraints: FixtureConstraints = {}): fc.Arbitrary<MemoryFixture> =>
  fc.uniqueArray(tenantId(), { minLength: 1, maxLength: constraints.maxTenants ?? 2 }).chain((tenants) =>
    fc.tuple(...tenants.map((_, i) => tenantFixtureNumbered(constraints, i))).map(
      (contents): MemoryFixture => ({
        tenants: Object.fromEntries(tenants.map((tenant, i) => [tenant, contents[i]!]))
      })
    )
  )
