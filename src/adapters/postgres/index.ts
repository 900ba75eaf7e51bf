/**
 * `card-lifecycle/postgres`: every port on PostgreSQL through `effect/sql` and `@effect/sql-pg`
 * (docs/adapters.md). Several service instances may share one database: decisions lock their rows.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { type Config, Effect, Layer, Redacted } from "effect"
import type { Migrator, SqlClient, SqlError } from "effect/sql"
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
import type { SecurityModule } from "../../ports/SecurityModule.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { TokenRepository } from "../../ports/TokenRepository.js"
import type { Transactor } from "../../ports/Transactor.js"
import { migrate } from "./Migrations.js"
import { PgAccountRanges } from "./PgAccountRanges.js"
import { PgAuditLog } from "./PgAuditLog.js"
import { PgCardIssuer } from "./PgCardIssuer.js"
import { PgCardOrderRepository } from "./PgCardOrderRepository.js"
import { PgCardRepository } from "./PgCardRepository.js"
import { PgCustomerRepository } from "./PgCustomerRepository.js"
import { PgEventOutbox } from "./PgEventOutbox.js"
import { PgIdempotencyStore } from "./PgIdempotencyStore.js"
import { PgPinStore } from "./PgPinStore.js"
import { PgProductCatalog } from "./PgProductCatalog.js"
import { PgTenantPolicy } from "./PgTenantPolicy.js"
import { PgTokenRepository } from "./PgTokenRepository.js"
import { PgTransactor } from "./PgTransactor.js"

export { migrate, migrations } from "./Migrations.js"
export { saveAccountRanges } from "./PgAccountRanges.js"
export { seedFromFixture } from "./Seed.js"

/**
 * Every port this adapter provides.
 *
 * @category models
 */
export type PostgresPorts =
  | CardRepository
  | CustomerRepository
  | AuditLog
  | Transactor
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
 * The ports over the `SqlClient` a host provides; the card issuer also needs the `SecurityModule`
 * (it knows PANs by their keyed hash only).
 *
 * @category layers
 */
export const ports: Layer.Layer<PostgresPorts, never, SqlClient.SqlClient | SecurityModule> = Layer.mergeAll(
  PgCardRepository,
  PgCustomerRepository,
  PgAuditLog,
  PgPinStore,
  PgIdempotencyStore,
  PgEventOutbox,
  PgTenantPolicy,
  PgTransactor,
  PgTokenRepository,
  PgAccountRanges,
  PgCardIssuer,
  PgCardOrderRepository,
  PgProductCatalog
)

/**
 * @category models
 */
export interface PostgresOptions {
  /** The connection URL (`postgres://user:password@host:5432/db`); `Redacted` keeps the password out of logs. */
  readonly url: string | Redacted.Redacted<string>
  /** The pool's size; 10 when omitted. */
  readonly maxConnections?: number
  /** Runs `migrate` when the layer is built (a second run applies nothing); false when omitted. */
  readonly migrate?: boolean
}

/**
 * Every port on the PostgreSQL database at `url`, through one pool of `@effect/sql-pg`, with the
 * migrations applied first when asked. The host provides the `SecurityModule` (the portable one of
 * card-lifecycle/memory, card-lifecycle/node's, or its HSM's).
 *
 * @category layers
 */
export const layer = (
  options: PostgresOptions
): Layer.Layer<
  PostgresPorts | SqlClient.SqlClient,
  SqlError.SqlError | Migrator.MigrationError | Config.ConfigError,
  SecurityModule
> => {
  const client = PgClient.layer({
    url: typeof options.url === "string" ? Redacted.make(options.url) : options.url,
    maxConnections: options.maxConnections ?? 10
  })
  const migrated =
    options.migrate === true
      ? Layer.effectDiscard(Effect.asVoid(migrate)).pipe(Layer.provideMerge(client))
      : client
  return ports.pipe(Layer.provideMerge(migrated))
}
