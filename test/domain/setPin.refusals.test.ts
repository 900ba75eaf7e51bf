import { Cause, Effect, Exit, Result } from "effect"
import { describe, expect, it } from "vitest"
import { blockCard, setPin, verifyPin } from "../../src/index.js"
import { flipBit } from "../crypto/support.js"
import { panFor } from "../support/builders.js"
import {
  AT,
  type Attempt,
  attempt,
  auditOf,
  envelope,
  expectedVerifier,
  FOREIGN_KIT,
  FOREIGN_PAN,
  KIT,
  MASKED,
  OTHER_KEY_HEX,
  observe,
  PAN_AS_KIT,
  PAN_AS_KIT_MASKED,
  PIN,
  PIN_STORE_KEY_HEX,
  pinFixture,
  request,
  runOn,
  SET_PIN_KEY_HEX,
  storedVerifier,
  TENANT_A,
  TENANT_B
} from "../support/setPin.js"

/** The attempt failed with `code`, left the PIN store as it was, and left one event saying so. */
const expectRefused = (out: Attempt, code: string, cardNumber: string | undefined, subject = KIT) => {
  if (Result.isSuccess(out.result)) throw new Error("expected the attempt to be refused")
  expect(out.result.failure.code).toBe(code)
  expect(out.after).toBe(out.before)
  expect(out.events.map((e) => [e.action, e.subject, e.outcome, e.cardNumber])).toEqual([
    ["SET_PIN", subject, code, cardNumber]
  ])
  return out.result.failure
}

describe("setPin refuses a request that does not decode, and audits it", () => {
  /** Refused with a ValidationError naming `paths`; nothing stored; one VALIDATION_FAILED event. */
  const expectInvalid = async (body: unknown, paths: ReadonlyArray<string>, subject: string) => {
    const out = await attempt(pinFixture(), body, { earlierPin: "5930" })
    if (Result.isSuccess(out.result) || out.result.failure._tag !== "ValidationError")
      throw new Error("expected a ValidationError")
    expect(out.result.failure.issues.map((i) => i.path)).toEqual(paths)
    expect(out.after).toBe(out.before)
    // DOMAIN.md §6: every attempt, good or bad; no card was looked up, so no card number
    expect(out.events).toEqual([
      {
        at: AT,
        action: "SET_PIN",
        subject,
        outcome: "VALIDATION_FAILED",
        changer: "cust-app",
        channel: "MOBILE"
      }
    ])
    expect(out.logs.filter((line) => line.includes("VALIDATION_FAILED"))).toHaveLength(1)
    return out
  }

  it.each([["42-40"], [""], ["K".repeat(33)], [4240181652]])(
    "a kitNo of %j, under the subject -",
    async (kitNo) => {
      await expectInvalid(request({ kitNo }), ["kitNo"], "-")
    }
  )

  it.each([[1234], [null], [["a"]]])("a pinBlock of %j, under the kitNo sent", async (pinBlock) => {
    await expectInvalid(request({ pinBlock }), ["pinBlock"], KIT)
  })

  it("a missing pinBlock, under the kitNo sent", async () => {
    const { pinBlock: _, ...rest } = request()
    await expectInvalid(rest, ["pinBlock"], KIT)
  })

  it.each([["1329"], ["0029"], ["729"], ["07/29"], ["072029"], [729]])(
    "an expiryDate of %j, under the kitNo sent",
    async (expiryDate) => {
      await expectInvalid(request({ expiryDate }), ["expiryDate"], KIT)
    }
  )

  it("a card number sent as kitNo: audited and logged masked only", async () => {
    const out = await expectInvalid(
      request({ kitNo: PAN_AS_KIT, expiryDate: "1399" }),
      ["expiryDate"],
      PAN_AS_KIT_MASKED
    )
    for (const text of [JSON.stringify(out.events), ...out.logs]) expect(text).not.toContain(PAN_AS_KIT)
  })

  it("leaves out of the event a channel or changer that does not decode", async () => {
    const out = await attempt(pinFixture(), request({ channel: "FAX", expiryDate: "13" }))
    expect(out.events.map((e) => [e.subject, e.outcome, e.channel, e.changer])).toEqual([
      [KIT, "VALIDATION_FAILED", undefined, "cust-app"]
    ])
  })

  it("every bad field at once, the tenant and an unknown field included, without echoing a value", async () => {
    const body = {
      kitNo: "no!",
      pinBlock: 5,
      expiryDate: "1399",
      channel: "FAX",
      changer: "",
      pan: "6080400000000077"
    }
    const out = await runOn(pinFixture(), observe(setPin("bad tenant", body)))
    const error = Exit.isFailure(out.exit) ? Cause.findErrorOption(out.exit.cause) : undefined
    if (error?._tag !== "Some" || error.value._tag !== "ValidationError")
      throw new Error("expected a ValidationError")
    expect(error.value.issues.map((i) => i.path).sort()).toEqual(
      ["tenant", "kitNo", "pinBlock", "expiryDate", "channel", "changer", "pan"].sort()
    )
    expect(error.value.message).not.toContain("6080400000000077")
    expect(error.value.message).not.toContain("1399")
    // no valid tenant, no trail to write to: the log line is all that is left
    expect(out.appended).toEqual([])
    expect(out.logs.filter((line) => line.includes("VALIDATION_FAILED"))).toHaveLength(1)
    for (const line of out.logs) expect(line).not.toContain("6080400000000077")
  })
})

