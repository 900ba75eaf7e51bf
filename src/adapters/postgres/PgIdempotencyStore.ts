/**
 * `IdempotencyStore` on PostgreSQL: one row of `idempotency_keys` per tenant and key, and its answer
 * in a row of `idempotency_answers`.
 *
 * A claim inserts the key's row (`ON CONFLICT DO NOTHING`). While the transaction that inserted it is
 * open, a concurrent insert of the same key waits on the primary key until that transaction ends:
 * after a commit it finds the row (and reads it `FOR UPDATE`, with its answer), after a rollback it
 * inserts its own. So two requests with one key never both run, on one service instance or many.
 *
 * The answer is inserted, not written into the key's row: an insert looks nothing up, so no plan can
 * make it read the table (a connection keeps the plan it made for an update while the table was
 * nearly empty, a sequential scan, until the table's statistics change), and a run leaves no dead
 * version of the key's row behind.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import {
  type IdempotencyClaim,
  type IdempotencyRecord,
  IdempotencyStore,
  type StoredAnswer
} from "../../ports/IdempotencyStore.js"
import type { KeyId } from "../../ports/SecurityModule.js"
import { defaultPolicy } from "../../ports/TenantPolicy.js"
import { appendedEvents, CurrentHeldAppends, takeHeld } from "./HeldAppends.js"
import { statement } from "./Store.js"

interface KeyRow {
  readonly operation: string
  readonly fingerprint_key_id: string
  readonly fingerprint: string
  readonly answer: unknown
  readonly expires_at_ms: number | string
  readonly expired: boolean
}

/** sql-pg hands json back parsed; a driver that hands it as text is read the same. */
const answerOf = (answer: unknown): StoredAnswer | undefined =>
  answer === null || answer === undefined
    ? undefined
    : ((typeof answer === "string" ? JSON.parse(answer) : answer) as StoredAnswer)

const recordOf = (key: string, row: KeyRow): IdempotencyRecord => {
  const answer = answerOf(row.answer)
  if (answer === undefined)
    // a transaction commits a key only after `complete`
    throw new Error("IdempotencyStore.claim: a committed key without its answer")
  return {
    key,
    operation: row.operation,
    fingerprint: { keyId: row.fingerprint_key_id as KeyId, hash: row.fingerprint },
    answer,
    expiresAt: Number(row.expires_at_ms)
  }
}

/**
 * @category layers
 */
export const PgIdempotencyStore = Layer.effect(
  IdempotencyStore,
  Effect.map(SqlClient.SqlClient, (sql) => {
    /** `now` plus the tenant's retention (its policy's, else the default), in the statement itself. */
    const expiry = (tenant: string, now: number) =>
      sql`${new Date(now)}::timestamptz + make_interval(hours => coalesce(
          (SELECT idempotency_retention_hours FROM policies WHERE tenant = ${tenant}),
          ${defaultPolicy.idempotencyRetentionHours}))`
    const insert = (tenant: string, claim: IdempotencyClaim, now: number) =>
      sql<{ readonly key: string }>`INSERT INTO idempotency_keys
          (tenant, key, operation, fingerprint_key_id, fingerprint, expires_at)
        VALUES (${tenant}, ${claim.key}, ${claim.operation}, ${claim.fingerprint.keyId}, ${claim.fingerprint.hash},
          ${expiry(tenant, now)})
        ON CONFLICT (tenant, key) DO NOTHING RETURNING key`
    const lock = (tenant: string, key: string, now: number) =>
      sql<KeyRow>`SELECT k.operation, k.fingerprint_key_id, k.fingerprint, a.answer,
          extract(epoch FROM k.expires_at) * 1000 AS expires_at_ms, k.expires_at <= ${new Date(now)} AS expired
        FROM idempotency_keys k
          LEFT JOIN idempotency_answers a ON a.tenant = k.tenant AND a.key = k.key
        WHERE k.tenant = ${tenant} AND k.key = ${key} FOR UPDATE OF k`
    // an expired key claimed again: its row holds the new claim, and its old answer goes
    const replace = (tenant: string, claim: IdempotencyClaim, now: number) =>
      sql`WITH answered AS (DELETE FROM idempotency_answers WHERE tenant = ${tenant} AND key = ${claim.key})
        UPDATE idempotency_keys SET operation = ${claim.operation}, fingerprint_key_id = ${claim.fingerprint.keyId},
          fingerprint = ${claim.fingerprint.hash}, expires_at = ${expiry(tenant, now)}
        WHERE tenant = ${tenant} AND key = ${claim.key}`
    // the row a claim found may be swept before it is read: the claim then inserts again
    const claimOnce = (
      tenant: string,
      claim: IdempotencyClaim,
      now: number,
      attempts: number
    ): Effect.Effect<Option.Option<IdempotencyRecord>, SqlError.SqlError> =>
      Effect.gen(function* () {
        if ((yield* insert(tenant, claim, now)).length > 0) return Option.none()
        const [row] = yield* lock(tenant, claim.key, now)
        if (row === undefined) {
          if (attempts <= 1)
            return yield* Effect.die(new Error("IdempotencyStore.claim: the key's row kept vanishing"))
          return yield* claimOnce(tenant, claim, now, attempts - 1)
        }
        if (!row.expired) return Option.some(yield* Effect.sync(() => recordOf(claim.key, row)))
        yield* replace(tenant, claim, now)
        return Option.none()
      })
    return IdempotencyStore.of({
      claim: (tenant, claim, now) =>
        claimOnce(tenant, claim, now, 3).pipe(statement("IdempotencyStore.claim")),
      // with the appends the key's flat transaction holds, if any: one statement for both
      complete: (tenant, key, answer) =>
        Effect.flatMap(CurrentHeldAppends, (current) => {
          const held = takeHeld(sql, current)
          const stored = sql`INSERT INTO idempotency_answers (tenant, key, answer)
            VALUES (${tenant}, ${key}, ${JSON.stringify(answer)}::json)`
          return held === undefined ? stored : sql`${appendedEvents(sql, held.tenant, held.events)} ${stored}`
        }).pipe(Effect.asVoid, statement("IdempotencyStore.complete")),
      deleteExpired: (tenant, now) =>
        sql<{ readonly deleted: number }>`WITH gone AS (
            DELETE FROM idempotency_keys WHERE tenant = ${tenant} AND expires_at <= ${new Date(now)} RETURNING key
          ), answered AS (
            DELETE FROM idempotency_answers WHERE tenant = ${tenant} AND key IN (SELECT key FROM gone)
          ) SELECT count(*)::int AS deleted FROM gone`.pipe(
          Effect.map(([row]) => row?.deleted ?? 0),
          statement("IdempotencyStore.deleteExpired")
        )
    })
  })
)
