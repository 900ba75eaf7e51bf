/**
 * card-lifecycle: the domain core of a card-issuing platform, as Effect programs over ports.
 *
 * What a host uses, and nothing else: the use cases with their request schemas, result types, ports
 * and error unions; every error class and the error model's table; the models and identifiers; the
 * ports; the PIN-block formats and the Set PIN V2 envelope. The rules' internals (the replacement
 * checks, the window arithmetic, event builders, field kernels) stay in their modules. Adapters and
 * test support have their own entry points (`card-lifecycle/memory`, `card-lifecycle/testing`).
 * The surface is recorded in `api/` and checked by `test/api.test.ts`: a change to it is a visible
 * diff.
 *
 * @since 0.1.0
 */

export type { KeyConfiguration, KeyEntry } from "./adapters/keys/KeyConfiguration.js"
export {
  blockFromHex,
  blockToHex,
  type DecryptPinBlockInput,
  decryptPinBlock,
  type EncryptPinBlockInput,
  encryptPinBlock,
  Format0,
  Format1,
  Format3,
  Format4,
  InvalidKey,
  InvalidPinBlock,
  InvalidPinInput,
  InvalidRandomSource,
  isTrivialPin,
  type PinBlockFormat,
  type RandomSource,
  type Secret
} from "./crypto/index.js"
export {
  type Card,
  CardNotFound,
  CardType,
  ExpDate,
  InvalidStatusTransition
} from "./domain/card/Card.js"
export {
  CardOperation,
  CardStatus,
  isAllowed,
  isTerminal,
  LockableStatus,
  mermaidStateDiagram,
  type Target,
  type Transition,
  terminalStatuses,
  transitionTable
} from "./domain/card/CardStatus.js"
export {
  activateCard,
  blockCard,
  type CardStatusPorts,
  CardStatusRequest,
  lockCard,
  type ManagedCard,
  unlockCard
} from "./domain/card/changeCardStatus.js"
export {
  type Account,
  AccountNotFound,
  AccountRegistration,
  AccountStatus,
  type Customer,
  CustomerNotFound
} from "./domain/customer/Customer.js"
export {
  CancelCardOrderError,
  CardStatusError,
  DomainError,
  ManageAllCardsError,
  ReplaceCardError,
  SetPinError,
  UpdateTokenError,
  UpgradeCardError,
  VerifyPinError
} from "./domain/DomainError.js"
export {
  type ErrorCode,
  ErrorKind,
  type ErrorRow,
  errorCodes,
  errorKindOf,
  errorTable,
  httpStatusOf,
  isModelError,
  ModelError
} from "./domain/ErrorModel.js"
export {
  consumeEvents,
  type DeliveryOptions,
  type DeliveryReport,
  type DomainEvent,
  deliverEvents
} from "./domain/events/Events.js"
export type {
  AuditEvent,
  ChangeContext
} from "./domain/ground/AuditEvent.js"
export {
  AccountNo,
  Changer,
  Channel,
  EntityId,
  KitNo,
  MobileNo,
  Reason,
  TenantId
} from "./domain/ground/Identifiers.js"
export { maskCardNumbers } from "./domain/ground/Masking.js"
export {
  luhnValid,
  type MaskedPan,
  makePan,
  maskPan,
  type Pan,
  PanDigits
} from "./domain/ground/Pan.js"
export type { ProtectedPan } from "./domain/ground/ProtectedPan.js"
export {
  DuplicateKey,
  IdentifiersExhausted,
  StoreError,
  UniqueKey
} from "./domain/ground/StoreError.js"
export {
  type FieldIssue,
  ValidationError
} from "./domain/ground/Validation.js"
export {
  type IdempotencyError,
  type IdempotencyPorts,
  sweepIdempotencyKeys,
  withIdempotencyKey
} from "./domain/idempotency/Idempotency.js"
export { IdempotencyKey, IdempotencyKeyReused } from "./domain/idempotency/IdempotencyKey.js"
export {
  BranchId,
  type CardOrder,
  CardOrderNotFound,
  DeliveryAddress,
  OrderBranchMismatch,
  OrderId,
  OrderNotCancellable,
  OrderStatus
} from "./domain/kit/CardOrder.js"
export {
  type CancelCardOrderPorts,
  CancelCardOrderRequest,
  type CancelCardOrderResult,
  cancelCardOrder
} from "./domain/kit/cancelCardOrder.js"
export {
  BulkOperation,
  type ManageAllCardsPorts,
  ManageAllCardsRequest,
  type ManageAllCardsResult,
  manageAllCards,
  type SkippedCard
} from "./domain/kit/manageAllCards.js"
export {
  DuplicateCardType,
  KitInfoCountOutOfRange,
  SameProductUpgrade,
  TierDowngrade,
  type UpgradeRuleError
} from "./domain/kit/UpgradePlan.js"
export {
  KitInfoEntry,
  MAX_KIT_INFO_ENTRIES,
  type UpgradeCardPorts,
  UpgradeCardRequest,
  type UpgradeCardResult,
  type UpgradedKit,
  upgradeCard
} from "./domain/kit/upgradeCard.js"
export {
  ExpiryDateMismatch,
  InvalidCardStatusForPin,
  TrivialPinRefused
} from "./domain/pin/SetPinRules.js"
export {
  ExpiryDateMmyy,
  MAX_PIN_BLOCK_CHARS,
  PinBlockEnvelope,
  type SetPinPorts,
  SetPinRequest,
  type SetPinResult,
  setPin
} from "./domain/pin/setPin.js"
export { type PinAttempts, PinTriesExceeded, VerifyOutcome } from "./domain/pin/VerifyPinRules.js"
export {
  type VerifyPinPorts,
  VerifyPinRequest,
  verifyPin
} from "./domain/pin/verifyPin.js"
export {
  Bin,
  PlasticCode,
  Product,
  ProductNotFound,
  type ProductVariant,
  type TierLadder,
  TierNotOnLadder,
  TierType
} from "./domain/product/Product.js"
export {
  ReplacementProductNotFound,
  ReplacementStatus
} from "./domain/replacement/CardReplacement.js"
export {
  CardReplacementRefused,
  ReplacementRefusal
} from "./domain/replacement/ReplacementErrorTable.js"
export {
  type ReplaceCardPorts,
  ReplaceCardRequest,
  type ReplaceCardResult,
  replaceCard
} from "./domain/replacement/replaceCard.js"
export {
  type AccountPan,
  AccountPanDigits,
  maskAccountPan
} from "./domain/token/AccountPan.js"
export { AccountRange } from "./domain/token/AccountRange.js"
export {
  AccountPanSequenceNumber,
  type AuditInfo,
  CardholderId,
  ExpirationDate,
  ProductConfigurationId,
  type Token,
  type TokenComment,
  type TokenDevice,
  type TokenProvisioning,
  TokenStatus,
  TokenUniqueReference,
  type TokenWallet
} from "./domain/token/Token.js"
export {
  AccountRangeMismatch,
  CardholderHasSeveralPans,
  TokenNotFound,
  TokenNotUpdatable
} from "./domain/token/TokenErrors.js"
export type {
  TokenObject,
  TokenResponse,
  TokensUpdatedResponse,
  UpdateTokenResult
} from "./domain/token/TokenResponse.js"
export type { SkippedToken } from "./domain/token/TokenUpdate.js"
export {
  CommentText,
  UpdateTokenRequest,
  WalletProviderIndicator
} from "./domain/token/TokenUpdateRequest.js"
export {
  type UpdateTokenPorts,
  updateToken
} from "./domain/token/updateToken.js"
export {
  type CallOptions,
  type CardLifecycle,
  type CardLifecyclePorts,
  createCardLifecycle
} from "./facade/CardLifecycle.js"
export { AccountRanges } from "./ports/AccountRanges.js"
export { AuditLog } from "./ports/AuditLog.js"
export {
  CardIssuer,
  type IssuedIdentity
} from "./ports/CardIssuer.js"
export { CardOrderRepository } from "./ports/CardOrderRepository.js"
export { CardRepository } from "./ports/CardRepository.js"
export { CustomerRepository } from "./ports/CustomerRepository.js"
export { EventOutbox, type PendingEvent } from "./ports/EventOutbox.js"
export {
  type IdempotencyClaim,
  type IdempotencyRecord,
  IdempotencyStore,
  type StoredAnswer
} from "./ports/IdempotencyStore.js"
export { type PinRecord, PinStore } from "./ports/PinStore.js"
export { ProductCatalog } from "./ports/ProductCatalog.js"
export {
  CiphertextRejected,
  type EncryptedPan,
  type EnvelopeVerifier,
  InvalidKeyConfiguration,
  type KeyFailure,
  KeyId,
  KeyPurpose,
  type PinHolder,
  REQUEST_FINGERPRINT_PREFIX,
  type RequestFingerprint,
  SecurityModule,
  type StoredPinHolder,
  type StoredVerifier,
  TenantKeyMissing,
  UnknownKeyId
} from "./ports/SecurityModule.js"
export {
  defaultPolicy,
  IdempotencyRetentionHours,
  PinTryLimit,
  type Policy,
  TenantPolicy
} from "./ports/TenantPolicy.js"
export { TokenRepository } from "./ports/TokenRepository.js"
export { Transactor } from "./ports/Transactor.js"
