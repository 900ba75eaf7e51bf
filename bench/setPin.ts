/**
 * setPin and verifyPin on the in-memory adapter: µs per call, the envelope opened and the verifier
 * stored every time (setting a PIN again replaces the verifier, so one card serves the whole loop),
 * each against a plain-JavaScript reference of the same rule in the same run (alternating rounds).
 * Beside them, the two pieces of crypto each setPin runs, timed alone, to show where the time goes.
 */
import { Effect, ManagedRuntime, Redacted } from "effect"
import { DEMO_KIT_NO, DEMO_PAN, DEMO_TENANT, demoFixture } from "../examples/demoFixture.js"
import { layer } from "../src/adapters/memory/index.js"
import { hmacSha256Hex, macHexEquals } from "../src/crypto/index.js"
import { decryptPinBlock, encryptPinBlock, isTrivialPin, KitNo, setPin, verifyPin } from "../src/index.js"
import { effectRound, line, ratio, syncRound, timeAlternating, timeSync, us } from "./harness.js"

const OPS = Number(process.env.OPS ?? 5_000)
const TENANT = DEMO_TENANT
const KIT = DEMO_KIT_NO
const PIN = "4821"
const SET_PIN_KEY = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
const PIN_STORE_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
const PAN = DEMO_PAN

const keyOf = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"))

const maskPan = (pan: string) => pan.slice(0, 6) + "X".repeat(pan.length - 10) + pan.slice(-4)

/** The port's PIN verifier, as the security modules make it: HMAC-SHA-256 of `kitNo:PAN:PIN`. */
const pinVerifier = (
  key: Redacted.Redacted<Uint8Array>,
  kitNo: string,
  pan: string,
  pin: Redacted.Redacted<string>
) => Redacted.make(hmacSha256Hex(key, Redacted.make(`${kitNo}:${pan}:${Redacted.value(pin)}`)))

/**
 * The use cases' work without Effect's runtime, ports, validation or transaction: the card looked up
 * in a Map and checked (status, expiry), the envelope opened with the same `decryptPinBlock`, the
 * same trivial-PIN rule and the same verifier (HMAC-SHA-256 of `kitNo:PAN:PIN`), the verifier stored
 * in a Map, one `SET_PIN` audit event;
 * verifyPin computes the candidate verifier and compares it in constant time with the stored one.
 */
const plainPinStore = () => {
  const cards = new Map([
    [
      KIT,
      {
        kitNo: KitNo.make(KIT),
        pan: Redacted.make(PAN),
        status: "ACTIVE",
        expDate: "2029-07-31T00:00:00.000+00:00"
      }
    ]
  ])
  const keys = new Map([
    ["setPin", Redacted.make(keyOf(SET_PIN_KEY))],
    ["pinStore", Redacted.make(keyOf(PIN_STORE_KEY))]
  ])
  const settable = new Set(["ASSIGNED", "ACTIVE", "LOCKED"])
  const verifiers = new Map<string, Redacted.Redacted<string>>()
  const audit: Array<object> = []
  const set = (request: {
    kitNo: string
    pinBlock: string
    expiryDate: string
    channel: string
    changer: string
  }) => {
    const card = cards.get(request.kitNo)
    if (card === undefined) throw new Error("CARD_NOT_FOUND")
    if (!settable.has(card.status)) throw new Error("INVALID_CARD_STATUS_FOR_PIN")
    if (card.expDate.slice(5, 7) + card.expDate.slice(2, 4) !== request.expiryDate)
      throw new Error("EXPIRY_DATE_MISMATCH")
    const pin = Effect.runSync(
      decryptPinBlock({ pinBlock: request.pinBlock, pan: card.pan, key: keys.get("setPin")! })
    )
    if (isTrivialPin(pin)) throw new Error("TRIVIAL_PIN")
    verifiers.set(card.kitNo, pinVerifier(keys.get("pinStore")!, card.kitNo, Redacted.value(card.pan), pin))
    Redacted.wipeUnsafe(pin)
    const cardNumber = maskPan(Redacted.value(card.pan))
    audit.push({
      at: new Date().toISOString(),
      action: "SET_PIN",
      subject: card.kitNo,
      outcome: "OK",
      cardNumber,
      changer: request.changer,
      channel: request.channel
    })
    return { kitNo: card.kitNo, cardNumber, status: "PIN_SET" }
  }
  const verify = (kitNo: string, digits: string) => {
    const pin = Redacted.make(digits)
    const card = cards.get(kitNo)
    if (card === undefined) return false
    const candidate = pinVerifier(keys.get("pinStore")!, kitNo, Redacted.value(card.pan), pin)
    Redacted.wipeUnsafe(pin)
    const stored = verifiers.get(kitNo)
    return stored !== undefined && macHexEquals(stored, candidate)
  }
  return { set, verify }
}

export const benchSetPin = async (): Promise<void> => {
  console.log("\nSet PIN V2: setPin and verifyPin of one card (in-memory adapter)")
  const runtime = ManagedRuntime.make(
    layer(demoFixture("ACTIVE", { keys: { setPin: SET_PIN_KEY, pinStore: PIN_STORE_KEY } }))
  )
  await runtime.context() // the layer's build, outside the timing
  const pinBlock = Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key: keyOf(SET_PIN_KEY) }))
  const request = { kitNo: KIT, pinBlock, expiryDate: "0729", channel: "MOBILE", changer: "bench" }
  const plain = plainPinStore()
  const [setUs, plainSetUs] = await timeAlternating(
    effectRound(runtime, OPS, setPin(TENANT, request)),
    syncRound(OPS, () => {
      plain.set(request)
    })
  )
  const [verifyUs, plainVerifyUs] = await timeAlternating(
    effectRound(runtime, OPS, verifyPin(TENANT, { kitNo: KIT, pin: PIN })),
    syncRound(OPS, () => {
      if (!plain.verify(KIT, PIN)) throw new Error("PIN not set (reference)")
    })
  )
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
    pinVerifier(pinStoreKey, kitNo, PAN, pin)
  })

  line("setPin (decode, card, keys, open, HMAC, write, audit)", us(setUs))
  line("  plain JavaScript: the same open, HMAC, Map write, event", us(plainSetUs))
  line("  ratio", ratio(setUs, plainSetUs))
  line("  of which: open the envelope (AES-GCM + format 0), alone", us(openUs))
  line("  of which: HMAC-SHA-256 verifier, alone", us(hashUs))
  line("verifyPin (decode, key, HMAC, store read, compare)", us(verifyUs))
  line("  plain JavaScript: the same HMAC, Map read, compare", us(plainVerifyUs))
  line("  ratio", ratio(verifyUs, plainVerifyUs))
  line("target", "< 100 µs per setPin")
}
