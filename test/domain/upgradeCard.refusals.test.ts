import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import {
  CardNotFound,
  DuplicateCardType,
  InvalidStatusTransition,
  KitInfoCountOutOfRange,
  ProductNotFound,
  SameProductUpgrade,
  StoreError,
  TenantKeyMissing,
  TierDowngrade,
  TierNotOnLadder,
  upgradeCard,
  ValidationError
} from "../../src/index.js"
import { TENANT_A, TENANT_B } from "../support/builders.js"
import {
  entryFor,
  failureOf,
  kitManagerTenant,
  PAN_STORE_KEY_HEX,
  productOf,
  runOn,
  SEED_000_REQUEST,
  UPGRADE,
  upgradeFixture,
  upgradeTenant,
  upgradeTo
} from "../support/kitManager.js"
import { differences } from "../support/state.js"

const KIT = UPGRADE.kitNo

describe("upgradeCard refuses", () => {
  const refusal = async (request: unknown, fixture = upgradeFixture()) => {
    const { outcome, before, after } = await runOn(fixture, upgradeCard(TENANT_A, request))
    expect(differences(before, after)).toEqual([])
    return failureOf(outcome)
  }

  it("a kitNo the tenant does not have, as not found", async () => {
    expect(await refusal({ ...SEED_000_REQUEST, kitNo: "9999999" })).toEqual(
      new CardNotFound({ kitNo: "9999999" })
    )
  })

  it("a card of another customer, as not found", async () => {
    expect(await refusal({ ...SEED_000_REQUEST, entityId: "676999" })).toEqual(
      new CardNotFound({ kitNo: KIT })
    )
  })

  it("a card of tenant B, as not found from tenant A", async () => {
    // tenant A holds no card and needs no key: a key serves one tenant only
    const fixture = {
      tenants: { [TENANT_A]: kitManagerTenant([], { keys: {} }), [TENANT_B]: upgradeTenant() }
    }
    expect(await refusal(SEED_000_REQUEST, fixture)).toEqual(new CardNotFound({ kitNo: KIT }))
  })

  it.each(["BLOCKED", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN"] as const)(
    "a %s card: terminal cards never change",
    async (status) => {
      const error = await refusal(SEED_000_REQUEST, upgradeFixture({ status }))
      expect(error).toEqual(new InvalidStatusTransition({ kitNo: KIT, status, operation: "UPGRADE" }))
      expect((error as InvalidStatusTransition).message).toBe(
        `Cannot UPGRADE card ${KIT}: its status is ${status}.`
      )
    }
  )

  it("an entry that names no product of the catalog", async () => {
    const entry = { cardType: "PHYSICAL", plasticCode: "0000", tierType: "SILVER" } as const
    expect(await refusal(upgradeTo(entry))).toEqual(new ProductNotFound(entry))
  })

  it("a lower tier", async () => {
    const error = await refusal(
      upgradeTo(entryFor(productOf("SILVER", "PHYSICAL"))),
      upgradeFixture({ tierType: "GOLD", productId: "2005_PHYSICAL" })
    )
    expect(error).toEqual(new TierDowngrade({ kitNo: KIT, currentTier: "GOLD", requestedTier: "SILVER" }))
  })

  it("the same tier with the same product", async () => {
    const error = await refusal(upgradeTo(entryFor(productOf("CLASSIC", "PHYSICAL"))))
    expect(error).toEqual(new SameProductUpgrade({ kitNo: KIT, productId: "2001_PHYSICAL" }))
  })

  it("a card whose tier is not on the tenant's ladder", async () => {
    const error = await refusal(SEED_000_REQUEST, upgradeFixture({ tierType: "LEGACY" }))
    expect(error).toEqual(new TierNotOnLadder({ tierType: "LEGACY" }))
  })

  it("two entries of one cardType", async () => {
    const request = upgradeTo(
      entryFor(productOf("GOLD", "PHYSICAL")),
      entryFor(productOf("SILVER", "PHYSICAL"))
    )
    expect(await refusal(request)).toEqual(new DuplicateCardType({ cardType: "PHYSICAL" }))
  })

  it("more than two entries, as a bad kitInfo field", async () => {
    const gold = entryFor(productOf("GOLD", "PHYSICAL"))
    expect(await refusal(upgradeTo(gold, entryFor(productOf("GOLD", "VIRTUAL")), gold))).toEqual(
      new ValidationError({ issues: [{ path: "kitInfo", message: "must hold at most 2 entries" }] })
    )
  })

  it("a 5 MB kitInfo of a million nulls, with one small error and no entry decoded", async () => {
    const body = `{"entityId":"676165","kitNo":"4561789","kitInfo":[${"null,".repeat(999_999)}null]}`
    expect(body.length).toBeGreaterThan(5_000_000)
    const error = await refusal(JSON.parse(body))
    expect(error).toEqual(
      new ValidationError({ issues: [{ path: "kitInfo", message: "must hold at most 2 entries" }] })
    )
    expect(JSON.stringify(error).length).toBeLessThan(256)
  })

  it("an empty kitInfo", async () => {
    expect(await refusal(upgradeTo())).toEqual(new KitInfoCountOutOfRange({ count: 0 }))
  })

  it("a security module without the tenant's cardNumber key", async () => {
    // the store's own cards need the key; a host's module (an HSM) may still lack it
    const withoutCardNumber = NobleSecurityModule.layer({
      [TENANT_A]: { panStore: [{ id: "1", hex: PAN_STORE_KEY_HEX }] }
    })
    const { outcome, before, after } = await runOn(
      upgradeFixture(),
      Effect.provide(upgradeCard(TENANT_A, SEED_000_REQUEST), withoutCardNumber)
    )
    expect(differences(before, after)).toEqual([])
    expect(failureOf(outcome)).toEqual(new TenantKeyMissing({ purpose: "cardNumber" }))
  })

  it("bad fields, naming each of them", async () => {
    const request = {
      entityId: "",
      kitNo: "45-61",
      deliveryAddress: "HOME",
      kitInfo: [{ cardType: "PLASTIC", plasticCode: "4566", tierType: "SILVER", colour: "red" }]
    }
    const error = (await refusal(request)) as ValidationError
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "deliveryAddress",
      "entityId",
      "kitInfo.0.cardType",
      "kitInfo.0.colour",
      "kitNo"
    ])
  })

  it("bad audit fields, naming each of them", async () => {
    const request = { ...SEED_000_REQUEST, changer: "", channel: "FAX", reason: "line\nbreak" }
    const error = (await refusal(request)) as ValidationError
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues.map((i) => i.path).sort()).toEqual(["changer", "channel", "reason"])
  })

  it("a write failure, leaving every store as it was", async () => {
    const { outcome, before, after } = await runOn(
      upgradeFixture(),
      upgradeCard(TENANT_A, SEED_000_REQUEST),
      {
        failWrite: ({ operation }) => operation === "AuditLog.append"
      }
    )
    expect(failureOf(outcome)).toBeInstanceOf(StoreError)
    expect(differences(before, after)).toEqual([])
  })
})
