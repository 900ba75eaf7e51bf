/**
 * Every failure a use case of this library can answer with, as runtime schemas: one union per use
 * case, and `DomainError`, the union of them all. Each member is a tagged error whose `code` and
 * `message` are encoded fields (src/domain/ErrorModel.ts), so an adapter (an HTTP service, a message
 * consumer) can encode any of them, decode it back, and map it by `_tag` or `code`.
 *
 * The types are derived from the schemas. `DuplicateKey` is a port's answer, never a use case's, so it
 * is in no union.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { InvalidPinBlock } from "../crypto/Errors.js"
import { CiphertextRejected, TenantKeyMissing, UnknownKeyId } from "../ports/SecurityModule.js"
import { CardNotFound, InvalidStatusTransition } from "./card/Card.js"
import { AccountNotFound, CustomerNotFound } from "./customer/Customer.js"
import { IdentifiersExhausted, StoreError } from "./ground/StoreError.js"
import { ValidationError } from "./ground/Validation.js"
import { CardOrderNotFound, OrderBranchMismatch, OrderNotCancellable } from "./kit/CardOrder.js"
import {
  DuplicateCardType,
  KitInfoCountOutOfRange,
  SameProductUpgrade,
  TierDowngrade
} from "./kit/UpgradePlan.js"
import { ExpiryDateMismatch, InvalidCardStatusForPin, TrivialPinRefused } from "./pin/SetPinRules.js"
import { PinTriesExceeded } from "./pin/VerifyPinRules.js"
import { ProductNotFound, TierNotOnLadder } from "./product/Product.js"
import { ReplacementProductNotFound } from "./replacement/CardReplacement.js"
import { CardReplacementRefused } from "./replacement/ReplacementErrorTable.js"
import {
  AccountRangeMismatch,
  CardholderHasSeveralPans,
  TokenNotFound,
  TokenNotUpdatable
} from "./token/TokenErrors.js"

/**
 * The failures of `activateCard`, `lockCard`, `unlockCard` and `blockCard`.
 *
 * @category errors
 * @since 0.1.0
 */
export const CardStatusError = Schema.Union([
  ValidationError,
  CardNotFound,
  InvalidStatusTransition,
  StoreError
])
export type CardStatusError = typeof CardStatusError.Type

/**
 * The failures of `manageAllCards`.
 *
 * @category errors
 * @since 0.1.0
 */
export const ManageAllCardsError = Schema.Union([ValidationError, CustomerNotFound, StoreError])
export type ManageAllCardsError = typeof ManageAllCardsError.Type

/**
 * The failures of `upgradeCard`.
 *
 * @category errors
 * @since 0.1.0
 */
export const UpgradeCardError = Schema.Union([
  ValidationError,
  KitInfoCountOutOfRange,
  DuplicateCardType,
  CardNotFound,
  InvalidStatusTransition,
  CustomerNotFound,
  ProductNotFound,
  TierNotOnLadder,
  TierDowngrade,
  SameProductUpgrade,
  TenantKeyMissing,
  StoreError,
  IdentifiersExhausted
])
export type UpgradeCardError = typeof UpgradeCardError.Type

/**
 * The failures of `cancelCardOrder`.
 *
 * @category errors
 * @since 0.1.0
 */
export const CancelCardOrderError = Schema.Union([
  ValidationError,
  CardOrderNotFound,
  OrderBranchMismatch,
  OrderNotCancellable,
  CardNotFound,
  StoreError
])
export type CancelCardOrderError = typeof CancelCardOrderError.Type

/**
 * The failures of `replaceCard`: seed 003's table (`CardReplacementRefused`), a status the transition
 * table refuses, and the ones outside the table.
 *
 * @category errors
 * @since 0.1.0
 */
export const ReplaceCardError = Schema.Union([
  ValidationError,
  AccountNotFound,
  CardReplacementRefused,
  InvalidStatusTransition,
  ReplacementProductNotFound,
  TenantKeyMissing,
  StoreError,
  IdentifiersExhausted
])
export type ReplaceCardError = typeof ReplaceCardError.Type

/**
 * Every way a Set PIN attempt can fail; each carries the `code` its audit event records.
 *
 * @category errors
 * @since 0.1.0
 */
export const SetPinError = Schema.Union([
  ValidationError,
  CardNotFound,
  InvalidCardStatusForPin,
  ExpiryDateMismatch,
  TenantKeyMissing,
  UnknownKeyId,
  CiphertextRejected,
  InvalidPinBlock,
  TrivialPinRefused,
  StoreError
])
export type SetPinError = typeof SetPinError.Type

/**
 * The failures of `verifyPin`; each carries the `code` its audit event records.
 *
 * @category errors
 * @since 0.1.0
 */
export const VerifyPinError = Schema.Union([
  ValidationError,
  InvalidCardStatusForPin,
  PinTriesExceeded,
  TenantKeyMissing,
  UnknownKeyId,
  CiphertextRejected,
  StoreError
])
export type VerifyPinError = typeof VerifyPinError.Type

/**
 * The failures of `updateToken`.
 *
 * @category errors
 * @since 0.1.0
 */
export const UpdateTokenError = Schema.Union([
  ValidationError,
  TokenNotFound,
  TokenNotUpdatable,
  AccountRangeMismatch,
  CardholderHasSeveralPans,
  TenantKeyMissing,
  UnknownKeyId,
  CiphertextRejected,
  StoreError
])
export type UpdateTokenError = typeof UpdateTokenError.Type

const useCaseErrors = [
  CardStatusError,
  ManageAllCardsError,
  UpgradeCardError,
  CancelCardOrderError,
  ReplaceCardError,
  SetPinError,
  VerifyPinError,
  UpdateTokenError
] as const

type Member = (typeof useCaseErrors)[number]["members"][number]

/**
 * Every failure of every use case: the members of the unions above, each once, in the order they
 * first appear.
 *
 * @category errors
 * @since 0.1.0
 */
export const DomainError = Schema.Union(
  Array.from(new Set<Member>(useCaseErrors.flatMap((union): ReadonlyArray<Member> => union.members)))
)
export type DomainError = typeof DomainError.Type
