import { Cause, Effect, Exit, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { KeyId, KitNo, PinStore, setPin, TenantId, verifyPin } from "../../src/index.js"
import {
  AT,
  attemptsOf,
  auditOf,
  envelope,
  expectedVerifier,
  KIT,
  MASKED,
  observe,
  PAN_AS_KIT,
  PAN_AS_KIT_MASKED,
  PAN_STORE_KEY_HEX,
  PIN,
  PIN_STORE_KEY_HEX,
  pinFixture,
  request,
  runOn,
  SET_PIN_KEY_HEX,
  TENANT_A
} from "../support/setPin.js"

const WRONG = "4822"

/** The VERIFY_PIN events of the card, each as [outcome, cardNumber, channel]. */
const verifyEvents = (subject = KIT) =>
  Effect.map(auditOf(TENANT_A, subject), (events) =>
    events.filter((e) => e.action === "VERIFY_PIN").map((e) => [e.outcome, e.cardNumber, e.channel])
  )

describe("verifyPin: every attempt is audited", () => {
  it("as VERIFY_PIN with the card's kitNo, its masked PAN, the channel, the outcome and the time", async () => {
    const events = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* verifyPin(TENANT_A, { kitNo: KIT, pin: PIN, channel: "IVR" })
        return yield* auditOf(TENANT_A, KIT)
      })
    )
    expect(events.at(-1)).toEqual({
      at: AT,
      action: "VERIFY_PIN",
      subject: KIT,
      outcome: "OK",
      cardNumber: MASKED,
      channel: "IVR"
    })
  })

  it("with the outcome of each: OK, WRONG_PIN, PIN_BLOCKED at the limit, PIN_TRIES_EXCEEDED after it", async () => {
    const events = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        for (const pin of [PIN, WRONG, WRONG, WRONG, PIN])
          yield* Effect.result(verifyPin(TENANT_A, { kitNo: KIT, pin, channel: "MOBILE" }))
        return yield* verifyEvents()
      })
    )
    expect(events).toEqual(
      ["OK", "WRONG_PIN", "WRONG_PIN", "PIN_BLOCKED", "PIN_TRIES_EXCEEDED"].map((outcome) => [
        outcome,
        MASKED,
        "MOBILE"
      ])
    )
  })

  it("NO_PIN for a card without one; INVALID_CARD_STATUS for a card in an end state; no channel when none is sent", async () => {
    const [noPin, ended] = await Promise.all([
      runOn(pinFixture(), Effect.andThen(verifyPin(TENANT_A, { kitNo: KIT, pin: PIN }), verifyEvents())),
      runOn(
        pinFixture({ card: { status: "LOST_OR_STOLEN" } }),
        Effect.andThen(Effect.result(verifyPin(TENANT_A, { kitNo: KIT, pin: PIN })), verifyEvents())
      )
    ])
    expect(noPin).toEqual([["NO_PIN", MASKED, undefined]])
    expect(ended).toEqual([["INVALID_CARD_STATUS", MASKED, undefined]])
  })

  it("CARD_NOT_FOUND for an unknown card, under the kitNo sent, a card number in it masked, with no cardNumber", async () => {
    const events = await runOn(
      pinFixture(),
      Effect.andThen(
        verifyPin(TENANT_A, { kitNo: PAN_AS_KIT, pin: PIN, channel: "WEB" }),
        auditOf(TENANT_A, PAN_AS_KIT_MASKED)
      )
    )
    expect(events).toEqual([
      { at: AT, action: "VERIFY_PIN", subject: PAN_AS_KIT_MASKED, outcome: "CARD_NOT_FOUND", channel: "WEB" }
    ])
  })

  it("VALIDATION_FAILED for a request that does not decode, with its channel; nothing without a valid tenant", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        const bad = yield* observe(verifyPin(TENANT_A, { kitNo: KIT, pin: "12a4", channel: "BRANCH" }))
        const noTenant = yield* observe(verifyPin("no tenant", { kitNo: KIT, pin: PIN }))
        return { bad: bad.appended, noTenant: noTenant.appended }
      })
    )
    expect(out.bad).toEqual([
      {
        tenant: TENANT_A,
        event: { at: AT, action: "VERIFY_PIN", subject: KIT, outcome: "VALIDATION_FAILED", channel: "BRANCH" }
      }
    ])
    expect(out.noTenant).toEqual([])
  })

  it("stores the count and the event together: an event that cannot be written leaves nothing counted", async () => {
    // armed once the PIN is set: the next append is the attempt's own event, in its transaction
    let failNextAppend = false
    const failWrite = ({ operation }: { readonly operation: string }) => {
      const fail = failNextAppend && operation === "AuditLog.append"
      if (fail) failNextAppend = false
      return fail
    }
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        failNextAppend = true
        const exit = yield* Effect.exit(verifyPin(TENANT_A, { kitNo: KIT, pin: WRONG }))
        return { exit, counter: yield* attemptsOf(TENANT_A, KIT), events: yield* verifyEvents() }
      }),
      { failWrite }
    )
    expect(Exit.isFailure(out.exit) && JSON.stringify(out.exit.cause)).toContain("STORE_UNAVAILABLE")
    expect(out.counter).toEqual({ failedAttempts: 0, blocked: false })
    // the failure is audited in a write of its own, once the attempt has rolled back
    expect(out.events).toEqual([["STORE_UNAVAILABLE", MASKED, undefined]])
  })

  it("a count that cannot be written fails the attempt with StoreError, audited", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        const exit = yield* Effect.exit(verifyPin(TENANT_A, { kitNo: KIT, pin: WRONG }))
        return { exit, counter: yield* attemptsOf(TENANT_A, KIT), events: yield* verifyEvents() }
      }),
      { failWrite: ({ operation }) => operation === "PinStore.recordAttempts" }
    )
    expect(Exit.isFailure(out.exit) && JSON.stringify(out.exit.cause)).toContain("STORE_UNAVAILABLE")
    expect(out.counter).toEqual({ failedAttempts: 0, blocked: false })
    expect(out.events).toEqual([["STORE_UNAVAILABLE", MASKED, undefined]])
  })

  it("INTERNAL_ERROR for a defect, which is then raised again unchanged, counting nothing", async () => {
    const defect = new Error("the PIN store's driver broke")
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        const exit = yield* Effect.exit(
          Effect.updateService(verifyPin(TENANT_A, { kitNo: KIT, pin: WRONG }), PinStore, (store) =>
            PinStore.of({ ...store, recordAttempts: () => Effect.die(defect) })
          )
        )
        return { exit, counter: yield* attemptsOf(TENANT_A, KIT), events: yield* verifyEvents() }
      })
    )
    expect(Exit.isFailure(out.exit) && Cause.squash(out.exit.cause)).toBe(defect)
    expect(out.counter).toEqual({ failedAttempts: 0, blocked: false })
    expect(out.events).toEqual([["INTERNAL_ERROR", MASKED, undefined]])
  })

  it("and still raises the defect, not a StoreError, when its event cannot be written, logging one Warning", async () => {
    const defect = new Error("the PIN store's driver broke")
    let auditDown = false
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        auditDown = true
        return yield* observe(
          Effect.updateService(verifyPin(TENANT_A, { kitNo: KIT, pin: WRONG }), PinStore, (store) =>
            PinStore.of({ ...store, recordAttempts: () => Effect.die(defect) })
          )
        )
      }),
      { failWrite: ({ operation }) => auditDown && operation === "AuditLog.append" }
    )
    expect(Exit.isFailure(out.exit) && Cause.squash(out.exit.cause)).toBe(defect)
    expect(Exit.isFailure(out.exit) && Cause.hasFails(out.exit.cause)).toBe(false)
    expect(out.appended).toEqual([])
    const warnings = out.logs.filter((line) => line.startsWith("Warn"))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain("VERIFY_PIN")
    expect(warnings[0]).toContain("INTERNAL_ERROR")
    expect(warnings[0]).toContain("STORE_UNAVAILABLE")
    expect(out.logs.filter((line) => line.startsWith("Debug"))).toHaveLength(1)
    for (const line of out.logs) expect(line).not.toContain(defect.message)
  })

  it("TENANT_KEY_MISSING for a tenant without a pinStore key, counting nothing", async () => {
    const out = await runOn(
      pinFixture({ keys: { setPin: SET_PIN_KEY_HEX } }),
      Effect.gen(function* () {
        yield* PinStore.use((store) =>
          store.save(TenantId.make(TENANT_A), KitNo.make(KIT), {
            verifier: { keyId: KeyId.make("1"), mac: Redacted.make("0".repeat(64)) },
            failedAttempts: 1,
            blocked: false
          })
        )
        const error = yield* Effect.flip(verifyPin(TENANT_A, { kitNo: KIT, pin: PIN }))
        return { code: error.code, counter: yield* attemptsOf(TENANT_A, KIT), events: yield* verifyEvents() }
      })
    )
    expect(out).toEqual({
      code: "TENANT_KEY_MISSING",
      counter: { failedAttempts: 1, blocked: false },
      events: [["TENANT_KEY_MISSING", MASKED, undefined]]
    })
  })

  it("UNKNOWN_KEY_ID when the key that made the verifier is no longer held, counting nothing", async () => {
    // the tenant's pinStore key "1" is retired: the module holds only a newer key "2"
    const retired = NobleSecurityModule.layer({
      [TENANT_A]: {
        panStore: [{ id: "1", hex: PAN_STORE_KEY_HEX }],
        pinStore: [{ id: "2", hex: "5e".repeat(32) }]
      }
    })
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        yield* verifyPin(TENANT_A, { kitNo: KIT, pin: WRONG })
        const errors = yield* Effect.provide(
          Effect.forEach([PIN, WRONG], (pin) => Effect.flip(verifyPin(TENANT_A, { kitNo: KIT, pin }))),
          retired
        )
        return {
          errors: errors.map((e) => [e.code, e._tag === "UnknownKeyId" ? e.keyId : undefined]),
          counter: yield* attemptsOf(TENANT_A, KIT),
          events: yield* verifyEvents()
        }
      })
    )
    expect(out).toEqual({
      errors: [
        ["UNKNOWN_KEY_ID", "1"],
        ["UNKNOWN_KEY_ID", "1"]
      ],
      counter: { failedAttempts: 1, blocked: false },
      events: [
        ["WRONG_PIN", MASKED, undefined],
        ["UNKNOWN_KEY_ID", MASKED, undefined],
        ["UNKNOWN_KEY_ID", MASKED, undefined]
      ]
    })
  })

  it("logs one Debug line per attempt, VERIFY_PIN with its outcome, holding neither the PIN nor the verifier", async () => {
    const logs = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request({ pinBlock: envelope("583019") }))
        const lines: Array<string> = []
        for (const pin of ["583019", "583018", "583017", "583016", "583015"])
          lines.push(...(yield* observe(verifyPin(TENANT_A, { kitNo: KIT, pin }))).logs)
        return lines
      })
    )
    expect(logs.map((line) => line.match(/outcome: '([A-Z_]+)'/)?.[1])).toEqual([
      "OK",
      "WRONG_PIN",
      "WRONG_PIN",
      "PIN_BLOCKED",
      "PIN_TRIES_EXCEEDED"
    ])
    for (const line of logs) {
      expect(line).toContain("VERIFY_PIN")
      expect(line).not.toMatch(/58301[0-9]/)
      expect(line).not.toContain(expectedVerifier(KIT, "583019"))
      expect(line).not.toContain(PIN_STORE_KEY_HEX)
    }
  })
})
