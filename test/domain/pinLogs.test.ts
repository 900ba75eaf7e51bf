/**
 * The one debug line of every PIN attempt (docs/pin-blocks.md): it names the tenant, the card's kitNo
 * and the outcome, for a success and for a refusal alike; and a PIN counts as blocked once its wrong
 * PINs reach the tenant's limit, even when the limit was lowered below a count already stored.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { isPinBlocked } from "../../src/domain/pin/VerifyPinRules.js"
import { setPin, verifyPin } from "../../src/index.js"
import { KIT, observe, PIN, pinFixture, request, runOn, TENANT_A } from "../support/setPin.js"

/** The log lines naming this tenant, kitNo and outcome together. */
const linesWith = (logs: ReadonlyArray<string>, outcome: string) =>
  logs.filter(
    (line) =>
      line.includes(`tenant: '${TENANT_A}'`) &&
      line.includes(`kitNo: '${KIT}'`) &&
      line.includes(`outcome: '${outcome}'`)
  )

describe("the log line of a PIN attempt", () => {
  it("setPin: the tenant, the kitNo and OK for a success; the error's code for a refusal", async () => {
    const [success, refusal] = await runOn(
      pinFixture(),
      Effect.all([
        observe(setPin(TENANT_A, request())),
        observe(setPin(TENANT_A, request({ expiryDate: "0130" })))
      ])
    )
    expect(linesWith(success.logs, "OK")).toHaveLength(1)
    expect(linesWith(refusal.logs, "EXPIRY_DATE_MISMATCH")).toHaveLength(1)
  })

  it("verifyPin: the tenant, the kitNo and the outcome of the attempt", async () => {
    const [right, wrong] = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        return [
          yield* observe(verifyPin(TENANT_A, { kitNo: KIT, pin: PIN })),
          yield* observe(verifyPin(TENANT_A, { kitNo: KIT, pin: "0000" }))
        ]
      })
    )
    expect(linesWith(right.logs, "OK")).toHaveLength(1)
    expect(linesWith(wrong.logs, "WRONG_PIN")).toHaveLength(1)
  })
})

describe("a blocked PIN", () => {
  it("is blocked once its wrong PINs reach the limit, flagged or not: a lowered limit blocks a count already at it", () => {
    expect(isPinBlocked({ failedAttempts: 3, blocked: false }, 3)).toBe(true)
    expect(isPinBlocked({ failedAttempts: 4, blocked: false }, 3)).toBe(true)
    expect(isPinBlocked({ failedAttempts: 2, blocked: false }, 3)).toBe(false)
    expect(isPinBlocked({ failedAttempts: 0, blocked: true }, 3)).toBe(true)
  })
})
