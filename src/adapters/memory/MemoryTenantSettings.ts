import { Effect, Layer, Option } from "effect"
import { TenantKeyMissing, TenantKeys } from "../../ports/TenantKeys.js"
import { defaultPolicy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * @category layers
 */
export const MemoryTenantKeys = Layer.effect(
  TenantKeys,
  Effect.map(MemoryDatabase, (db) =>
    TenantKeys.of({
      keyFor: (tenant, purpose) =>
        Effect.flatMap(
          db.read((t) => Table.get(t.keys, tenant, purpose)),
          (key) =>
            Option.isSome(key) ? Effect.succeed(key.value) : Effect.fail(new TenantKeyMissing({ purpose }))
        )
    })
  )
)

/**
 * A tenant without a policy in the fixture gets `defaultPolicy`.
 *
 * @category layers
 */
export const MemoryTenantPolicy = Layer.effect(
  TenantPolicy,
  Effect.map(MemoryDatabase, (db) =>
    TenantPolicy.of({
      policyOf: (tenant) =>
        db.read((t) => Option.getOrElse(Table.get(t.policies, tenant, ""), () => defaultPolicy))
    })
  )
)
