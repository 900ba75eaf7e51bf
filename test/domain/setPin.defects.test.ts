import { Cause, Effect, Exit, Result } from "effect"
import { describe, expect, it } from "vitest"
import { CardRepository, InvalidKey, SecurityModule, setPin } from "../../src/index.js"
import {
  AT,
  envelope,
  expectedVerifier,
  KIT,
  MASKED,
  observe,
  PAN_AS_KIT,
  PAN_AS_KIT_MASKED,
  pinFixture,
  request,
  runOn,
  storedVerifier,
  TENANT_A
} from "../support/setPin.js"

describe("setPin on a misconfigured host: a defect is audited as INTERNAL_ERROR, then raised again", () => {
  /** A security module whose set-PIN key is no AES key (20 bytes): opening an envelope dies. */
  const withBrokenSetPinKey = <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.updateService(self, SecurityModule, (module) =>
      SecurityModule.of({ ...module, verifierFromEnvelope: () => Effect.die(new InvalidKey()) })
    )

  const defectOf = (exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit) || !Cause.hasDies(exit.cause)) throw new Error("expected the call to die")
    return Result.getOrThrow(Cause.findDefect(exit.cause))
  }

  it("under the card once found, and keeps the PIN the card had", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request({ pinBlock: envelope("5930") }))
        const observed = yield* observe(withBrokenSetPinKey(setPin(TENANT_A, request())))
        return { ...observed, stored: yield* storedVerifier(TENANT_A, KIT) }
      })
    )
    expect(defectOf(out.exit)).toBeInstanceOf(InvalidKey)
    expect(out.appended).toEqual([
      {
        tenant: TENANT_A,
        event: {
          at: AT,
          action: "SET_PIN",
          subject: KIT,
          outcome: "INTERNAL_ERROR",
          cardNumber: MASKED,
          changer: "cust-app",
          channel: "MOBILE"
        }
      }
    ])
    expect(out.stored).toBe(expectedVerifier(KIT, "5930"))
    expect(out.logs.filter((line) => line.includes("INTERNAL_ERROR"))).toHaveLength(1)
  })

  it("under the kitNo sent, masked, when the defect comes before the card is found", async () => {
    const boom = new Error("the card repository is broken")
    const out = await runOn(
      pinFixture(),
      observe(
        Effect.updateService(setPin(TENANT_A, request({ kitNo: PAN_AS_KIT })), CardRepository, (cards) =>
          CardRepository.of({
            ...cards,
            findByKitNo: () => Effect.die(boom),
            findByKitNoForUpdate: () => Effect.die(boom)
          })
        )
      )
    )
    expect(defectOf(out.exit)).toBe(boom)
    expect(out.appended.map(({ event }) => [event.subject, event.outcome, event.cardNumber])).toEqual([
      [PAN_AS_KIT_MASKED, "INTERNAL_ERROR", undefined]
    ])
    for (const line of out.logs) expect(line).not.toContain(PAN_AS_KIT)
  })

  it("and still raises the defect, not a StoreError, when its event cannot be written", async () => {
    const out = await runOn(pinFixture(), observe(withBrokenSetPinKey(setPin(TENANT_A, request()))), {
      failWrite: ({ operation }) => operation === "AuditLog.append"
    })
    expect(defectOf(out.exit)).toBeInstanceOf(InvalidKey)
    expect(Exit.isFailure(out.exit) && Cause.hasFails(out.exit.cause)).toBe(false)
    expect(out.appended).toEqual([])
    expect(out.logs.filter((line) => line.startsWith("Warn"))).toHaveLength(1)
  })
})
