/**
 * Builders for the kit-manager tests (seeds 000, 001, 002): a catalog, a tier ladder, card orders,
 * the tenant's card-number key, and runners that give back the outcome and the store.
 */
import { Effect, Result } from "effect"
import type {
  MemoryFixture,
  MemoryOptions,
  MemoryPorts,
  MemoryState
} from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  type Card,
  CardRepository,
  EntityId,
  KitNo,
  luhnValid,
  TenantId
} from "../../src/index.js"
import { BIN, cardFixture, customerWith, panFor, TENANT_A, testLayer } from "./builders.js"
import { standInPan } from "./protectedPan.js"
import { snapshot } from "./state.js"

type TenantFixture = MemoryFixture["tenants"][string]
type CustomerFixture = NonNullable<TenantFixture["customers"]>[number]
type ProductFixture = NonNullable<TenantFixture["products"]>[number]
type OrderFixture = NonNullable<TenantFixture["orders"]>[number]

/** The tenant's `cardNumber` key, 32 bytes: 00 01 02 … 1f. */
export const CARD_NUMBER_KEY_HEX = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, "0")).join(
  ""
)

export const LADDER = ["CLASSIC", "SILVER", "GOLD", "PLATINUM"] as const
export type Tier = (typeof LADDER)[number]

/** A DEBIT RUPAY product on the BIN, valid 3 years; named like seed 000 (`2003_PHYSICAL`). */
export const productFixture = (
  productId: string,
  tierType: Tier,
  cardType: "PHYSICAL" | "VIRTUAL",
  plasticCode: string,
  overrides: Partial<ProductFixture> = {}
): ProductFixture => ({
  productId,
  productName: productId,
  tierType,
  cardType,
  plasticCode,
  bin: BIN,
  networkType: "RUPAY",
  cardCategory: "DEBIT",
  validityYears: 3,
  ...overrides
})

/** Two plastics of each tier for PHYSICAL, one VIRTUAL per tier; `2001_*` is CLASSIC, `2003_*` SILVER… */
export const CATALOG: ReadonlyArray<ProductFixture> = LADDER.flatMap((tier, rank) => {
  const series = 2001 + 2 * rank
  return [
    productFixture(`${series}_PHYSICAL`, tier, "PHYSICAL", String(4564 + 2 * rank)),
    productFixture(`${series + 1}_PHYSICAL`, tier, "PHYSICAL", String(4565 + 2 * rank)),
    productFixture(`${series}_VIRTUAL`, tier, "VIRTUAL", `V${4564 + 2 * rank}`)
  ]
})

/** The catalog product of a tier, card type and plastic choice (0 or 1). */
export const productOf = (
  tier: Tier,
  cardType: "PHYSICAL" | "VIRTUAL",
  plastic: 0 | 1 = 0
): ProductFixture => {
  const rank = LADDER.indexOf(tier)
  const plasticCode =
    cardType === "VIRTUAL" ? `V${4564 + 2 * rank}` : String(4564 + 2 * rank + (plastic === 1 ? 1 : 0))
  return CATALOG.find((p) => p.cardType === cardType && p.plasticCode === plasticCode)!
}

/** A `kitInfo` entry asking for a catalog product. */
export const entryFor = (product: ProductFixture, aliasName?: string) => ({
  ...(aliasName === undefined ? {} : { aliasName }),
  cardType: product.cardType,
  plasticCode: product.plasticCode,
  tierType: product.tierType
})

export const orderFixture = (
  orderId: string,
  kitNo: string,
  overrides: Partial<OrderFixture> = {}
): OrderFixture => ({
  orderId,
  kitNo,
  branchId: "BR001",
  createdAt: "2026-07-01T09:00:00.000Z",
  ...overrides
})

/** The key that encrypts the tenant's stored PANs, fixed so that a test can build a module of its own. */
export const PAN_STORE_KEY_HEX = "c4".repeat(32)

/** A tenant with the catalog, the ladder, the card-number key and the PAN-store key. */
export const kitManagerTenant = (
  customers: ReadonlyArray<CustomerFixture>,
  extra: Partial<TenantFixture> = {}
): TenantFixture => ({
  customers,
  products: CATALOG,
  tierLadder: [...LADDER],
  keys: { cardNumber: CARD_NUMBER_KEY_HEX, panStore: PAN_STORE_KEY_HEX },
  ...extra
})

