/**
 * Delivering the outbox's events to a host's handler (docs/events.md): at least once, in order per
 * subject (a card, an order, a token), a failing event retried with backoff without holding back the
 * other subjects.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Schedule, Schema } from "effect"
import { EventOutbox, type PendingEvent } from "../../ports/EventOutbox.js"
import type { AuditEvent } from "../ground/AuditEvent.js"
import type { TenantId } from "../ground/Identifiers.js"
import type { StoreError } from "../ground/StoreError.js"
import { decodeTenantRequest, type ValidationError } from "../ground/Validation.js"

/**
 * An event as a handler gets it: the tenant, its sequence in the tenant, the event (the audit
 * event's fields: `at`, `action`, `subject`, `outcome`, the masked `cardNumber`, statuses, `changer`,
 * `channel`, `reason`), and how many deliveries failed before.
 *
 * @category models
 * @since 0.1.0
 */
export interface DomainEvent {
  readonly tenant: TenantId
  readonly sequence: number
  readonly event: AuditEvent
  readonly attempts: number
}

/**
 * How a delivery pass runs.
 *
 * @category models
 * @since 0.1.0
 */
export interface DeliveryOptions {
  /** Events leased per pass; 100 when omitted. */
  readonly batchSize?: number
  /** How long a pass may hold its events before another consumer may take them; 30 seconds when omitted. */
  readonly lease?: Duration.Input
  /** The wait before the first retry of a failed event, doubled at each failure; 1 second when omitted. */
  readonly retryBase?: Duration.Input
  /** The longest wait between retries; 5 minutes when omitted. */
  readonly retryMax?: Duration.Input
}

/**
 * What one pass did.
 *
 * @category models
 * @since 0.1.0
 */
export interface DeliveryReport {
  readonly delivered: number
  readonly failed: number
}

const decodeTenant = decodeTenantRequest(Schema.Struct({}))

const millis = (input: Duration.Input | undefined, fallback: number) =>
  input === undefined ? fallback : Duration.toMillis(Duration.fromInputUnsafe(input))

/**
 * One pass: leases the due events (the oldest pending one of each subject), runs `handler` on each,
 * the subjects side by side, and marks each event delivered once its handler succeeded, or failed
 * (due again after a backoff) if it failed. An event whose pass dies before it is marked stays
 * pending and is leased again once its lease ends: at least once.
 *
 * @category use cases
 * @since 0.1.0
 */
export const deliverEvents = <E, R>(
  tenant: string,
  handler: (event: DomainEvent) => Effect.Effect<void, E, R>,
  options: DeliveryOptions = {}
): Effect.Effect<DeliveryReport, ValidationError | StoreError, R | EventOutbox> =>
  Effect.gen(function* () {
    const { tenant: tenantId } = yield* decodeTenant(tenant, {})
    const outbox = yield* EventOutbox
    const now = yield* Clock.currentTimeMillis
    const leased = yield* outbox.lease(
      tenantId,
      now,
      now + millis(options.lease, 30_000),
      options.batchSize ?? 100
    )
    const base = millis(options.retryBase, 1_000)
    const max = millis(options.retryMax, 300_000)
    const outcomes = yield* Effect.forEach(
      leased,
      (pending: PendingEvent) =>
        Effect.exit(handler({ tenant: tenantId, ...pending })).pipe(
          Effect.flatMap((exit) =>
            exit._tag === "Success"
              ? Effect.succeed(pending.sequence)
              : Effect.flatMap(Clock.currentTimeMillis, (at) =>
                  Effect.as(
                    outbox.failed(
                      tenantId,
                      pending.sequence,
                      at + Math.min(max, base * 2 ** pending.attempts)
                    ),
                    undefined
                  )
                )
          )
        ),
      { concurrency: "unbounded" }
    )
    const delivered = outcomes.filter((sequence): sequence is number => sequence !== undefined)
    // Stryker disable next-line ConditionalExpression,EqualityOperator: marking no event delivered changes nothing; the test only saves the store a round trip
    if (delivered.length > 0) yield* outbox.delivered(tenantId, delivered)
    return { delivered: delivered.length, failed: leased.length - delivered.length }
  })

/**
 * `deliverEvents` again and again, `every` apart (one second when omitted), until interrupted: the
 * consumer a host forks. Several consumers, in one process or many, share a tenant's events.
 *
 * @category use cases
 * @since 0.1.0
 */
export const consumeEvents = <E, R>(
  tenant: string,
  handler: (event: DomainEvent) => Effect.Effect<void, E, R>,
  options: DeliveryOptions & { readonly every?: Duration.Input } = {}
): Effect.Effect<never, ValidationError | StoreError, R | EventOutbox> =>
  deliverEvents(tenant, handler, options).pipe(
    Effect.repeat(Schedule.spaced(options.every ?? "1 second")),
    Effect.andThen(Effect.never)
  )
