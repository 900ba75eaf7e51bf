import { Effect, Layer, Option } from "effect"
import { defaultPolicy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

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
