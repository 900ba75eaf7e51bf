/**
 * `card-lifecycle/postgres` (in progress, not yet an entry of the package): the ports on PostgreSQL
 * through `effect/sql` and `@effect/sql-pg`.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { PgAccountRanges } from "./PgAccountRanges.js"
import { PgAuditLog } from "./PgAuditLog.js"
import { PgCardIssuer } from "./PgCardIssuer.js"
import { PgCardOrderRepository } from "./PgCardOrderRepository.js"
import { PgCardRepository } from "./PgCardRepository.js"
import { PgCustomerRepository } from "./PgCustomerRepository.js"
import { PgPinStore } from "./PgPinStore.js"
import { PgProductCatalog } from "./PgProductCatalog.js"
import { PgTenantPolicy } from "./PgTenantPolicy.js"
import { PgTokenRepository } from "./PgTokenRepository.js"
import { PgTransactor } from "./PgTransactor.js"
import { PgWalletNotifier } from "./PgWalletNotifier.js"

export { migrate, migrations } from "./Migrations.js"
export { saveAccountRanges } from "./PgAccountRanges.js"
export { type PgWalletNotification, walletNotificationsOf } from "./PgWalletNotifier.js"
export { seedFromFixture } from "./Seed.js"

/**
 * The ports built so far, over the `SqlClient` a host provides (`PgClient.layer`); the card issuer
 * also needs the `SecurityModule` (it knows PANs by their keyed hash).
 *
 * @category layers
 */
export const ports = Layer.mergeAll(
  PgCardRepository,
  PgCustomerRepository,
  PgAuditLog,
  PgPinStore,
  PgTenantPolicy,
  PgTransactor,
  PgTokenRepository,
  PgAccountRanges,
  PgWalletNotifier,
  PgCardIssuer,
  PgCardOrderRepository,
  PgProductCatalog
)
