/**
 * Replace Existing Card (seed 003, `PUT /client/users/:correlation_id/cards`): the old card takes an
 * end state, a new ACTIVE card takes its place on the account, at most twice a month.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Result, Schema, SchemaGetter } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardIssuer } from "../../ports/CardIssuer.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { SecurityModule } from "../../ports/SecurityModule.js"
import { TenantPolicy } from "../../ports/TenantPolicy.js"
import { Transactor } from "../../ports/Transactor.js"
import { protectPan } from "../card/CardPan.js"
import { AccountNotFound } from "../customer/Customer.js"
import type { ReplaceCardError } from "../DomainError.js"
import { AccountNo, Changer, Channel, KitNo, type TenantId } from "../ground/Identifiers.js"
import { type DuplicateKey, StoreError } from "../ground/StoreError.js"
import { decodeTenantRequest } from "../ground/Validation.js"
import {
  checkReplacement,
  type ReplacementIdentity,
  ReplacementProductNotFound,
  replace,
  replacementProduct
} from "./CardReplacement.js"
import { CardReplacementRefused } from "./ReplacementErrorTable.js"

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
export type ReplaceCardPorts =
  | CustomerRepository
  | CardRepository
  | AuditLog
  | CardIssuer
  | ProductCatalog
  | SecurityModule
  | TenantPolicy
  | Transactor

const decode = decodeTenantRequest(ReplaceCardRequest)

/**
 * The new card's insert found a key taken since the checks. The caller's `newLoyaltyId`, stored by a
 * concurrent request: the refusal the check would have given. An identity the issuer drew (a serial
 * kitNo, a PAN), taken concurrently: a retry draws another.
 */
const refuseTakenKey =
  (oldLoyaltyId: KitNo, newLoyaltyId: KitNo | undefined) =>
  (duplicate: DuplicateKey): Effect.Effect<never, CardReplacementRefused | StoreError> =>
    duplicate.key === "kitNo" && newLoyaltyId !== undefined
      ? Effect.fail(new CardReplacementRefused({ code: "NEW_LOYALTY_ID_IN_USE", kitNo: oldLoyaltyId }))
      : Effect.fail(new StoreError({ operation: duplicate.operation, retryable: true, cause: duplicate }))

/** The checks in their order, then the writes: all of it inside the caller's transaction. */
const replaceInTransaction = Effect.fnUntraced(function* (
  tenantId: TenantId,
  req: typeof ReplaceCardRequest.Type
): Effect.fn.Return<ReplaceCardResult, ReplaceCardError, Exclude<ReplaceCardPorts, Transactor>> {
  const customers = yield* CustomerRepository
  const cards = yield* CardRepository
  const policy = yield* TenantPolicy
  const catalog = yield* ProductCatalog
  const issuer = yield* CardIssuer
  const audit = yield* AuditLog
  // read once the account is ours: the limit counts every replacement committed before us
  const account = yield* customers.findAccountForUpdate(tenantId, req.correlationId)
  if (Option.isNone(account)) return yield* new AccountNotFound()
  const now = yield* DateTime.now
  const card = yield* cards.findByKitNoForUpdate(tenantId, req.oldLoyaltyId)
  const newLoyaltyIdInUse =
    req.newLoyaltyId !== undefined && Option.isSome(yield* cards.findByKitNo(tenantId, req.newLoyaltyId))
  // seed 003: the tenant's migration decides only for ghost and unregistered accounts
  const migrationInTransition =
    account.value.registration !== "REGISTERED" && (yield* policy.policyOf(tenantId)).migrationInTransition
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
  // DOMAIN.md §2: the new card is of a catalog product, its PAN on that product's BIN
  const oldCard = checked.success.card
  const product = replacementProduct(
    yield* catalog.findByTier(tenantId, oldCard.tierType, cardType),
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
  const issued = yield* issuer.issue(tenantId, product.bin, req.newLoyaltyId)
  const kitNo = req.newLoyaltyId ?? issued.kitNo
  const identity: ReplacementIdentity = {
    kitNo,
    pan: yield* protectPan(tenantId, kitNo, issued.pan),
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
  yield* cards.updateAll(tenantId, [replacement.oldCard])
  yield* cards
    .insertAll(tenantId, [replacement.newCard])
    .pipe(Effect.catchTag("DuplicateKey", refuseTakenKey(req.oldLoyaltyId, req.newLoyaltyId)))
  yield* customers.saveAccounts(tenantId, [replacement.account])
  yield* audit.append(tenantId, replacement.events)
  const result: ReplaceCardResult = { NewLoyaltyCard: newLoyaltyCard, Message: "Card updated." }
  return result
})

/**
 * Replaces a card of the account (seed 003, DOMAIN.md §5): the checks in their order, then the
 * writes, in one transaction. The account is read for update: two requests on one account take
 * turns, so they cannot both take the last slot of the month. A `newLoyaltyId` that a concurrent
 * request stores first is found by the insert, and refused as the check would have refused it.
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
