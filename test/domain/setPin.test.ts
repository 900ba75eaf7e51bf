import { inspect } from "node:util"
import { Effect, Option, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { KitNo, lockCard, PinStore, setPin, TenantId, verifyPin } from "../../src/index.js"
import { referenceFormat0 } from "../crypto/support.js"
import { cardFixture, customerWith } from "../support/builders.js"
import {
  AT,
  attempt,
  auditOf,
  EXPIRY,
  envelope,
  expectedVerifier,
  KIT,
  MASKED,
  nodeEnvelope,
  PAN,
  PAN_STORE_KEY_HEX,
  PIN,
  PIN_STORE_KEY_HEX,
  pinFixture,
  request,
  runOn,
  SET_PIN_KEY_HEX,
  storedVerifier,
  TENANT_A
} from "../support/setPin.js"
import { snapshot as stateSnapshot } from "../support/state.js"

const IV = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i)

describe("setPin", () => {
  it("sets the PIN and answers with the card, its number masked, and PIN_SET", async () => {
    const { result } = await attempt(pinFixture(), request())
    expect(result).toEqual(Result.succeed({ kitNo: KIT, cardNumber: MASKED, status: "PIN_SET" }))
  })

  it.each(["ASSIGNED", "ACTIVE"] as const)("sets a PIN on an %s card", async (status) => {
    const { result, after } = await attempt(pinFixture({ card: { status } }), request())
    expect(Result.isSuccess(result)).toBe(true)
    expect(after).toBe(expectedVerifier(KIT, PIN))
  })

  it("sets a PIN on a LOCKED card, and leaves it LOCKED", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* lockCard(TENANT_A, { kitNo: KIT })
        yield* setPin(TENANT_A, request())
        return { verifier: yield* storedVerifier(TENANT_A, KIT), events: yield* auditOf(TENANT_A, KIT) }
      })
    )
    expect(out.verifier).toBe(expectedVerifier(KIT, PIN))
    expect(out.events.map((e) => [e.action, e.outcome])).toEqual([
      ["LOCK", "OK"],
      ["SET_PIN", "OK"]
    ])
  })

  it("stores HMAC-SHA-256 of kitNo:PAN:PIN under the tenant's pinStore key, and nothing else", async () => {
    const { after } = await attempt(pinFixture(), request())
    expect(after).toBe(expectedVerifier(KIT, PIN, PIN_STORE_KEY_HEX))
    expect(after).toMatch(/^[0-9a-f]{64}$/)
  })

  it("records the attempt: kitNo, masked PAN, channel, changer, outcome OK, time", async () => {
    const { events } = await attempt(pinFixture(), request())
    expect(events).toEqual([
      {
        at: AT,
        action: "SET_PIN",
        subject: KIT,
        outcome: "OK",
        cardNumber: MASKED,
        changer: "cust-app",
        channel: "MOBILE"
      }
    ])
  })

  it("leaves channel and changer out of the event when the request has none", async () => {
    const { events } = await attempt(pinFixture(), {
      kitNo: KIT,
      pinBlock: envelope(PIN),
      expiryDate: EXPIRY
    })
    expect(events).toEqual([{ at: AT, action: "SET_PIN", subject: KIT, outcome: "OK", cardNumber: MASKED }])
  })

  it("accepts what a real client sends: format 0 built by hand, sealed by node:crypto", async () => {
    const pinBlock = nodeEnvelope("90210", PAN, SET_PIN_KEY_HEX, IV)
    // PIN field 0590210FFFFFFFFF XOR account field 0000040000000007 (PAN 6080400000000077)
    expect(referenceFormat0("90210", PAN).toString("hex").toUpperCase()).toBe("0590250FFFFFFFF8")
    expect(pinBlock).toBe(envelope("90210", PAN, SET_PIN_KEY_HEX, IV))
    const { result, after } = await attempt(pinFixture(), request({ pinBlock }))
    expect(Result.isSuccess(result)).toBe(true)
    expect(after).toBe(expectedVerifier(KIT, "90210"))
  })
})

