/**
 * The audit trail: who changed what, through which channel, why and when. Only masked PANs.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"
import type { MaskedPan } from "../card/Pan.js"
import type { Channel } from "../Identifiers.js"

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

const DAY_MILLIS = 86_400_000
const MAX_INSTANT = 8.64e15
const twoDigits = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"))
const threeDigits = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"))
// the date part changes once a day: the platform formats it, and it is kept for the next instants
let formattedDay = Number.NaN
let datePart = ""

/**
 * An instant (epoch millis) as the ISO-8601 UTC string events carry (`2026-07-15T10:30:00.000Z`),
 * exactly as `new Date(instant).toISOString()` writes it: fractions of a millisecond dropped, a
 * RangeError outside a Date's range. The date part comes from the platform, once per day, and the
 * time of day from arithmetic, a fraction of the platform's cost per event. One flat string:
 * events are kept for long.
 *
 * @category constructors
 */
export const isoTimestamp = (instant: number): string => {
  // outside a Date's range (or NaN), the platform's RangeError
  if (!(Math.abs(instant) <= MAX_INSTANT)) return new Date(instant).toISOString()
  // a Date truncates toward zero (and -0 is 0): so does the arithmetic below
  const millis = Math.trunc(instant) + 0
  const day = Math.floor(millis / DAY_MILLIS)
  if (day !== formattedDay) {
    const iso = new Date(day * DAY_MILLIS).toISOString()
    datePart = iso.slice(0, iso.indexOf("T") + 1)
    formattedDay = day
  }
  const ofDay = millis - day * DAY_MILLIS
  return [
    datePart,
    twoDigits[Math.floor(ofDay / 3_600_000)],
    ":",
    twoDigits[Math.floor(ofDay / 60_000) % 60],
    ":",
    twoDigits[Math.floor(ofDay / 1000) % 60],
    ".",
    threeDigits[ofDay % 1000],
    "Z"
  ].join("")
}

/**
 * The current instant from `Clock`, as the ISO-8601 UTC string events carry.
 *
 * @category constructors
 */
export const auditTime: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, isoTimestamp)
