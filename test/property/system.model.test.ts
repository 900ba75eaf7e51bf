/**
 * Model-based, all stateful use cases together: random sequences of activate / lock / unlock /
 * block, manageAllCards, upgradeCard, replaceCard, cancelCardOrder, setPin, verifyPin and
 * updateToken, some under idempotency keys and retried, with the clock moving across month ends,
 * against one small model: per card its status, tier, product and PIN state; the orders, the tokens,
 * the replacements of the account, the idempotency keys, and the audit events per subject.
 *
 * The model is this file's own reading of DOMAIN.md and docs/ (the transition table, the tier
 * ladder, seed 003's checks in their order, the replacement window, the PIN try limit, the token
 * states, docs/idempotency.md), written without the library's tables. After every step the store,
 * read through the ports only, must equal the model: on the memory adapter here, and on PostgreSQL
 * with fewer runs. A second tenant holds the same kitNos, PANs and TURs and must never change.
 */
import { Effect, Layer, ManagedRuntime, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryPorts } from "../../src/adapters/memory/index.js"
import { layer as memoryLayer } from "../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../src/adapters/memory/MemoryFixture.js"
import {
  AuditLog,
  activateCard,
  blockCard,
  CardOrderRepository,
  CardRepository,
  cancelCardOrder,
  EntityId,
  KitNo,
  lockCard,
  type ManageAllCardsResult,
  manageAllCards,
  OrderId,
  PinStore,
  type ReplaceCardResult,
  replaceCard,
  setPin,
  TenantId,
  TokenRepository,
  TokenUniqueReference,
  type UpgradeCardResult,
  unlockCard,
  updateToken,
  upgradeCard,
  verifyPin,
  withIdempotencyKey
} from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { RANGE, tokenFixture } from "../../src/testing/contract/tokenFixture.js"
import { cardFixture, customerWith, panFor, TENANT_A, TENANT_B } from "../support/builders.js"
import { commandsReplay } from "../support/fastCheckReplay.js"
import { CATALOG, LADDER, orderFixture, type Tier } from "../support/kitManager.js"
import { describePostgres } from "../support/postgres/database.js"
import { seededPostgres } from "../support/postgres/seeded.js"
import {
  CARD_NUMBER_KEY_HEX,
  EXPIRY,
  envelope,
  PAN_STORE_KEY_HEX,
  PIN_STORE_KEY_HEX,
  SET_PIN_KEY_HEX
} from "../support/setPin.js"
import { turFor } from "../support/tokens.js"

// ---- the fixture ------------------------------------------------------------------------------------

const ENTITY = "676165"
const MOBILE = "9876543210"
const ACCOUNT = 8642135
const BRANCH = "BR001"
const PIN_TRY_LIMIT = 2
const RETENTION = 24 * 3_600_000

type CardType = "PHYSICAL" | "VIRTUAL"
type Status =
  | "ASSIGNED"
  | "ACTIVE"
  | "LOCKED"
  | "BLOCKED"
  | "REPLACED"
  | "DAMAGED"
  | "CANCELLED"
  | "LOST_OR_STOLEN"

/** The cards the fixture starts with: their PANs and expiry are known, so PINs are set on them. */
const FIRST_CARDS = [
  { kitNo: "4240180001", serial: 1, status: "ASSIGNED", productId: "2001_PHYSICAL", tier: "CLASSIC" },
  { kitNo: "4240180002", serial: 2, status: "ACTIVE", productId: "2002_PHYSICAL", tier: "CLASSIC" },
  { kitNo: "4240180003", serial: 3, status: "LOCKED", productId: "2003_VIRTUAL", tier: "SILVER" }
] as const
const FIRST_ORDER = "ORD-4240180001"
const TOKENS = [
  { tur: turFor(1), status: "ACTIVE" },
  { tur: turFor(2), status: "SUSPENDED" },
  { tur: turFor(3), status: "INACTIVE" }
] as const
const START_EXPIRY = "0827"