describe("setPin refuses a card", () => {
  it("that does not exist, auditing the attempt under the kitNo it named", async () => {
    const out = await attempt(pinFixture(), request({ kitNo: "NOSUCHKIT" }))
    const error = expectRefused(out, "CARD_NOT_FOUND", undefined, "NOSUCHKIT")
    expect(error._tag).toBe("CardNotFound")
  })

  it("that does not exist under a card number sent as kitNo, auditing and logging it masked only", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        const observed = yield* observe(setPin(TENANT_A, request({ kitNo: PAN_AS_KIT })))
        return {
          ...observed,
          underMasked: yield* auditOf(TENANT_A, PAN_AS_KIT_MASKED),
          underClear: yield* auditOf(TENANT_A, PAN_AS_KIT)
        }
      })
    )
    expect(out.underMasked.map((e) => [e.subject, e.outcome])).toEqual([
      [PAN_AS_KIT_MASKED, "CARD_NOT_FOUND"]
    ])
    expect(out.underClear).toEqual([])
    expect(out.logs.filter((line) => line.includes("CARD_NOT_FOUND"))).toHaveLength(1)
    for (const line of out.logs) expect(line).not.toContain(PAN_AS_KIT)
  })

  it("of another tenant, as not found, and touches nothing of that tenant", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        const result = yield* Effect.result(
          setPin(TENANT_A, request({ kitNo: FOREIGN_KIT, pinBlock: envelope(PIN, FOREIGN_PAN) }))
        )
        return {
          result,
          theirs: yield* storedVerifier(TENANT_B, FOREIGN_KIT),
          theirEvents: yield* auditOf(TENANT_B, FOREIGN_KIT),
          ourEvents: yield* auditOf(TENANT_A, FOREIGN_KIT)
        }
      })
    )
    expect(Result.isFailure(out.result) && out.result.failure._tag).toBe("CardNotFound")
    expect(out.theirs).toBeUndefined()
    expect(out.theirEvents).toEqual([])
    expect(out.ourEvents.map((e) => [e.outcome, e.cardNumber])).toEqual([["CARD_NOT_FOUND", undefined]])
  })

  it.each(["BLOCKED", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN"] as const)(
    "that is %s, naming its status",
    async (status) => {
      const out = await attempt(pinFixture({ card: { status } }), request())
      const error = expectRefused(out, "INVALID_CARD_STATUS", MASKED)
      expect(error._tag).toBe("InvalidCardStatusForPin")
      expect(error.message).toBe(
        `Card ${KIT} cannot take a PIN while it is ${status}; only ASSIGNED, ACTIVE or LOCKED cards can.`
      )
    }
  )

  it("once BLOCKED, and it keeps the PIN it had", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* blockCard(TENANT_A, { kitNo: KIT })
        const result = yield* Effect.result(setPin(TENANT_A, request({ pinBlock: envelope("7306") })))
        return {
          result,
          stored: yield* storedVerifier(TENANT_A, KIT),
          old: yield* Effect.result(verifyPin(TENANT_A, { kitNo: KIT, pin: PIN }))
        }
      })
    )
    expect(Result.isFailure(out.result) && out.result.failure.code).toBe("INVALID_CARD_STATUS")
    expect(out.stored).toBe(expectedVerifier(KIT, PIN))
    // kept, but a BLOCKED card verifies no PIN
    expect(Result.isFailure(out.old) && out.old.failure.code).toBe("INVALID_CARD_STATUS")
  })

  it.each([["0730"], ["0829"], ["0728"]])(
    "whose expiry is not %s, with a message that names neither",
    async (expiryDate) => {
      const out = await attempt(pinFixture(), request({ expiryDate }), { earlierPin: "5930" })
      const error = expectRefused(out, "EXPIRY_DATE_MISMATCH", MASKED)
      expect(error.message).toBe("The expiry date does not match the card.")
      expect(out.after).toBe(expectedVerifier(KIT, "5930"))
    }
  )
})

