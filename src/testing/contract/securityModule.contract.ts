/**
 * The contract of a SecurityModule: the port's formats, byte for byte against node:crypto; refusals
 * of tampered values; key rotation; tenant walls; key separation; no secret in any error or output.
 */
import { inspect } from "node:util"
import { Cause, Effect, Exit, Redacted } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { KeyConfiguration } from "../../adapters/keys/KeyConfiguration.js"
import { AccountPanDigits, makeAccountPan } from "../../domain/token/AccountPan.js"
import { TokenUniqueReference } from "../../domain/token/Token.js"
import type { KeyPurpose, StoredVerifier } from "../../ports/SecurityModule.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import {
  A,
  B,
  card,
  flipBit,
  format0,
  keyHex,
  keysOf,
  type MakeSecurityModule,
  NOBODY,
  nodeDecryptPan,
  nodeEncryptPan,
  nodeEnvelope,
  nodeHmac,
  nodeOpenEnvelope,
  PAN_DIGITS,
  PIN,
  PURPOSES,
  panOf,
  runner,
  secret,
  twoTenants
} from "./securityModule.support.js"

const IV16 = Buffer.from("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "hex")
const IV12 = Buffer.from("b0b1b2b3b4b5b6b7b8b9babb", "hex")
const OTHER_PAN = "4111111111111111"
const KIT = card().kitNo
const accountPanOf = (digits: string) => makeAccountPan(AccountPanDigits.make(digits))
const OTHER_KIT = card("4240181653").kitNo
const sm = SecurityModule

/** One tenant (A) whose keys for each purpose are `lists[purpose]`, ids and seeds as given. */
const tenantA = (lists: {
  readonly [purpose: string]: ReadonlyArray<readonly [id: string, seed: number]>
}) => ({
  [A]: Object.fromEntries(
    Object.entries(lists).map(([purpose, keys]) => [
      purpose,
      keys.map(([id, seed]) => ({ id, hex: keyHex(seed) }))
    ])
  )
})
const everyPurpose = (keys: ReadonlyArray<readonly [string, number]>) =>
  // seeds 100+ for A's rotated keys: a purpose adds its rank, so no two purposes share bytes
  tenantA(
    Object.fromEntries(
      PURPOSES.map((purpose, rank) => [purpose, keys.map(([id, seed]) => [id, seed + 40 * rank] as const)])
    )
  )

/**
 * The contract of a SecurityModule: registers its tests (`describe`/`it` of vitest) under `name`,
 * each against a module `makeLayer` builds from a key configuration of the test's own.
 *
 * @category contracts
 */
export const securityModuleContract = (name: string, makeLayer: MakeSecurityModule): void => {
  const run = runner(makeLayer)
  const built = (config: KeyConfiguration) =>
    Effect.runPromiseExit(Effect.provide(Effect.void, makeLayer(config)))
  const refusedIssues = async (config: KeyConfiguration) => {
    const exit = await built(config)
    if (Exit.isSuccess(exit)) throw new Error("the module accepted the configuration")
    const error = Cause.squash(exit.cause) as {
      _tag: string
      issues: ReadonlyArray<{ path: string; message: string }>
    }
    expect(error._tag).toBe("InvalidKeyConfiguration")
    return error.issues
  }

  describe(`${name}: Set PIN V2 envelopes`, () => {
    it.each([16, 24, 32])("opens what node:crypto sealed under a %i-byte setPin key", async (size) => {
      const hex = keyHex(50 + size, size)
      const pin = await run(
        { [A]: { setPin: [{ id: "k", hex }] } },
        Effect.flatMap(sm, (m) =>
          m.openPinBlock(A, nodeEnvelope(hex, PIN, PAN_DIGITS, IV16), panOf(PAN_DIGITS))
        )
      )
      expect(Redacted.value(pin)).toBe(PIN)
      expect(String(pin)).not.toContain(PIN)
    })

    it("seals what node:crypto opens to the format-0 block, 56 characters, with a fresh IV each time", async () => {
      const [one, two] = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS)),
            m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS))
          ])
        )
      )
      expect([one.length, two.length]).toEqual([56, 56])
      expect(one.slice(0, 22)).not.toBe(two.slice(0, 22))
      expect(nodeOpenEnvelope(keysOf(A).setPin, one)).toEqual(format0(PIN, PAN_DIGITS))
      expect(nodeOpenEnvelope(keysOf(A).setPin, two)).toEqual(format0(PIN, PAN_DIGITS))
    })

    it("refuses with InvalidPinBlock an envelope with any bit flipped, under another key, or for another PAN", async () => {
      const good = nodeEnvelope(keysOf(A).setPin, PIN, PAN_DIGITS, IV16)
      const bad = [
        ...Array.from({ length: 40 }, (_, i) => flipBit(good, i * 8 + (i % 8))),
        nodeEnvelope(keysOf(B).setPin, PIN, PAN_DIGITS, IV16),
        nodeEnvelope(keysOf(A).pinStore, PIN, PAN_DIGITS, IV16)
      ]
      const results = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            ...bad.map((envelope) => Effect.flip(m.openPinBlock(A, envelope, panOf(PAN_DIGITS)))),
            Effect.flip(m.openPinBlock(A, good, panOf(OTHER_PAN)))
          ])
        )
      )
      expect(new Set(results.map((error) => error._tag))).toEqual(new Set(["InvalidPinBlock"]))
    })

    it("never draws an IV twice: 3 000 seals (more IVs than one 16 KiB pool holds), 3 000 IVs", async () => {
      const envelopes = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.forEach(Array.from({ length: 3_000 }), () =>
            m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS))
          )
        )
      )
      const ivs = new Set(
        envelopes.map((envelope) => Buffer.from(envelope, "base64").subarray(0, 16).toString("hex"))
      )
      expect(ivs.size).toBe(3_000)
    })

    it("refuses to seal a PIN that is not 4-12 digits, with InvalidPinInput", async () => {
      const error = await run(
        twoTenants,
        Effect.flatMap(sm, (m) => Effect.flip(m.sealPinBlock(A, secret("12a4"), panOf(PAN_DIGITS))))
      )
      expect(error).toMatchObject({ _tag: "InvalidPinInput", field: "pin" })
    })
  })

  describe(`${name}: PIN verifiers`, () => {
    it("makes HMAC-SHA-256 of kitNo:PAN:PIN under the active pinStore key, with the key's id", async () => {
      const made = await run(
        twoTenants,
        Effect.flatMap(sm, (m) => m.makeVerifier(A, card(), secret(PIN)))
      )
      expect(made.keyId).toBe("1")
      expect(Redacted.value(made.mac)).toBe(nodeHmac(keysOf(A).pinStore, `4240181652:${PAN_DIGITS}:${PIN}`))
    })

    it("checks the PIN it was made of, and no other PIN, kitNo, PAN or altered verifier", async () => {
      const checks = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const made = yield* m.makeVerifier(A, card(), secret(PIN))
          const mac = Redacted.value(made.mac)
          const altered: StoredVerifier = {
            keyId: made.keyId,
            mac: Redacted.make(`${mac.slice(0, 10)}${mac[10] === "0" ? "1" : "0"}${mac.slice(11)}`)
          }
          return yield* Effect.all([
            m.checkVerifier(A, card(), secret(PIN), made),
            m.checkVerifier(A, card(), secret("4822"), made),
            m.checkVerifier(A, card("4240181653"), secret(PIN), made),
            m.checkVerifier(A, card(undefined, OTHER_PAN), secret(PIN), made),
            m.checkVerifier(A, card(), secret(PIN), altered)
          ])
        })
      )
      expect(checks).toEqual([true, false, false, false, false])
    })
  })

  describe(`${name}: PIN operations on a card as stored (its PAN never leaves the module)`, () => {
    /** Tenant A with its keys of `purposes` only (ids "1", twoTenants' bytes). */
    const onlyKeys = (purposes: ReadonlyArray<KeyPurpose>): KeyConfiguration => ({
      [A]: Object.fromEntries(purposes.map((purpose) => [purpose, twoTenants[A]![purpose]!]))
    })
    const storedCard = (kitNo = KIT) =>
      Effect.flatMap(sm, (m) =>
        Effect.map(m.encryptPan(A, kitNo, panOf(PAN_DIGITS)), (pan) => ({ kitNo, pan }))
      )
    const trivialPins = ["1111", "1234", "9876", "000000"]

    it("verifierFromEnvelope: the verifier makeVerifier makes of the opened PIN, and whether the PIN is trivial", async () => {
      const pins = ["4821", "482193", "1111", "1234", "9876", "000000", "1235"]
      const made = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const stored = yield* storedCard()
          return yield* Effect.forEach(pins, (pin) =>
            Effect.map(
              m.verifierFromEnvelope(A, stored, nodeEnvelope(keysOf(A).setPin, pin, PAN_DIGITS, IV16)),
              ({ verifier, trivial }) => ({
                keyId: verifier.keyId,
                mac: Redacted.value(verifier.mac),
                trivial
              })
            )
          )
        })
      )
      expect(made).toEqual(
        pins.map((pin) => ({
          keyId: "1",
          mac: nodeHmac(keysOf(A).pinStore, `${KIT}:${PAN_DIGITS}:${pin}`),
          trivial: trivialPins.includes(pin)
        }))
      )
    })

    it("verifierFromEnvelope fails as decryptPan, openPinBlock and makeVerifier would, at the first that fails", async () => {
      const good = nodeEnvelope(keysOf(A).setPin, PIN, PAN_DIGITS, IV16)
      const failures = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const stored = yield* storedCard()
          return yield* Effect.all([
            // the stored PAN of another card, or of another tenant
            Effect.flip(m.verifierFromEnvelope(A, { ...stored, kitNo: OTHER_KIT }, good)),
            Effect.flip(m.verifierFromEnvelope(B, stored, good)),
            Effect.flip(
              m.verifierFromEnvelope(A, { ...stored, pan: { ...stored.pan, keyId: "9" as never } }, good)
            ),
            Effect.flip(m.verifierFromEnvelope(NOBODY, stored, good)),
            // an envelope altered, sealed for another PAN, or under another tenant's key
            Effect.flip(m.verifierFromEnvelope(A, stored, flipBit(good, 100))),
            Effect.flip(
              m.verifierFromEnvelope(A, stored, nodeEnvelope(keysOf(A).setPin, PIN, OTHER_PAN, IV16))
            ),
            Effect.flip(
              m.verifierFromEnvelope(A, stored, nodeEnvelope(keysOf(B).setPin, PIN, PAN_DIGITS, IV16))
            )
          ])
        })
      )
      expect(failures.map((error) => [error._tag, "purpose" in error ? error.purpose : undefined])).toEqual([
        ["CiphertextRejected", undefined],
        ["CiphertextRejected", undefined],
        ["UnknownKeyId", "panStore"],
        ["TenantKeyMissing", "panStore"],
        ["InvalidPinBlock", undefined],
        ["InvalidPinBlock", undefined],
        ["InvalidPinBlock", undefined]
      ])
      // a key missing: the setPin key before the envelope is read, the pinStore key after it opened
      const missing = await Promise.all(
        (
          [
            [["panStore", "pinStore"], good],
            [["panStore", "setPin"], good],
            [["panStore", "setPin"], flipBit(good, 100)]
          ] as const
        ).map(([purposes, envelope]) =>
          run(
            onlyKeys(purposes),
            Effect.flatMap(storedCard(), (stored) =>
              Effect.flip(Effect.flatMap(sm, (m) => m.verifierFromEnvelope(A, stored, envelope)))
            )
          )
        )
      )
      expect(missing.map((error) => [error._tag, "purpose" in error ? error.purpose : undefined])).toEqual([
        ["TenantKeyMissing", "setPin"],
        ["TenantKeyMissing", "pinStore"],
        ["InvalidPinBlock", undefined]
      ])
    })

    it("checkCardVerifier answers as checkVerifier on the card's PAN, and refuses a PAN moved to another card", async () => {
      const answers = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const stored = yield* storedCard()
          const other = yield* storedCard(OTHER_KIT)
          const made = yield* m.makeVerifier(A, card(), secret(PIN))
          return yield* Effect.all([
            m.checkCardVerifier(A, stored, secret(PIN), made),
            m.checkCardVerifier(A, stored, secret("4822"), made),
            m.checkCardVerifier(A, other, secret(PIN), made),
            Effect.flip(m.checkCardVerifier(A, { ...stored, kitNo: OTHER_KIT }, secret(PIN), made)),
            Effect.flip(m.checkCardVerifier(A, stored, secret(PIN), { ...made, keyId: "9" as never })),
            Effect.flip(m.checkCardVerifier(NOBODY, stored, secret(PIN), made))
          ])
        })
      )
      expect(
        answers.map((a) => (typeof a === "boolean" ? a : [a._tag, "purpose" in a ? a.purpose : undefined]))
      ).toEqual([
        true,
        false,
        false,
        ["CiphertextRejected", undefined],
        ["UnknownKeyId", "pinStore"],
        ["TenantKeyMissing", "panStore"]
      ])
    })

    it("shows neither the PIN, nor the PAN, nor the verifier's MAC in what it answers", async () => {
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[0-9]{4,12}$/), async (pin) => {
          const { made, failure } = await run(
            twoTenants,
            Effect.gen(function* () {
              const m = yield* sm
              const stored = yield* storedCard()
              const envelope = nodeEnvelope(keysOf(A).setPin, pin, PAN_DIGITS, IV16)
              return {
                made: yield* m.verifierFromEnvelope(A, stored, envelope),
                failure: yield* Effect.flip(m.verifierFromEnvelope(A, stored, flipBit(envelope, 90)))
              }
            })
          )
          const mac = Redacted.value(made.verifier.mac)
          for (const shown of [
            JSON.stringify(made),
            String(made.verifier.mac),
            inspect(made, { depth: 5 }),
            JSON.stringify(failure),
            inspect(failure)
          ]) {
            expect(shown).not.toContain(PAN_DIGITS)
            expect(shown).not.toContain(mac)
            if (pin.length >= 6) expect(shown).not.toContain(pin)
          }
        }),
        { numRuns: 25 }
      )
    })
  })

  describe(`${name}: card-number hashes`, () => {
    it("are HMAC-SHA-256 of the PAN's digits under the tenant's active cardNumber key", async () => {
      const [a, b] = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([m.cardNumberHash(A, panOf(PAN_DIGITS)), m.cardNumberHash(B, panOf(PAN_DIGITS))])
        )
      )
      expect(a).toBe(nodeHmac(keysOf(A).cardNumber, PAN_DIGITS))
      expect(b).toBe(nodeHmac(keysOf(B).cardNumber, PAN_DIGITS))
    })
  })

  describe(`${name}: request fingerprints`, () => {
    it("are HMAC-SHA-256 of the prefix and the text under the active cardNumber key, apart from the PAN hashes", async () => {
      const text = `{"kitNo":"4240181595","pin":"4821"}`
      const [a, b, again, under, digits, pan] = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            m.requestFingerprint(A, Redacted.make(text)),
            m.requestFingerprint(B, Redacted.make(text)),
            m.requestFingerprint(A, Redacted.make(`${text} `)),
            m.requestFingerprintUnder(A, "1" as never, Redacted.make(text)),
            m.requestFingerprint(A, Redacted.make(PAN_DIGITS)),
            m.cardNumberHash(A, panOf(PAN_DIGITS))
          ])
        )
      )
      expect(a).toEqual({
        keyId: "1",
        hash: nodeHmac(keysOf(A).cardNumber, `card-lifecycle/idempotency\u0000${text}`)
      })
      expect(b.hash).toBe(nodeHmac(keysOf(B).cardNumber, `card-lifecycle/idempotency\u0000${text}`))
      expect(new Set([a.hash, b.hash, again.hash]).size).toBe(3)
      expect(under).toBe(a.hash)
      expect(digits.hash).not.toBe(pan)
    })
  })

  describe(`${name}: encrypted PANs`, () => {
    it("encrypts with AES-GCM, a fresh 12-byte IV and tenant:kitNo as additional data, under the active key", async () => {
      const [one, two] = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([m.encryptPan(A, KIT, panOf(PAN_DIGITS)), m.encryptPan(A, KIT, panOf(PAN_DIGITS))])
        )
      )
      expect([one.keyId, two.keyId]).toEqual(["1", "1"])
      expect(one.ciphertext).not.toBe(two.ciphertext)
      expect(Buffer.from(one.ciphertext, "base64").length).toBe(12 + PAN_DIGITS.length + 16)
      expect(nodeDecryptPan(keysOf(A).panStore, one.ciphertext, `${A}:${KIT}`)).toBe(PAN_DIGITS)
      expect(() => nodeDecryptPan(keysOf(A).panStore, one.ciphertext, `${B}:${KIT}`)).toThrow()
      expect(() => nodeDecryptPan(keysOf(A).panStore, one.ciphertext, `${A}:${OTHER_KIT}`)).toThrow()
    })

    it("decrypts what node:crypto encrypted the same way, and refuses it moved to another card or tenant", async () => {
      const ciphertext = nodeEncryptPan(keysOf(A).panStore, PAN_DIGITS, `${A}:${KIT}`, IV12)
      const movedTenant = nodeEncryptPan(keysOf(A).panStore, PAN_DIGITS, `${B}:${KIT}`, IV12)
      const [pan, movedCard, movedAad] = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            m.decryptPan(A, KIT, { keyId: "1" as never, ciphertext }),
            // the same tenant, another card: a ciphertext copied between two cards' rows
            Effect.flip(m.decryptPan(A, OTHER_KIT, { keyId: "1" as never, ciphertext })),
            Effect.flip(m.decryptPan(A, KIT, { keyId: "1" as never, ciphertext: movedTenant }))
          ])
        )
      )
      expect(Redacted.value(pan)).toBe(PAN_DIGITS)
      expect([movedCard._tag, movedAad._tag]).toEqual(["CiphertextRejected", "CiphertextRejected"])
    })

    it("refuses with CiphertextRejected a ciphertext with any bit flipped, cut short, or not Base64", async () => {
      const good = nodeEncryptPan(keysOf(A).panStore, PAN_DIGITS, `${A}:${KIT}`, IV12)
      const bad = [
        ...Array.from({ length: 44 }, (_, i) => flipBit(good, i * 8 + (i % 8))),
        good.slice(0, 40),
        `${good.slice(0, -2)}!=`,
        ""
      ]
      const errors = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.forEach(bad, (ciphertext) =>
            Effect.flip(m.decryptPan(A, KIT, { keyId: "1" as never, ciphertext }))
          )
        )
      )
      expect(new Set(errors.map((e) => e._tag))).toEqual(new Set(["CiphertextRejected"]))
    })
  })

  describe(`${name}: key rotation`, () => {
    const old = everyPurpose([["2025", 100]])
    const rotated = everyPurpose([
      ["2026", 101],
      ["2025", 100]
    ])
    const retired = everyPurpose([["2026", 101]])
    const made = () =>
      run(
        old,
        Effect.gen(function* () {
          const m = yield* sm
          return {
            envelope: yield* m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS)),
            verifier: yield* m.makeVerifier(A, card(), secret(PIN)),
            pan: yield* m.encryptPan(A, KIT, panOf(PAN_DIGITS))
          }
        })
      )

    it("hashes a PAN under a named cardNumber key, active or not, as that key made it active: a host re-hashes before it rotates", async () => {
      const underOld = await run(
        old,
        Effect.flatMap(sm, (m) => m.cardNumberHash(A, panOf(PAN_DIGITS)))
      )
      const [named, active, gone] = await run(
        rotated,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            m.cardNumberHashUnder(A, "2025" as never, panOf(PAN_DIGITS)),
            m.cardNumberHashUnder(A, "2026" as never, panOf(PAN_DIGITS)),
            Effect.flip(m.cardNumberHashUnder(A, "gone" as never, panOf(PAN_DIGITS)))
          ])
        )
      )
      const activeNow = await run(
        rotated,
        Effect.flatMap(sm, (m) => m.cardNumberHash(A, panOf(PAN_DIGITS)))
      )
      expect(named).toBe(underOld)
      expect(active).toBe(activeNow)
      expect(active).not.toBe(named)
      expect(gone).toMatchObject({ _tag: "UnknownKeyId", purpose: "cardNumber", keyId: "gone" })
    })

    it("opens, checks and decrypts what the old key made once a new key is active, and makes new values with the new key", async () => {
      const before = await made()
      const after = await run(
        rotated,
        Effect.gen(function* () {
          const m = yield* sm
          return {
            pin: Redacted.value(yield* m.openPinBlock(A, before.envelope, panOf(PAN_DIGITS))),
            checked: yield* m.checkVerifier(A, card(), secret(PIN), before.verifier),
            pan: Redacted.value(yield* m.decryptPan(A, KIT, before.pan)),
            envelope: yield* m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS)),
            verifier: (yield* m.makeVerifier(A, card(), secret(PIN))).keyId,
            encrypted: (yield* m.encryptPan(A, KIT, panOf(PAN_DIGITS))).keyId,
            hash: yield* m.cardNumberHash(A, panOf(PAN_DIGITS))
          }
        })
      )
      expect([before.verifier.keyId, before.pan.keyId]).toEqual(["2025", "2025"])
      expect([after.pin, after.checked, after.pan]).toEqual([PIN, true, PAN_DIGITS])
      expect([after.verifier, after.encrypted]).toEqual(["2026", "2026"])
      expect(nodeOpenEnvelope(keyHex(101 + 40), after.envelope)).toEqual(format0(PIN, PAN_DIGITS))
      expect(after.hash).toBe(nodeHmac(keyHex(101), PAN_DIGITS))
    })

    it("refuses what a removed key made: UnknownKeyId for stored values, InvalidPinBlock for an envelope", async () => {
      const before = await made()
      const [verifier, pan, envelope] = await run(
        retired,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            Effect.flip(m.checkVerifier(A, card(), secret(PIN), before.verifier)),
            Effect.flip(m.decryptPan(A, KIT, before.pan)),
            Effect.flip(m.openPinBlock(A, before.envelope, panOf(PAN_DIGITS)))
          ])
        )
      )
      expect(verifier).toMatchObject({ _tag: "UnknownKeyId", purpose: "pinStore", keyId: "2025" })
      expect(pan).toMatchObject({ _tag: "UnknownKeyId", purpose: "panStore", keyId: "2025" })
      expect(envelope._tag).toBe("InvalidPinBlock")
    })
  })

  describe(`${name}: encrypted account PANs (a token's)`, () => {
    const TOKEN = TokenUniqueReference.make("DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c")
    const OTHER_TOKEN = TokenUniqueReference.make("DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9d")
    // seed 004's account PANs: 9-19 digits, no Luhn check
    const SHORT = "123456789"
    const LONG = "5412345678901234567"

    it("encrypts with tenant:token:reference as additional data, decrypts node:crypto's, and hashes like a card PAN", async () => {
      const fromNode = nodeEncryptPan(keysOf(A).panStore, LONG, `${A}:token:${TOKEN}`, IV12)
      const out = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const short = yield* m.encryptAccountPan(A, TOKEN, accountPanOf(SHORT))
          return {
            short,
            opened: Redacted.value(yield* m.decryptAccountPan(A, TOKEN, short)),
            fromNode: Redacted.value(
              yield* m.decryptAccountPan(A, TOKEN, { keyId: "1" as never, ciphertext: fromNode })
            ),
            hash: yield* m.cardNumberHash(A, accountPanOf(SHORT))
          }
        })
      )
      expect(out.short.keyId).toBe("1")
      expect(Buffer.from(out.short.ciphertext, "base64").length).toBe(12 + SHORT.length + 16)
      expect(nodeDecryptPan(keysOf(A).panStore, out.short.ciphertext, `${A}:token:${TOKEN}`)).toBe(SHORT)
      expect([out.opened, out.fromNode]).toEqual([SHORT, LONG])
      expect(out.hash).toBe(nodeHmac(keysOf(A).cardNumber, SHORT))
    })

    it("refuses a ciphertext moved to another token, to a card, or to another tenant, and one that is not 9-19 digits", async () => {
      const ciphertext = nodeEncryptPan(keysOf(A).panStore, LONG, `${A}:token:${TOKEN}`, IV12)
      const asCard = nodeEncryptPan(keysOf(A).panStore, PAN_DIGITS, `${A}:${KIT}`, IV12)
      const letters = nodeEncryptPan(keysOf(A).panStore, "12345678A", `${A}:token:${TOKEN}`, IV12)
      const errors = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            Effect.flip(m.decryptAccountPan(A, OTHER_TOKEN, { keyId: "1" as never, ciphertext })),
            Effect.flip(m.decryptPan(A, KIT, { keyId: "1" as never, ciphertext })),
            Effect.flip(m.decryptAccountPan(A, TOKEN, { keyId: "1" as never, ciphertext: asCard })),
            Effect.flip(m.decryptAccountPan(B, TOKEN, { keyId: "1" as never, ciphertext })),
            Effect.flip(m.decryptAccountPan(A, TOKEN, { keyId: "1" as never, ciphertext: letters }))
          ])
        )
      )
      expect(errors.map((e) => e._tag)).toEqual(Array.from({ length: 5 }, () => "CiphertextRejected"))
    })
  })

  describe(`${name}: tenant walls`, () => {
    it("opens, checks and decrypts nothing tenant A made for tenant B, though their key ids are the same", async () => {
      const fromA = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          return {
            envelope: yield* m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS)),
            verifier: yield* m.makeVerifier(A, card(), secret(PIN)),
            pan: yield* m.encryptPan(A, KIT, panOf(PAN_DIGITS))
          }
        })
      )
      const inB = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            Effect.flip(m.openPinBlock(B, fromA.envelope, panOf(PAN_DIGITS))),
            m.checkVerifier(B, card(), secret(PIN), fromA.verifier),
            Effect.flip(m.decryptPan(B, KIT, fromA.pan))
          ])
        )
      )
      expect([inB[0]._tag, inB[1], inB[2]._tag]).toEqual(["InvalidPinBlock", false, "CiphertextRejected"])
    })

    it("refuses every operation of a tenant without keys with TenantKeyMissing, naming the purpose", async () => {
      const stored = { keyId: "1" as never, mac: Redacted.make("00") }
      const errors = await run(
        twoTenants,
        Effect.flatMap(sm, (m) =>
          Effect.all([
            Effect.flip(
              m.openPinBlock(NOBODY, nodeEnvelope(keysOf(A).setPin, PIN, PAN_DIGITS, IV16), panOf(PAN_DIGITS))
            ),
            Effect.flip(m.sealPinBlock(NOBODY, secret(PIN), panOf(PAN_DIGITS))),
            Effect.flip(m.makeVerifier(NOBODY, card(), secret(PIN))),
            Effect.flip(m.checkVerifier(NOBODY, card(), secret(PIN), stored)),
            Effect.flip(m.cardNumberHash(NOBODY, panOf(PAN_DIGITS))),
            Effect.flip(m.encryptPan(NOBODY, KIT, panOf(PAN_DIGITS))),
            Effect.flip(m.decryptPan(NOBODY, KIT, { keyId: "1" as never, ciphertext: "" }))
          ])
        )
      )
      expect(errors.map((e) => [e._tag, "purpose" in e ? e.purpose : undefined])).toEqual(
        ["setPin", "setPin", "pinStore", "pinStore", "cardNumber", "panStore", "panStore"].map((p) => [
          "TenantKeyMissing",
          p
        ])
      )
    })
  })

  describe(`${name}: the key configuration`, () => {
    it("refuses the same key bytes under two purposes or two tenants, in any case of hex, naming the second", async () => {
      const twice = keyHex(7)
      const issues = await refusedIssues({
        [A]: { setPin: [{ id: "1", hex: twice }], pinStore: [{ id: "1", hex: twice.toUpperCase() }] },
        [B]: { panStore: [{ id: "x", hex: twice }] }
      })
      expect(issues.map((i) => i.path)).toEqual([`${A}.pinStore.0.hex`, `${B}.panStore.0.hex`])
      expect(issues[0]!.message).toContain(`${A}.setPin.0:`)
    })

    it("refuses an id twice within a tenant and purpose, keys not 16, 24 or 32 bytes of hex, an unknown purpose and an empty list", async () => {
      const issues = await refusedIssues({
        [A]: {
          setPin: [
            { id: "1", hex: keyHex(1) },
            { id: "1", hex: keyHex(2) },
            { id: "2", hex: keyHex(3, 20) },
            { id: "3", hex: `${keyHex(4).slice(0, 62)}zz` },
            { id: "bad id", hex: keyHex(5) }
          ],
          pinStore: []
        } as never,
        [B]: { pinVerify: [{ id: "1", hex: keyHex(6) }] } as never
      })
      expect(issues.map((i) => i.path)).toEqual([
        `${A}.setPin.1.id`,
        `${A}.setPin.2.hex`,
        `${A}.setPin.3.hex`,
        `${A}.setPin.4.id`,
        `${A}.pinStore`,
        `${B}.<purpose #0>`
      ])
    })

    it("names a tenant or a purpose by its position when it is not valid, or is a TenantId that holds hex like a key", async () => {
      const issues = await refusedIssues({
        [A]: { setPin: [{ id: "1", hex: keyHex(1) }], "set pin": [], [keyHex(2)]: [] },
        "ACME BANK": { setPin: [] },
        [keyHex(3, 16)]: { pinStore: [{ id: "1", hex: keyHex(4) }], cardNumber: [] },
        [`T_${keyHex(5, 8)}`]: [],
        "4111111111111_BANK": { setPin: [] }
      } as never)
      expect(issues.map((i) => i.path)).toEqual([
        `${A}.<purpose #1>`,
        `${A}.<purpose #2>`,
        "<tenant #1>",
        "<tenant #1>.setPin",
        "<tenant #2>.cardNumber",
        "<tenant #3>",
        "411111XXX1111_BANK.setPin"
      ])
    })

    it("shows no part of a key put where a tenant or a purpose goes, in the error's message, issues, text or JSON", async () => {
      const hexArb = fc
        .constantFrom(16, 24, 32)
        .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
        .map((bytes) => Buffer.from(bytes).toString("hex"))
      const placed = (key: string): ReadonlyArray<unknown> => [
        { [key]: { setPin: [] } },
        { [key]: [{ id: "1", hex: keyHex(1) }] },
        { [key]: { setPin: [{ id: "1", hex: keyHex(1) }], pinStore: [{ id: "1", hex: keyHex(1) }] } },
        { [key]: { [key]: [{ id: "1", hex: key }] } },
        { [A]: { [key]: [{ id: "1", hex: keyHex(1) }] } },
        { [A]: { setPin: [{ id: "1", hex: keyHex(1) }], [key]: "x" } },
        { [B]: { [key]: [] }, [`${key}!`]: {} }
      ]
      await fc.assert(
        fc.asyncProperty(hexArb, fc.boolean(), async (lower, upper) => {
          const key = upper ? lower.toUpperCase() : lower
          for (const config of placed(key)) {
            const exit = await built(config as KeyConfiguration)
            if (Exit.isSuccess(exit)) throw new Error("the module accepted the configuration")
            const error = Cause.squash(exit.cause) as { message: string; issues: unknown }
            const texts = [
              error.message,
              JSON.stringify(error.issues),
              JSON.stringify(error),
              String(error),
              inspect(error, { depth: null }),
              Cause.pretty(exit.cause)
            ].map((text) => text.toLowerCase())
            for (let i = 0; i + 8 <= lower.length; i++)
              for (const text of texts) expect(text).not.toContain(lower.slice(i, i + 8))
          }
        }),
        { numRuns: 40 }
      )
    })

    it("accepts one id under several purposes and tenants, and keys of 16, 24 and 32 bytes", async () => {
      const exit = await built({
        [A]: { setPin: [{ id: "1", hex: keyHex(1, 16) }], pinStore: [{ id: "1", hex: keyHex(2, 24) }] },
        [B]: { setPin: [{ id: "1", hex: keyHex(3, 32) }] }
      })
      expect(Exit.isSuccess(exit)).toBe(true)
    })
  })

  describe(`${name}: secrets`, () => {
    it("shows no key, PAN, PIN or verifier in any error or value it gives, printed, inspected or as JSON", async () => {
      const keys = [...Object.values(keysOf(A)), ...Object.values(keysOf(B))]
      const outputs = await run(
        twoTenants,
        Effect.gen(function* () {
          const m = yield* sm
          const verifier = yield* m.makeVerifier(A, card(), secret(PIN))
          const encrypted = yield* m.encryptPan(A, KIT, panOf(PAN_DIGITS))
          const failures = yield* Effect.all([
            Effect.flip(m.openPinBlock(A, "not an envelope", panOf(PAN_DIGITS))),
            Effect.flip(m.sealPinBlock(A, secret("12a4"), panOf(PAN_DIGITS))),
            Effect.flip(m.checkVerifier(A, card(), secret(PIN), { ...verifier, keyId: "gone" as never })),
            Effect.flip(
              m.decryptPan(A, KIT, { ...encrypted, ciphertext: flipBit(encrypted.ciphertext, 200) })
            ),
            Effect.flip(m.cardNumberHash(NOBODY, panOf(PAN_DIGITS)))
          ])
          return {
            verifier,
            pan: yield* m.decryptPan(A, KIT, encrypted),
            pin: yield* m.openPinBlock(
              A,
              yield* m.sealPinBlock(A, secret(PIN), panOf(PAN_DIGITS)),
              panOf(PAN_DIGITS)
            ),
            mac: Redacted.value(verifier.mac),
            failures
          }
        })
      )
      const refused = await built({
        [A]: { setPin: [{ id: "1", hex: keys[0]! }], pinStore: [{ id: "1", hex: keys[0]! }] }
      })
      const shown = [outputs.verifier, outputs.pan, outputs.pin, ...outputs.failures, refused].flatMap(
        (x) => [
          String(x),
          JSON.stringify(x),
          inspect(x, { depth: null }),
          ...(Exit.isExit(x) && Exit.isFailure(x) ? [Cause.pretty(x.cause)] : [])
        ]
      )
      const secrets = [...keys, ...keys.map((k) => k.toUpperCase()), PAN_DIGITS, outputs.mac]
      for (const text of shown) {
        for (const s of secrets) expect(text).not.toContain(s)
        expect(text).not.toMatch(new RegExp(`\\b${PIN}\\b`))
      }
    })
  })
}
