/**
 * The contract of TenantKeys and TenantPolicy: one key per tenant and purpose, refused as
 * TenantKeyMissing when not provisioned; the strict default policy unless the tenant overrides it.
 */
import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { TenantId } from "../../domain/ground/Identifiers.js"
import { type KeyPurpose, TenantKeyMissing, TenantKeys } from "../../ports/TenantKeys.js"
import { defaultPolicy, TenantPolicy } from "../../ports/TenantPolicy.js"
import { A, B, type MakeLayer, runner } from "./support.js"

/** A distinct 32-byte key per (tenant, purpose): every byte is `seed`. */
const keyHex = (seed: number) => seed.toString(16).padStart(2, "0").repeat(32)
const NOBODY = TenantId.make("CONTRACT_NOBODY")

const fixture: MemoryFixture = {
  tenants: {
    [A]: { keys: { cardNumber: keyHex(0xa1), setPin: keyHex(0xa2), pinStore: keyHex(0xa3) } },
    [B]: { keys: { cardNumber: keyHex(0xb1) }, policy: { migrationInTransition: true, pinTryLimit: 5 } }
  }
}

/**
 * The contract of TenantKeys and TenantPolicy: one key per tenant and purpose, `TenantKeyMissing` when not
 * provisioned; the default policy unless the tenant overrides it. Registers its tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const settingsContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: TenantKeys`, () => {
    const keyOf = (tenant: TenantId, purpose: KeyPurpose) =>
      Effect.result(
        Effect.flatMap(TenantKeys, (keys) =>
          Effect.map(keys.keyFor(tenant, purpose), (key) => Buffer.from(Redacted.value(key)).toString("hex"))
        )
      )

    it("gives each tenant's key for each purpose, and no other tenant's", async () => {
      const found = await run(
        Effect.all([
          keyOf(A, "cardNumber"),
          keyOf(A, "setPin"),
          keyOf(A, "pinStore"),
          keyOf(B, "cardNumber")
        ]),
        fixture
      )
      expect(found).toEqual([
        Result.succeed(keyHex(0xa1)),
        Result.succeed(keyHex(0xa2)),
        Result.succeed(keyHex(0xa3)),
        Result.succeed(keyHex(0xb1))
      ])
    })

    it("refuses a purpose the tenant has no key for as TenantKeyMissing, even when another tenant has one", async () => {
      const found = await run(
        Effect.all([keyOf(B, "setPin"), keyOf(B, "pinStore"), keyOf(NOBODY, "cardNumber")]),
        fixture
      )
      expect(found).toEqual([
        Result.fail(new TenantKeyMissing({ purpose: "setPin" })),
        Result.fail(new TenantKeyMissing({ purpose: "pinStore" })),
        Result.fail(new TenantKeyMissing({ purpose: "cardNumber" }))
      ])
    })
  })

  describe(`${name}: TenantPolicy`, () => {
    it("gives the strict default policy to a tenant that configured none, and a tenant's override to it alone", async () => {
      const found = await run(
        Effect.flatMap(TenantPolicy, (policies) => Effect.forEach([A, B, NOBODY], policies.policyOf)),
        fixture
      )
      expect(defaultPolicy).toEqual({ migrationInTransition: false, allowTrivialPins: false, pinTryLimit: 3 })
      expect(found).toEqual([
        defaultPolicy,
        { migrationInTransition: true, allowTrivialPins: false, pinTryLimit: 5 },
        defaultPolicy
      ])
    })
  })
}
