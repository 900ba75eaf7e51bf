/**
 * The outbox of domain events (docs/events.md): every audit event a committed change appends is
 * also pending here, in the same transaction, until a consumer has handled it.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { AuditEvent } from "../domain/ground/AuditEvent.js"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * A pending event: its place in the tenant's sequence, the event, and its delivery so far.
 *
 * @category models
 * @since 0.1.0
 */
export interface PendingEvent {
  /** Increasing within the tenant, in the order the events were appended. */
  readonly sequence: number
  readonly event: AuditEvent
  /** Failed deliveries so far. */
  readonly attempts: number
}

/**
 * @category services
 * @since 0.1.0
 */
export class EventOutbox extends Context.Service<
  EventOutbox,
  {
    /**
     * Leases up to `limit` pending events until `leaseUntil` (epoch ms): for each subject (a card, an
     * order, a token) only its oldest pending event, and only when it is due (`now`) and not leased.
     * Two consumers never lease the same event, and never two events of one subject at once.
     */
    readonly lease: (
      tenant: TenantId,
      now: number,
      leaseUntil: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<PendingEvent>, StoreError>
    /** The events handled: no longer pending. */
    readonly delivered: (
      tenant: TenantId,
      sequences: ReadonlyArray<number>
    ) => Effect.Effect<void, StoreError>
    /** A failed delivery: counted, the lease dropped, due again at `retryAt` (epoch ms). */
    readonly failed: (tenant: TenantId, sequence: number, retryAt: number) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/EventOutbox") {}