const tenantFixture = (keys: Record<string, string> | undefined) => ({
  customers: [
    customerWith(
      ENTITY,
      MOBILE,
      ACCOUNT,
      FIRST_CARDS.map((c) => {
        const product = CATALOG.find((p) => p.productId === c.productId)!
        return cardFixture(c.kitNo, c.serial, {
          status: c.status,
          ...(c.status === "LOCKED" ? { lockedFrom: "ACTIVE" as const } : {}),
          productId: c.productId,
          tierType: c.tier,
          cardType: product.cardType
        })
      })
    )
  ],
  products: CATALOG,
  tierLadder: [...LADDER],
  orders: [orderFixture(FIRST_ORDER, FIRST_CARDS[0].kitNo)],
  tokens: TOKENS.map(({ tur, status }) =>
    tokenFixture(tur, { status, accountPanExpirationDate: START_EXPIRY })
  ),
  accountRanges: [RANGE],
  ...(keys === undefined ? {} : { keys }),
  policy: { pinTryLimit: PIN_TRY_LIMIT }
})

/**
 * Tenant A under test, with its keys; tenant B with the same kitNos, PANs, order and TURs, which
 * nothing touches (its storage keys are drawn fresh: a key serves one tenant).
 */
const FIXTURE: MemoryFixture = {
  tenants: {
    [TENANT_A]: tenantFixture({
      setPin: SET_PIN_KEY_HEX,
      pinStore: PIN_STORE_KEY_HEX,
      cardNumber: CARD_NUMBER_KEY_HEX,
      panStore: PAN_STORE_KEY_HEX
    }),
    [TENANT_B]: tenantFixture(undefined)
  }
}

// ---- the model --------------------------------------------------------------------------------------

interface ModelCard {
  readonly kitNo: string
  status: Status
  lockedFrom?: "ASSIGNED" | "ACTIVE"
  readonly tier: Tier
  readonly productId: string
  readonly cardType: CardType
}
interface ModelPin {
  readonly pin: string
  failed: number
  blocked: boolean
}
/** What a refusal shows: its class, code, message and, for a transition, the card's status. */
interface Refusal {
  readonly _tag: string
  readonly code?: string
  readonly message: string
  readonly status?: string
}
type Answer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Refusal }
interface KeyRecord {
  readonly fingerprint: string
  readonly answer: Answer
  readonly expiresAt: number
  readonly call: Call
}
interface Model {
  now: number
  readonly cards: Array<ModelCard>
  readonly orders: Map<string, { status: "RECEIVED" | "CANCELLED"; readonly kitNo: string }>
  readonly pins: Map<string, ModelPin>
  readonly tokens: Map<string, { readonly status: string; expiry: string }>
  readonly replacements: Array<number>
  /** audit events per subject (kitNo or orderId) */
  readonly events: Map<string, number>
  readonly keys: Map<string, KeyRecord>
  /** the next newLoyaltyId no card holds */
  nextLoyaltyId: number
}

