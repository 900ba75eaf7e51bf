/**
 * The contract of TenantPolicy: the strict default policy unless the tenant overrides it. (A tenant's
 * keys are the security module's: `securityModuleContract`.)
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { TenantId } from "../../domain/ground/Identifiers.js"
import { defaultPolicy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { A, B, type MakeLayer, runner } from "./support.js"

const NOBODY = TenantId.make("CONTRACT_NOBODY")

const fixture: MemoryFixture = {
  tenants: {
    [A]: {},
    [B]: { policy: { migrationInTransition: true, pinTryLimit: 5, idempotencyRetentionHours: 48 } }
  }
}

/**
 * The contract of TenantPolicy: the default policy unless the tenant overrides it. Registers its
 * tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const settingsContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: TenantPolicy`, () => {
    it("gives the strict default policy to a tenant that configured none, and a tenant's override to it alone", async () => {
      const found = await run(
        Effect.flatMap(TenantPolicy, (policies) => Effect.forEach([A, B, NOBODY], policies.policyOf)),
        fixture
      )
      expect(defaultPolicy).toEqual({
        migrationInTransition: false,
        allowTrivialPins: false,
        pinTryLimit: 3,
        idempotencyRetentionHours: 24
      })
      expect(found).toEqual([
        defaultPolicy,
        {
          migrationInTransition: true,
          allowTrivialPins: false,
          pinTryLimit: 5,
          idempotencyRetentionHours: 48
        },
        defaultPolicy
      ])
    })
  })
}
