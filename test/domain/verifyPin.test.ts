import { Effect, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import {
  blockCard,
  KitNo,
  lockCard,
  PinStore,
  setPin,
  TenantId,
  terminalStatuses,
  verifyPin
} from "../../src/index.js"
import {
  attemptsOf,
  B_SET_PIN_KEY_HEX,
  envelope,
  expectedVerifier,
  FOREIGN_KIT,
  FOREIGN_PAN,
  KIT,
  PIN,
  type PinFixtureOptions,
  pinFixture,
  request,
  runOn,
  TENANT_A,
  TENANT_B
} from "../support/setPin.js"

const WRONG = "4822"

const verify = (pin: string, kitNo = KIT) => verifyPin(TENANT_A, { kitNo, pin, channel: "IVR" })

/** An attempt's answer, or the code of its refusal. */
const answerOf = (result: Result.Result<boolean, { readonly code: string }>) =>
  Result.isSuccess(result) ? result.success : result.failure.code

/** With the PIN set on the card, the attempts in order: each one's answer, then the card's counter. */
const attempts = (pins: ReadonlyArray<string>, options: PinFixtureOptions = {}) =>
  runOn(
    pinFixture(options),
    Effect.gen(function* () {
      yield* setPin(TENANT_A, request())
      const answers = []
      for (const pin of pins) answers.push(answerOf(yield* Effect.result(verify(pin))))
      return { answers, counter: yield* attemptsOf(TENANT_A, KIT) }
    })
  )

describe("verifyPin: the answer and the try limit", () => {
  it("answers true for the PIN set, false for another below the limit", async () => {
    const out = await attempts([PIN, WRONG, "48210"])
    expect(out.answers).toEqual([true, false, false])
    expect(out.counter).toEqual({ failedAttempts: 2, blocked: false })
  })

  it("refuses the wrong PIN that reaches the limit of 3 with PinTriesExceeded, and every attempt after it, the right PIN too", async () => {
    const out = await attempts([WRONG, WRONG, WRONG, PIN, WRONG])
    expect(out.answers).toEqual([
      false,
      false,
      "PIN_TRIES_EXCEEDED",
      "PIN_TRIES_EXCEEDED",
      "PIN_TRIES_EXCEEDED"
    ])
    expect(out.counter).toEqual({ failedAttempts: 3, blocked: true })
  })

  it("counts wrong PINs in a row only: the right PIN puts the count back to 0", async () => {
    const out = await attempts([WRONG, WRONG, PIN, WRONG, WRONG])
    expect(out.answers).toEqual([false, false, true, false, false])
    expect(out.counter).toEqual({ failedAttempts: 2, blocked: false })
  })

  it.each([1, 5, 10])("blocks at the tenant's pinTryLimit of %i", async (pinTryLimit) => {
    const out = await attempts([...Array(pinTryLimit).fill(WRONG), PIN], { policy: { pinTryLimit } })
    expect(out.answers).toEqual([
      ...Array(pinTryLimit - 1).fill(false),
      "PIN_TRIES_EXCEEDED",
      "PIN_TRIES_EXCEEDED"
    ])
    expect(out.counter).toEqual({ failedAttempts: pinTryLimit, blocked: true })
  })

  it("is unblocked by a new PIN, which starts the count again", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        for (const _ of [1, 2, 3]) yield* Effect.result(verify(WRONG))
        const blocked = yield* attemptsOf(TENANT_A, KIT)
        yield* setPin(TENANT_A, request({ pinBlock: envelope("7306") }))
        const reset = yield* attemptsOf(TENANT_A, KIT)
        return { blocked, reset, answers: [yield* verify("7306"), yield* verify(PIN), yield* verify(WRONG)] }
      })
    )
    expect(out.blocked).toEqual({ failedAttempts: 3, blocked: true })
    expect(out.reset).toEqual({ failedAttempts: 0, blocked: false })
    expect(out.answers).toEqual([true, false, false])
  })

  it("keeps a blocked PIN blocked when the tenant raises its limit, and a count its lowered limit reaches is blocked at once", async () => {
    /** The card's PIN stored with this counter, then the right PIN offered under the tenant's limit. */
    const underLimit = (pinTryLimit: number, failedAttempts: number, blocked: boolean) =>
      runOn(
        pinFixture({ policy: { pinTryLimit } }),
        Effect.gen(function* () {
          yield* setPin(TENANT_A, request())
          yield* PinStore.use((store) =>
            store.recordAttempts(TenantId.make(TENANT_A), KitNo.make(KIT), { failedAttempts, blocked })
          )
          return answerOf(yield* Effect.result(verify(PIN)))
        })
      )
    // blocked at 3, the limit now 5
    expect(await underLimit(5, 3, true)).toBe("PIN_TRIES_EXCEEDED")
    // 4 counted under a limit of 5, the limit now 3
    expect(await underLimit(3, 4, false)).toBe("PIN_TRIES_EXCEEDED")
    // and below the limit, the right PIN is right
    expect(await underLimit(5, 4, false)).toBe(true)
  })

  it("says the PIN is blocked and how to unblock it, naming the card and nothing of the PIN", async () => {
    const error = await runOn(
      pinFixture({ policy: { pinTryLimit: 1 } }),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        return yield* Effect.flip(verify(WRONG))
      })
    )
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _tag: "PinTriesExceeded",
      code: "PIN_TRIES_EXCEEDED",
      message: `The PIN of card ${KIT} is blocked after too many wrong PINs; set a new PIN to unblock it.`,
      kitNo: KIT
    })
  })
})

