/**
 * Model-based: random sequences of PIN attempts and new PINs on two cards, under a random try limit,
 * against a model far simpler than the system: per card, the PIN set, the wrong PINs in a row and
 * whether the PIN is blocked. And for every PIN and sequence, no output of verifyPin holds the PIN or
 * its verifier.
 */
import { inspect } from "node:util"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import { isTrivialPin, setPin, verifyPin } from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { cardFixture, customerWith, panFor, testRuntime } from "../support/builders.js"
import { commandsReplay } from "../support/fastCheckReplay.js"
import { withoutStoredPanBytes } from "../support/protectedPan.js"
import {
  attemptsOf,
  auditOf,
  EXPIRY,
  envelope,
  expectedVerifier,
  observe,
  PIN_STORE_KEY_HEX,
  SET_PIN_KEY_HEX,
  TENANT_A
} from "../support/setPin.js"
import { snapshot } from "../support/state.js"

const CARDS = [
  { kitNo: "4240181652", serial: 7 },
  { kitNo: "4240181653", serial: 9 }
] as const
/** The PINs attempts offer and setPin sets: a small pool, so that right and wrong PINs both come up often. */
const POOL = ["4821", "7306", "59302"] as const

const fixtureWith = (pinTryLimit: number): MemoryFixture => ({
  tenants: {
    [TENANT_A]: {
      customers: [
        customerWith(
          "req11",
          "9876543210",
          8642135,
          CARDS.map(({ kitNo, serial }) => cardFixture(kitNo, serial, { status: "ACTIVE" }))
        )
      ],
      keys: { setPin: SET_PIN_KEY_HEX, pinStore: PIN_STORE_KEY_HEX },
      policy: { pinTryLimit }
    }
  }
})

interface ModelCard {
  pin: string | undefined
  failed: number
  blocked: boolean
  readonly outcomes: Array<string>
}
interface Model {
  readonly limit: number
  readonly cards: Map<string, ModelCard>
}
interface Real {
  readonly rt: ReturnType<typeof testRuntime>
}

/** The store's counter and the card's VERIFY_PIN outcomes match the model's, for every card. */
const assertSameAsModel = async (model: Model, real: Real) => {
  for (const { kitNo } of CARDS) {
    const card = model.cards.get(kitNo)!
    const [counter, events] = await real.rt.runPromise(
      Effect.all([attemptsOf(TENANT_A, kitNo), auditOf(TENANT_A, kitNo)])
    )
    expect(counter).toEqual(
      card.pin === undefined ? undefined : { failedAttempts: card.failed, blocked: card.blocked }
    )
    expect(events.filter((e) => e.action === "VERIFY_PIN").map((e) => e.outcome)).toEqual(card.outcomes)
  }
}

class VerifyCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kitNo: string,
    readonly pin: string
  ) {}
  check = () => true
  async run(model: Model, real: Real) {
    const card = model.cards.get(this.kitNo)!
    const result = await real.rt.runPromise(
      Effect.result(verifyPin(TENANT_A, { kitNo: this.kitNo, pin: this.pin }))
    )
    const answer = Result.isSuccess(result) ? result.success : result.failure.code
    // the model's own reading of the rule: count wrong PINs in a row; the one at the limit blocks
    if (card.pin === undefined) {
      expect(answer).toBe(false)
      card.outcomes.push("NO_PIN")
    } else if (card.blocked) {
      expect(answer).toBe("PIN_TRIES_EXCEEDED")
      card.outcomes.push("PIN_TRIES_EXCEEDED")
    } else if (this.pin === card.pin) {
      expect(answer).toBe(true)
      card.failed = 0
      card.outcomes.push("OK")
    } else {
      card.failed++
      card.blocked = card.failed === model.limit
      expect(answer).toBe(card.blocked ? "PIN_TRIES_EXCEEDED" : false)
      card.outcomes.push(card.blocked ? "PIN_BLOCKED" : "WRONG_PIN")
    }
    await assertSameAsModel(model, real)
  }
  toString = () => `verify(${this.kitNo}, ${this.pin})`
}

class SetPinCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kitNo: string,
    readonly pin: string
  ) {}
  check = () => true
  async run(model: Model, real: Real) {
    const { serial } = CARDS.find((c) => c.kitNo === this.kitNo)!
    const request = { kitNo: this.kitNo, pinBlock: envelope(this.pin, panFor(serial)), expiryDate: EXPIRY }
    await real.rt.runPromise(setPin(TENANT_A, request))
    Object.assign(model.cards.get(this.kitNo)!, { pin: this.pin, failed: 0, blocked: false })
    await assertSameAsModel(model, real)
  }
  toString = () => `setPin(${this.kitNo}, ${this.pin})`
}

const kitNoArb = fc.constantFrom(...CARDS.map((c) => c.kitNo))
const pinOfPool = fc.constantFrom(...POOL)

describe("verifyPin against a model", () => {
  it("agrees with the model on every sequence of attempts and new PINs, under every try limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.commands(
          [
            fc.tuple(kitNoArb, pinOfPool).map(([kitNo, pin]) => new VerifyCommand(kitNo, pin)),
            fc.tuple(kitNoArb, pinOfPool).map(([kitNo, pin]) => new VerifyCommand(kitNo, pin)),
            fc.tuple(kitNoArb, pinOfPool).map(([kitNo, pin]) => new SetPinCommand(kitNo, pin))
          ],
          { maxCommands: 40, ...commandsReplay }
        ),
        async (limit, commands) => {
          const model: Model = {
            limit,
            cards: new Map(
              CARDS.map(({ kitNo }) => [kitNo, { pin: undefined, failed: 0, blocked: false, outcomes: [] }])
            )
          }
          const rt = testRuntime(fixtureWith(limit))
          try {
            await fc.asyncModelRun(() => ({ model, real: { rt } }), commands)
          } finally {
            await rt.dispose()
          }
        }
      ),
      { numRuns: 150 }
    )
  })
})

/** A wrong PIN: the last digit changed. */
const wrongOf = (pin: string): string => pin.slice(0, -1) + String((Number(pin.at(-1)) + 1) % 10)

/** Another PIN of the same length that setPin accepts: every digit shifted, rotated if that is trivial. */
const otherPin = (pin: string): string => {
  const shifted = [...pin].map((d) => String((Number(d) + 3) % 10)).join("")
  return isTrivialPin(shifted) ? `${shifted.slice(1)}${shifted[0]}` : shifted
}

/**
 * The PIN set on the first card, then right (`true`) and wrong (`false`) attempts in order: every
 * text verifyPin lets out (results and errors, their events, its log lines) and the state it leaves.
 */
const everyOutput = async (pin: string, attempts: ReadonlyArray<boolean>, limit: number) => {
  const [{ kitNo, serial }] = CARDS
  const rt = testRuntime(fixtureWith(limit))
  try {
    return await rt.runPromise(
      Effect.gen(function* () {
        yield* setPin(TENANT_A, { kitNo, pinBlock: envelope(pin, panFor(serial)), expiryDate: EXPIRY })
        const texts: Array<string> = []
        for (const right of attempts) {
          const { exit, appended, logs } = yield* observe(
            verifyPin(TENANT_A, { kitNo, pin: right ? pin : wrongOf(pin), channel: "IVR" })
          )
          texts.push(JSON.stringify(exit), inspect(exit, { depth: null }), JSON.stringify(appended), ...logs)
        }
        const state = yield* snapshot
        texts.push(JSON.stringify(state), inspect(state, { depth: null }))
        return texts.map(withoutStoredPanBytes)
      })
    )
  } finally {
    await rt.dispose()
  }
}

describe("no output of verifyPin holds the PIN or its verifier", () => {
  it("whatever the PIN, every output is the same, and none holds the verifier", async () => {
    await fc.assert(
      fc.asyncProperty(
        Arbitraries.pin(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 10 }),
        async (pin, attempts, limit) => {
          const texts = await everyOutput(pin, attempts, limit)
          // another PIN of the same length: an output that held the PIN would differ
          const control = await everyOutput(otherPin(pin), attempts, limit)
          expect(texts).toEqual(control)
          const verifier = expectedVerifier(CARDS[0].kitNo, pin)
          const controlText = control.join("\n")
          for (const text of texts) {
            expect(text).not.toContain(verifier)
            expect(text).not.toContain(PIN_STORE_KEY_HEX)
            // a PIN the control run's output holds too is there by coincidence (a date, a kitNo)
            if (!controlText.includes(pin)) expect(text).not.toContain(pin)
          }
        }
      ),
      { numRuns: 60 }
    )
  })
})