/**
 * A Luhn-valid PAN on the BIN ending in `last4` (the check digit included), to reproduce the
 * seeds' masked numbers (`608040XXXXXX6954`).
 */
export const panEndingIn = (last4: string, bin = BIN): string => {
  for (let middle = 0; ; middle++) {
    const pan = bin + String(middle).padStart(16 - bin.length - 4, "0") + last4
    if (luhnValid(pan)) return pan
  }
}

/** A card as the domain holds it (for the pure rules), ACTIVE CLASSIC on account 8642135 of `req11`. */
export const domainCard = (kitNo: string, serial: number, overrides: Partial<Card> = {}): Card => ({
  kitNo: KitNo.make(kitNo),
  entityId: EntityId.make("req11"),
  accountNo: AccountNo.make(8642135),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: standInPan(panFor(serial)),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ACTIVE",
  ...overrides
})

/**
 * Runs a program on a fresh store: its outcome, and the committed state before and after (compare
 * them with `sameState` or `differences` of ./state.ts, never with `===` or `toEqual`).
 */
export const runOn = <A, E>(
  fixture: MemoryFixture,
  program: Effect.Effect<A, E, MemoryPorts | MemoryState>,
  options?: MemoryOptions
) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const before = yield* snapshot
      const outcome = yield* Effect.result(program)
      const after = yield* snapshot
      return { outcome, before, after }
    }).pipe(Effect.provide(testLayer(fixture, options)))
  )

/** The success of an outcome, or a failed expectation naming the error. */
export const successOf = <A, E>(outcome: Result.Result<A, E>): A => {
  if (Result.isFailure(outcome)) throw new Error(`expected success, got ${String(outcome.failure)}`)
  return outcome.success
}

/** The error of an outcome, or a failed expectation. */
export const failureOf = <A, E>(outcome: Result.Result<A, E>): E => {
  if (Result.isSuccess(outcome)) throw new Error("expected a failure, got a success")
  return outcome.failure
}

/** A FaultPlan that fails nothing and records the operation of every write. */
export const writeLog = () => {
  const operations: Array<string> = []
  return {
    operations,
    failWrite: ({ operation }: { readonly operation: string }) => {
      operations.push(operation)
      return false
    }
  }
}

// ---- upgradeCard (seed 000) ------------------------------------------------------------------------

/** Seed 000's customer, account and card, at the branch of `customerWith`. */
export const UPGRADE = {
  entityId: "676165",
  accountNo: 8642135,
  kitNo: "4561789",
  branchId: "BR001"
} as const

/** Seed 000's example request, verbatim. */
export const SEED_000_REQUEST = {
  entityId: UPGRADE.entityId,
  kitNo: UPGRADE.kitNo,
  deliveryAddress: "PERMANENT",
  kitInfo: [{ aliasName: "sample", cardType: "PHYSICAL", plasticCode: "4566", tierType: "SILVER" }]
}

type CardOverrides = Parameters<typeof cardFixture>[2]

/** A kit-manager tenant whose one customer holds seed 000's card, ACTIVE CLASSIC unless overridden. */
export const upgradeTenant = (card: CardOverrides = {}, extra: Partial<TenantFixture> = {}) =>
  kitManagerTenant(
    [
      customerWith(UPGRADE.entityId, "9876543210", UPGRADE.accountNo, [
        cardFixture(UPGRADE.kitNo, 1, { status: "ACTIVE", ...card })
      ])
    ],
    extra
  )

/** Tenant A holding seed 000's card. */
export const upgradeFixture = (
  card: CardOverrides = {},
  extra: Partial<TenantFixture> = {}
): MemoryFixture => ({
  tenants: { [TENANT_A]: upgradeTenant(card, extra) }
})

/** An upgrade of seed 000's card to the entries. */
export const upgradeTo = (...entries: ReadonlyArray<ReturnType<typeof entryFor>>) => ({
  entityId: UPGRADE.entityId,
  kitNo: UPGRADE.kitNo,
  kitInfo: entries
})

/** The stored card of tenant A with this kitNo. */
export const storedCard = (kitNo: string) =>
  Effect.flatMap(CardRepository, (r) => r.findByKitNo(TenantId.make(TENANT_A), KitNo.make(kitNo)))
