/**
 * manageAllCards (seed 002) over one customer with 1e3, 1e4 and 1e5 cards on the memory adapter,
 * against a plain-JavaScript loop doing the same work over Maps, in one process run.
 *
 * Every timed call LOCKs all n ACTIVE cards: one read of the customer's cards, n status changes and
 * audit events, one card write and one audit write. Each call starts from the same stored state: a
 * fresh runtime over `layer(fixture)`, BUILT before the clock starts (`ManagedRuntime.make` builds on
 * first use, so `prepare` forces it), so the timing holds the call alone and the audit log does not
 * grow from call to call. Figures are medians of the timed calls, after warm-up calls.
 */
import { ManagedRuntime } from "effect"
import { randomKeyHex } from "../src/adapters/memory/FixtureBuilder.js"
import { layer, type MemoryFixture } from "../src/adapters/memory/index.js"
import { luhnCheckDigit } from "../src/domain/ground/Pan.js"
import { manageAllCards } from "../src/index.js"
import { line, type PlainCard, ratio } from "./harness.js"

const TENANT = "ACME_BANK"
const ENTITY = "req11"
const REQUEST = {
  entityId: ENTITY,
  operation: "LOCK",
  reason: "LOST_PHONE",
  changer: "bench",
  channel: "IVR"
} as const
const WARM_UP_CALLS = 3
/** Sizes, with the calls timed at each: more at the small sizes, where one call is short and noisy. */
const SIZES: ReadonlyArray<readonly [n: number, calls: number]> = [
  [1_000, 51],
  [10_000, 21],
  [100_000, 11]
]

const panOf = (serial: number): string => {
  const body = `608040${String(serial).padStart(9, "0")}`
  return body + luhnCheckDigit(body)
}

const kitNoOf = (serial: number) => `K${String(serial).padStart(7, "0")}`

/** One customer with one account holding n ACTIVE cards. */
const fixtureOf = (n: number): MemoryFixture => ({
  tenants: {
    [TENANT]: {
      // the keys that protect the stored PANs (encrypted and hashed)
      keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() },
      customers: [
        {
          entityId: ENTITY,
          mobileNo: "9876543210",
          branchId: "BR001",
          accounts: [
            {
              accountNo: 8642135,
              cards: Array.from({ length: n }, (_, i) => ({
                kitNo: kitNoOf(i),
                pan: panOf(i),
                productId: "2001_PHYSICAL",
                tierType: "CLASSIC",
                cardType: "PHYSICAL" as const,
                expDate: "2029-07-31T00:00:00.000+00:00",
                status: "ACTIVE" as const
              }))
            }
          ]
        }
      ]
    }
  }
})

// ---------------------------------------------------------------------------------------------------
// The reference: the same work in plain JavaScript, without Effect, ports, validation or transaction.

interface PlainStore {
  readonly customers: Map<string, { readonly entityId: string; readonly mobileNo: string }>
  /** kitNo → card */
  readonly cards: Map<string, PlainCard>
  /** entityId → the customer's kitNos */
  readonly kitNosByCustomer: Map<string, ReadonlyArray<string>>
  readonly audit: Array<object>
}

const plainStoreOf = (n: number): PlainStore => {
  const cards = new Map<string, PlainCard>()
  const kitNos: Array<string> = []
  for (let i = 0; i < n; i++) {
    const kitNo = kitNoOf(i)
    kitNos.push(kitNo)
    cards.set(kitNo, {
      kitNo,
      entityId: ENTITY,
      accountNo: 8642135,
      productId: "2001_PHYSICAL",
      tierType: "CLASSIC",
      cardType: "PHYSICAL",
      pan: panOf(i),
      expDate: "2029-07-31T00:00:00.000+00:00",
      status: "ACTIVE"
    })
  }
  return {
    customers: new Map([[ENTITY, { entityId: ENTITY, mobileNo: "9876543210" }]]),
    cards,
    kitNosByCustomer: new Map([[ENTITY, kitNos]]),
    audit: []
  }
}

const maskPan = (pan: string) => pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4)

