/**
 * fast-check arbitraries of the domain: identifiers, PANs, card statuses and operations, cards,
 * customers with their accounts and cards, fixtures, and valid requests of the use cases. Every
 * value decodes: an identifier with its schema, a fixture with `layer` of `card-lifecycle/memory`,
 * a request with its use case's schema.
 *
 * @since 0.1.0
 */
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
import { CardOperation, CardStatus, type LockableStatus } from "../domain/card/CardStatus.js"
import type { CardStatusRequest } from "../domain/card/changeCardStatus.js"
import { AccountNo, Channel, EntityId, KitNo } from "../domain/ground/Identifiers.js"
import { luhnCheckDigit, makePan, PanDigits } from "../domain/ground/Pan.js"
import { DeliveryAddress } from "../domain/kit/CardOrder.js"
import type { CancelCardOrderRequest } from "../domain/kit/cancelCardOrder.js"
import { BulkOperation, type ManageAllCardsRequest } from "../domain/kit/manageAllCards.js"
import type { UpgradeCardRequest } from "../domain/kit/upgradeCard.js"
import { ReplacementStatus } from "../domain/replacement/CardReplacement.js"
import type { ReplaceCardRequest } from "../domain/replacement/replaceCard.js"

// ---- identifiers ------------------------------------------------------------------------------------

/**
 * Tenant ids: 1–64 characters of A-Z a-z 0-9 _ - (DOMAIN.md §1).
 *
 * @category identifiers
 */
export const tenantId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * Entity ids of customers: 1–64 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const entityId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * Loyalty ids: kitNos as seed 003 sends them, 1–15 digits without a leading zero, so that they
 * survive the trip through a JSON number (`replaceCard`'s `oldLoyaltyId` and `newLoyaltyId`).
 *
 * @category identifiers
 */
export const loyaltyId = (): fc.Arbitrary<string> => fc.stringMatching(/^[1-9][0-9]{0,14}$/)

/**
 * kitNos: 1–32 letters or digits, loyalty ids among them.
 *
 * @category identifiers
 */
export const kitNo = (): fc.Arbitrary<string> =>
  fc.oneof(loyaltyId(), fc.stringMatching(/^[A-Za-z0-9]{1,32}$/))

/**
 * Mobile numbers: 7–15 digits, some after a leading `+`.
 *
 * @category identifiers
 */
export const mobileNo = (): fc.Arbitrary<string> => fc.stringMatching(/^\+?[0-9]{7,15}$/)

/**
 * Account numbers: non-negative integers of up to 10 digits.
 *
 * @category identifiers
 */
export const accountNo = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 9_999_999_999 })

/**
 * Branch ids: 1–32 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const branchId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/)

/**
 * Card order ids: 1–64 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const orderId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * @category models
 */
export interface PanConstraints {
  /** The digits every PAN starts with; any prefix without a leading zero when omitted. */
  readonly bin?: string
  /** 12 when omitted (ISO/IEC 7812-1). */
  readonly minLength?: number
  /** 19 when omitted (ISO/IEC 7812-1). */
  readonly maxLength?: number
}

/**
 * Clear PANs: Luhn-valid (ISO/IEC 7812-1 Annex B), 12–19 digits or the lengths asked for, on `bin`
 * when given. A bin that is not digits, or leaves no length in range, is a `RangeError`.
 *
 * @category identifiers
 */
export const pan = (constraints: PanConstraints = {}): fc.Arbitrary<string> => {
  const { bin = "", minLength = 12, maxLength = 19 } = constraints
  const shortest = Math.max(minLength, 12, bin.length + 1)
  const longest = Math.min(maxLength, 19)
  if (!/^[0-9]*$/.test(bin) || shortest > longest)
    throw new RangeError("pan: bin must be digits, and leave a length of 12-19 digits within the constraints")
  // without a bin, no leading zero: a PAN sent as a JSON number keeps all its digits
  const prefix = bin === "" ? fc.integer({ min: 1, max: 9 }).map(String) : fc.constant(bin)
  const prefixLength = Math.max(bin.length, 1)
  return fc.integer({ min: shortest, max: longest }).chain((length) =>
    fc
      .tuple(
        prefix,
        fc.array(fc.integer({ min: 0, max: 9 }), {
          minLength: length - 1 - prefixLength,
          maxLength: length - 1 - prefixLength
        })
      )
      .map(([first, rest]) => {
        const body = first + rest.join("")
        return body + luhnCheckDigit(body)
      })
  )
}

// ---- statuses and operations ------------------------------------------------------------------------

/**
 * Card statuses, every one of DOMAIN.md §2.
 *
 * @category statuses
 */
export const cardStatus = (): fc.Arbitrary<CardStatus> => fc.constantFrom(...CardStatus.literals)

/**
 * The operations of the transition table.
 *
 * @category statuses
 */
export const cardOperation = (): fc.Arbitrary<CardOperation> => fc.constantFrom(...CardOperation.literals)

