/**
 * lock + unlock through the use cases on the in-memory adapter, against the same transition written
 * as plain JavaScript over a Map, in one run.
 */
import { Effect, ManagedRuntime } from "effect"
import { DEMO_KIT_NO, DEMO_TENANT, demoFixture } from "../examples/demoFixture.js"
import { layer } from "../src/adapters/memory/index.js"
import { lockCard, unlockCard } from "../src/index.js"
import { line, ratio, timeEffect, timeSync, us } from "./harness.js"

const OPS = Number(process.env.OPS ?? 20_000)
const tenant = DEMO_TENANT
const kitNo = DEMO_KIT_NO

interface PlainCard {
  kitNo: string
  status: string
  lockedFrom?: string
}

/** The same rule and the same audit append, without Effect, ports, validation or transactions. */
const plainStore = () => {
  const cards = new Map<string, PlainCard>([[`${tenant}/${kitNo}`, { kitNo, status: "ACTIVE" }]])
  const audit: Array<object> = []
  const lock = (kit: string) => {
    const card = cards.get(`${tenant}/${kit}`)
    if (card === undefined || (card.status !== "ASSIGNED" && card.status !== "ACTIVE"))
      throw new Error("refused")
    cards.set(`${tenant}/${kit}`, { kitNo: kit, status: "LOCKED", lockedFrom: card.status })
    audit.push({ at: new Date().toISOString(), action: "LOCK", subject: kit, previousStatus: card.status })
  }
  const unlock = (kit: string) => {
    const card = cards.get(`${tenant}/${kit}`)
    if (card?.status !== "LOCKED" || card.lockedFrom === undefined) throw new Error("refused")
    cards.set(`${tenant}/${kit}`, { kitNo: kit, status: card.lockedFrom })
    audit.push({ at: new Date().toISOString(), action: "UNLOCK", subject: kit, previousStatus: "LOCKED" })
  }
  return { lock, unlock }
}

export const benchLifecycle = async (): Promise<void> => {
  console.log("\nCard lifecycle: lock + unlock of one card (in-memory adapter)")
  const runtime = ManagedRuntime.make(layer(demoFixture("ACTIVE")))
  const pair = Effect.andThen(lockCard(tenant, { kitNo, changer: "bench" }), unlockCard(tenant, { kitNo }))
  const effectUs = (await timeEffect(runtime, OPS, pair)) / 2
  const plain = plainStore()
  const plainUs =
    timeSync(OPS, () => {
      plain.lock(kitNo)
      plain.unlock(kitNo)
    }) / 2
  await runtime.dispose()
  line("use case (decode, port reads, transaction, audit)", us(effectUs))
  line("plain JavaScript over a Map", us(plainUs))
  line("ratio", ratio(effectUs, plainUs))
  line("target", "< 10 µs per use case")
}