describe("a PIN once set", () => {
  const verify = (pin: string, kitNo = KIT) => verifyPin(TENANT_A, { kitNo, pin })

  it("verifies through the PIN store, and a wrong PIN does not", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        return [yield* verify(PIN), yield* verify("4822"), yield* verify("48210")]
      })
    )
    expect(out).toEqual([true, false, false])
  })

  it("does not verify before any PIN is set, nor on an unknown card", async () => {
    const out = await runOn(pinFixture(), Effect.all([verify(PIN), verify(PIN, "NOSUCHKIT")]))
    expect(out).toEqual([false, false])
  })

  it("is replaced when set again: the new PIN verifies, the old one no longer does", async () => {
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        const first = yield* storedVerifier(TENANT_A, KIT)
        yield* setPin(TENANT_A, request({ pinBlock: envelope("7306") }))
        return {
          first,
          second: yield* storedVerifier(TENANT_A, KIT),
          old: yield* verify(PIN),
          new: yield* verify("7306")
        }
      })
    )
    expect(out.first).toBe(expectedVerifier(KIT, PIN))
    expect(out.second).toBe(expectedVerifier(KIT, "7306"))
    expect([out.old, out.new]).toEqual([false, true])
  })

  it("is bound to its card's PAN: its verifier copied to another card does not verify there", async () => {
    const OTHER_KIT = "4240181653"
    const twoCards = pinFixture()
    const tenantA = twoCards.tenants[TENANT_A]!
    const fixture = {
      tenants: {
        ...twoCards.tenants,
        [TENANT_A]: {
          ...tenantA,
          customers: [
            customerWith("req11", "9876543210", 8642135, [
              cardFixture(KIT, 7, { status: "ACTIVE" }),
              cardFixture(OTHER_KIT, 9, { status: "ACTIVE" })
            ])
          ]
        }
      }
    }
    const out = await runOn(
      fixture,
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        const store = yield* PinStore
        const stored = Option.getOrThrow(yield* store.find(TenantId.make(TENANT_A), KitNo.make(KIT)))
        yield* store.save(TenantId.make(TENANT_A), KitNo.make(OTHER_KIT), stored)
        return [yield* verify(PIN), yield* verify(PIN, OTHER_KIT)]
      })
    )
    expect(out).toEqual([true, false])
  })

  it("verifies after the tenant's pinStore key rotates, and fails with UnknownKeyId once its key is removed", async () => {
    const NEW_PIN_STORE_KEY_HEX = "5e".repeat(32)
    const rotated = NobleSecurityModule.layer({
      [TENANT_A]: {
        panStore: [{ id: "1", hex: PAN_STORE_KEY_HEX }],
        pinStore: [
          { id: "2", hex: NEW_PIN_STORE_KEY_HEX },
          { id: "1", hex: PIN_STORE_KEY_HEX }
        ]
      }
    })
    const retired = NobleSecurityModule.layer({
      [TENANT_A]: {
        panStore: [{ id: "1", hex: PAN_STORE_KEY_HEX }],
        pinStore: [{ id: "2", hex: NEW_PIN_STORE_KEY_HEX }]
      }
    })
    const out = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request())
        return {
          rotated: yield* Effect.provide(Effect.all([verify(PIN), verify("4822")]), rotated),
          retired: yield* Effect.provide(Effect.flip(verify(PIN)), retired)
        }
      })
    )
    expect(out.rotated).toEqual([true, false])
    expect(out.retired).toMatchObject({ _tag: "UnknownKeyId", purpose: "pinStore", keyId: "1" })
  })

  it("is never in the store: neither the PIN nor the envelope shows in the snapshot or the stored value", async () => {
    const pinBlock = envelope("582917")
    const { snapshot, stored } = await runOn(
      pinFixture(),
      Effect.gen(function* () {
        yield* setPin(TENANT_A, request({ pinBlock }))
        const found = yield* PinStore.use((store) => store.find(TenantId.make(TENANT_A), KitNo.make(KIT)))
        return { snapshot: yield* stateSnapshot, stored: Option.getOrThrow(found).verifier }
      })
    )
    for (const text of [
      JSON.stringify(snapshot),
      inspect(snapshot, { depth: null }),
      String(stored.mac),
      JSON.stringify(stored),
      inspect(stored)
    ]) {
      expect(text).not.toContain("582917")
      expect(text).not.toContain(pinBlock)
      expect(text).not.toContain(expectedVerifier(KIT, "582917"))
    }
    expect([stored.keyId, String(stored.mac)]).toEqual(["1", "<redacted:PIN verifier>"])
    expect(Redacted.value(stored.mac)).toBe(expectedVerifier(KIT, "582917"))
  })
})
