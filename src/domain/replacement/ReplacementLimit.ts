/**
 * Seed 003's limit: "Card can be replace a maximum of two times within the span of a month", per
 * account, over a sliding window of one calendar month.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"
import type { Account } from "../customer/Customer.js"

/**
 * Seed 003: at most two replacements per account in any window of one month.
 *
 * @category models
 */
export const maxReplacementsPerWindow = 2

/**
 * The exclusive start of the window that ends at `now` (epoch millis): DOMAIN.md §5's
 * (now − 1 calendar month, now], UTC, the day clamped. On a day the previous month has, the window
 * opens at the same day and time of that month. On a clamped day (now's day-of-month does not exist
 * in the previous month: 29–31 March, 31 May…) it opens at the END of the clamped day, the previous
 * month's last instant: on 31 March 09:59 after 28 February 23:59:59.999.
 *
 * Why the end of the clamped day, not its time of day: the start must never move backwards as now
 * moves forwards, or a request admitted against its own window can leave a later window holding
 * three (28 Feb 10:00, 1 Mar and 28 Mar 10:00 would all pass, and the window ending 31 Mar 09:59:59.999
 * would hold the three).
 *
 * Monotone: within one month M (first instant m, the previous month's first instant p), the start is
 * min(p + (now − m), m − 1): the minimum of a function increasing in now and a constant, so
 * non-decreasing. From the last instant of M to the first of the next month it moves from at most
 * m − 1 to m. So start(t) is non-decreasing in t, and the classic sliding-window argument gives ≤ 2
 * in every window: take any window (start(t), t] and, of the successes in it, the one admitted last,
 * at x ≤ t. When x was admitted, the others were already recorded and lie after start(t) ≥ start(x),
 * so the check at x counted them; it admits only below two, so the window holds at most two.
 *
 * @category models
 */
export const replacementWindowStartMillis = (now: number): number => {
  // epoch millis on one Date: no DateTime parts; setters keep the full year (Date.UTC maps 0-99 to 19xx)
  const date = new Date(now)
  date.setUTCDate(1)
  const monthStart = date.setUTCHours(0, 0, 0, 0)
  const previousMonthStart = date.setUTCMonth(date.getUTCMonth() - 1)
  return Math.min(previousMonthStart + (now - monthStart), monthStart - 1)
}

/**
 * The window's exclusive start as a `DateTime` (`replacementWindowStartMillis`).
 *
 * @category models
 */
export const replacementWindowStart = (now: DateTime.Utc): DateTime.Utc =>
  DateTime.makeUnsafe(replacementWindowStartMillis(DateTime.toEpochMillis(now)))

/**
 * The replacements that count against the limit at `now`: those after the window's start. A
 * replacement recorded after `now` (a clock set back) counts too: the sliding-window argument needs
 * every recorded replacement after the start to be counted (docs/card-replacement.md).
 *
 * @category models
 */
export const replacementsInWindow = (account: Account, now: DateTime.Utc): number => {
  const start = replacementWindowStartMillis(DateTime.toEpochMillis(now))
  let count = 0
  for (const at of account.replacements) if (DateTime.toEpochMillis(at) > start) count++
  return count
}

/**
 * @category predicates
 */
export const hasReplacementSlot = (account: Account, now: DateTime.Utc): boolean =>
  replacementsInWindow(account, now) < maxReplacementsPerWindow