const TERMINAL: ReadonlyArray<Status> = ["BLOCKED", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN"]
const isTerminal = (status: Status) => TERMINAL.includes(status)
const rank = (tier: string) => LADDER.indexOf(tier as Tier)

const addEvents = (model: Model, subject: string, count = 1) =>
  model.events.set(subject, (model.events.get(subject) ?? 0) + count)

const cardOf = (model: Model, kitNo: string) => model.cards.find((c) => c.kitNo === kitNo)!

/** DOMAIN.md §2 as the model reads it: the status an operation leads to, or undefined when refused. */
const transition = (card: ModelCard, op: "ACTIVATE" | "LOCK" | "UNLOCK" | "BLOCK"): Status | undefined => {
  switch (op) {
    case "ACTIVATE":
      return card.status === "ASSIGNED" ? "ACTIVE" : undefined
    case "LOCK":
      return card.status === "ASSIGNED" || card.status === "ACTIVE" ? "LOCKED" : undefined
    case "UNLOCK":
      return card.status === "LOCKED" ? card.lockedFrom : undefined
    case "BLOCK":
      return isTerminal(card.status) ? undefined : "BLOCKED"
  }
}

const move = (card: ModelCard, to: Status) => {
  if (to === "LOCKED") card.lockedFrom = card.status as "ASSIGNED" | "ACTIVE"
  else delete card.lockedFrom
  card.status = to
}

/**
 * DOMAIN.md §5's window start, read on its own: the same day and time one calendar month before,
 * but from the previous month's last day of month onward, 00:00 of that last day.
 */
const windowStart = (now: number): number => {
  const d = new Date(now)
  const year = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear()
  const month = (d.getUTCMonth() + 11) % 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return d.getUTCDate() >= lastDay
    ? Date.UTC(year, month, lastDay)
    : Date.UTC(
        year,
        month,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds()
      )
}

/** docs/card-replacement.md: the old card's product if of the type, else its line's, else the first. */
const replacementProductId = (old: ModelCard, cardType: CardType): string => {
  const candidates = CATALOG.filter((p) => p.tierType === old.tier && p.cardType === cardType)
    .map((p) => p.productId)
    .sort()
  const line = old.productId.split("_")[0]
  return (
    candidates.find((id) => id === old.productId) ??
    candidates.find((id) => id.split("_")[0] === line) ??
    candidates[0]!
  )
}

// ---- running a call -----------------------------------------------------------------------------------

type Run = <A, E>(effect: Effect.Effect<A, E, MemoryPorts>) => Promise<A>
interface Real {
  readonly run: Run
}

/** One request to one use case, with what the model expects of it. */
interface Call {
  readonly operation: string
  readonly useCase: (tenant: string, request: unknown) => Effect.Effect<unknown, unknown, MemoryPorts>
  readonly request: Record<string, unknown>
  /** Checks the answer against the model as it is before the call, then moves the model on. */
  readonly settle: (model: Model, answer: Answer) => void
  readonly label: string
}

const answerOf = async (
  real: Real,
  effect: Effect.Effect<unknown, unknown, MemoryPorts>
): Promise<Answer> => {
  const result = await real.run(Effect.result(effect))
  return Result.isSuccess(result)
    ? { ok: true, value: result.success }
    : { ok: false, error: result.failure as Refusal }
}

const expectRefusal = (answer: Answer, tag: string, code?: string): void => {
  expect(answer.ok ? "success" : answer.error._tag).toBe(tag)
  if (code !== undefined && !answer.ok) expect(answer.error.code).toBe(code)
}

const successOf = <A = unknown>(answer: Answer): A => {
  if (!answer.ok) throw new Error(`expected a success, got ${answer.error._tag}: ${answer.error.message}`)
  return answer.value as A
}

const fingerprintOf = (call: Call) => JSON.stringify([call.operation, call.request])

/** The same answer again: the same result, or a refusal of the same class, code and message. */
const expectSameAnswer = (again: Answer, first: Answer) => {
  if (first.ok) expect(successOf(again)).toEqual(first.value)
  else {
    expect(again.ok).toBe(false)
    if (!again.ok)
      expect([again.error._tag, again.error.code, again.error.message]).toEqual([
        first.error._tag,
        first.error.code,
        first.error.message
      ])
  }
}

/**
 * docs/idempotency.md as the model reads it: without a key the call runs; with a key that holds an
 * unexpired answer, the same request gets that answer and another request is refused, and neither
 * changes anything; otherwise the call runs and its answer is kept for the retention.
 */
const execute = async (model: Model, real: Real, call: Call, key: string | undefined) => {
  if (key === undefined) return call.settle(model, await answerOf(real, call.useCase(TENANT_A, call.request)))
  const keyed = withIdempotencyKey(call.operation, call.useCase)(TENANT_A, key, call.request)
  const record = model.keys.get(key)
  if (record !== undefined && record.expiresAt > model.now) {
    const answer = await answerOf(real, keyed)
    if (record.fingerprint === fingerprintOf(call)) expectSameAnswer(answer, record.answer)
    else expectRefusal(answer, "IdempotencyKeyReused")
    return
  }
  const answer = await answerOf(real, keyed)
  call.settle(model, answer)
  model.keys.set(key, { fingerprint: fingerprintOf(call), answer, expiresAt: model.now + RETENTION, call })
}

// ---- the calls ----------------------------------------------------------------------------------------

const SINGLE_CARD = {
  ACTIVATE: ["activateCard", activateCard],
  LOCK: ["lockCard", lockCard],
  UNLOCK: ["unlockCard", unlockCard],
  BLOCK: ["blockCard", blockCard]
} as const

const singleCard = (op: "ACTIVATE" | "LOCK" | "UNLOCK" | "BLOCK", kitNo: string): Call => {
  const [operation, useCase] = SINGLE_CARD[op]
  return {
    operation,
    useCase,
    request: { kitNo, channel: "MOBILE" },
    label: `${op}(${kitNo})`,
    settle: (model, answer) => {
      const card = cardOf(model, kitNo)
      const to = transition(card, op)
      if (to === undefined) {
        expectRefusal(answer, "InvalidStatusTransition")
        expect(answer.ok || answer.error.status).toBe(card.status)
        return
      }
      expect(successOf(answer)).toMatchObject({ kitNo, previousStatus: card.status, currentStatus: to })
      move(card, to)
      addEvents(model, kitNo)
    }
  }
}

const bulk = (operation: "BLOCK" | "LOCK" | "UNLOCK", byMobile: boolean): Call => ({
  operation: "manageAllCards",
  useCase: manageAllCards,
  request: { ...(byMobile ? { mobileNo: MOBILE } : { entityId: ENTITY }), operation, channel: "WEB" },
  label: `manageAllCards(${operation}, ${byMobile ? "mobileNo" : "entityId"})`,
  settle: (model, answer) => {
    const changes = model.cards.flatMap((card) => {
      const to = transition(card, operation)
      return to === undefined ? [] : [{ card, from: card.status, to }]
    })
    const result = successOf<ManageAllCardsResult>(answer)
    expect(result.totalCardsManaged).toBe(changes.length)
    expect(result.managedCards.map((m) => [m.kitNo, m.previousStatus, m.currentStatus]).sort()).toEqual(
      changes.map(({ card, from, to }) => [card.kitNo, from, to]).sort()
    )
    expect(result.skippedCards.map((s) => s.kitNo).sort()).toEqual(
      model.cards
        .filter((c) => !changes.some(({ card }) => card === c))
        .map((c) => c.kitNo)
        .sort()
    )
    for (const { card, to } of changes) {
      move(card, to)
      addEvents(model, card.kitNo)
    }
  }
})

interface Wanted {
  readonly tier: Tier
  readonly cardType: CardType
  readonly plastic: 0 | 1
}
const productFor = ({ tier, cardType, plastic }: Wanted) => {
  const of = CATALOG.filter((p) => p.tierType === tier && p.cardType === cardType)
  return of[Math.min(plastic, of.length - 1)]!
}

const upgrade = (kitNo: string, wanted: ReadonlyArray<Wanted>): Call => {
  const products = wanted.map(productFor)
  return {
    operation: "upgradeCard",
    useCase: upgradeCard,
    request: {
      entityId: ENTITY,
      kitNo,
      kitInfo: products.map((p) => ({
        cardType: p.cardType,
        plasticCode: p.plasticCode,
        tierType: p.tierType
      }))
    },
    label: `upgradeCard(${kitNo}, ${products.map((p) => p.productId).join(" + ")})`,
    settle: (model, answer) => {
      const card = cardOf(model, kitNo)
      // DOMAIN.md §4, in order: the card's status, then each entry against the ladder
      if (card.status !== "ASSIGNED" && card.status !== "ACTIVE" && card.status !== "LOCKED")
        return expectRefusal(answer, "InvalidStatusTransition")
      for (const product of products) {
        if (rank(product.tierType) < rank(card.tier)) return expectRefusal(answer, "TierDowngrade")
        if (rank(product.tierType) === rank(card.tier) && product.productId === card.productId)
          return expectRefusal(answer, "SameProductUpgrade")
      }
      const result = successOf<UpgradeCardResult>(answer)
      expect(result.kitInfo.map((k) => [k.productId, k.cardType, k.cardStatus])).toEqual(
        products.map((p) => [p.productId, p.cardType, "ASSIGNED"])
      )
      move(card, "REPLACED")
      addEvents(model, kitNo)
      for (const [i, issued] of result.kitInfo.entries()) {
        const product = products[i]!
        expect(model.cards.some((c) => c.kitNo === issued.kitNo)).toBe(false)
        model.cards.push({
          kitNo: issued.kitNo,
          status: "ASSIGNED",
          tier: product.tierType as Tier,
          productId: product.productId,
          cardType: product.cardType
        })
        addEvents(model, issued.kitNo)
        // a PHYSICAL card is ordered at the customer's branch; a VIRTUAL one is not
        expect(issued.orderId !== undefined).toBe(product.cardType === "PHYSICAL")
        if (issued.orderId !== undefined) {
          expect(model.orders.has(issued.orderId)).toBe(false)
          model.orders.set(issued.orderId, { status: "RECEIVED", kitNo: issued.kitNo })
          addEvents(model, issued.orderId)
        }
      }
    }
  }
}

type ReplacementReason = "DAMAGED" | "CANCELLED" | "LOST_OR_STOLEN" | "ACTIVE"

const replace = (kitNo: string, status: ReplacementReason, newLoyaltyId: string | undefined): Call => ({
  operation: "replaceCard",
  useCase: replaceCard,
  request: {
    correlationId: String(ACCOUNT),
    oldLoyaltyId: Number(kitNo),
    status,
    ...(newLoyaltyId === undefined ? {} : { newLoyaltyId })
  },
  label: `replaceCard(${kitNo}, ${status}, ${newLoyaltyId ?? "digital"})`,
  settle: (model, answer) => {
    const card = cardOf(model, kitNo)
    const refused = (code: string) => expectRefusal(answer, "CardReplacementRefused", code)
    // seed 003's checks in DOMAIN.md §5's order (the account is ACTIVE and registered throughout)
    if (status === "ACTIVE") return refused("INVALID_REPLACEMENT_STATUS")
    if (card.status === "CANCELLED") return refused("CARD_CANCELLED")
    if (card.status === "DAMAGED") return refused("CARD_DAMAGED")
    if (card.status === "LOST_OR_STOLEN") return refused("CARD_LOST_OR_STOLEN")
    if (card.status === "REPLACED") return expectRefusal(answer, "InvalidStatusTransition")
    const start = windowStart(model.now)
    if (model.replacements.filter((at) => at > start && at <= model.now).length >= 2)
      return refused("REPLACEMENT_LIMIT_EXCEEDED")
    if (newLoyaltyId !== undefined && model.cards.some((c) => c.kitNo === newLoyaltyId))
      return refused("NEW_LOYALTY_ID_IN_USE")
    const result = successOf<ReplaceCardResult>(answer)
    expect(result.Message).toBe("Card updated.")
    const newKitNo = String(result.NewLoyaltyCard)
    if (newLoyaltyId !== undefined) expect(newKitNo).toBe(newLoyaltyId)
    expect(model.cards.some((c) => c.kitNo === newKitNo)).toBe(false)
    const cardType: CardType = newLoyaltyId === undefined ? "VIRTUAL" : "PHYSICAL"
    model.cards.push({
      kitNo: newKitNo,
      status: "ACTIVE",
      tier: card.tier,
      productId: replacementProductId(card, cardType),
      cardType
    })
    move(card, status)
    addEvents(model, kitNo)
    addEvents(model, newKitNo)
    model.replacements.push(model.now)
  }
})

const cancelOrder = (orderId: string, branchId: string): Call => ({
  operation: "cancelCardOrder",
  useCase: cancelCardOrder,
  request: { orderId, branchId },
  label: `cancelCardOrder(${orderId}, ${branchId})`,
  settle: (model, answer) => {
    const order = model.orders.get(orderId)!
    if (branchId !== BRANCH) return expectRefusal(answer, "OrderBranchMismatch")
    if (order.status !== "RECEIVED") return expectRefusal(answer, "OrderNotCancellable")
    const card = cardOf(model, order.kitNo)
    // DOMAIN.md §7: the ordered card goes with its order only while it is ASSIGNED
    const to = card.status === "ASSIGNED" ? "CANCELLED" : card.status
    expect(successOf(answer)).toMatchObject({
      orderId,
      orderStatus: "CANCELLED",
      kitNo: card.kitNo,
      cardStatus: to
    })
    order.status = "CANCELLED"
    addEvents(model, orderId)
    if (to !== card.status) {
      move(card, to)
      addEvents(model, card.kitNo)
    }
  }
})

/** PINs of the commands: two the tenant accepts, and a straight run it refuses. */
const PINS = ["4821", "73065", "1234"] as const

const setPinOn = (index: number, pin: string): Call => {
  const { kitNo, serial } = FIRST_CARDS[index]!
  return {
    operation: "setPin",
    useCase: setPin,
    request: { kitNo, pinBlock: envelope(pin, panFor(serial)), expiryDate: EXPIRY },
    label: `setPin(${kitNo}, ${pin})`,
    settle: (model, answer) => {
      const card = cardOf(model, kitNo)
      addEvents(model, kitNo)
      if (isTerminal(card.status)) return expectRefusal(answer, "InvalidCardStatusForPin")
      if (pin === "1234") return expectRefusal(answer, "TrivialPinRefused")
      expect(successOf(answer)).toMatchObject({ kitNo, status: "PIN_SET" })
      model.pins.set(kitNo, { pin, failed: 0, blocked: false })
    }
  }
}

const verifyPinOn = (index: number, pin: string): Call => {
  const { kitNo } = FIRST_CARDS[index]!
  return {
    operation: "verifyPin",
    useCase: verifyPin,
    request: { kitNo, pin },
    label: `verifyPin(${kitNo}, ${pin})`,
    settle: (model, answer) => {
      const card = cardOf(model, kitNo)
      const state = model.pins.get(kitNo)
      addEvents(model, kitNo)
      if (isTerminal(card.status)) return expectRefusal(answer, "InvalidCardStatusForPin")
      if (state === undefined) return expect(successOf(answer)).toBe(false)
      if (state.blocked) return expectRefusal(answer, "PinTriesExceeded")
      if (pin === state.pin) {
        state.failed = 0
        return expect(successOf(answer)).toBe(true)
      }
      state.failed++
      state.blocked = state.failed >= PIN_TRY_LIMIT
      if (state.blocked) return expectRefusal(answer, "PinTriesExceeded")
      expect(successOf(answer)).toBe(false)
    }
  }
}

const updateTokenOf = (index: number, expiry: string): Call => {
  const { tur } = TOKENS[index]!
  return {
    operation: "updateToken",
    useCase: updateToken,
    request: {
      tokenUniqueReference: tur,
      expirationDate: expiry,
      auditInfo: { userId: "agent-7", userName: "Ada Agent", organization: "ACME Support" }
    },
    label: `updateToken(${tur.slice(-2)}, ${expiry})`,
    settle: (model, answer) => {
      const token = model.tokens.get(tur)!
      // DOMAIN.md §8: only ACTIVE and SUSPENDED tokens change
      if (token.status !== "ACTIVE" && token.status !== "SUSPENDED")
        return expectRefusal(answer, "TokenNotUpdatable")
      successOf(answer)
      token.expiry = expiry
    }
  }
}

// ---- what the store holds, through the ports -----------------------------------------------------------

const observe = (model: Model) =>
  Effect.gen(function* () {
    const cards = yield* CardRepository
    const orders = yield* CardOrderRepository
    const pins = yield* PinStore
    const tokens = yield* TokenRepository
    const audit = yield* AuditLog
    const tenantOf = (tenant: string) => TenantId.make(tenant)
    const state = (tenant: string, subjects: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const t = tenantOf(tenant)
        const held = yield* cards.findByCustomer(t, EntityId.make(ENTITY))
        return {
          cards: held.map((c) => [c.kitNo, c.status, c.tierType, c.productId, c.cardType]).sort(),
          orders: yield* Effect.forEach([...model.orders.keys()], (id) =>
            Effect.map(orders.findById(t, OrderId.make(id)), (o) => [id, Option.getOrUndefined(o)?.status])
          ),
          pins: yield* Effect.forEach(FIRST_CARDS, ({ kitNo }) =>
            Effect.map(pins.find(t, KitNo.make(kitNo)), (found) =>
              Option.match(found, {
                onNone: () => undefined,
                onSome: ({ failedAttempts, blocked }) => ({ failedAttempts, blocked })
              })
            )
          ),
          tokens: yield* Effect.forEach(TOKENS, ({ tur }) =>
            Effect.map(tokens.findByReference(t, TokenUniqueReference.make(tur)), (found) => {
              const token = Option.getOrThrow(found)
              return [token.status, token.accountPanExpirationDate]
            })
          ),
          events: yield* Effect.forEach(subjects, (subject) =>
            Effect.map(audit.findBySubject(t, subject), (events) => events.length)
          )
        }
      })
    const subjects = [...model.events.keys()].sort()
    return { a: yield* state(TENANT_A, subjects), b: yield* state(TENANT_B, subjects) }
  })

