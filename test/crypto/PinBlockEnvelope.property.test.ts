import { inspect } from "node:util"
import { Cause, Effect, Exit, Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decryptPinBlock, encryptPinBlock, InvalidPinBlock } from "../../src/crypto/index.js"
import {
  aesKeyArb,
  failureOf,
  flipBit,
  nodeSeal,
  otherAccount,
  panArb,
  pinArb,
  referenceFormat0,
  referencePanField0,
  xor
} from "./support.js"

const PIN = "4821"
const PAN = "4111111111111111"
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const IV = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 - i)

const encrypt = (pin: string, pan: string, key: Uint8Array) =>
  Effect.runSync(encryptPinBlock({ pin, pan, key }))
const open = (pinBlock: string, pan: string, key: Uint8Array) =>
  Effect.runSyncExit(decryptPinBlock({ pinBlock, pan, key }))

describe("the Set PIN V2 envelope, as properties", () => {
  it("gives InvalidPinBlock for every single-bit flip of IV, ciphertext or tag", () => {
    const envelope = encrypt(PIN, PAN, KEY)
    for (let bit = 0; bit < 320; bit++) {
      expect(
        failureOf(decryptPinBlock({ pinBlock: flipBit(envelope, bit), pan: PAN, key: KEY }))
      ).toBeInstanceOf(InvalidPinBlock)
    }
    fc.assert(
      fc.property(aesKeyArb, pinArb, panArb, fc.integer({ min: 0, max: 319 }), (key, pin, pan, bit) => {
        const failure = failureOf(
          decryptPinBlock({ pinBlock: flipBit(encrypt(pin, pan, key), bit), pan, key })
        )
        expect(failure).toBeInstanceOf(InvalidPinBlock)
      })
    )
  })

  it("never gives the PIN under a wrong key, nor under a PAN bound to other account digits", () => {
    fc.assert(
      fc.property(
        aesKeyArb,
        aesKeyArb,
        pinArb,
        panArb,
        fc.nat(),
        fc.nat(),
        (key, otherKey, pin, pan, at, delta) => {
          fc.pre(Buffer.compare(key, otherKey) !== 0)
          const envelope = encrypt(pin, pan, key)
          expect(Exit.isFailure(open(envelope, pan, otherKey))).toBe(true)
          const underOtherPan = open(envelope, otherAccount(pan, at, delta), key)
          expect(Exit.isFailure(underOtherPan) || Redacted.value(underOtherPan.value) !== pin).toBe(true)
        }
      )
    )
  })

  it("draws a fresh IV each time: 10 000 envelopes of one PIN have 10 000 distinct IVs", () => {
    const ivs = new Set<string>()
    for (let i = 0; i < 10_000; i++)
      ivs.add(
        Buffer.from(encrypt(PIN, PAN, KEY), "base64")
          .subarray(0, 16)
          .toString("hex")
      )
    expect(ivs.size).toBe(10_000)
  })

  it("fails every way of being wrong with the identical error, down to its stack trace", () => {
    const seal = (clear: string | Uint8Array, key = KEY) =>
      nodeSeal(key, IV, typeof clear === "string" ? xor(clear, referencePanField0(PAN)) : clear)
    const good = seal(referenceFormat0(PIN, PAN))
    const bytes = Buffer.from(good, "base64")
    const kinds: Record<string, string> = {
      "not Base64": "%".repeat(56),
      empty: "",
      "39 bytes": bytes.subarray(0, 39).toString("base64"),
      "41 bytes": Buffer.concat([bytes, Buffer.of(0)]).toString("base64"),
      "wrong tag": flipBit(good, 319),
      "wrong key": seal(
        referenceFormat0(PIN, PAN),
        KEY.map((b) => b ^ 1)
      ),
      "44 bytes around a 12-byte plaintext": seal(
        Buffer.concat([referenceFormat0(PIN, PAN), Buffer.alloc(4)])
      ),
      "control nibble 1": seal("141234FFFFFFFFFF"),
      "control nibble 4": seal("441234FFFFFFFFFF"),
      "length nibble 3": seal("03123FFFFFFFFFFF"),
      "length nibble 13": seal("0D1234567890123F"),
      "length nibble 0": seal("00FFFFFFFFFFFFFF"),
      "a PIN digit A": seal("0412A4FFFFFFFFFF"),
      "fill E": seal("041234FFFFFFFFFE"),
      "fill 0": seal("0412340000000000"),
      "wrong PAN under the fill": seal(referenceFormat0(PIN, "4111111111119111"))
    }
    const seen = Object.entries(kinds).map(([kind, pinBlock]) => {
      const exit = open(pinBlock, PAN, KEY)
      expect(Exit.isFailure(exit) && !Cause.hasDies(exit.cause), kind).toBe(true)
      const error = failureOf(decryptPinBlock({ pinBlock, pan: PAN, key: KEY }))
      return [
        error.constructor,
        error._tag,
        error.code,
        error.message,
        JSON.stringify(error),
        Object.keys(error),
        // DOMAIN.md §6: the stack must not name the check that failed either; compared as it is
        error.stack
      ]
    })
    const [first] = seen
    for (const [i, kind] of Object.keys(kinds).entries()) {
      expect(seen[i]?.[0], kind).toBe(first?.[0])
      expect(JSON.stringify(seen[i]?.slice(1)), kind).toBe(JSON.stringify(first?.slice(1)))
    }
    expect(first?.slice(1, 4)).toEqual([
      "InvalidPinBlock",
      "INVALID_PIN_BLOCK",
      "The PIN block could not be decoded."
    ])
  })

  it("lets no PIN, PAN or clear block show in what it returns or throws", () => {
    const show = (value: unknown) => [
      JSON.stringify(value) ?? "",
      String(value),
      inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      Exit.isExit(value) && Exit.isFailure(value) ? Cause.pretty(value.cause) : ""
    ]
    fc.assert(
      fc.property(aesKeyArb, pinArb, panArb, (key, pin, pan) => {
        const clearHex = referenceFormat0(pin, pan).toString("hex")
        const secrets = [pan, clearHex, clearHex.toUpperCase()]
        const envelope = encrypt(pin, pan, key)
        const shown = [
          envelope,
          encryptPinBlock({ pin, pan, key }),
          decryptPinBlock({ pinBlock: envelope, pan, key }),
          open(envelope, pan, key),
          open(
            envelope,
            pan,
            key.map((b) => b ^ 0xff)
          ),
          open(envelope.slice(1), pan, key),
          Effect.runSyncExit(encryptPinBlock({ pin: `${pin}x`, pan, key })),
          Effect.runSyncExit(encryptPinBlock({ pin, pan: `${pan}x`, key })),
          Effect.runSyncExit(encryptPinBlock({ pin, pan, key: key.subarray(1) })),
          Effect.runSyncExit(decryptPinBlock({ pinBlock: envelope, pan: pan.slice(1, 11), key })),
          Effect.runSyncExit(decryptPinBlock({ pinBlock: envelope, pan, key: key.subarray(1) }))
        ].flatMap(show)
        for (const text of shown) {
          for (const secret of secrets) expect(text).not.toContain(secret)
          // A 4- or 5-digit PIN can turn up by chance in random Base64 or in a stack trace's
          // file:line:col; leave those out, and check the envelope itself only for 6 digits or more.
          const withoutPositions = text.replace(/:\d+:\d+/g, ":_:_")
          if (text !== envelope || pin.length >= 6) expect(withoutPositions).not.toContain(pin)
        }
      }),
      { numRuns: 200 }
    )
  })
})
