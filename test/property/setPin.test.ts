/**
 * Laws of Set PIN V2 for every PIN and PAN: what a client seals sets the PIN and it verifies, and no
 * output of the library (results, errors, audit events, log lines, the store) holds a secret.
 */
import { inspect } from "node:util"
import { Cause, Effect, Layer, Logger, Option, Redacted, References, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import {
  isTrivialPin,
  KitNo,
  PinStore,
  SecurityModule,
  setPin,
  TenantId,
  verifyPin
} from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { digits, flipBit, referenceFormat0 } from "../crypto/support.js"
import { testLayer } from "../support/builders.js"
import { withoutStoredPanBytes } from "../support/protectedPan.js"
import {
  auditOf,
  envelope,
  expectedVerifier,
  KIT,
  OTHER_KEY_HEX,
  PIN_STORE_KEY_HEX,
  pinFixture,
  request,
  SET_PIN_KEY_HEX,
  TENANT_A
} from "../support/setPin.js"
import { snapshot } from "../support/state.js"

/** A PIN the default policy accepts: 4–12 digits, neither one digit repeated nor a straight run. */
const pinArb = Arbitraries.pin()

/** A Luhn-valid PAN of 12–19 digits. */
const panArb = digits(11, 18).map((body) => body + luhnCheckDigit(body))

const ivArb = fc.uint8Array({ minLength: 16, maxLength: 16 })

/** Another non-trivial PIN of the same length. */
const otherPin = (pin: string): string => {
  const shifted = [...pin].map((d) => String((Number(d) + 3) % 10)).join("")
  return isTrivialPin(shifted) ? `${shifted.slice(1)}${shifted[0]}` : shifted
}

const masked = (pan: string) => pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4)

const storedVerifier = PinStore.use((store) => store.find(TenantId.make(TENANT_A), KitNo.make(KIT)))

describe("setPin, for every PIN and PAN", () => {
  it("sets what encryptPinBlock sealed under the tenant key; that PIN then verifies, another does not", async () => {
    await fc.assert(
      fc.asyncProperty(pinArb, panArb, ivArb, async (pin, pan, iv) => {
        const out = await Effect.runPromise(
          Effect.gen(function* () {
            const result = yield* setPin(
              TENANT_A,
              request({ pinBlock: envelope(pin, pan, SET_PIN_KEY_HEX, iv) })
            )
            return {
              result,
              stored: Option.map(yield* storedVerifier, (record) => Redacted.value(record.verifier.mac)),
              verified: yield* verifyPin(TENANT_A, { kitNo: KIT, pin }),
              other: yield* verifyPin(TENANT_A, { kitNo: KIT, pin: otherPin(pin) })
            }
          }).pipe(Effect.provide(testLayer(pinFixture({ card: { pan } }))))
        )
        expect(out).toEqual({
          result: { kitNo: KIT, cardNumber: masked(pan), status: "PIN_SET" },
          stored: Option.some(expectedVerifier(KIT, pin, PIN_STORE_KEY_HEX, pan)),
          verified: true,
          other: false
        })
      }),
      { numRuns: 100 }
    )
  })
})

/** Every way a value of ours is printed or serialized. */
const renderings = (value: unknown): ReadonlyArray<string> => {
  const texts = [String(value), JSON.stringify(value) ?? "", inspect(value, { depth: null })]
  if (Result.isResult(value) && Result.isFailure(value)) {
    const error = value.failure as Error
    texts.push(error.message, Cause.pretty(Cause.fail(error)))
  }
  return texts
}

/**
 * Good and bad attempts with one PIN on one card, in a fresh store, with Debug logs captured: every
 * text the library lets out.
 */
const everyOutput = async (pin: string, pan: string, iv: Uint8Array): Promise<ReadonlyArray<string>> => {
  const lines: Array<string> = []
  const capture = Logger.make((options) => {
    lines.push(
      `${options.logLevel} ${inspect(options.message, { depth: null })} ${Cause.pretty(options.cause)}`
    )
  })
  const good = envelope(pin, pan, SET_PIN_KEY_HEX, iv)
  const program = Effect.gen(function* () {
    const values: Array<unknown> = [
      yield* Effect.result(setPin(TENANT_A, request({ pinBlock: good }))),
      yield* Effect.result(setPin(TENANT_A, request({ pinBlock: good, expiryDate: "0130" }))),
      yield* Effect.result(setPin(TENANT_A, request({ pinBlock: envelope(pin, pan, OTHER_KEY_HEX, iv) }))),
      yield* Effect.result(setPin(TENANT_A, request({ pinBlock: flipBit(good, 20 * 8) }))),
      yield* Effect.result(setPin(TENANT_A, request({ pinBlock: good, kitNo: "not a kit" }))),
      yield* Effect.result(verifyPin(TENANT_A, { kitNo: KIT, pin })),
      yield* Effect.result(verifyPin(TENANT_A, { kitNo: KIT, pin: `${pin}x` })),
      yield* auditOf(TENANT_A, KIT),
      yield* storedVerifier
    ]
    // the store: every row of every tenant's state, each part on its own too; and the security
    // module as a host could reach it, whose keys are in its closure alone
    const state = yield* snapshot
    values.push(
      state,
      ...Object.values(state).flatMap((tenant) => Object.values(tenant)),
      yield* SecurityModule
    )
    return values
  })
  const values = await Effect.runPromise(
    program.pipe(
      Effect.provide(Layer.mergeAll(testLayer(pinFixture({ card: { pan } })), Logger.layer([capture]))),
      Effect.provideService(References.MinimumLogLevel, "All")
    )
  )
  // one line for each attempt, the one that fails validation included
  expect(lines.filter((line) => line.includes("SET_PIN"))).toHaveLength(5)
  return [...values.flatMap(renderings), ...lines].map(withoutStoredPanBytes)
}

describe("no output of setPin holds a secret", () => {
  it("not the PAN, the envelope, the PIN block, the keys or the verifier; and none changes with the PIN", async () => {
    await fc.assert(
      fc.asyncProperty(pinArb, panArb, ivArb, async (pin, pan, iv) => {
        const texts = await everyOutput(pin, pan, iv)
        const control = await everyOutput(otherPin(pin), pan, iv)
        // whatever the PIN, every output is the same: none can hold it
        expect(texts).toEqual(control)
        const block = referenceFormat0(pin, pan).toString("hex")
        const secrets = [
          pan,
          envelope(pin, pan, SET_PIN_KEY_HEX, iv),
          envelope(pin, pan, OTHER_KEY_HEX, iv),
          block,
          block.toUpperCase(),
          SET_PIN_KEY_HEX,
          PIN_STORE_KEY_HEX,
          expectedVerifier(KIT, pin, PIN_STORE_KEY_HEX, pan)
        ]
        // a PIN the control run's output holds too is there by coincidence (a date, a kitNo)
        const controlText = control.join("\n")
        for (const text of texts) {
          for (const secret of secrets) expect(text).not.toContain(secret)
          if (!controlText.includes(pin)) expect(text).not.toContain(pin)
        }
      }),
      { numRuns: 50 }
    )
  })
})
