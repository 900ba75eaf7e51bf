/**
 * replaceCard on the in-memory adapter: µs per call, against the same rule in plain JavaScript over
 * Maps in the same run. Every call replaces the card of a fresh account, so the monthly limit never
 * stops the loop; half the calls ask for a PHYSICAL card (newLoyaltyId), half for a VIRTUAL one.
 */
import { Effect, ManagedRuntime } from "effect"
import { randomKeyHex } from "../src/adapters/memory/FixtureBuilder.js"
import { layer, type MemoryFixture } from "../src/adapters/memory/index.js"
import { luhnCheckDigit } from "../src/domain/ground/Pan.js"
import { replaceCard, withIdempotencyKey } from "../src/index.js"
import { line, type PlainCard, ratio, us } from "./harness.js"

const TENANT = "BENCH_BANK"
// long enough for the optimizing compiler and the young generation to settle: after 2,000 calls
// the first round still ran 20-25 % slower than the next ones
const WARMUP = 10_000
const CALLS = 20_000
const ROUNDS = 3

const panFor = (serial: number): string => {
  const body = `608040${String(serial).padStart(9, "0")}`
  return body + luhnCheckDigit(body)
}

const product = (productId: string, cardType: "PHYSICAL" | "VIRTUAL", bin: string, plasticCode: string) => ({
  productId,
  productName: productId,
  tierType: "CLASSIC",
  cardType,
  plasticCode,
  bin,
  networkType: "RUPAY",
  cardCategory: "DEBIT" as const,
  validityYears: 5
})

const fixture = (accounts: number): MemoryFixture => ({
  tenants: {
    [TENANT]: {
      // the keys that protect the stored PANs (encrypted and hashed)
      keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() },
      // a replacement card is issued on its catalog product's BIN: VIRTUAL ones on an 8-digit BIN
      products: [
        product("2001_PHYSICAL", "PHYSICAL", "608040", "4566"),
        product("2001_VIRTUAL", "VIRTUAL", "60804099", "V2001")
      ],
      tierLadder: ["CLASSIC"],
      customers: Array.from({ length: accounts }, (_, i) => ({
        entityId: `E${i}`,
        mobileNo: `9${String(i).padStart(9, "0")}`,
        branchId: "BR001",
        accounts: [
          {
            accountNo: 1_000_000 + i,
            cards: [
              {
                kitNo: String(4_000_000_000 + i),
                pan: panFor(i),
                productId: "2001_PHYSICAL",
                tierType: "CLASSIC",
                cardType: "PHYSICAL" as const,
                expDate: "2029-07-31T00:00:00.000+00:00",
                status: "ACTIVE" as const
              }
            ]
          }
        ]
      }))
    }
  }
})

const body = (i: number) => ({
  correlationId: String(1_000_000 + i),
  oldLoyaltyId: 4_000_000_000 + i,
  status: "LOST_OR_STOLEN",
  ...(i % 2 === 0 ? { newLoyaltyId: String(7_000_000_000 + i) } : {})
})

const replaceRange = (from: number, to: number) =>
  Effect.forEach(
    Array.from({ length: to - from }, (_, k) => from + k),
    (i) => replaceCard(TENANT, body(i)),
    { discard: true }
  )

const keyed = withIdempotencyKey("replaceCard", replaceCard)
/** The same calls, each under a fresh idempotency key. */
const keyedRange = (from: number, to: number) =>
  Effect.forEach(
    Array.from({ length: to - from }, (_, k) => from + k),
    (i) => keyed(TENANT, `bench-${i}`, body(i)),
    { discard: true }
  )

// ---------------------------------------------------------------------------------------------------
// The reference: the same rule in plain JavaScript over Maps, without Effect, ports, validation or
// transaction. The same checks in seed 003's order, the same two-a-month limit over the account's
// replacement instants, a Luhn-valid PAN drawn on the product's BIN and kept unique, the same writes
// (old card, new card, account) and the same two audit events.

interface PlainAccount {
  readonly accountNo: number
  readonly entityId: string
  readonly status: string
  readonly registration: string
  /** Epoch millis of past replacements. */
  readonly replacements: ReadonlyArray<number>
}

interface PlainProduct {
  readonly productId: string
  readonly tierType: string
  readonly cardType: string
  readonly bin: string
}

const END_STATES = new Set(["DAMAGED", "CANCELLED", "LOST_OR_STOLEN"])
const REPLACEABLE = new Set(["ASSIGNED", "ACTIVE", "LOCKED", "BLOCKED"])
const OPERATION: Record<string, string> = {
  DAMAGED: "REPLACE_DAMAGED",
  CANCELLED: "REPLACE_CANCELLED",
  LOST_OR_STOLEN: "REPLACE_LOST_OR_STOLEN"
}

