/**
 * `card-lifecycle/memory`: every port in memory, seeded from one typed fixture. The embedded default,
 * and what the tests run on.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import type { ValidationError } from "../../domain/Validation.js"
import type { AuditLog } from "../../ports/AuditLog.js"
import type { CardIssuer } from "../../ports/CardIssuer.js"
import type { CardRepository } from "../../ports/CardRepository.js"
import type { CustomerRepository } from "../../ports/CustomerRepository.js"
import type { TenantKeys } from "../../ports/TenantKeys.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { Transactor } from "../../ports/Transactor.js"
import { MemoryAuditLog } from "./MemoryAuditLog.js"
import { MemoryCardIssuer } from "./MemoryCardIssuer.js"
import { MemoryCardRepository } from "./MemoryCardRepository.js"
import { MemoryCustomerRepository } from "./MemoryCustomerRepository.js"
import { MemoryDatabase, type MemoryOptions } from "./MemoryDatabase.js"
import { type MemoryFixture, tablesFromFixture } from "./MemoryFixture.js"
import { MemoryTenantKeys, MemoryTenantPolicy } from "./MemoryTenantSettings.js"
import { MemoryTransactor } from "./MemoryTransactor.js"

export { MemoryAuditLog } from "./MemoryAuditLog.js"
export { MemoryCardIssuer } from "./MemoryCardIssuer.js"
export { MemoryCardRepository } from "./MemoryCardRepository.js"
export { MemoryCustomerRepository } from "./MemoryCustomerRepository.js"
export { type FaultPlan, MemoryDatabase, type MemoryOptions, type Tables } from "./MemoryDatabase.js"
export { MemoryFixture, tablesFromFixture } from "./MemoryFixture.js"
export { MemoryTenantKeys, MemoryTenantPolicy } from "./MemoryTenantSettings.js"
export { MemoryTransactor } from "./MemoryTransactor.js"

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
    MemoryCardIssuer
  ).pipe(
    Layer.provideMerge(
      Layer.unwrap(Effect.map(tablesFromFixture(fixture), (tables) => MemoryDatabase.layer(tables, options)))
    )
  )
