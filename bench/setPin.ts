/**
 * setPin on the in-memory adapter: µs per call, the envelope opened and the verifier stored every
 * time (setting a PIN again replaces the verifier, so one card serves the whole loop). Beside it, the
 * two pieces of crypto each call runs, timed alone, to show where the time goes.
 */
import { Effect, ManagedRuntime, Redacted } from "effect"
import { DEMO_KIT_NO, DEMO_PAN, DEMO_TENANT, demoFixture } from "../examples/demoFixture.js"
import { layer } from "../src/adapters/memory/index.js"
import { decryptPinBlock, encryptPinBlock, KitNo, pinVerifier, setPin, verifyPin } from "../src/index.js"
import { line, timeEffect, timeSync, us } from "./harness.js"

const OPS = Number(process.env.OPS ?? 5_000)
const TENANT = DEMO_TENANT
const KIT = DEMO_KIT_NO
const PIN = "4821"
const SET_PIN_KEY = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
const PIN_STORE_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
const PAN = DEMO_PAN

const keyOf = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"))

export const benchSetPin = async (): Promise<void> => {
  console.log("\nSet PIN V2: setPin of one card (in-memory adapter)")
  const runtime = ManagedRuntime.make(
    layer(demoFixture("ACTIVE", { keys: { setPin: SET_PIN_KEY, pinStore: PIN_STORE_KEY } }))
  )
  const pinBlock = Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key: keyOf(SET_PIN_KEY) }))
  const request = { kitNo: KIT, pinBlock, expiryDate: "0729", channel: "MOBILE", changer: "bench" }
  const setUs = await timeEffect(runtime, OPS, setPin(TENANT, request))
  const verifyUs = await timeEffect(runtime, OPS, verifyPin(TENANT, { kitNo: KIT, pin: PIN }))
  if (!(await runtime.runPromise(verifyPin(TENANT, { kitNo: KIT, pin: PIN })))) throw new Error("PIN not set")
  await runtime.dispose()

  const setPinKey = Redacted.make(keyOf(SET_PIN_KEY))
  const pinStoreKey = Redacted.make(keyOf(PIN_STORE_KEY))
  const openUs = timeSync(OPS, () => {
    Effect.runSync(decryptPinBlock({ pinBlock, pan: Redacted.make(PAN), key: setPinKey }))
  })
  const kitNo = KitNo.make(KIT)
  const pin = Redacted.make(PIN)
  const hashUs = timeSync(OPS, () => {
    pinVerifier(pinStoreKey, kitNo, pin)
  })

  line("setPin (decode, card, keys, open, HMAC, transaction, audit)", us(setUs))
  line("  of which: open the envelope (AES-GCM + format 0), alone", us(openUs))
  line("  of which: HMAC-SHA-256 verifier, alone", us(hashUs))
  line("verifyPin (decode, key, HMAC, store read, compare)", us(verifyUs))
  line("target", "< 100 µs per setPin")
}
