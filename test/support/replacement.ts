/**
 * Builders for card-replacement tests (seed 003): account holders with an account's status,
 * registration and replacement history, tenants with a policy and a catalog, and readers of the
 * outcome.
 */
import { Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import type { MemoryFixture, MemoryOptions } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  CardReplacementRefused,
  CardRepository,
  CustomerRepository,
  KitNo,
  type Policy,
  type ReplaceCardRequest,
  replaceCard,
  TenantId
} from "../../src/index.js"
import { cardFixture, NOW, TENANT_A, testLayer } from "./builders.js"
import { unchangedBy } from "./state.js"

type TenantFixture = MemoryFixture["tenants"][string]
type CustomerFixture = NonNullable<TenantFixture["customers"]>[number]
type AccountFixture = NonNullable<CustomerFixture["accounts"]>[number]
type CardFixture = NonNullable<AccountFixture["cards"]>[number]
export type AccountState = Partial<Pick<AccountFixture, "status" | "registration" | "replacements">>

/** A card of the account, ACTIVE unless told otherwise; the serial makes kitNo and PAN unique. */
export const activeCard = (serial: number, overrides: Partial<CardFixture> = {}): CardFixture =>
  cardFixture(kitNoOf(serial), serial, { status: "ACTIVE", ...overrides })

/** The kitNo of the card with this serial. */
export const kitNoOf = (serial: number): string => String(4_240_180_000 + serial)

/** A customer (entityId and mobileNo derived from the account number) holding one account. */
export const holder = (
  accountNo: number,
  cards: ReadonlyArray<CardFixture>,
  account: AccountState = {}
): CustomerFixture => ({
  entityId: `E${accountNo}`,
  mobileNo: `9${String(accountNo).padStart(9, "0")}`,
  branchId: "BR001",
  accounts: [{ accountNo, ...account, cards }]
})

type ProductFixture = NonNullable<TenantFixture["products"]>[number]

const product = (
  productId: string,
  tierType: string,
  cardType: "PHYSICAL" | "VIRTUAL",
  bin: string,
  plasticCode: string
): ProductFixture => ({
  productId,
  productName: productId.replace("_", " "),
  tierType,
  cardType,
  plasticCode,
  bin,
  networkType: "RUPAY",
  cardCategory: "DEBIT",
  validityYears: 5
})

/** The VIRTUAL product of line 2001 issues on an 8-digit BIN (ISO/IEC 7812-1:2017). */
export const VIRTUAL_BIN = "60804099"
/** GOLD cards, PHYSICAL and VIRTUAL, are on 8-digit BINs too. */
export const GOLD_BIN = "65215012"
export const GOLD_VIRTUAL_BIN = "65215099"

/**
 * The catalog of every replacement tenant: for CLASSIC VIRTUAL two products, so that the old
 * card's product line (2001) must win over the first by productId (1001).
 */
export const CATALOG: ReadonlyArray<ProductFixture> = [
  product("1001_VIRTUAL", "CLASSIC", "VIRTUAL", "608041", "V1001"),
  product("2001_PHYSICAL", "CLASSIC", "PHYSICAL", "608040", "4566"),
  product("2001_VIRTUAL", "CLASSIC", "VIRTUAL", VIRTUAL_BIN, "V2001"),
  product("3001_PHYSICAL", "GOLD", "PHYSICAL", GOLD_BIN, "4570"),
  product("3001_VIRTUAL", "GOLD", "VIRTUAL", GOLD_VIRTUAL_BIN, "V3001")
]

export const tenantOf = (
  customers: ReadonlyArray<CustomerFixture>,
  policy?: Partial<Policy>,
  products: ReadonlyArray<ProductFixture> = CATALOG
): TenantFixture => ({
  customers,
  products,
  tierLadder: ["CLASSIC", "GOLD"],
  ...(policy === undefined ? {} : { policy })
})

/** An instant as a fixture writes it: ISO-8601 UTC. */
export const isoAt = (millis: number): string => new Date(millis).toISOString()

/**
 * The replacement as a caller sends it: the account as a path gives it, `status` LOST_OR_STOLEN
 * unless told otherwise; a field given as `undefined` is left out.
 */
export const request = (
  accountNo: number,
  oldSerial: number,
  fields: { readonly [K in keyof ReplaceCardRequest]?: ReplaceCardRequest[K] | undefined } = {}
) =>
  Object.fromEntries(
    Object.entries({
      correlationId: String(accountNo),
      oldLoyaltyId: Number(kitNoOf(oldSerial)),
      status: "LOST_OR_STOLEN",
      ...fields
    }).filter(([, value]) => value !== undefined)
  )

/** The seed's three facts of a refusal, or the tag of any other error, or "OK". */
export const answerOf = (result: Result.Result<unknown, { readonly _tag: string }>) => {
  if (Result.isSuccess(result)) return "OK"
  const error = result.failure
  return error instanceof CardReplacementRefused
    ? { statusCode: error.statusCode, errorCode: error.errorCode, errorMessage: error.message }
    : error._tag
}

/** Runs one replacement and reports its answer and whether the store was left exactly as it was. */
export const attempt = (tenant: string, body: unknown) =>
  Effect.gen(function* () {
    const { result, unchanged } = yield* unchangedBy(replaceCard(tenant, body))
    return { result, answer: answerOf(result), unchanged }
  })

