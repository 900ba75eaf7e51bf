/**
 * `npm run scenario`: one customer's card through activate, lock, unlock and block on the in-memory
 * adapter, then a refused unlock, then the audit trail.
 */
import { Console, Effect, Result } from "effect"
import { layer } from "../src/adapters/memory/index.js"
import {
  AuditLog,
  activateCard,
  blockCard,
  lockCard,
  type ManagedCard,
  TenantId,
  unlockCard
} from "../src/index.js"
import { DEMO_KIT_NO, DEMO_TENANT, demoFixture } from "./demoFixture.js"

const tenant = DEMO_TENANT
const kitNo = DEMO_KIT_NO
const fixture = demoFixture()

const show = (step: string, card: ManagedCard) =>
  Console.log(
    `${step.padEnd(8)} ${card.kitNo} ${card.cardNumber}  ${card.previousStatus} -> ${card.currentStatus}`
  )

const scenario = Effect.gen(function* () {
  yield* Console.log(`Tenant ${tenant}, customer 676165, card ${kitNo}\n`)
  yield* show("activate", yield* activateCard(tenant, { kitNo, changer: "onboarding", channel: "WEB" }))
  yield* show(
    "lock",
    yield* lockCard(tenant, { kitNo, reason: "CARD_MISPLACED", changer: "customer", channel: "MOBILE" })
  )
  yield* show(
    "unlock",
    yield* unlockCard(tenant, { kitNo, reason: "CARD_FOUND", changer: "customer", channel: "MOBILE" })
  )
  yield* show(
    "block",
    yield* blockCard(tenant, { kitNo, reason: "FRAUD_SUSPECTED", changer: "agent-7", channel: "IVR" })
  )

  const refused = yield* Effect.result(unlockCard(tenant, { kitNo, channel: "WEB" }))
  if (Result.isFailure(refused)) {
    yield* Console.log(`unlock   refused: ${refused.failure.code}: ${refused.failure.message}`)
  }

  yield* Console.log("\nAudit trail")
  const trail = yield* Effect.flatMap(AuditLog, (log) => log.findBySubject(TenantId.make(tenant), kitNo))
  for (const e of trail) {
    yield* Console.log(
      `  ${e.at}  ${e.action.padEnd(8)} ${e.cardNumber}  ${e.previousStatus} -> ${e.currentStatus}` +
        `  by ${e.changer ?? "-"} via ${e.channel ?? "-"}  (${e.reason ?? "no reason given"})`
    )
  }
})

Effect.runPromise(scenario.pipe(Effect.provide(layer(fixture)))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
