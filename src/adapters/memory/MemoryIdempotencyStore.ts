/**
 * `IdempotencyStore` in memory: one record per key, keyed `tenant/key`. The database runs one
 * transaction at a time, so a claimed key is held until its transaction ends without a lock of its
 * own.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import { type IdempotencyRecord, IdempotencyStore } from "../../ports/IdempotencyStore.js"
import { type IdempotencyClaimed, MemoryDatabase } from "./MemoryDatabase.js"
import { policyIn } from "./MemoryTenantPolicy.js"
import * as Table from "./Table.js"

const isComplete = (record: IdempotencyClaimed | IdempotencyRecord): record is IdempotencyRecord =>
  "answer" in record

/**
 * @category layers
 */
export const MemoryIdempotencyStore = Layer.effect(
  IdempotencyStore,
  Effect.map(MemoryDatabase, (db) =>
    IdempotencyStore.of({
      claim: (tenant, claim, now) =>
        db.write("IdempotencyStore.claim", (t) => {
          const found = Table.getOrUndefined(t.idempotencyKeys, tenant, claim.key)
          if (found !== undefined && isComplete(found) && found.expiresAt > now) return Option.some(found)
          const policy = policyIn(t, tenant)
          Table.set(t.idempotencyKeys, tenant, claim.key, {
            key: claim.key,
            operation: claim.operation,
            fingerprint: claim.fingerprint,
            expiresAt: now + policy.idempotencyRetentionHours * 3_600_000
          })
          return Option.none()
        }),
      complete: (tenant, key, answer) =>
        db
          .write("IdempotencyStore.complete", (t) =>
            // a copy, as a database keeps it: what the caller holds may change after
            Table.modify(t.idempotencyKeys, tenant, key, (claim) => ({
              key: claim.key,
              operation: claim.operation,
              fingerprint: claim.fingerprint,
              answer: structuredClone(answer),
              expiresAt: claim.expiresAt
            }))
          )
          .pipe(Effect.asVoid),
      deleteExpired: (tenant, now) =>
        db.write("IdempotencyStore.deleteExpired", (t) => {
          const expired = Table.valuesOf(t.idempotencyKeys, tenant).filter(
            (record) => record.expiresAt <= now
          )
          for (const record of expired) Table.remove(t.idempotencyKeys, tenant, record.key)
          return expired.length
        })
    })
  )
)
