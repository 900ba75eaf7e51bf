import { Effect, Layer, Option } from "effect"
import { defaultPolicy, type Policy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/** The tenant's policy in `tables`: the fixture's, else `defaultPolicy`. */
export const policyIn = (tables: Tables, tenant: string): Policy =>
  Option.getOrElse(Table.get(tables.policies, tenant, ""), () => defaultPolicy)

/**
 * A tenant without a policy in the fixture gets `defaultPolicy`.
 *
 * @category layers
 */
export const MemoryTenantPolicy = Layer.effect(
  TenantPolicy,
  Effect.map(MemoryDatabase, (db) =>
    TenantPolicy.of({
      policyOf: (tenant) => db.read((t) => policyIn(t, tenant))
    })
  )
)