/** The window's exclusive start, as `replacementWindowStartMillis` computes it. */
const windowStart = (now: number): number => {
  const date = new Date(now)
  date.setUTCDate(1)
  const monthStart = date.setUTCHours(0, 0, 0, 0)
  const previousMonthStart = date.setUTCMonth(date.getUTCMonth() - 1)
  return Math.min(previousMonthStart + (now - monthStart), monthStart - 86_400_000)
}

const maskPan = (pan: string) => pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4)

const plainStore = (accounts: number) => {
  const accountRows = new Map<number, PlainAccount>()
  const cards = new Map<string, PlainCard>()
  const kitNoByPan = new Map<string, string>()
  for (let i = 0; i < accounts; i++) {
    const card: PlainCard = {
      kitNo: String(4_000_000_000 + i),
      entityId: `E${i}`,
      accountNo: 1_000_000 + i,
      productId: "2001_PHYSICAL",
      tierType: "CLASSIC",
      cardType: "PHYSICAL",
      pan: panFor(i),
      expDate: "2029-07-31T00:00:00.000+00:00",
      status: "ACTIVE"
    }
    cards.set(card.kitNo, card)
    kitNoByPan.set(card.pan, card.kitNo)
    accountRows.set(card.accountNo, {
      accountNo: card.accountNo,
      entityId: card.entityId,
      status: "ACTIVE",
      registration: "REGISTERED",
      replacements: []
    })
  }
  const products: ReadonlyArray<PlainProduct> = [
    { productId: "2001_PHYSICAL", tierType: "CLASSIC", cardType: "PHYSICAL", bin: "608040" },
    { productId: "2001_VIRTUAL", tierType: "CLASSIC", cardType: "VIRTUAL", bin: "60804099" }
  ]
  const audit: Array<object> = []
  const migrationInTransition = false
  let serial = 4_240_200_000

  const productFor = (card: PlainCard, cardType: string): PlainProduct | undefined => {
    const line = card.productId.split("_")[0]
    let sameLine: PlainProduct | undefined
    let first: PlainProduct | undefined
    for (const product of products) {
      if (product.tierType !== card.tierType || product.cardType !== cardType) continue
      if (product.productId === card.productId) return product
      if (
        product.productId.split("_")[0] === line &&
        (sameLine === undefined || product.productId < sameLine.productId)
      )
        sameLine = product
      if (first === undefined || product.productId < first.productId) first = product
    }
    return sameLine ?? first
  }

  const drawPan = (bin: string): string => {
    const width = 15 - bin.length
    for (;;) {
      const body = bin + String(Math.floor(Math.random() * 10 ** width)).padStart(width, "0")
      const pan = body + luhnCheckDigit(body)
      if (!kitNoByPan.has(pan)) return pan
    }
  }

  const replace = (request: ReturnType<typeof body>) => {
    const accountNo = Number(request.correlationId)
    const oldKitNo = String(request.oldLoyaltyId)
    const newLoyaltyId = request.newLoyaltyId
    const account = accountRows.get(accountNo)
    if (account === undefined) throw new Error("ACCOUNT_NOT_FOUND")
    const now = Date.now()
    const card = cards.get(oldKitNo)
    const newLoyaltyIdInUse = newLoyaltyId !== undefined && cards.has(newLoyaltyId)
    if (account.status === "CLOSED") throw new Error("ACCOUNT_CLOSED")
    if (account.status === "SUSPENDED") throw new Error("ACCOUNT_SUSPENDED")
    if (account.status !== "ACTIVE") throw new Error("ACCOUNT_NOT_ACTIVE")
    if (account.registration !== "REGISTERED" && !migrationInTransition)
      throw new Error("ACCOUNT_NOT_REGISTERED")
    if (card === undefined || card.accountNo !== account.accountNo)
      throw new Error("LOYALTY_ID_NOT_ON_ACCOUNT")
    if (!END_STATES.has(request.status)) throw new Error("INVALID_REPLACEMENT_STATUS")
    if (card.status === "CANCELLED") throw new Error("CARD_CANCELLED")
    if (card.status === "DAMAGED") throw new Error("CARD_DAMAGED")
    if (card.status === "LOST_OR_STOLEN") throw new Error("CARD_LOST_OR_STOLEN")
    if (!REPLACEABLE.has(card.status)) throw new Error("INVALID_STATUS_TRANSITION")
    const start = windowStart(now)
    let inWindow = 0
    for (const at of account.replacements) if (at > start) inWindow++
    if (inWindow >= 2) throw new Error("REPLACEMENT_LIMIT_EXCEEDED")
    if (newLoyaltyIdInUse) throw new Error("NEW_LOYALTY_ID_IN_USE")
    const cardType = newLoyaltyId === undefined ? "VIRTUAL" : "PHYSICAL"
    const product = productFor(card, cardType)
    if (product === undefined) throw new Error("REPLACEMENT_PRODUCT_NOT_FOUND")
    const pan = drawPan(product.bin)
    let kitNo = newLoyaltyId
    if (kitNo === undefined) {
      while (cards.has(String(serial))) serial++
      kitNo = String(serial++)
    }
    kitNoByPan.set(pan, kitNo)
    const operation = OPERATION[request.status]!
    const at = new Date(now).toISOString()
    const { lockedFrom: _, ...rest } = card
    const oldCard: PlainCard = { ...rest, status: request.status }
    const newCard: PlainCard = {
      kitNo,
      entityId: card.entityId,
      accountNo: card.accountNo,
      productId: product.productId,
      tierType: card.tierType,
      cardType,
      pan,
      expDate: card.expDate,
      status: "ACTIVE"
    }
    cards.set(oldCard.kitNo, oldCard)
    cards.set(newCard.kitNo, newCard)
    accountRows.set(account.accountNo, { ...account, replacements: [...account.replacements, now] })
    audit.push(
      {
        at,
        action: operation,
        subject: card.kitNo,
        outcome: "OK",
        cardNumber: maskPan(card.pan),
        previousStatus: card.status,
        currentStatus: oldCard.status
      },
      {
        at,
        action: "ISSUE",
        subject: kitNo,
        outcome: "OK",
        cardNumber: maskPan(pan),
        currentStatus: "ACTIVE",
        reason: `${operation} of kitNo ${card.kitNo}`
      }
    )
    return { NewLoyaltyCard: Number(kitNo), Message: "Card updated." }
  }
  return { replace }
}