/** What the model says the store holds: tenant A as the model has it, tenant B as it started. */
const expected = (model: Model) => {
  const subjects = [...model.events.keys()].sort()
  return {
    a: {
      cards: model.cards.map((c) => [c.kitNo, c.status, c.tier, c.productId, c.cardType]).sort(),
      orders: [...model.orders.entries()].map(([id, o]) => [id, o.status]),
      pins: FIRST_CARDS.map(({ kitNo }) => {
        const pin = model.pins.get(kitNo)
        return pin === undefined ? undefined : { failedAttempts: pin.failed, blocked: pin.blocked }
      }),
      tokens: TOKENS.map(({ tur }) => [model.tokens.get(tur)!.status, model.tokens.get(tur)!.expiry]),
      events: subjects.map((subject) => model.events.get(subject))
    },
    b: {
      cards: FIRST_CARDS.map((c) => {
        const product = CATALOG.find((p) => p.productId === c.productId)!
        return [c.kitNo, c.status, c.tier, c.productId, product.cardType]
      }).sort(),
      orders: [...model.orders.keys()].map((id) => [id, id === FIRST_ORDER ? "RECEIVED" : undefined]),
      pins: FIRST_CARDS.map(() => undefined),
      tokens: TOKENS.map(({ status }) => [status, START_EXPIRY]),
      events: subjects.map(() => 0)
    }
  }
}