/**
 * LOCK every card of the customer: the transition rule per card, a new card row stored, one audit
 * event per changed card (every field `changeStatus` writes), and the result's two lists.
 */
const plainManageAllCards = (store: PlainStore, request: typeof REQUEST) => {
  const at = new Date().toISOString()
  const customer = store.customers.get(request.entityId)
  if (customer === undefined) throw new Error("customer not found")
  const managedCards: Array<{
    kitNo: string
    cardNumber: string
    previousStatus: string
    currentStatus: string
  }> = []
  const skippedCards: Array<{ kitNo: string; status: string; why: string }> = []
  const events: Array<object> = []
  for (const kitNo of store.kitNosByCustomer.get(customer.entityId) ?? []) {
    const card = store.cards.get(kitNo)!
    const previousStatus = card.status
    if (previousStatus !== "ACTIVE" && previousStatus !== "ASSIGNED") {
      skippedCards.push({ kitNo, status: previousStatus, why: "LOCK applies only to ASSIGNED, ACTIVE cards" })
      continue
    }
    const next: PlainCard = { ...card, status: "LOCKED", lockedFrom: previousStatus }
    store.cards.set(kitNo, next)
    const cardNumber = maskPan(card.pan)
    events.push({
      at,
      action: request.operation,
      subject: kitNo,
      outcome: "OK",
      cardNumber,
      previousStatus,
      currentStatus: next.status,
      changer: request.changer,
      channel: request.channel,
      reason: request.reason
    })
    managedCards.push({ kitNo, cardNumber, previousStatus, currentStatus: next.status })
  }
  for (const event of events) store.audit.push(event)
  return {
    managedCards,
    totalCardsManaged: managedCards.length,
    operation: request.operation,
    entityId: customer.entityId,
    skippedCards
  }
}

// ---------------------------------------------------------------------------------------------------

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The median time of `calls` calls after the warm-up calls; `prepare` and `done` are not timed. */
const medianMs = async <S>(
  calls: number,
  prepare: () => Promise<S>,
  call: (state: S) => Promise<unknown>,
  done: (state: S) => Promise<void>
) => {
  const times: Array<number> = []
  for (let i = 0; i < WARM_UP_CALLS + calls; i++) {
    const state = await prepare()
    const start = performance.now()
    await call(state)
    const elapsed = performance.now() - start
    await done(state)
    if (i >= WARM_UP_CALLS) times.push(elapsed)
  }
  return median(times)
}

/**
 * Prints, per size, ms per call and µs per card of the use case and of the plain reference, and
 * their ratio.
 */
export const benchManageAllCards = async (): Promise<void> => {
  console.log("\nmanageAllCards: LOCK every card of one customer (in-memory adapter)")
  for (const [n, calls] of SIZES) {
    // decoded once per size: each build of the layer starts a fresh database from the decoded rows
    const store = layer(fixtureOf(n))
    const adapterMs = await medianMs(
      calls,
      async () => {
        const runtime = ManagedRuntime.make(store)
        await runtime.context() // the build, outside the timing
        return runtime
      },
      async (runtime) => {
        const result = await runtime.runPromise(manageAllCards(TENANT, REQUEST))
        if (result.totalCardsManaged !== n)
          throw new Error(`managed ${result.totalCardsManaged} of ${n} cards`)
      },
      (runtime) => runtime.dispose()
    )
    const plainMs = await medianMs(
      calls,
      async () => plainStoreOf(n),
      async (plain) => {
        const result = plainManageAllCards(plain, REQUEST)
        if (result.totalCardsManaged !== n)
          throw new Error(`managed ${result.totalCardsManaged} of ${n} cards`)
      },
      async () => {}
    )
    const size = `n=${n.toExponential().replace("+", "")}`
    const figure = (ms: number) => `${ms.toFixed(2)} ms/call, ${((ms * 1000) / n).toFixed(3)} µs/card`
    line(`${size} use case (read, transitions, transaction, audit)`, figure(adapterMs))
    line(`${size} plain JavaScript over Maps, the same events`, figure(plainMs))
    line(`${size} ratio`, ratio(adapterMs, plainMs))
  }
  line("target", "≤ 2 µs/card at 1e5, linear")
}