/**
 * The operations of `manageAllCards`: BLOCK, LOCK, UNLOCK.
 *
 * @category statuses
 */
export const bulkOperation = (): fc.Arbitrary<BulkOperation> => fc.constantFrom(...BulkOperation.literals)

/**
 * A card's status as stored: `lockedFrom` is there exactly when the status is LOCKED.
 *
 * @category models
 */
export interface CardState {
  readonly status: CardStatus
  readonly lockedFrom?: LockableStatus
}

/**
 * Every status a card can be in, LOCKED from each status it can be locked from.
 *
 * @category statuses
 */
export const cardState = (): fc.Arbitrary<CardState> =>
  fc.constantFrom<CardState>(
    ...CardStatus.literals.flatMap(
      (status): ReadonlyArray<CardState> =>
        status === "LOCKED"
          ? [
              { status, lockedFrom: "ASSIGNED" },
              { status, lockedFrom: "ACTIVE" }
            ]
          : [{ status }]
    )
  )

// ---- cards and customers ----------------------------------------------------------------------------

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
 * Cards as the domain holds them (the `Card` model, the PAN `Redacted`), of any customer and account
 * unless told.
 *
 * @category cards
 */
export const card = (
  constraints: CardConstraints & { readonly entityId?: string; readonly accountNo?: number } = {}
): fc.Arbitrary<Card> =>
  fc
    .record({
      card: cardFixture(constraints),
      entityId: constraints.entityId === undefined ? entityId() : fc.constant(constraints.entityId),
      accountNo: constraints.accountNo === undefined ? accountNo() : fc.constant(constraints.accountNo)
    })
    .map(({ card, entityId, accountNo }) => ({
      ...card,
      kitNo: KitNo.make(card.kitNo),
      entityId: EntityId.make(entityId),
      accountNo: AccountNo.make(accountNo),
      cardType: card.cardType,
      status: card.status ?? "ASSIGNED",
      pan: makePan(PanDigits.make(card.pan))
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

/** 32 bytes in hex: a key of any purpose. */
const keyHex = () =>
  fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(""))

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
 * `catalog` with `tierLadder`), and a key for every purpose.
 *
 * @category customers
 */
export const tenantFixture = (constraints: TenantConstraints = {}): fc.Arbitrary<TenantFixture> =>
  fc
    .record({
      customers: customerFixtures(constraints),
      keys: fc.record({ cardNumber: keyHex(), setPin: keyHex(), pinStore: keyHex() })
    })
    .map(({ customers, keys }) => ({
      customers,
      products: constraints.catalog ?? defaultCatalog,
      tierLadder: constraints.tierLadder ?? defaultTierLadder,
      keys
    }))

/**
 * Whole fixtures for `layer`: 1 to `maxTenants` (2 unless told) tenants of `tenantFixture`; two
 * tenants may share kitNos, PANs and every other id, as tenants may.
 *
 * @category customers
 */
export const fixture = (constraints: FixtureConstraints = {}): fc.Arbitrary<MemoryFixture> =>
  fc.uniqueArray(tenantId(), { minLength: 1, maxLength: constraints.maxTenants ?? 2 }).chain((tenants) =>
    fc.array(tenantFixture(constraints), { minLength: tenants.length, maxLength: tenants.length }).map(
      (contents): MemoryFixture => ({
        tenants: Object.fromEntries(tenants.map((tenant, i) => [tenant, contents[i]!]))
      })
    )
  )

// ---- requests -----------------------------------------------------------------------------------------

/** Free audit text: printable characters, no control character. */
const auditText = (maxLength: number) => fc.string({ unit: "grapheme-composite", minLength: 1, maxLength })

/** The audit fields every change takes (seed 002), each present or not. */
const auditFields = {
  reason: auditText(255),
  changer: auditText(64),
  channel: fc.constantFrom(...Channel.literals)
}

const given = <T>(value: T | undefined, otherwise: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  value === undefined ? otherwise : fc.constant(value)

/**
 * Requests of `activateCard`, `lockCard`, `unlockCard` and `blockCard` (seed 002, one card): the
 * card `kitNo` when given, and any of the audit fields.
 *
 * @category requests
 */
export const cardStatusRequest = (
  constraints: { readonly kitNo?: string } = {}
): fc.Arbitrary<CardStatusRequest> =>
  fc.record({ kitNo: given(constraints.kitNo, kitNo()), ...auditFields }, { requiredKeys: ["kitNo"] })

/**
 * Requests of `manageAllCards` (seed 002): the customer by entityId, by mobileNo or by both (only
 * one of them when no customer is given, as two random ids name two customers), any operation,
 * any of the audit fields.
 *
 * @category requests
 */
export const manageAllCardsRequest = (
  constraints: { readonly customer?: { readonly entityId: string; readonly mobileNo: string } } = {}
): fc.Arbitrary<ManageAllCardsRequest> => {
  const { customer } = constraints
  const selector: fc.Arbitrary<{ entityId?: string; mobileNo?: string }> =
    customer === undefined
      ? fc.oneof(fc.record({ entityId: entityId() }), fc.record({ mobileNo: mobileNo() }))
      : fc.constantFrom(
          { entityId: customer.entityId },
          { mobileNo: customer.mobileNo },
          { entityId: customer.entityId, mobileNo: customer.mobileNo }
        )
  return fc
    .tuple(
      selector,
      fc.record({ operation: bulkOperation(), ...auditFields }, { requiredKeys: ["operation"] })
    )
    .map(([who, what]) => ({ ...who, ...what }))
}

/**
 * Requests of `upgradeCard` (seed 000) for `card`: one or two `kitInfo` entries, one per card type,
 * each a product of the catalog above the card's tier, or of its tier but another product; any
 * `deliveryAddress` and audit fields. The catalog and ladder are the defaults unless told; a card
 * whose tier is off the ladder, or that no product upgrades, is a `RangeError`.
 *
 * @category requests
 */
export const upgradeCardRequest = (
  card: {
    readonly entityId: string
    readonly kitNo: string
    readonly tierType: string
    readonly productId: string
  },
  constraints: {
    readonly catalog?: ReadonlyArray<ProductFixture>
    readonly tierLadder?: ReadonlyArray<string>
  } = {}
): fc.Arbitrary<UpgradeCardRequest> => {
  const ladder = constraints.tierLadder ?? defaultTierLadder
  const rank = ladder.indexOf(card.tierType)
  const upgrades = (constraints.catalog ?? defaultCatalog).filter((product) => {
    const to = ladder.indexOf(product.tierType)
    return to > rank || (to === rank && product.productId !== card.productId)
  })
  if (rank < 0 || upgrades.length === 0)
    throw new RangeError("upgradeCardRequest: the card's tier must be on the ladder, below some product")
  const byCardType = (["PHYSICAL", "VIRTUAL"] as const)
    .map((cardType) => upgrades.filter((product) => product.cardType === cardType))
    .filter((products) => products.length > 0)
  const entry = (products: ReadonlyArray<ProductFixture>) =>
    fc
      .record(
        {
          product: fc.constantFrom(...products),
          aliasName: auditText(64)
        },
        { requiredKeys: ["product"] }
      )
      .map(({ product, ...alias }) => ({
        ...alias,
        cardType: product.cardType,
        plasticCode: product.plasticCode,
        tierType: product.tierType
      }))
  return fc
    .tuple(
      fc.subarray(byCardType, { minLength: 1 }).chain((types) => fc.tuple(...types.map(entry))),
      fc.record(
        { deliveryAddress: fc.constantFrom(...DeliveryAddress.literals), ...auditFields },
        {
          requiredKeys: []
        }
      )
    )
    .map(([kitInfo, fields]) => ({ entityId: card.entityId, kitNo: card.kitNo, kitInfo, ...fields }))
}

/** A loyalty id as seed 003 types it: a digit string, or a JSON number when it keeps every digit. */
const asLoyaltyId = (digits: string): fc.Arbitrary<string | number> =>
  /^[1-9][0-9]{0,14}$/.test(digits) ? fc.constantFrom(digits, Number(digits)) : fc.constant(digits)

/**
 * Requests of `replaceCard` (seed 003): the account `accountNo` and the card `kitNo` when given
 * (a kitNo of 1–32 digits, as seed 003 sends it; any other is a `RangeError`), each as a digit
 * string or a number; any replacement status; a new loyalty id or not; any audit fields.
 *
 * @category requests
 */
export const replaceCardRequest = (
  constraints: { readonly accountNo?: number; readonly kitNo?: string } = {}
): fc.Arbitrary<ReplaceCardRequest> => {
  if (constraints.kitNo !== undefined && !/^[0-9]{1,32}$/.test(constraints.kitNo))
    throw new RangeError("replaceCardRequest: the kitNo must be a loyalty id, 1-32 digits")
  return fc.record(
    {
      correlationId: given(constraints.accountNo, accountNo()).chain((n) => fc.constantFrom(n, String(n))),
      oldLoyaltyId: given(constraints.kitNo, loyaltyId()).chain(asLoyaltyId),
      status: fc.constantFrom(...ReplacementStatus.literals),
      newLoyaltyId: loyaltyId().chain(asLoyaltyId),
      changer: auditFields.changer,
      channel: auditFields.channel
    },
    { requiredKeys: ["correlationId", "oldLoyaltyId", "status"] }
  )
}

/**
 * Requests of `cancelCardOrder` (seed 001): the order `orderId` at `branchId` when given, any of the
 * audit fields.
 *
 * @category requests
 */
export const cancelCardOrderRequest = (
  constraints: { readonly orderId?: string; readonly branchId?: string } = {}
): fc.Arbitrary<CancelCardOrderRequest> =>
  fc.record(
    {
      orderId: given(constraints.orderId, orderId()),
      branchId: given(constraints.branchId, branchId()),
      ...auditFields
    },
    { requiredKeys: ["orderId", "branchId"] }
  )
