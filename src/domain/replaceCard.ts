/**
 * Replace Existing Card (seed 003, `PUT /client/users/:correlation_id/cards`): the old card takes an
 * end state, a new ACTIVE card takes its place on the account, at most twice a month.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Option, Result, Schema, SchemaGetter } from "effect"
import { AuditLog } from "../ports/AuditLog.js"
import { CardIssuer } from "../ports/CardIssuer.js"
import { CardRepository } from "../ports/CardRepository.js"
import { CustomerRepository } from "../ports/CustomerRepository.js"
import { ProductCatalog } from "../ports/ProductCatalog.js"
import { TenantPolicy } from "../ports/TenantPolicy.js"
import { Transactor } from "../ports/Transactor.js"
import {
  checkReplacement,
  type ReplacementCheckError,
  type ReplacementIdentity,
  ReplacementProductNotFound,
  replace,
  replacementProduct
} from "./card/CardReplacement.js"
import { AccountNotFound } from "./customer/Customer.js"
import { AccountNo, Changer, Channel, KitNo, type TenantId } from "./Identifiers.js"
import type { StoreError } from "./StoreError.js"
import { decodeTenantRequest, type ValidationError } from "./Validation.js"

const digits = (regExp: RegExp, rule: string) =>
  Schema.String.check(Schema.isPattern(regExp, { message: rule }))

const integer = (min: number, max: number, rule: string) =>
  Schema.Number.check(
    Schema.makeFilter((n: number) => Number.isSafeInteger(n) && n >= min && n <= max, { message: rule })
  )

const numberFromDigits = { decode: SchemaGetter.transform(Number), encode: SchemaGetter.transform(String) }
const kitNoFromNumber = {
  decode: SchemaGetter.transform((n: number) => String(n)),
  encode: SchemaGetter.transform(Number)
}

/** The path's `:correlation_id` identifies the account: its number, as a digit string or a number. */
const CorrelationId = Schema.Union([
  AccountNo,
  digits(/^[0-9]{1,16}$/, "must be an account number: 1-16 digits").pipe(
    Schema.decodeTo(AccountNo, numberFromDigits)
  )
])

/** Seed 003 types `oldLoyaltyId` Number; a digit string (leading zeros kept) is accepted too. */
const OldLoyaltyId = Schema.Union([
  digits(/^[0-9]{1,32}$/, "must be a loyalty id: 1-32 digits").pipe(Schema.decodeTo(KitNo)),
  integer(0, Number.MAX_SAFE_INTEGER, "must be a loyalty id: a non-negative integer").pipe(
    Schema.decodeTo(KitNo, kitNoFromNumber)
  )
])

/**
 * Seed 003 types `newLoyaltyId` String and answers `NewLoyaltyCard` as a Number: an id that survives
 * the trip through a JSON number, so 1-15 digits without a leading zero, as a string or a number.
 */
const NewLoyaltyId = Schema.Union([
  digits(/^[1-9][0-9]{0,14}$/, "must be a loyalty id: 1-15 digits, no leading zero").pipe(
    Schema.decodeTo(KitNo)
  ),
  integer(1, 999_999_999_999_999, "must be a loyalty id: a positive integer of at most 15 digits").pipe(
    Schema.decodeTo(KitNo, kitNoFromNumber)
  )
])

/**
 * The path's account and seed 003's body. `status` is decoded by the table, not here: an invalid
 * status is the seed's row "Invalid status specified for card replacement!", at its place in
 * DOMAIN.md §5's order (docs/card-replacement.md).
 *
 * @category schemas
 */
export const ReplaceCardRequest = Schema.Struct({
  correlationId: CorrelationId,
  oldLoyaltyId: OldLoyaltyId,
  status: Schema.optionalKey(Schema.Unknown),
  newLoyaltyId: Schema.optionalKey(NewLoyaltyId),
  changer: Schema.optionalKey(Changer),
  channel: Schema.optionalKey(Channel)
})
export type ReplaceCardRequest = typeof ReplaceCardRequest.Encoded

/**
 * Seed 003's response.
 *
 * @category models
 */
export interface ReplaceCardResult {
  readonly NewLoyaltyCard: number
  readonly Message: "Card updated."
}

/**
 * @category models
 */
export type ReplaceCardError =
  | ValidationError
  | AccountNotFound
  | ReplacementCheckError
  | ReplacementProductNotFound
  | StoreError

/**
 * @category models
 */
export type ReplaceCardPorts =
  | CustomerRepository
  | CardRepository
  | AuditLog
  | CardIssuer
  | ProductCatalog
  | TenantPolicy
  | Transactor

