/**
 * `TenantPolicy` on PostgreSQL: a tenant's row of `policies`, or the default policy.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { defaultPolicy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { statement } from "./Store.js"

interface PolicyRow {
  readonly migration_in_transition: boolean
  readonly allow_trivial_pins: boolean
  readonly pin_try_limit: number
  readonly idempotency_retention_hours: number
}

/**
 * @category layers
 */
export const PgTenantPolicy = Layer.effect(
  TenantPolicy,
  Effect.map(SqlClient.SqlClient, (sql) =>
    TenantPolicy.of({
      policyOf: (tenant) =>
        sql<PolicyRow>`SELECT migration_in_transition, allow_trivial_pins, pin_try_limit, idempotency_retention_hours
          FROM policies
          WHERE tenant = ${tenant}`.pipe(
          Effect.map(([row]) =>
            row === undefined
              ? defaultPolicy
              : {
                  migrationInTransition: row.migration_in_transition,
                  allowTrivialPins: row.allow_trivial_pins,
                  pinTryLimit: row.pin_try_limit,
                  idempotencyRetentionHours: row.idempotency_retention_hours
                }
          ),
          statement("TenantPolicy.policyOf")
        )
    })
  )
)
