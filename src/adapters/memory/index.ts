/**
 * `card-lifecycle/memory`: every port in memory, seeded from one typed fixture. The embedded default,
 * and what the tests run on.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import type { ValidationError } from "../../domain/Validation.js"
import type { AccountRanges } from "../../ports/AccountRanges.js"
import type { AuditLog } from "../../ports/AuditLog.js"
import type { CardIssuer } from "../../ports/CardIssuer.js"
import type { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import type { CardRepository } from "../../ports/CardRepository.js"
import type { CustomerRepository } from "../../ports/CustomerRepository.js"
import type { PinStore } from "../../ports/PinStore.js"
import type { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { TenantKeys } from "../../ports/TenantKeys.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { TokenRepository } from "../../ports/TokenRepository.js"
import type { Transactor } from "../../ports/Transactor.js"
import type { WalletNotifier } from "../../ports/WalletNotifier.js"
import { MemoryAccountRanges } from "./MemoryAccountRanges.js"
import { MemoryAuditLog } from "./MemoryAuditLog.js"
import { MemoryCardIssuer } from "./MemoryCardIssuer.js"
import { MemoryCardOrderRepository } from "./MemoryCardOrderRepository.js"
import { MemoryCardRepository } from "./MemoryCardRepository.js"
import { MemoryCustomerRepository } from "./MemoryCustomerRepository.js"
import { MemoryDatabase, type MemoryOptions } from "./MemoryDatabase.js"
import { type MemoryFixture, tablesFromFixture } from "./MemoryFixture.js"
import { MemoryPinStore } from "./MemoryPinStore.js"
import { MemoryProductCatalog } from "./MemoryProductCatalog.js"
import { MemoryTenantKeys, MemoryTenantPolicy } from "./MemoryTenantSettings.js"
import { MemoryTokenRepository } from "./MemoryTokenRepository.js"
import { MemoryTransactor } from "./MemoryTransactor.js"
import { MemoryWalletNotifier } from "./MemoryWalletNotifier.js"

export * as Log from "./Log.js"
export { MemoryAccountRanges } from "./MemoryAccountRanges.js"
export { MemoryAuditLog } from "./MemoryAuditLog.js"
export { MemoryCardIssuer } from "./MemoryCardIssuer.js"
export { MemoryCardOrderRepository } from "./MemoryCardOrderRepository.js"
export { MemoryCardRepository } from "./MemoryCardRepository.js"
export { MemoryCustomerRepository } from "./MemoryCustomerRepository.js"
// `MemoryDatabase`, `Table` and `Log` are for tests and diagnostics (snapshots, fault plans): a host reads and
// writes through the ports, which keep tenants apart and every write inside `Transactor`.
export { type FaultPlan, MemoryDatabase, type MemoryOptions, type Tables } from "./MemoryDatabase.js"
export { MemoryFixture, tablesFromFixture } from "./MemoryFixture.js"
export { MemoryPinStore } from "./MemoryPinStore.js"
export { MemoryProductCatalog } from "./MemoryProductCatalog.js"
export { MemoryTenantKeys, MemoryTenantPolicy } from "./MemoryTenantSettings.js"
export { TokenFixture } from "./MemoryTokenFixture.js"
export { MemoryTokenRepository } from "./MemoryTokenRepository.js"
export { MemoryTransactor } from "./MemoryTransactor.js"
export {
  MemoryWalletNotifier,
  type WalletNotification,
  walletNotificationsOf
} from "./MemoryWalletNotifier.js"
export * as Table from "./Table.js"

/**
 * Every port this adapter provides.
 *
 * @category models
 */
export type MemoryPorts =
  | CardRepository
  | CustomerRepository
  | AuditLog
  | Transactor
  | TenantKeys
  | TenantPolicy
  | CardIssuer
  | ProductCatalog
  | CardOrderRepository
  | TokenRepository
  | AccountRanges
  | WalletNotifier
  | PinStore

/**
 * All ports over one fresh memory database seeded from `fixture`. The `MemoryDatabase` is exposed
 * too, for tests that compare whole snapshots.
 *
 * @category layers
 */
export const layer = (
  fixture: MemoryFixture = { tenants: {} },
  options?: MemoryOptions
): Layer.Layer<MemoryPorts | MemoryDatabase, ValidationError> =>
  Layer.mergeAll(
    MemoryCardRepository,
    MemoryCustomerRepository,
    MemoryAuditLog,
    MemoryTransactor,
    MemoryTenantKeys,
    MemoryTenantPolicy,
    MemoryCardIssuer,
    MemoryProductCatalog,
    MemoryCardOrderRepository,
    MemoryTokenRepository,
    MemoryAccountRanges,
    MemoryWalletNotifier,
    MemoryPinStore
  ).pipe(
    Layer.provideMerge(
      Layer.unwrap(Effect.map(tablesFromFixture(fixture), (tables) => MemoryDatabase.layer(tables, options)))
    )
  )
