/**
 * Seed 003's limit: "Card can be replace a maximum of two times within the span of a month", per
 * account, over a sliding window of one calendar month that errs strict.
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

const DAY = 86_400_000

/**
 * The exclusive start S(now) of the window (S(now), now] that ends at `now` (epoch millis), UTC:
 * DOMAIN.md §5. Let L be the number of days of the previous month. Before day L of now's month, S is
 * the same day and time of the previous month. From day L on (28–31 March after a 28-day February,
 * 30–31 May, 31 August…), S is 00:00:00.000 of the previous month's last day: on 31 March 10:00 it
 * is 28 February 00:00, on 31 August it is 31 July 00:00; on 30 April (March has 31 days) the plain
 * rule holds, 30 March at the same time.
 *
 * In one formula: within a month whose first instant is m, the previous month's first instant p
 * (so m = p + L days), S(now) = min(p + (now − m), m − 1 day). UTC days all last 86,400,000 ms.
 *
 * Non-decreasing: within one month, S is the minimum of a function increasing in now and a constant,
 * so non-decreasing; the two meet at day L, 00:00 (27 March 23:59:59.999 → 27 February 23:59:59.999,
 * 28 March 00:00 → 28 February 00:00), so S moves on without a jump back. Across the boundary into
 * the next month (first instant m′ ≥ m + 28 days), S(now) ≤ m − 1 day for every now in the month,
 * and S(m′) = min(m, m′ − 1 day) = m, the first instant of the month just ended: S moves forward.
 *
 * Never later than the plain calendar month: the calendar start C(now), the same day and time of the
 * previous month with the day clamped to L, is min(p + (now − m), p + (L − 1) days + time of day),
 * which is ≥ S(now), and exceeds it by less than one day (by the time of day, from day L on). So the
 * window (C(now), now] lies inside (S(now), now], and S(now) ≤ m − 1 day < now.
 *
 * At most two in every window: take any window (S(t), t] and, of the successes in it, the one admitted
 * last, at x ≤ t. When x was admitted, the others were already recorded and lie after
 * S(t) ≥ S(x), so the check at x counted them; it admits only below two, so the window holds at most
 * two. Every calendar-month window (C(t), t] lies inside (S(t), t], so it holds at most two as well:
 * the rule errs strict, refusing a few requests the plain calendar month would take (28 March 10:00
 * counts all of 28 February), never letting one calendar month hold a third.
 *
 * @category models
 */
export const replacementWindowStartMillis = (now: number): number => {
  // epoch millis on one Date: no DateTime parts; setters keep the full year (Date.UTC maps 0-99 to 19xx)
  const date = new Date(now)
  date.setUTCDate(1)
  const monthStart = date.setUTCHours(0, 0, 0, 0)
  const previousMonthStart = date.setUTCMonth(date.getUTCMonth() - 1)
  return Math.min(previousMonthStart + (now - monthStart), monthStart - DAY)
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
