/**
 * manageAllCards (seed 002) over one customer with 1e3, 1e4 and 1e5 cards on the memory adapter,
 * against a plain-JavaScript loop over a Map of the same cards, in one process run.
 *
 * Every timed call LOCKs all n ACTIVE cards: one read of the customer's cards, n status changes and
 * audit events, one card write and one audit write. Each call starts from the same stored state (a
 * fresh runtime over freshly built tables, outside the timing), so the audit log does not grow from
 * call to call. Figures are medians of the timed calls, after warm-up calls.
 */
import { Layer, ManagedRuntime } from "effect"
import { TestClock } from "effect/testing"
import {
  MemoryAuditLog,
  MemoryCardRepository,
  MemoryCustomerRepository,
  MemoryDatabase,
  MemoryTransactor,
  type Tables
} from "../src/adapters/memory/index.js"
import { putCards } from "../src/adapters/memory/MemoryCardRepository.js"
import { putAccounts, putCustomers } from "../src/adapters/memory/MemoryCustomerRepository.js"
import { emptyTables } from "../src/adapters/memory/MemoryDatabase.js"
import {
  AccountNo,
  BranchId,
  type Card,
  EntityId,
  KitNo,
  luhnCheckDigit,
  MobileNo,
  makePan,
  manageAllCards,
  PanDigits,
  TenantId
} from "../src/index.js"

const TENANT = TenantId.make("ACME_BANK")
const ENTITY = EntityId.make("req11")
const ACCOUNT = AccountNo.make(8642135)
const REQUEST = {
  entityId: ENTITY,
  operation: "LOCK",
  reason: "LOST_PHONE",
  changer: "bench",
  channel: "IVR"
}
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

const cardsOf = (n: number): ReadonlyArray<Card> =>
  Array.from({ length: n }, (_, i) => ({
    kitNo: KitNo.make(`K${String(i).padStart(7, "0")}`),
    entityId: ENTITY,
    accountNo: ACCOUNT,
    productId: "2001_PHYSICAL",
    tierType: "CLASSIC",
    cardType: "PHYSICAL",
    pan: makePan(PanDigits.make(panOf(i))),
    expDate: "2029-07-31T00:00:00.000+00:00",
    status: "ACTIVE"
  }))

const tablesOf = (cards: ReadonlyArray<Card>): Tables => {
  const customer = {
    entityId: ENTITY,
    mobileNo: MobileNo.make("9876543210"),
    branchId: BranchId.make("BR001")
  }
  const withCustomer = putAccounts(putCustomers(emptyTables(), TENANT, [customer]), TENANT, [
    { accountNo: ACCOUNT, entityId: ENTITY } as Parameters<typeof putAccounts>[2][number]
  ])
  return putCards(withCustomer, TENANT, cards)
}

const runtimeOver = (tables: Tables) =>
  ManagedRuntime.make(
    Layer.mergeAll(
      Layer.mergeAll(MemoryCardRepository, MemoryCustomerRepository, MemoryAuditLog, MemoryTransactor).pipe(
        Layer.provideMerge(MemoryDatabase.layer(tables))
      ),
      TestClock.layer()
    )
  )

interface PlainCard {
  readonly kitNo: string
  readonly pan: string
  status: string
  lockedFrom: string | undefined
}

/** The same work in plain JavaScript: a Map of card objects, a status set on each, the result array. */
const plainLock = (cards: Map<string, PlainCard>) => {
  const managedCards: Array<{
    kitNo: string
    cardNumber: string
    previousStatus: string
    currentStatus: string
  }> = []
  for (const card of cards.values()) {
    const previousStatus = card.status
    if (previousStatus !== "ACTIVE" && previousStatus !== "ASSIGNED") continue
    card.status = "LOCKED"
    card.lockedFrom = previousStatus
    const cardNumber = `${card.pan.slice(0, 6)}${"X".repeat(card.pan.length - 10)}${card.pan.slice(-4)}`
    managedCards.push({ kitNo: card.kitNo, cardNumber, previousStatus, currentStatus: card.status })
  }
  return { managedCards, totalCardsManaged: managedCards.length, operation: "LOCK", entityId: ENTITY }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The median time of `calls` calls after the warm-up calls; `prepare` and `done` are not timed. */
const medianMs = async <S>(
  calls: number,
  prepare: () => S,
  call: (state: S) => Promise<unknown>,
  done: (state: S) => Promise<void>
) => {
  const times: Array<number> = []
  for (let i = 0; i < WARM_UP_CALLS + calls; i++) {
    const state = prepare()
    const start = performance.now()
    await call(state)
    const elapsed = performance.now() - start
    await done(state)
    if (i >= WARM_UP_CALLS) times.push(elapsed)
  }
  return median(times)
}

/**
 * Prints one line per figure: ms per call, µs per card, and the ratio to the plain loop, per size.
 */
export const benchManageAllCards = async (): Promise<void> => {
  for (const [n, calls] of SIZES) {
    const cards = cardsOf(n)
    const adapterMs = await medianMs(
      calls,
      () => runtimeOver(tablesOf(cards)),
      async (runtime) => {
        const result = await runtime.runPromise(manageAllCards(TENANT, REQUEST))
        if (result.totalCardsManaged !== n)
          throw new Error(`managed ${result.totalCardsManaged} of ${n} cards`)
      },
      (runtime) => runtime.dispose()
    )
    const plainMs = await medianMs(
      calls,
      () =>
        new Map(
          cards.map((c) => [
            c.kitNo,
            { kitNo: c.kitNo, pan: panOf(Number(c.kitNo.slice(1))), status: "ACTIVE", lockedFrom: undefined }
          ])
        ),
      async (map) => plainLock(map),
      async () => {}
    )
    const size = `n=${n.toExponential().replace("+", "")}`
    const perCard = (ms: number) => `${((ms * 1000) / n).toFixed(3)} µs/card`
    console.log(
      `manageAllCards ${size} memory adapter: ${adapterMs.toFixed(2)} ms/call, ${perCard(adapterMs)}`
    )
    console.log(`manageAllCards ${size} plain JS loop:  ${plainMs.toFixed(2)} ms/call, ${perCard(plainMs)}`)
    console.log(`manageAllCards ${size} ratio adapter/plain: ${(adapterMs / plainMs).toFixed(1)}x`)
  }
}
