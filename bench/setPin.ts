/**
 * setPin and verifyPin on the in-memory adapter: µs per call, the envelope opened and the verifier
 * stored every time (setting a PIN again replaces the verifier, so one card serves the whole loop),
 * with each security module: the portable one (`NobleSecurityModule`, what `layer(fixture)` provides)
 * and card-lifecycle/node's (`NodeSecurityModule.layer` over the same four keys, merged over the
 * memory layer so that it replaces the portable one), against a plain-JavaScript reference of the
 * same rule, all in alternating rounds of the same run. Beside them, the module calls each use case
 * makes, timed alone through the port, to show where the time goes.
 */
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { DEMO_KIT_NO, DEMO_PAN, DEMO_TENANT, demoFixture } from "../examples/demoFixture.js"
import { layer } from "../src/adapters/memory/index.js"
import { NodeSecurityModule } from "../src/adapters/node/index.js"
import { hmacSha256Hex, macHexEquals } from "../src/crypto/index.js"
import { TenantId } from "../src/domain/ground/Identifiers.js"
import { decryptPinBlock, encryptPinBlock, isTrivialPin, KitNo, setPin, verifyPin } from "../src/index.js"
import { CardRepository } from "../src/ports/CardRepository.js"
import { PinStore } from "../src/ports/PinStore.js"
import { SecurityModule } from "../src/ports/SecurityModule.js"
import {
  effectRound,
  line,
  ratio,
  type Spread,
  syncRound,
  timeAlternatingAll,
  timeSync,
  us,
  usSpread
} from "./harness.js"

const OPS = Number(process.env.OPS ?? 5_000)
const ROUNDS = Number(process.env.ROUNDS ?? 9)
const TENANT = DEMO_TENANT
const KIT = DEMO_KIT_NO
const PIN = "4821"
const SET_PIN_KEY = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
const PIN_STORE_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
// a tenant with cards stores their PANs encrypted (panStore) and keyed-hashed (cardNumber)
const PAN_STORE_KEY = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b3f1b7a4e2f6d9c01"
const CARD_NUMBER_KEY = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe"
const KEYS = {
  setPin: SET_PIN_KEY,
  pinStore: PIN_STORE_KEY,
  panStore: PAN_STORE_KEY,
  cardNumber: CARD_NUMBER_KEY
}
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
 * in a Map with its count at 0, one `SET_PIN` audit event; verifyPin looks the card up and checks its
 * status, reads the try count, computes the candidate verifier with the card's PAN and compares it in
 * constant time with the stored one, writes the count when it changes and pushes one `VERIFY_PIN`
 * event.
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
  const failed = new Map<string, number>()
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
    failed.delete(card.kitNo)
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
  const verify = (kitNo: string, digits: string, channel: string) => {
    const card = cards.get(kitNo)
    if (card === undefined) return false
    if (!settable.has(card.status)) throw new Error("INVALID_CARD_STATUS")
    const stored = verifiers.get(kitNo)
    if (stored === undefined) return false
    const count = failed.get(kitNo) ?? 0
    if (count >= 3) throw new Error("PIN_TRIES_EXCEEDED")
    const pin = Redacted.make(digits)
    const candidate = pinVerifier(keys.get("pinStore")!, kitNo, Redacted.value(card.pan), pin)
    const matches = macHexEquals(stored, candidate)
    Redacted.wipeUnsafe(pin)
    const next = matches ? 0 : count + 1
    if (next !== count) failed.set(kitNo, next)
    audit.push({
      at: new Date().toISOString(),
      action: "VERIFY_PIN",
      subject: card.kitNo,
      outcome: matches ? "OK" : "WRONG_PIN",
      cardNumber: maskPan(Redacted.value(card.pan)),
      channel
    })
    return matches
  }
  return { set, verify }
}

/** The fixture's four keys as a module's key configuration: a fixture's one key has the id "1". */
const keyConfiguration = {
  [TENANT]: Object.fromEntries(Object.entries(KEYS).map(([purpose, hex]) => [purpose, [{ id: "1", hex }]]))
}

/** The memory adapter with the portable module, and the same with card-lifecycle/node's in its place. */
const runtimes = () => {
  const memory = layer(demoFixture("ACTIVE", { keys: KEYS }))
  return {
    noble: ManagedRuntime.make(memory),
    // Layer.merge: the right-hand layer's SecurityModule replaces the memory layer's
    node: ManagedRuntime.make(Layer.merge(memory, NodeSecurityModule.layer(keyConfiguration)))
  }
}

const tenantId = TenantId.make(TENANT)
const kitNo = KitNo.make(KIT)

/**
 * The module's calls: the steps of one setPin (decrypt the card's PAN, open, verifier) and of one
 * verifyPin, each alone, and the one call each use case makes of them.
 */
const moduleCalls = Effect.gen(function* () {
  const module = yield* SecurityModule
  const card = (yield* (yield* CardRepository).findByKitNo(tenantId, kitNo)).pipe((found) => {
    if (found._tag === "None") throw new Error("no card")
    return found.value
  })
  const stored = (yield* (yield* PinStore).find(tenantId, kitNo)).pipe((found) => {
    if (found._tag === "None") throw new Error("no PIN")
    return found.value.verifier
  })
  const pan = yield* module.decryptPan(tenantId, kitNo, card.pan.encrypted)
  const holder = { kitNo, pan }
  const pin = Redacted.make(PIN)
  const storedHolder = { kitNo, pan: card.pan.encrypted }
  return {
    decryptPan: module.decryptPan(tenantId, kitNo, card.pan.encrypted),
    open: (pinBlock: string) => module.openPinBlock(tenantId, pinBlock, pan),
    makeVerifier: module.makeVerifier(tenantId, holder, pin),
    checkVerifier: module.checkVerifier(tenantId, holder, pin, stored),
    verifierFromEnvelope: (pinBlock: string) => module.verifierFromEnvelope(tenantId, storedHolder, pinBlock),
    checkCardVerifier: module.checkCardVerifier(tenantId, storedHolder, pin, stored)
  }
})