// ---- the commands ------------------------------------------------------------------------------------

class CallCommand implements fc.AsyncCommand<Model, Real> {
  private label = "?"
  constructor(
    readonly make: (model: Model) => Call,
    readonly key: string | undefined
  ) {}
  check = () => true
  async run(model: Model, real: Real) {
    const call = this.make(model)
    this.label = `${call.label}${this.key === undefined ? "" : ` under ${this.key}`}`
    await execute(model, real, call, this.key)
    expect(await real.run(observe(model))).toEqual(expected(model))
  }
  toString = () => this.label
}

/** The call last made under a key, sent again under that key: a client's retry. */
class RetryCommand implements fc.AsyncCommand<Model, Real> {
  private label = "retry"
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.keys.size > 0
  async run(model: Model, real: Real) {
    const keys = [...model.keys.keys()]
    const key = keys[this.pick % keys.length]!
    const { call } = model.keys.get(key)!
    this.label = `retry ${call.label} under ${key}`
    await execute(model, real, call, key)
    expect(await real.run(observe(model))).toEqual(expected(model))
  }
  toString = () => this.label
}

class ClockCommand implements fc.AsyncCommand<Model, Real> {
  private label = "clock"
  constructor(readonly step: "HOUR" | "DAY" | "WEEK" | "TO_MONTH_END" | "PAST_MONTH_END") {}
  check = () => true
  async run(model: Model, real: Real) {
    const d = new Date(model.now)
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1
    model.now = {
      HOUR: model.now + 3_600_000,
      DAY: model.now + 86_400_000,
      WEEK: model.now + 7 * 86_400_000,
      TO_MONTH_END: monthEnd,
      PAST_MONTH_END: monthEnd + 1 + 3_600_000
    }[this.step]
    this.label = `clock ${this.step} → ${new Date(model.now).toISOString()}`
    await real.run(TestClock.setTime(model.now))
  }
  toString = () => this.label
}

