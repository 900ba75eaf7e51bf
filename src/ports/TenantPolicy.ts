import { Context, type Effect } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * A tenant's configuration switches.
 *
 * @category models
 * @since 0.1.0
 */
export interface Policy {
  /** Seed 003: an initial data migration is in progress; ghost and unregistered accounts may replace cards. */
  readonly migrationInTransition: boolean
  /** DOMAIN.md §6: PINs of one repeated digit or a straight run are accepted. */
  readonly allowTrivialPins: boolean
}

/**
 * What a tenant that configured nothing gets: the strict settings.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultPolicy: Policy = { migrationInTransition: false, allowTrivialPins: false }

/**
 * @category services
 * @since 0.1.0
 */
export class TenantPolicy extends Context.Service<
  TenantPolicy,
  { readonly policyOf: (tenant: TenantId) => Effect.Effect<Policy, StoreError> }
>()("card-lifecycle/TenantPolicy") {}
