import { Context, type Effect } from "effect"
import type { AuditEvent } from "../domain/ground/AuditEvent.js"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * The append-only audit trail of a tenant.
 *
 * @category services
 * @since 0.1.0
 */
export class AuditLog extends Context.Service<
  AuditLog,
  {
    /** Appends the events, in order, in one write. */
    readonly append: (tenant: TenantId, events: ReadonlyArray<AuditEvent>) => Effect.Effect<void, StoreError>
    /** The events about one subject (a kitNo, an orderId…), oldest first. */
    readonly findBySubject: (
      tenant: TenantId,
      subject: string
    ) => Effect.Effect<ReadonlyArray<AuditEvent>, StoreError>
  }
>()("card-lifecycle/AuditLog") {}
