/**
 * card-lifecycle: the domain core of a card-issuing platform, as Effect programs over ports.
 * Adapters have their own entry points (`card-lifecycle/memory`).
 *
 * @since 0.1.0
 */

export type { AuditEvent, ChangeContext } from "./domain/audit/AuditEvent.js"
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
  luhnCheckDigit,
  luhnValid,
  type MaskedPan,
  makePan,
  maskPan,
  type Pan,
  PanDigits,
  PanFromString
} from "./domain/card/Pan.js"
export {
  activateCard,
  blockCard,
  type CardStatusError,
  type CardStatusPorts,
  CardStatusRequest,
  lockCard,
  type ManagedCard,
  unlockCard
} from "./domain/changeCardStatus.js"
export { type Account, type Customer, CustomerNotFound } from "./domain/customer/Customer.js"
export {
  AccountNo,
  Changer,
  Channel,
  EntityId,
  KitNo,
  MobileNo,
  Reason,
  TenantId
} from "./domain/Identifiers.js"
export { StoreError } from "./domain/StoreError.js"
export { type FieldIssue, ValidationError } from "./domain/Validation.js"
export { AuditLog } from "./ports/AuditLog.js"
export { CardIssuer, type IssuedIdentity } from "./ports/CardIssuer.js"
export { CardRepository } from "./ports/CardRepository.js"
export { CustomerRepository } from "./ports/CustomerRepository.js"
export { KeyPurpose, TenantKeyMissing, TenantKeys } from "./ports/TenantKeys.js"
export { defaultPolicy, type Policy, TenantPolicy } from "./ports/TenantPolicy.js"
export { Transactor } from "./ports/Transactor.js"