describe("setPin refuses without the tenant's keys", () => {
  it("no setPin key", async () => {
    const out = await attempt(pinFixture({ keys: { pinStore: PIN_STORE_KEY_HEX } }), request())
    const error = expectRefused(out, "TENANT_KEY_MISSING", MASKED)
    expect(error._tag === "TenantKeyMissing" && error.purpose).toBe("setPin")
  })

  it("no pinStore key", async () => {
    const out = await attempt(pinFixture({ keys: { setPin: SET_PIN_KEY_HEX } }), request())
    const error = expectRefused(out, "TENANT_KEY_MISSING", MASKED)
    expect(error._tag === "TenantKeyMissing" && error.purpose).toBe("pinStore")
  })
})

describe("setPin refuses an envelope that does not open, always with the one InvalidPinBlock", () => {
  const good = envelope(PIN)
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["sealed under another key", envelope(PIN, undefined, OTHER_KEY_HEX)],
    ["made for another PAN", envelope(PIN, panFor(9))],
    ["with a bit flipped in the IV", flipBit(good, 0)],
    ["with a bit flipped in the ciphertext", flipBit(good, 20 * 8)],
    ["with a bit flipped in the tag", flipBit(good, 39 * 8)],
    ["that is not Base64", "!".repeat(56)],
    ["that is too long", `${good.slice(0, -2)}AAAA`],
    ["that is too short", good.slice(0, 52)],
    ["that is empty", ""]
  ]

  it.each(cases)("%s", async (_, pinBlock) => {
    const out = await attempt(pinFixture(), request({ pinBlock }), { earlierPin: "5930" })
    const error = expectRefused(out, "INVALID_PIN_BLOCK", MASKED)
    expect([error._tag, error.message]).toEqual(["InvalidPinBlock", "The PIN block could not be decoded."])
  })
})

describe("setPin and trivial PINs", () => {
  it.each(["1111", "1234", "9876", "0123456789", "777777777777"])("refuses %s by default", async (pin) => {
    const out = await attempt(pinFixture(), request({ pinBlock: envelope(pin) }), { earlierPin: "5930" })
    const error = expectRefused(out, "TRIVIAL_PIN", MASKED)
    expect(error._tag).toBe("TrivialPinRefused")
    expect(error.message).not.toContain(pin)
  })

  it("accepts one where the tenant allows them, and it verifies", async () => {
    const out = await runOn(
      pinFixture({ policy: { allowTrivialPins: true } }),
      Effect.gen(function* () {
        const result = yield* setPin(TENANT_A, request({ pinBlock: envelope("1234") }))
        return { result, verified: yield* verifyPin(TENANT_A, { kitNo: KIT, pin: "1234" }) }
      })
    )
    expect(out).toEqual({ result: { kitNo: KIT, cardNumber: MASKED, status: "PIN_SET" }, verified: true })
  })
})

describe("setPin when the store fails", () => {
  it("stores no PIN if the PIN write fails, and audits the attempt", async () => {
    const out = await attempt(pinFixture(), request(), {
      memory: { failWrite: ({ operation }) => operation === "PinStore.save" }
    })
    expectRefused(out, "STORE_UNAVAILABLE", MASKED)
    expect(out.after).toBeUndefined()
  })

  it("rolls the PIN back if its OK event fails, then audits the failure in a write of its own", async () => {
    let appends = 0
    const out = await attempt(pinFixture(), request(), {
      memory: { failWrite: ({ operation }) => operation === "AuditLog.append" && appends++ === 0 }
    })
    expectRefused(out, "STORE_UNAVAILABLE", MASKED)
    expect(out.after).toBeUndefined()
  })

  it("stores no PIN if its audit event cannot be written", async () => {
    const out = await attempt(pinFixture(), request(), {
      memory: { failWrite: ({ operation }) => operation === "AuditLog.append" }
    })
    expect(Result.isFailure(out.result) && out.result.failure.code).toBe("STORE_UNAVAILABLE")
    expect([out.after, out.events]).toEqual([undefined, []])
  })
})