// ---------------------------------------------------------------------------------------------------

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/**
 * Prints the median of three rounds of 20,000 calls, after 10,000 calls of warm-up, of the use case
 * and of the plain reference, timed in alternating rounds; the use case's wall-clock figure per round
 * and its process CPU time per call beside it.
 */
export const benchReplaceCard = async (): Promise<void> => {
  console.log("\nreplaceCard: a fresh account per call, half PHYSICAL, half VIRTUAL (in-memory adapter)")
  // the accounts of the calls without a key, then those of the calls with one
  const total = WARMUP + CALLS * ROUNDS
  const runtime = ManagedRuntime.make(layer(fixture(2 * total)))
  try {
    await runtime.context() // the layer's build, outside the timing
    const plain = plainStore(total)
    const plainRange = (from: number, to: number) => {
      for (let i = from; i < to; i++) plain.replace(body(i))
    }
    await runtime.runPromise(replaceRange(0, WARMUP))
    await runtime.runPromise(keyedRange(total, total + WARMUP))
    plainRange(0, WARMUP)
    const wall: Array<number> = []
    const cpu: Array<number> = []
    const reference: Array<number> = []
    const withKey: Array<number> = []
    for (let round = 0; round < ROUNDS; round++) {
      const from = WARMUP + round * CALLS
      const started = performance.now()
      const cpuBefore = process.cpuUsage()
      await runtime.runPromise(replaceRange(from, from + CALLS))
      const used = process.cpuUsage(cpuBefore)
      wall.push(((performance.now() - started) * 1000) / CALLS)
      cpu.push((used.user + used.system) / CALLS)
      const plainStarted = performance.now()
      plainRange(from, from + CALLS)
      reference.push(((performance.now() - plainStarted) * 1000) / CALLS)
      const keyedStarted = performance.now()
      await runtime.runPromise(keyedRange(total + from, total + from + CALLS))
      withKey.push(((performance.now() - keyedStarted) * 1000) / CALLS)
    }
    const ours = median(wall)
    const plainUs = median(reference)
    line("use case (decode, 8 port calls, transaction, audit)", us(ours))
    line(
      `  wall per round, CPU (median of ${ROUNDS} rounds of ${CALLS})`,
      `${wall.map((w) => w.toFixed(1)).join(", ")} µs; CPU ${median(cpu).toFixed(1)} µs/op`
    )
    line("plain JavaScript over Maps, the same writes and events", us(plainUs))
    line("ratio", ratio(ours, plainUs))
    line("target", "< 20 µs per call")
    line("the use case under a fresh idempotency key", us(median(withKey)))
    line("  with a key ÷ without", ratio(median(withKey), ours))
  } finally {
    await runtime.dispose()
  }
}
