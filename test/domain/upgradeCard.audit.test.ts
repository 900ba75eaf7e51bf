import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { AuditLog, TenantId, upgradeCard } from "../../src/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  entryFor,
  productOf,
  runOn,
  SEED_000_REQUEST,
  storedCard,
  successOf,
  UPGRADE,
  upgradeFixture,
  upgradeTo
} from "../support/kitManager.js"
import { clearPanOf } from "../support/protectedPan.js"

const tenantA = TenantId.make(TENANT_A)
const KIT = UPGRADE.kitNo

/** Runs an upgrade, then reads every event about the old card, each new card and each order. */
const eventsOf = (request: unknown) =>
  Effect.gen(function* () {
    const result = yield* upgradeCard(TENANT_A, request)
    const log = yield* AuditLog
    const subjects = [KIT, ...result.kitInfo.flatMap((k) => [k.kitNo, `ORD${k.kitNo}`])]
    const events = (yield* Effect.forEach(subjects, (s) => log.findBySubject(tenantA, s))).flat()
    const pans = yield* Effect.forEach(result.kitInfo, (k) =>
      Effect.flatMap(storedCard(k.kitNo), (c) => clearPanOf(TENANT_A, Option.getOrThrow(c)))
    )
    return { result, events, pans }
  })

const physicalAndVirtual = upgradeTo(
  entryFor(productOf("GOLD", "PHYSICAL")),
  entryFor(productOf("GOLD", "VIRTUAL"))
)

describe("upgradeCard records", () => {
  it("the replacement, the issue and the order, with masked numbers only", async () => {
    const { outcome } = await runOn(upgradeFixture(), eventsOf(SEED_000_REQUEST))
    const { result, events, pans } = successOf(outcome)
    expect(events.map((e) => `${e.action}:${e.previousStatus ?? "-"}>${e.currentStatus}`)).toEqual([
      "UPGRADE:ACTIVE>REPLACED",
      "ISSUE:->ASSIGNED",
      "ORDER_CARD:->RECEIVED"
    ])
    const text = JSON.stringify(events)
    expect(text).not.toContain(pans[0])
    expect(text).not.toContain(result.kitInfo[0]!.encryptedCardNumber)
  })

  it("changer, channel and reason on every event: the old card, each new card and the order", async () => {
    const request = {
      ...physicalAndVirtual,
      changer: "agent-7",
      channel: "BRANCH",
      reason: "CUSTOMER_REQUEST"
    }
    const { events } = successOf((await runOn(upgradeFixture(), eventsOf(request))).outcome)
    expect(events.map((e) => [e.action, e.changer, e.channel, e.reason])).toEqual([
      ["UPGRADE", "agent-7", "BRANCH", "CUSTOMER_REQUEST"],
      ["ISSUE", "agent-7", "BRANCH", `UPGRADE of kitNo ${KIT}: CUSTOMER_REQUEST`],
      ["ORDER_CARD", "agent-7", "BRANCH", `UPGRADE of kitNo ${KIT}: CUSTOMER_REQUEST`],
      ["ISSUE", "agent-7", "BRANCH", `UPGRADE of kitNo ${KIT}: CUSTOMER_REQUEST`]
    ])
  })

  it("no changer or channel when none is given, and the replaced card as the new cards' reason", async () => {
    const { events } = successOf((await runOn(upgradeFixture(), eventsOf(physicalAndVirtual))).outcome)
    for (const event of events) {
      expect(event).not.toHaveProperty("changer")
      expect(event).not.toHaveProperty("channel")
    }
    expect(events.map((e) => e.reason)).toEqual([
      undefined,
      `UPGRADE of kitNo ${KIT}`,
      `UPGRADE of kitNo ${KIT}`,
      `UPGRADE of kitNo ${KIT}`
    ])
  })

  it("a card number typed into changer or reason only masked", async () => {
    const typed = "6080400000000010"
    const request = { ...SEED_000_REQUEST, changer: `agent ${typed}`, reason: `customer read out ${typed}` }
    const { events } = successOf((await runOn(upgradeFixture(), eventsOf(request))).outcome)
    expect(events).toHaveLength(3)
    expect(JSON.stringify(events)).not.toContain(typed)
    expect(events[0]).toMatchObject({
      changer: "agent 608040XXXXXX0010",
      reason: "customer read out 608040XXXXXX0010"
    })
  })
})
