/**
 * The audit trail: who changed what, through which channel, why and when. Only masked PANs.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"
import type { Channel } from "./Identifiers.js"
import type { MaskedPan } from "./Pan.js"

/**
 * One recorded change (or attempt). The tenant is the log's partition, not a field.
 *
 * @category models
 */
export interface AuditEvent {
  /** ISO-8601 UTC instant, from `Clock`. */
  readonly at: string
  /** The operation: a `CardOperation`, or a use case's own name (`SET_PIN`, `UPDATE_TOKEN`…). */
  readonly action: string
  /** What the event is about: a kitNo, an orderId, a tokenUniqueReference. */
  readonly subject: string
  /** `OK`, or the `code` of the error that refused the attempt. */
  readonly outcome: string
  readonly cardNumber?: MaskedPan
  readonly previousStatus?: string
  readonly currentStatus?: string
  readonly changer?: string
  readonly channel?: Channel
  readonly reason?: string
}

/**
 * Who, through which channel and why: the part of an event the caller supplies.
 *
 * @category models
 */
export interface ChangeContext {
  readonly at: string
  readonly changer?: string | undefined
  readonly channel?: Channel | undefined
  readonly reason?: string | undefined
}

/**
 * The caller-supplied fields of an event, writable.
 *
 * @category models
 */
export type ContextFields = { -readonly [K in "changer" | "channel" | "reason"]?: AuditEvent[K] }

/**
 * Sets on `event` the caller-supplied fields that are present (exact optional properties: absent,
 * never `undefined`), in place and without intermediate objects: a bulk call makes one event per card.
 *
 * @category constructors
 */
export const withContext = <E extends ContextFields>(event: E, context: ChangeContext): E => {
  if (context.changer !== undefined) event.changer = context.changer
  if (context.channel !== undefined) event.channel = context.channel
  if (context.reason !== undefined) event.reason = context.reason
  return event
}

/**
 * The caller-supplied fields that are present, to spread into an event.
 *
 * @category constructors
 */
export const contextFields = (context: ChangeContext): Pick<AuditEvent, "changer" | "channel" | "reason"> =>
  withContext({}, context)

/**
 * An instant (epoch millis) as the ISO-8601 UTC string events carry (`2026-07-15T10:30:00.000Z`).
 *
 * @category constructors
 */
export const isoTimestamp = (instant: number): string => new Date(instant).toISOString()

/**
 * The current instant from `Clock`, as the ISO-8601 UTC string events carry.
 *
 * @category constructors
 */
export const auditTime: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, isoTimestamp)
