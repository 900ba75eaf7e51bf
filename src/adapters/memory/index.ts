/**
 * `card-lifecycle/memory`: every port in memory, seeded from one typed fixture. The embedded default,
 * and what the tests run on.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Result } from "effect"
import type { ValidationError } from "../../domain/ground/Validation.js"
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
import { type MemoryState, MemoryStateLive } from "./MemoryState.js"
import { MemoryTenantKeys, MemoryTenantPolicy } from "./MemoryTenantSettings.js"
import { MemoryTokenRepository } from "./MemoryTokenRepository.js"
import { MemoryTransactor } from "./MemoryTransactor.js"
import { MemoryWalletNotifier } from "./MemoryWalletNotifier.js"

// The layer, its fixture and options, and what a host reads of the state besides the ports. The
// database's own machinery (its tables, log and transactions) stays inside: a host reads and writes
// through the ports, which keep tenants apart and every write inside `Transactor`.
export {
  type AccountFixture,
  type CardFixture,
  type CustomerFixture,
  cardFixture,
  customerFixture,
  defaultBin,
  defaultCatalog,
  defaultTierLadder,
  fixture,
  type ProductFixture,
  panForSerial,
  randomKeyHex,
  type TenantFixture,
  tenantFixture
} from "./FixtureBuilder.js"
export type { FaultPlan, MemoryOptions, WalletNotification } from "./MemoryDatabase.js"
export { MemoryFixture } from "./MemoryFixture.js"
export { type MemorySnapshot, MemoryState, type TenantSnapshot } from "./MemoryState.js"
export { TokenFixture } from "./MemoryTokenFixture.js"

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
 * All ports, and `MemoryState`, over a memory database seeded from `fixture`. The fixture is decoded
 * here, once: the layer keeps the decoded rows (PANs `Redacted`), not the fixture, and each build
 * of the layer starts a fresh database from a copy of them. A fixture that does not decode fails
 * the layer's build with its `ValidationError`.
 *
 * @category layers
 */
export const layer = (
  fixture: MemoryFixture = { tenants: {} },
  options?: MemoryOptions
): Layer.Layer<MemoryPorts | MemoryState, ValidationError> => {
  const seed = Effect.runSync(Effect.result(tablesFromFixture(fixture)))
  const database = Result.isSuccess(seed)
    ? MemoryDatabase.layer(seed.success, options)
    : Layer.effect(MemoryDatabase, Effect.fail(seed.failure))
  return Layer.mergeAll(
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
    MemoryPinStore,
    MemoryStateLive
  ).pipe(Layer.provide(database))
}
