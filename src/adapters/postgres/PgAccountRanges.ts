/**
 * `AccountRanges` on PostgreSQL: a tenant's ranges, each a row of `account_ranges` (its `low` and
 * `high` prefixes). A lookup never sends more of the PAN than its masked form shows: the first six
 * digits of a PAN of 12 digits or more, none of a shorter one. The database narrows the tenant's
 * ranges to those the known digits allow, in one statement; the exact test is made here.
 *
 * @since 0.1.0
 */
import { Array as Arr, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { AccountPan } from "../../domain/token/AccountPan.js"
import { type AccountRange, accountRangeContains } from "../../domain/token/AccountRange.js"
import { AccountRanges } from "../../ports/AccountRanges.js"
import { statement } from "./Store.js"

/** The leading digits of a PAN its masked form shows (`maskAccountPan`): 6 from 12 digits up, else none. */
const shownPrefix = (pan: AccountPan): string => {
  const digits = Redacted.value(pan)
  return digits.length >= 12 ? digits.slice(0, 6) : ""
}

/**
 * Stores a tenant's account ranges (a new `low` replaces the range it keys), in one statement: how a
 * host or the fixture seeds the table, the port itself only reads it.
 *
 * @category constructors
 */
export const saveAccountRanges = (tenant: TenantId, ranges: ReadonlyArray<AccountRange>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    ranges.length === 0
      ? Effect.void
      : sql`INSERT INTO account_ranges (tenant, low, high)
          SELECT ${tenant}, * FROM unnest(${ranges.map((r) => r.low)}::text[], ${ranges.map((r) => r.high)}::text[])
          ON CONFLICT (tenant, low) DO UPDATE SET high = excluded.high`.pipe(
          Effect.asVoid,
          statement("AccountRanges.save")
        )
  )

/**
 * @category layers
 */
export const PgAccountRanges = Layer.effect(
  AccountRanges,
  Effect.map(SqlClient.SqlClient, (sql) =>
    AccountRanges.of({
      findRange: (tenant, pan) => {
        const known = shownPrefix(pan)
        // prefixes of one length compare as the numbers do, and a PAN's prefix lies in a range only
        // if its first digits lie between the bounds' first digits
        return sql<AccountRange>`SELECT low, high FROM account_ranges
          WHERE tenant = ${tenant}
            AND left(low, ${known.length}::int) <= left(${known}, length(low))
            AND left(${known}, length(low)) <= left(high, ${known.length}::int)
          ORDER BY low`.pipe(
          Effect.map((rows) =>
            Arr.findFirst(
              rows.map((row): AccountRange => ({ low: row.low, high: row.high })),
              (range) => accountRangeContains(range, pan)
            )
          ),
          statement("AccountRanges.findRange")
        )
      }
    })
  )
)
