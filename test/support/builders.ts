/**
 * Fixed ids and builders for fixtures: tests describe the data they need, not its boilerplate.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { TestClock } from "effect/testing"
import { layer, type MemoryFixture, type MemoryOptions } from "../../src/adapters/memory/index.js"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"

export const TENANT_A = "ACME_BANK"
export const TENANT_B = "GLOBEX_FIN"
export const NOW = Date.parse("2026-07-15T10:30:00.000Z")
export const BIN = "608040"

/** A Luhn-valid 16-digit PAN on the BIN, unique per serial. */
export const panFor = (serial: number, bin = BIN): string => {
  const body = bin + String(serial).padStart(15 - bin.length, "0")
  return body + luhnCheckDigit(body)
}

type CardFixture = NonNullable<
  NonNullable<NonNullable<MemoryFixture["tenants"][string]["customers"]>[number]["accounts"]>[number]["cards"]
>[number]
type CustomerFixture = NonNullable<MemoryFixture["tenants"][string]["customers"]>[number]

export const cardFixture = (
  kitNo: string,
  serial: number,
  overrides: Partial<CardFixture> = {}
): CardFixture => ({
  kitNo,
  pan: panFor(serial),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  expDate: "2029-07-31T00:00:00.000+00:00",
  ...overrides
})

/** One customer with one account holding the given cards. */
export const customerWith = (
  entityId: string,
  mobileNo: string,
  accountNo: number,
  cards: ReadonlyArray<CardFixture>
): CustomerFixture => ({
  entityId,
  mobileNo,
  branchId: "BR001",
  accounts: [{ accountNo, cards }]
})

export const fixtureOf = (tenants: Record<string, ReadonlyArray<CustomerFixture>>): MemoryFixture => ({
  tenants: Object.fromEntries(Object.entries(tenants).map(([t, customers]) => [t, { customers }]))
})

/**
 * The memory adapter over a fixture, with a TestClock set to NOW. Each tenant without its own gets
 * fresh `panStore` and `cardNumber` keys: the memory adapter stores a card's PAN protected only.
 */
export const testLayer = (fixture: MemoryFixture, options?: MemoryOptions) =>
  Layer.mergeAll(
    layer(withStorageKeys(fixture), options),
    Layer.effectDiscard(TestClock.setTime(NOW)).pipe(Layer.provideMerge(TestClock.layer()))
  )

/** A runtime that keeps one store across several runs (fast-check commands, scenario steps). */
export const testRuntime = (fixture: MemoryFixture, options?: MemoryOptions) =>
  ManagedRuntime.make(testLayer(fixture, options))

export const run = <A, E>(effect: Effect.Effect<A, E, never>) => Effect.runPromise(effect)