/** One call in three under a key, from a small pool: keys come back, for the same request or another. */
const keyArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.constantFrom("k-1", "k-2", "k-3", "k-4", "k-5", "k-6"), weight: 1 }
)
// BLOCK and the end states come rarer, so that cards live long enough for PINs to be blocked
const statusOp = fc.constantFrom(
  "ACTIVATE" as const,
  "LOCK" as const,
  "UNLOCK" as const,
  "UNLOCK" as const,
  "BLOCK" as const
)
const anyCard = fc.nat()
/** A card of the model by position, wrapped round: the cards the model holds when the command runs. */
const kitNoAt = (model: Model, i: number) => model.cards[i % model.cards.length]!.kitNo
const wantedArb = fc.record({
  tier: fc.constantFrom(...LADDER),
  cardType: fc.constantFrom<CardType>("PHYSICAL", "VIRTUAL"),
  plastic: fc.constantFrom<0 | 1>(0, 1)
})

const replaceArb = fc
  .tuple(
    anyCard,
    fc.constantFrom<ReplacementReason>("DAMAGED", "CANCELLED", "LOST_OR_STOLEN", "LOST_OR_STOLEN", "ACTIVE"),
    fc.constantFrom("digital", "new", "taken"),
    keyArb
  )
  .map(
    ([i, status, id, key]) =>
      new CallCommand((m) => {
        const kitNo = kitNoAt(m, i)
        const newLoyaltyId =
          id === "digital" ? undefined : id === "taken" ? kitNoAt(m, i + 1) : String(m.nextLoyaltyId++)
        return replace(kitNo, status, newLoyaltyId)
      }, key)
  )