export const benchSetPin = async (): Promise<void> => {
  console.log("\nSet PIN V2: setPin and verifyPin of one card (in-memory adapter), with each security module")
  console.log(`  median µs per call of ${ROUNDS} alternating rounds of ${OPS} calls (fastest–slowest round)`)
  const { noble, node } = runtimes()
  await noble.context() // the layers' builds, outside the timing
  await node.context()
  const pinBlock = Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key: keyOf(SET_PIN_KEY) }))
  const request = { kitNo: KIT, pinBlock, expiryDate: "0729", channel: "MOBILE", changer: "bench" }
  const verifyRequest = { kitNo: KIT, pin: PIN, channel: "IVR" }
  const plain = plainPinStore()
  // each runtime holds its own store: the PIN is set on both before anything is timed
  for (const runtime of [noble, node]) {
    await runtime.runPromise(setPin(TENANT, request))
    if (!(await runtime.runPromise(verifyPin(TENANT, verifyRequest)))) throw new Error("PIN not set")
  }
  const [setNoble, setNode, setPlain] = await timeAlternatingAll(
    [
      effectRound(noble, OPS, setPin(TENANT, request)),
      effectRound(node, OPS, setPin(TENANT, request)),
      syncRound(OPS, () => {
        plain.set(request)
      })
    ],
    ROUNDS
  )
  const [verifyNoble, verifyNode, verifyPlain] = await timeAlternatingAll(
    [
      effectRound(noble, OPS, verifyPin(TENANT, verifyRequest)),
      effectRound(node, OPS, verifyPin(TENANT, verifyRequest)),
      syncRound(OPS, () => {
        if (!plain.verify(KIT, PIN, "IVR")) throw new Error("PIN not set (reference)")
      })
    ],
    ROUNDS
  )
  for (const runtime of [noble, node])
    if (!(await runtime.runPromise(verifyPin(TENANT, verifyRequest)))) throw new Error("PIN not set")

  // the module's share: each call a use case makes, through the port of each runtime
  const parts = async (runtime: typeof noble) => {
    const calls = await runtime.runPromise(moduleCalls)
    return [
      effectRound(runtime, OPS, calls.decryptPan),
      effectRound(runtime, OPS, calls.open(pinBlock)),
      effectRound(runtime, OPS, calls.makeVerifier),
      effectRound(runtime, OPS, calls.checkVerifier),
      effectRound(runtime, OPS, calls.verifierFromEnvelope(pinBlock)),
      effectRound(runtime, OPS, calls.checkCardVerifier)
    ] as const
  }
  const nobleParts = await parts(noble)
  const nodeParts = await parts(node)
  const partNames = [
    "decryptPan",
    "openPinBlock",
    "makeVerifier",
    "checkVerifier",
    "verifierFromEnvelope (setPin's one call)",
    "checkCardVerifier (verifyPin's one call)"
  ]
  const partFigures: Array<readonly [Spread, Spread]> = []
  for (const [i] of partNames.entries()) {
    const [a, b] = await timeAlternatingAll([nobleParts[i]!, nodeParts[i]!], ROUNDS)
    partFigures.push([a!, b!])
  }
  await noble.dispose()
  await node.dispose()

  const setPinKey = Redacted.make(keyOf(SET_PIN_KEY))
  const pinStoreKey = Redacted.make(keyOf(PIN_STORE_KEY))
  const openUs = timeSync(OPS, () => {
    Effect.runSync(decryptPinBlock({ pinBlock, pan: Redacted.make(PAN), key: setPinKey }))
  })
  const pin = Redacted.make(PIN)
  const hashUs = timeSync(OPS, () => {
    pinVerifier(pinStoreKey, kitNo, PAN, pin)
  })

  const pair = (name: string, a: Spread, b: Spread) => {
    line(`${name}, portable module`, usSpread(a))
    line(`${name}, node module`, `${usSpread(b)}   node ÷ portable ${ratio(b.median, a.median)}`)
  }
  pair("setPin", setNoble!, setNode!)
  line("  plain JavaScript: the same open, HMAC, Map write, event", usSpread(setPlain!))
  line("  ratio, portable module ÷ plain", ratio(setNoble!.median, setPlain!.median))
  pair("verifyPin", verifyNoble!, verifyNode!)
  line("  plain JavaScript: the same card check, count, HMAC, event", usSpread(verifyPlain!))
  line("  ratio, portable module ÷ plain", ratio(verifyNoble!.median, verifyPlain!.median))
  console.log(
    "  the module calls alone, through the port: setPin's one call does the first three, verifyPin's 1 and 4"
  )
  for (const [i, name] of partNames.entries()) pair(`  ${name}`, partFigures[i]![0], partFigures[i]![1])
  line("  src/crypto's decryptPinBlock alone (@noble)", us(openUs))
  line("  src/crypto's HMAC-SHA-256 verifier alone (@noble)", us(hashUs))
  line("target", "< 100 µs per setPin")
}
