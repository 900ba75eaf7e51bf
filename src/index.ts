/**
 * card-lifecycle: the domain core of a card-issuing platform, as Effect programs over ports.
 * Adapters have their own entry points (`card-lifecycle/memory`).
 *
 * @since 0.1.0
 */

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
  hmacSha256Hex,
  InvalidKey,
  InvalidPinBlock,
  InvalidPinInput,
  InvalidRandomSource,
  isTrivialPin,
  macHexEquals,
  type PinBlockFormat,
  type RandomSource,
  type Secret
} from "./crypto/index.js"
export {
  applyOperation,
  type Card,
  CardNotFound,
  CardType,
  changeStatus,
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
export { encryptedCardNumber } from "./domain/card/EncryptedCardNumber.js"
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
  errorRow,
  errorTable,
  errorTableMarkdown,
  httpStatusOf,
  kindStatus,
  ModelError
} from "./domain/ErrorModel.js"
export type { AuditEvent, ChangeContext } from "./domain/ground/AuditEvent.js"
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
export {
  luhnCheckDigit,
  luhnValid,
  type MaskedPan,
  makePan,
  maskPan,
  type Pan,
  PanDigits,
  PanFromString
} from "./domain/ground/Pan.js"
export { DuplicateKey, IdentifiersExhausted, StoreError, UniqueKey } from "./domain/ground/StoreError.js"
export {
  boundedArray,
  boundedStruct,
  type FieldIssue,
  MAX_KEYS,
  MAX_REPORTED_ISSUES,
  ValidationError,
  validationError
} from "./domain/ground/Validation.js"
export {
  BranchId,
  type CardOrder,
  CardOrderNotFound,
  cancelOrder,
  DeliveryAddress,
  OrderBranchMismatch,
  OrderId,
  OrderNotCancellable,
  OrderStatus,
  orderIdFor
} from "./domain/kit/CardOrder.js"
export {
  type CancelCardOrderPorts,
  CancelCardOrderRequest,
  type CancelCardOrderResult,
  cancelCardOrder
} from "./domain/kit/cancelCardOrder.js"
export {
  BulkOperation,
  type BulkPlan,
  type ManageAllCardsPorts,
  ManageAllCardsRequest,
  type ManageAllCardsResult,
  manageAllCards,
  planBulkOperation,
  type SkippedCard
} from "./domain/kit/manageAllCards.js"
export {
  checkKitInfo,
  chooseProducts,
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
export { type PinVerifier, pinVerifier, verifierMatches } from "./domain/pin/PinVerifier.js"
export {
  cardExpiryMmyy,
  checkCardForPin,
  ExpiryDateMismatch,
  InvalidCardStatusForPin,
  pinSettableStatuses,
  SET_PIN,
  setPinEvent,
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
export { PinFromString, VerifyPinRequest, verifyPin } from "./domain/pin/verifyPin.js"
export {
  Bin,
  expiryDate,
  findProduct,
  PlasticCode,
  Product,
  ProductNotFound,
  type ProductVariant,
  type TierLadder,
  TierNotOnLadder,
  TierType,
  tierRank
} from "./domain/product/Product.js"
export {
  checkReplacement,
  type Replacement,
  type ReplacementCheck,
  type ReplacementCheckError,
  type ReplacementFacts,
  type ReplacementIdentity,
  ReplacementProductNotFound,
  ReplacementStatus,
  replace,
  replacementChecks,
  replacementProduct,
  replaceOperation
} from "./domain/replacement/CardReplacement.js"
export {
  CardReplacementRefused,
  type ErrorTableRow,
  ReplacementRefusal,
  replacementErrorTable
} from "./domain/replacement/ReplacementErrorTable.js"
export {
  hasReplacementSlot,
  maxReplacementsPerWindow,
  replacementsInWindow,
  replacementWindowStart,
  replacementWindowStartMillis
} from "./domain/replacement/ReplacementLimit.js"
export {
  type ReplaceCardPorts,
  ReplaceCardRequest,
  type ReplaceCardResult,
  replaceCard
} from "./domain/replacement/replaceCard.js"
export {
  type AccountPan,
  AccountPanDigits,
  AccountPanFromString,
  makeAccountPan,
  maskAccountPan,
  maskAccountPans
} from "./domain/token/AccountPan.js"
export { AccountRange, accountRangeContains, accountRangesOverlap } from "./domain/token/AccountRange.js"
export {
  AccountPanSequenceNumber,
  type AuditInfo,
  CardholderId,
  ExpirationDate,
  isUpdatable,
  ProductConfigurationId,
  type Token,
  type TokenComment,
  type TokenDevice,
  type TokenProvisioning,
  TokenStatus,
  TokenUniqueReference,
  type TokenWallet,
  tokenStatusDescription
} from "./domain/token/Token.js"
export {
  AccountRangeMismatch,
  CardholderHasSeveralPans,
  TokenNotFound,
  TokenNotUpdatable
} from "./domain/token/TokenErrors.js"
export {
  type TokenObject,
  type TokenResponse,
  type TokensUpdatedResponse,
  toTokenObject,
  type UpdateTokenResult
} from "./domain/token/TokenResponse.js"
export {
  type NewAccountPanFacts,
  noNewAccountPan,
  planTokenUpdate,
  type SkippedToken,
  type TokenUpdatePlan,
  UPDATE_TOKEN
} from "./domain/token/TokenUpdate.js"
export {
  AuditInfoSchema,
  CommentText,
  crossFieldIssues,
  decodeTokenUpdate,
  type TokenChange,
  type TokenSelector,
  type TokenUpdateCommand,
  UpdateTokenRequest,
  WalletProviderIndicator
} from "./domain/token/TokenUpdateRequest.js"
export { type UpdateTokenPorts, updateToken } from "./domain/token/updateToken.js"
export { AccountRanges } from "./ports/AccountRanges.js"
export { AuditLog } from "./ports/AuditLog.js"
export { CardIssuer, type IssuedIdentity } from "./ports/CardIssuer.js"
export { CardOrderRepository } from "./ports/CardOrderRepository.js"
export { CardRepository } from "./ports/CardRepository.js"
export { CustomerRepository } from "./ports/CustomerRepository.js"
export { PinStore } from "./ports/PinStore.js"
export { ProductCatalog } from "./ports/ProductCatalog.js"
export { KeyPurpose, TenantKeyMissing, TenantKeys } from "./ports/TenantKeys.js"
export { defaultPolicy, type Policy, TenantPolicy } from "./ports/TenantPolicy.js"
export { TokenRepository } from "./ports/TokenRepository.js"
export { Transactor } from "./ports/Transactor.js"
export { WalletNotifier } from "./ports/WalletNotifier.js"