const verifyArb = fc
  .tuple(fc.nat({ max: 2 }), fc.constantFrom(...PINS, "0000"), keyArb)
  .map(([i, pin, key]) => new CallCommand(() => verifyPinOn(i, pin), key))

const commands = fc.commands(
  [
    fc
      .tuple(statusOp, anyCard, keyArb)
      .map(([op, i, key]) => new CallCommand((m) => singleCard(op, kitNoAt(m, i)), key)),
    fc
      .tuple(
        fc.constantFrom(
          "BLOCK" as const,
          "LOCK" as const,
          "LOCK" as const,
          "UNLOCK" as const,
          "UNLOCK" as const
        ),
        fc.boolean(),
        keyArb
      )
      .map(([op, byMobile, key]) => new CallCommand(() => bulk(op, byMobile), key)),
    fc
      .tuple(anyCard, wantedArb, fc.option(wantedArb, { nil: undefined }), keyArb)
      .map(([i, first, second, key]) => {
        const wanted = second === undefined || second.cardType === first.cardType ? [first] : [first, second]
        return new CallCommand((m) => upgrade(kitNoAt(m, i), wanted), key)
      }),
    replaceArb,
    replaceArb,
    fc.tuple(anyCard, fc.boolean(), keyArb).map(
      ([i, rightBranch, key]) =>
        new CallCommand((m) => {
          const ids = [...m.orders.keys()]
          return cancelOrder(ids[i % ids.length]!, rightBranch ? BRANCH : "BR999")
        }, key)
    ),
    fc
      .tuple(fc.nat({ max: 2 }), fc.constantFrom(...PINS), keyArb)
      .map(([i, pin, key]) => new CallCommand(() => setPinOn(i, pin), key)),
    verifyArb,
    verifyArb,
    verifyArb,
    fc
      .tuple(fc.nat({ max: 2 }), fc.constantFrom("1230", "0631"), keyArb)
      .map(([i, expiry, key]) => new CallCommand(() => updateTokenOf(i, expiry), key)),
    fc.nat().map((pick) => new RetryCommand(pick)),
    fc.nat().map((pick) => new RetryCommand(pick)),
    fc
      .constantFrom("HOUR", "DAY", "WEEK", "TO_MONTH_END", "PAST_MONTH_END")
      .map((step) => new ClockCommand(step))
  ],
  { maxCommands: 40, size: "max", ...commandsReplay }
)

