/**
 * Seed 003's limit: "Card can be replace a maximum of two times within the span of a month", per
 * account, over a sliding window of one calendar month.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"
import type { Account } from "./Customer.js"

/**
 * Seed 003: at most two replacements per account in any window of one month.
 *
 * @category models
 */
export const maxReplacementsPerWindow = 2

/**
 * The exclusive start of the window that ends at `now`: one calendar month earlier, UTC, the day
 * clamped to the month's last day (one month before 31 March is 28 or 29 February, before
 * 31 January is 31 December). DOMAIN.md §5: the window is (start, now].
 *
 * @category models
 */
export const replacementWindowStart = (now: DateTime.Utc): DateTime.Utc =>
  DateTime.subtract(now, { months: 1 })

/**
 * The replacements that count against the limit at `now`: those after the window's start. A
 * replacement recorded after `now` (a clock set back) counts too, so that the limit holds for every
 * window even when clocks disagree (docs/card-replacement.md).
 *
 * @category models
 */
export const replacementsInWindow = (account: Account, now: DateTime.Utc): number => {
  const start = DateTime.toEpochMillis(replacementWindowStart(now))
  let count = 0
  for (const at of account.replacements) if (DateTime.toEpochMillis(at) > start) count++
  return count
}

/**
 * @category predicates
 */
export const hasReplacementSlot = (account: Account, now: DateTime.Utc): boolean =>
  replacementsInWindow(account, now) < maxReplacementsPerWindow