export const accountOf = (tenant: string, accountNo: number) =>
  Effect.flatMap(CustomerRepository, (repo) =>
    Effect.map(repo.findAccount(TenantId.make(tenant), AccountNo.make(accountNo)), Option.getOrThrow)
  )

export const cardOf = (tenant: string, kitNo: string) =>
  Effect.flatMap(CardRepository, (repo) => repo.findByKitNo(TenantId.make(tenant), KitNo.make(kitNo)))

export const cardsOnAccount = (tenant: string, accountNo: number) =>
  Effect.flatMap(CardRepository, (repo) =>
    repo.findByAccount(TenantId.make(tenant), AccountNo.make(accountNo))
  )

/** Runs a program on a fresh memory store over the fixture, the TestClock at `at` (NOW by default). */
export const runOn = <A, E, R>(
  fixture: MemoryFixture,
  program: Effect.Effect<A, E, R>,
  options: { readonly at?: number; readonly memory?: MemoryOptions } = {}
) =>
  Effect.runPromise(
    Effect.provide(
      Effect.andThen(TestClock.setTime(options.at ?? NOW), program),
      testLayer(fixture, options.memory)
    ) as Effect.Effect<A, E>
  )

/**
 * Runs a program with reads that yield to other fibers first, as a store across a network would:
 * concurrent requests interleave between read and write unless a transaction serializes them.
 */
export const withSlowReads = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const customers = yield* CustomerRepository
    const cards = yield* CardRepository
    return yield* program.pipe(
      Effect.provideService(
        CustomerRepository,
        CustomerRepository.of({
          ...customers,
          findAccount: (tenant, accountNo) =>
            Effect.andThen(Effect.yieldNow, customers.findAccount(tenant, accountNo)),
          findAccountForUpdate: (tenant, accountNo) =>
            Effect.andThen(Effect.yieldNow, customers.findAccountForUpdate(tenant, accountNo))
        })
      ),
      Effect.provideService(
        CardRepository,
        CardRepository.of({
          ...cards,
          findByKitNo: (tenant, kitNo) => Effect.andThen(Effect.yieldNow, cards.findByKitNo(tenant, kitNo)),
          findByKitNoForUpdate: (tenant, kitNo) =>
            Effect.andThen(Effect.yieldNow, cards.findByKitNoForUpdate(tenant, kitNo))
        })
      )
    )
  })

/** Fixed ids: the account under test, another account of the tenant, the card to replace, an id in use. */
export const ACCOUNT = 8642135
export const OTHER_ACCOUNT = 8642199
export const OLD = 1
export const NEW_ID = "7000000001"
export const DAY = 86_400_000
/** Two replacements inside the window that ends at NOW. */
export const IN_WINDOW = [isoAt(NOW - 10 * DAY), isoAt(NOW - DAY)]

/**
 * TENANT_A: ACCOUNT holding `cards` (card OLD by default); OTHER_ACCOUNT holding card 50 and NEW_ID;
 * the products of CATALOG unless told otherwise.
 */
export const bank = (
  account: AccountState = {},
  cards: ReadonlyArray<CardFixture> = [activeCard(OLD)],
  policy?: Partial<Policy>,
  products?: ReadonlyArray<ProductFixture>
): MemoryFixture => ({
  tenants: {
    [TENANT_A]: tenantOf(
      [
        holder(ACCOUNT, cards, account),
        holder(OTHER_ACCOUNT, [activeCard(50), activeCard(51, { kitNo: NEW_ID })])
      ],
      policy,
      products
    )
  }
})

const seedRow = (statusCode: number, errorCode: string, errorMessage: string) => ({
  statusCode,
  errorCode,
  errorMessage
})

/**
 * Seed 003's error table as the tests expect it, written out here rather than read from the code;
 * NOT_REGISTERED and NEW_ID_IN_USE are the two rows docs/card-replacement.md decides.
 */
export const SEED = {
  CLOSED: seedRow(401, "API_VALIDATION", "Account status is CLOSED."),
  SUSPENDED: seedRow(
    400,
    "INVALID_REQUEST",
    "Card replacement is not allowed as the user account is suspended"
  ),
  NOT_ACTIVE: seedRow(
    400,
    "INVALID_REQUEST",
    "Error: Card replacement is not allowed as the user account is not Active"
  ),
  NOT_REGISTERED: seedRow(
    400,
    "INVALID_REQUEST",
    "Card replacement is not allowed as the user account is not registered"
  ),
  NOT_ON_ACCOUNT: seedRow(400, "INVALID_REQUEST", "LoyaltyId specified is not associated with this Account"),
  INVALID_STATUS: seedRow(400, "INVALID_REQUEST", "Invalid status specified for card replacement!"),
  WAS_CANCELLED: seedRow(400, "INVALID_REQUEST", "Cannot change the status of a Cancelled card"),
  WAS_DAMAGED: seedRow(400, "INVALID_REQUEST", "Cannot change the status of a Damaged card"),
  WAS_LOST: seedRow(400, "INVALID_REQUEST", "Cannot change the status of a Lost or Stolen card"),
  LIMIT: seedRow(
    400,
    "INVALID_REQUEST",
    "Card Replacement limit exceeded! Cannot replace card more than twice a month."
  ),
  NEW_ID_IN_USE: seedRow(400, "INVALID_REQUEST", "New LoyaltyId specified is already in use")
}