/** Starting instants: mid-month, and the ends of short and long months, a leap February among them. */
const STARTS = [
  "2026-07-15T10:30:00.000Z",
  "2027-01-30T12:00:00.000Z",
  "2028-02-28T22:00:00.000Z",
  "2026-03-29T08:00:00.000Z"
]

const freshModel = (now: number): Model => ({
  now,
  cards: FIRST_CARDS.map((c) => ({
    kitNo: c.kitNo,
    status: c.status,
    ...(c.status === "LOCKED" ? { lockedFrom: "ACTIVE" as const } : {}),
    tier: c.tier,
    productId: c.productId,
    cardType: CATALOG.find((p) => p.productId === c.productId)!.cardType
  })),
  orders: new Map([[FIRST_ORDER, { status: "RECEIVED", kitNo: FIRST_CARDS[0].kitNo }]]),
  pins: new Map(),
  tokens: new Map(TOKENS.map(({ tur, status }) => [tur, { status, expiry: START_EXPIRY }])),
  replacements: [],
  events: new Map(),
  keys: new Map(),
  nextLoyaltyId: 7_000_000_001
})

/** A store under test over the fixture: a runner of programs, disposed of after the run. */
interface Store extends Real {
  readonly dispose: () => Promise<void>
}

const memoryStore = (): Store => {
  const runtime = ManagedRuntime.make(Layer.merge(memoryLayer(withStorageKeys(FIXTURE)), TestClock.layer()))
  return { run: runtime.runPromise as Run, dispose: () => runtime.dispose() }
}

const postgresStore = (): Store => {
  const runtime = ManagedRuntime.make(
    Layer.merge(seededPostgres(withStorageKeys(FIXTURE), 2), TestClock.layer())
  )
  return { run: runtime.runPromise as Run, dispose: () => runtime.dispose() }
}

/** The model-based property on a fresh store for each run. */
const agreesWithTheModel = (makeStore: () => Store, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(fc.constantFrom(...STARTS), commands, async (start, commands) => {
      const model = freshModel(Date.parse(start))
      const store = makeStore()
      try {
        await store.run(TestClock.setTime(model.now))
        await fc.asyncModelRun(() => ({ model, real: store }), commands)
      } finally {
        await store.dispose()
      }
    }),
    { numRuns }
  )

describe("every stateful use case against one model", () => {
  it("agrees with the model on every random sequence of calls, retries and clock steps", async () => {
    await agreesWithTheModel(memoryStore, 200)
  })
})

describePostgres("every stateful use case against one model, on PostgreSQL", () => {
  it("agrees with the model on every random sequence (fewer runs: a database each)", async () => {
    await agreesWithTheModel(postgresStore, 10)
  })
})
