/**
 * lock + unlock through the use cases on the in-memory adapter, against the same transition, audit
 * event and result written as plain JavaScript over a Map, in one run (alternating rounds).
 */
import { Effect, ManagedRuntime } from "effect"
import { DEMO_KIT_NO, DEMO_PAN, DEMO_TENANT, demoFixture } from "../examples/demoFixture.js"
import { layer } from "../src/adapters/memory/index.js"
import { lockCard, unlockCard } from "../src/index.js"
import { effectRound, line, ratio, syncRound, timeAlternating, us } from "./harness.js"

const OPS = Number(process.env.OPS ?? 20_000)
const tenant = DEMO_TENANT
const kitNo = DEMO_KIT_NO

interface PlainCard {
  readonly kitNo: string
  readonly pan: string
  readonly status: string
  readonly lockedFrom?: string
}

const maskPan = (pan: string) => pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4)

/**
 * The same rule, the same audit event (every field `changeStatus` writes) and the same result, without
 * Effect, ports, validation or transactions.
 */
const plainStore = () => {
  const cards = new Map<string, PlainCard>([[kitNo, { kitNo, pan: DEMO_PAN, status: "ACTIVE" }]])
  const audit: Array<object> = []
  const change = (kit: string, changer: string, action: string, next: (card: PlainCard) => PlainCard) => {
    const card = cards.get(kit)
    if (card === undefined) throw new Error("not found")
    const changed = next(card)
    cards.set(kit, changed)
    const cardNumber = maskPan(card.pan)
    audit.push({
      at: new Date().toISOString(),
      action,
      subject: kit,
      outcome: "OK",
      cardNumber,
      previousStatus: card.status,
      currentStatus: changed.status,
      changer
    })
    return { kitNo: kit, cardNumber, previousStatus: card.status, currentStatus: changed.status }
  }
  const lock = (kit: string, changer: string) =>
    change(kit, changer, "LOCK", (card) => {
      if (card.status !== "ASSIGNED" && card.status !== "ACTIVE") throw new Error("refused")
      return { kitNo: card.kitNo, pan: card.pan, status: "LOCKED", lockedFrom: card.status }
    })
  const unlock = (kit: string, changer: string) =>
    change(kit, changer, "UNLOCK", (card) => {
      if (card.status !== "LOCKED" || card.lockedFrom === undefined) throw new Error("refused")
      return { kitNo: card.kitNo, pan: card.pan, status: card.lockedFrom }
    })
  return { lock, unlock }
}

export const benchLifecycle = async (): Promise<void> => {
  console.log("\nCard lifecycle: lock + unlock of one card (in-memory adapter)")
  const runtime = ManagedRuntime.make(layer(demoFixture("ACTIVE")))
  const pair = Effect.andThen(
    lockCard(tenant, { kitNo, changer: "bench" }),
    unlockCard(tenant, { kitNo, changer: "bench" })
  )
  await runtime.context() // the layer's build, outside the timing
  const plain = plainStore()
  const [pairUs, plainPairUs] = await timeAlternating(
    effectRound(runtime, OPS, pair),
    syncRound(OPS, () => {
      plain.lock(kitNo, "bench")
      plain.unlock(kitNo, "bench")
    })
  )
  await runtime.dispose()
  const effectUs = pairUs / 2
  const plainUs = plainPairUs / 2
  line("use case (decode, port reads, transaction, audit)", us(effectUs))
  line("plain JavaScript over a Map", us(plainUs))
  line("ratio", ratio(effectUs, plainUs))
  line("target", "< 10 µs per use case")
}