describe("verifyPin: which cards verify", () => {
  it.each([...terminalStatuses])("refuses a %s card with InvalidCardStatusForPin", async (status) => {
    const result = await runOn(pinFixture({ card: { status } }), Effect.result(verify(PIN)))
    expect(Result.isFailure(result) && result.failure).toMatchObject({
      _tag: "InvalidCardStatusForPin",
      code: "INVALID_CARD_STATUS",
      kitNo: KIT,
      status
    })
  })

  it("refuses a card blocked after its PIN was set, right PIN or wrong, and counts nothing", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* blockCard(TENANT_A, { kitNo: KIT })
        const answers = [
          answerOf(yield* Effect.result(verify(PIN))),
          answerOf(yield* Effect.result(verify(WRONG)))
        ]
        return { answers, counter: yield* attemptsOf(TENANT_A, KIT) }
      })
    )
    expect(out.answers).toEqual(["INVALID_CARD_STATUS", "INVALID_CARD_STATUS"])
    expect(out.counter).toEqual({ failedAttempts: 0, blocked: false })
  })

  it.each(["ASSIGNED", "ACTIVE"] as const)("verifies on an %s card", async (status) => {
    expect((await attempts([PIN, WRONG], { card: { status } })).answers).toEqual([true, false])
  })

  it("verifies on a LOCKED card, and counts its wrong PINs: a lock is temporary", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* lockCard(TENANT_A, { kitNo: KIT })
        return {
          answers: [yield* verify(PIN), yield* verify(WRONG)],
          counter: yield* attemptsOf(TENANT_A, KIT)
        }
      })
    )
    expect(out).toEqual({ answers: [true, false], counter: { failedAttempts: 1, blocked: false } })
  })

  it("answers false for an unknown card and for another tenant's, as for a wrong PIN, and for a card without a PIN, counting nothing", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        const answers = [yield* verify(PIN, "NOSUCHKIT"), yield* verify(PIN, FOREIGN_KIT), yield* verify(PIN)]
        return { answers, counter: yield* attemptsOf(TENANT_A, KIT) }
      })
    )
    expect(out).toEqual({ answers: [false, false, false], counter: undefined })
  })

  it("counts on the card named in the tenant alone: another tenant's card keeps its own count", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* setPin(
          TENANT_B,
          request({ kitNo: FOREIGN_KIT, pinBlock: envelope(PIN, FOREIGN_PAN, B_SET_PIN_KEY_HEX) })
        )
        yield* Effect.result(verify(WRONG))
        return [yield* attemptsOf(TENANT_A, KIT), yield* attemptsOf(TENANT_B, FOREIGN_KIT)]
      })
    )
    expect(out).toEqual([
      { failedAttempts: 1, blocked: false },
      { failedAttempts: 0, blocked: false }
    ])
  })
})

describe("verifyPin: racing attempts on the memory adapter", () => {
  it("20 wrong PINs at once: exactly the limit is counted, and every attempt from the limit on is refused", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        const results = yield* Effect.all(
          Array.from({ length: 20 }, () => Effect.result(verify(WRONG))),
          { concurrency: "unbounded" }
        )
        return { answers: results.map(answerOf), counter: yield* attemptsOf(TENANT_A, KIT) }
      })
    )
    expect(out.answers.filter((a) => a === false)).toHaveLength(2)
    expect(out.answers.filter((a) => a === "PIN_TRIES_EXCEEDED")).toHaveLength(18)
    expect(out.counter).toEqual({ failedAttempts: 3, blocked: true })
  })

  it("leaves the verifier as set: verifying never rewrites it", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        for (const pin of [WRONG, PIN, WRONG, WRONG, WRONG]) yield* Effect.result(verify(pin))
        return yield* PinStore.use((store) => store.find(TenantId.make(TENANT_A), KitNo.make(KIT)))
      })
    )
    expect(out._tag === "Some" && Redacted.value(out.value.verifier.mac)).toBe(expectedVerifier(KIT, PIN))
  })
})
