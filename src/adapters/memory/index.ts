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
import type { EventOutbox } from "../../ports/EventOutbox.js"
import type { IdempotencyStore } from "../../ports/IdempotencyStore.js"
import type { PinStore } from "../../ports/PinStore.js"
import type { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { InvalidKeyConfiguration, SecurityModule } from "../../ports/SecurityModule.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { TokenRepository } from "../../ports/TokenRepository.js"
import type { Transactor } from "../../ports/Transactor.js"
import * as NobleSecurityModule from "../noble/NobleSecurityModule.js"
import { MemoryAccountRanges } from "./MemoryAccountRanges.js"
import { MemoryAuditLog } from "./MemoryAuditLog.js"
import { MemoryCardIssuer } from "./MemoryCardIssuer.js"
import { MemoryCardOrderRepository } from "./MemoryCardOrderRepository.js"
import { MemoryCardRepository } from "./MemoryCardRepository.js"
import { MemoryCustomerRepository } from "./MemoryCustomerRepository.js"
import { MemoryDatabase, type MemoryOptions } from "./MemoryDatabase.js"
import { MemoryEventOutbox } from "./MemoryEventOutbox.js"
import { type MemoryFixture, seedFromFixture } from "./MemoryFixture.js"
import { MemoryIdempotencyStore } from "./MemoryIdempotencyStore.js"
import { MemoryPinStore } from "./MemoryPinStore.js"
import { MemoryProductCatalog } from "./MemoryProductCatalog.js"
import { type MemoryState, MemoryStateLive } from "./MemoryState.js"
import { MemoryTenantPolicy } from "./MemoryTenantPolicy.js"
import { MemoryTokenRepository } from "./MemoryTokenRepository.js"
import { MemoryTransactor } from "./MemoryTransactor.js"

export { DEFAULT_KEYS_VARIABLE, keyConfigurationConfig } from "../keys/KeyConfigurationConfig.js"
/**
 * The portable security module (`@noble/*`, no `node:*`): `layer(keys)` over a `KeyConfiguration`,
 * `layerConfig(name)` over the one read from Effect's `Config`, `fromKeyRing` over a checked ring.
 * What `layer` below provides, built from the fixture's keys; usable alone beside any other adapter.
 *
 * @category layers
 */
export * as NobleSecurityModule from "../noble/NobleSecurityModule.js"
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
export type { FaultPlan, MemoryOptions } from "./MemoryDatabase.js"
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
  | SecurityModule
  | TenantPolicy
  | CardIssuer
  | ProductCatalog
  | CardOrderRepository
  | TokenRepository
  | AccountRanges
  | PinStore
  | IdempotencyStore
  | EventOutbox

/**
 * All ports, and `MemoryState`, over a memory database seeded from `fixture`; the `SecurityModule` is
 * the portable one (`NobleSecurityModule`) over the fixture's keys. The fixture is decoded here, once:
 * the layer keeps the decoded rows (PANs protected, keys `Redacted`), not the fixture, and each build of the
 * layer starts a fresh database from a copy of them and a fresh module. A fixture that does not decode
 * fails the layer's build with its `ValidationError`; keys that break the rules across tenants and
 * purposes (an id twice, the same key bytes twice) with `InvalidKeyConfiguration`. No table holds a
 * clear PAN: the fixture's cards are stored with their PAN encrypted, masked and hashed under the
 * tenant's `panStore` and `cardNumber` keys (required of a tenant with cards).
 *
 * @category layers
 */
export const layer = (
  fixture: MemoryFixture = { tenants: {} },
  options?: MemoryOptions
): Layer.Layer<MemoryPorts | MemoryState, ValidationError | InvalidKeyConfiguration> => {
  const seed = Effect.runSync(Effect.result(seedFromFixture(fixture)))
  const database = Result.isSuccess(seed)
    ? MemoryDatabase.layer(seed.success.tables, options)
    : Layer.effect(MemoryDatabase, Effect.fail(seed.failure))
  // the issuer knows a PAN taken by its keyed hash: it asks the same module as the use cases
  const security = NobleSecurityModule.layer(Result.isSuccess(seed) ? seed.success.keys : {})
  return Layer.mergeAll(
    MemoryCardRepository,
    MemoryCustomerRepository,
    MemoryAuditLog,
    MemoryTransactor,
    MemoryTenantPolicy,
    MemoryCardIssuer,
    MemoryProductCatalog,
    MemoryCardOrderRepository,
    MemoryTokenRepository,
    MemoryAccountRanges,
    MemoryPinStore,
    MemoryIdempotencyStore,
    MemoryEventOutbox,
    MemoryStateLive
  ).pipe(Layer.provide(database), Layer.provideMerge(security))
}
