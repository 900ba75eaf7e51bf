import { Context, type Effect, Schema } from "effect"
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
  /**
   * The wrong PINs in a row that block a card's PIN until a new one is set (verifyPin): an integer
   * from 1 to 10 (`PinTryLimit`).
   */
  readonly pinTryLimit: number
  /**
   * How long the answer of a request made under an idempotency key is kept, in hours: an integer
   * from 1 to 720 (`IdempotencyRetentionHours`, docs/idempotency.md).
   */
  readonly idempotencyRetentionHours: number
}

/**
 * A tenant's PIN try limit: an integer from 1 to 10. Three is what issuers and EMV cards commonly
 * allow; more than ten would give a guesser of a 4-digit PIN better than 1 chance in 1 000.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PinTryLimit = Schema.Number.check(
  Schema.makeFilter((n: number) => Number.isInteger(n) && n >= 1 && n <= 10, {
    message: "must be an integer from 1 to 10"
  })
)

/**
 * How long a tenant keeps idempotency keys: an integer from 1 hour to 30 days.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IdempotencyRetentionHours = Schema.Number.check(
  Schema.makeFilter((n: number) => Number.isInteger(n) && n >= 1 && n <= 720, {
    message: "must be an integer from 1 to 720"
  })
)

/**
 * What a tenant that configured nothing gets: the strict settings.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultPolicy: Policy = {
  migrationInTransition: false,
  allowTrivialPins: false,
  pinTryLimit: 3,
  idempotencyRetentionHours: 24
}

/**
 * @category services
 * @since 0.1.0
 */
export class TenantPolicy extends Context.Service<
  TenantPolicy,
  { readonly policyOf: (tenant: TenantId) => Effect.Effect<Policy, StoreError> }
>()("card-lifecycle/TenantPolicy") {}