const decode = decodeTenantRequest(ReplaceCardRequest)

type DecodedRequest = typeof ReplaceCardRequest.Type

/** The checks and the writes, all inside the caller's transaction. */
const replaceInTransaction = Effect.fnUntraced(function* (tenantId: TenantId, req: DecodedRequest) {
  // the ports in one read of the context, not one step of the fiber each
  const ports = yield* Effect.context<Exclude<ReplaceCardPorts, Transactor>>()
  const customers = Context.get(ports, CustomerRepository)
  const cards = Context.get(ports, CardRepository)
  // read after the transaction began: the limit counts every replacement committed before us
  const now = DateTime.makeUnsafe(Context.get(ports, Clock.Clock).currentTimeMillisUnsafe())
  const account = yield* customers.findAccount(tenantId, req.correlationId)
  if (Option.isNone(account)) return yield* new AccountNotFound({ accountNo: req.correlationId })
  const card = yield* cards.findByKitNo(tenantId, req.oldLoyaltyId)
  const newLoyaltyIdInUse =
    req.newLoyaltyId !== undefined && Option.isSome(yield* cards.findByKitNo(tenantId, req.newLoyaltyId))
  // the policy decides only for ghost and unregistered accounts: a registered one needs no read
  const migrationInTransition =
    account.value.registration !== "REGISTERED" &&
    (yield* Context.get(ports, TenantPolicy).policyOf(tenantId)).migrationInTransition
  const checked = checkReplacement({
    account: account.value,
    oldLoyaltyId: req.oldLoyaltyId,
    card: Option.getOrUndefined(card),
    status: req.status,
    migrationInTransition,
    newLoyaltyIdInUse,
    now
  })
  if (Result.isFailure(checked)) return yield* checked.failure
  // seed 003: without newLoyaltyId a digital (VIRTUAL) card, with it a PHYSICAL card of that id
  const cardType = req.newLoyaltyId === undefined ? "VIRTUAL" : "PHYSICAL"
  // DOMAIN.md §2: the new card is of a catalog product, its PAN on that product's BIN (6 or 8 digits)
  const oldCard = checked.success.card
  const product = replacementProduct(
    yield* Context.get(ports, ProductCatalog).findAll(tenantId),
    oldCard,
    cardType
  )
  if (product === undefined) {
    return yield* new ReplacementProductNotFound({
      kitNo: oldCard.kitNo,
      tierType: oldCard.tierType,
      cardType
    })
  }
  const issued = yield* Context.get(ports, CardIssuer).issue(tenantId, product.bin, req.newLoyaltyId)
  const identity: ReplacementIdentity = {
    kitNo: req.newLoyaltyId ?? issued.kitNo,
    pan: issued.pan,
    productId: product.productId,
    cardType
  }
  // `NewLoyaltyCard` is a Number (seed 003): a loyalty tenant's issuer must issue numeric kitNos
  const newLoyaltyCard = Number(identity.kitNo)
  if (String(newLoyaltyCard) !== identity.kitNo)
    return yield* Effect.die(
      new Error("CardIssuer issued a kitNo that is not a number; seed 003 loyalty ids are numbers")
    )
  const replaced = replace(checked.success, account.value, identity, {
    now,
    changer: req.changer,
    channel: req.channel
  })
  if (Result.isFailure(replaced)) return yield* replaced.failure
  const replacement = replaced.success
  yield* cards.saveAll(tenantId, [replacement.oldCard, replacement.newCard])
  yield* customers.saveAccounts(tenantId, [replacement.account])
  yield* Context.get(ports, AuditLog).append(tenantId, replacement.events)
  const result: ReplaceCardResult = { NewLoyaltyCard: newLoyaltyCard, Message: "Card updated." }
  return result
})

/**
 * Replaces a card of the account (seed 003, DOMAIN.md §5). The checks, the limit and every write
 * happen in one transaction on the account, so that concurrent requests cannot both take the last
 * slot of the month: an adapter's `findAccount` inside a transaction must hold the account until
 * commit (PostgreSQL: `SELECT … FOR UPDATE`; docs/card-replacement.md).
 *
 * @category use cases
 */
export const replaceCard = (
  tenant: string,
  request: unknown
): Effect.Effect<ReplaceCardResult, ReplaceCardError, ReplaceCardPorts> =>
  // decoded when the effect runs, not when it is built
  Effect.suspend(() =>
    Effect.flatMap(decode(tenant, request), ({ tenant: tenantId, request: req }) =>
      Effect.flatMap(Transactor, (transactor) =>
        transactor.withTransaction(replaceInTransaction(tenantId, req))
      )
    )
  )
