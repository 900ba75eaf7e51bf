/**
 * card-lifecycle/node against the formats of src/ports/SecurityModule.ts: what it seals opens with the
 * portable code of src/crypto and the other way round, its MACs and PAN ciphertexts equal references
 * written with @noble, the published format-0 vectors hold through it, and keys, rotation and tenants
 * are kept apart.
 */
import { createDecipheriv } from "node:crypto"
import { gcm } from "@noble/ciphers/aes.js"
import { Effect, Exit, Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type KeyConfiguration, type KeyEntry, layer } from "../../src/adapters/node/index.js"
import { decryptPinBlock, encryptPinBlock, InvalidPinBlock, InvalidPinInput } from "../../src/crypto/index.js"
import { CiphertextRejected, TenantKeyMissing, UnknownKeyId } from "../../src/ports/SecurityModule.js"
import type { KeyPurpose } from "../../src/ports/TenantKeys.js"
import {
  failureOf,
  flipBit,
  hex,
  loadVectors,
  nodeOpen,
  otherAccount,
  panArb,
  pinArb
} from "../crypto/support.js"
import {
  defect,
  failure,
  holder,
  KIT,
  keyBytes,
  keyHex,
  keyId,
  luhnPanArb,
  moduleOf,
  PAN,
  pan,
  pin,
  referenceDecryptPan,
  referenceEncryptPan,
  referenceMac,
  referenceVerifier,
  run,
  TENANT_A,
  TENANT_B,
  tenantKeys,
  twoTenants
} from "../support/securityModule.js"

const KEY_SIZES = [16, 24, 32] as const

interface Format0Vectors {
  readonly valid: ReadonlyArray<{ readonly pin: string; readonly pan: string; readonly block: string }>
  readonly invalid: ReadonlyArray<{ readonly pan: string; readonly block: string }>
}
const format0 = loadVectors<Format0Vectors>("iso9564-format0.json")

describe.each(KEY_SIZES)("the Set PIN V2 envelope, AES-%i", (bytes) => {
  const module = moduleOf(layer(twoTenants(bytes)))
  const key = keyBytes("A/setPin", bytes)

  it("sealed by encryptPinBlock opens with the node module, and sealed by the node module opens with decryptPinBlock", () => {
    fc.assert(
      fc.property(pinArb, panArb, (p, account) => {
        const portable = run(encryptPinBlock({ pin: p, pan: account, key }))
        expect(Redacted.value(run(module.openPinBlock(TENANT_A, portable, pan(account))))).toBe(p)
        const native = run(module.sealPinBlock(TENANT_A, pin(p), pan(account)))
        expect(Redacted.value(run(decryptPinBlock({ pinBlock: native, pan: account, key })))).toBe(p)
      }),
      { numRuns: 100 }
    )
  })

  it("seals the published format-0 blocks, and opens them to the published PINs", () => {
    for (const vector of format0.valid) {
      const sealed = run(module.sealPinBlock(TENANT_A, pin(vector.pin), pan(vector.pan)))
      expect(nodeOpen(key, sealed).toString("hex").toUpperCase()).toBe(vector.block)
      const iv = Uint8Array.from({ length: 16 }, (_, i) => i)
      const envelope = portableSeal(key, iv, hex(vector.block))
      expect(Redacted.value(run(module.openPinBlock(TENANT_A, envelope, pan(vector.pan))))).toBe(vector.pin)
    }
  })

  it("refuses the published invalid format-0 blocks with the one InvalidPinBlock, and dies on a PAN that is no PAN as decryptPinBlock does", () => {
    for (const vector of format0.invalid) {
      const envelope = portableSeal(key, new Uint8Array(16), hex(vector.block))
      const opened = module.openPinBlock(TENANT_A, envelope, pan(vector.pan))
      if (/^[0-9]{12,19}$/.test(vector.pan)) expect(failure(opened)).toEqual(new InvalidPinBlock())
      else {
        expect(defect(opened)).toEqual(InvalidPinInput.of("pan"))
        expect(defect(decryptPinBlock({ pinBlock: envelope, pan: vector.pan, key }))).toEqual(
          InvalidPinInput.of("pan")
        )
      }
    }
  })

  it("refuses an envelope with any one of its 320 bits flipped, as decryptPinBlock does", () => {
    const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    for (let bit = 0; bit < 320; bit++) {
      const tampered = flipBit(envelope, bit)
      const refused = failure(module.openPinBlock(TENANT_A, tampered, pan(PAN)))
      expect(refused).toEqual(new InvalidPinBlock())
      expect(refused).toEqual(failureOf(decryptPinBlock({ pinBlock: tampered, pan: PAN, key })))
    }
  })

  it("refuses what decryptPinBlock's strict Base64 refuses, with the same error", () => {
    const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    const texts = [
      "",
      ` ${envelope}`,
      `${envelope.slice(0, 28)}\n${envelope.slice(28)}`,
      envelope.replace(/=+$/, ""),
      envelope.replaceAll("+", "-").replaceAll("/", "_"),
      `${envelope.slice(0, -2)}B=`, // non-zero trailing bits: decodes to the same 40 bytes leniently
      `${envelope}AAAA`,
      envelope.slice(0, 52)
    ].filter((text) => text !== envelope)
    for (const text of texts) {
      expect(failure(module.openPinBlock(TENANT_A, text, pan(PAN)))).toEqual(new InvalidPinBlock())
      expect(failureOf(decryptPinBlock({ pinBlock: text, pan: PAN, key }))).toEqual(new InvalidPinBlock())
    }
  })

  it("refuses an envelope sealed under another key, or for another account", () => {
    fc.assert(
      fc.property(pinArb, panArb, fc.nat(), fc.nat(), (p, account, position, delta) => {
        const other = run(encryptPinBlock({ pin: p, pan: account, key: keyBytes("elsewhere", bytes) }))
        expect(failure(module.openPinBlock(TENANT_A, other, pan(account)))).toEqual(new InvalidPinBlock())
        const sealed = run(module.sealPinBlock(TENANT_A, pin(p), pan(account)))
        // format 0 binds the account: another one fails the checks or reads another PIN, never this one
        const moved = Effect.runSyncExit(
          module.openPinBlock(TENANT_A, sealed, pan(otherAccount(account, position, delta)))
        )
        if (Exit.isSuccess(moved)) expect(Redacted.value(moved.value)).not.toBe(p)
        else expect(moved).toEqual(Exit.fail(new InvalidPinBlock()))
      }),
      { numRuns: 50 }
    )
  })
})

describe("sealing", () => {
  const module = moduleOf(layer(twoTenants()))

  it("refuses a PIN that is not 4-12 digits as encryptPinBlock does, naming the field", () => {
    for (const bad of ["123", "1234567890123", "12a4", ""]) {
      const refused = failure(module.sealPinBlock(TENANT_A, pin(bad), pan(PAN)))
      expect(refused).toEqual(InvalidPinInput.of("pin"))
      expect(refused).toEqual(failureOf(encryptPinBlock({ pin: bad, pan: PAN, key: keyBytes("k") })))
    }
  })

  it("draws a fresh IV for every value, across refills of the IV pool and between envelopes and PANs", () => {
    const ivs = new Set<string>()
    for (let i = 0; i < 5_000; i++) {
      const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
      ivs.add(Buffer.from(envelope, "base64").subarray(0, 16).toString("hex"))
      const encrypted = run(module.encryptPan(TENANT_A, pan(PAN)))
      ivs.add(Buffer.from(encrypted.ciphertext, "base64").subarray(0, 12).toString("hex"))
    }
    expect(ivs.size).toBe(10_000)
  })
})

describe("the PIN verifier and the card-number hash", () => {
  const module = moduleOf(layer(twoTenants()))
  const pinStore = keyBytes("A/pinStore")

  it("is HMAC-SHA-256 over kitNo:PAN:PIN under the active pinStore key, with its id", () => {
    fc.assert(
      fc.property(pinArb, panArb, (p, account) => {
        const made = run(module.makeVerifier(TENANT_A, holder(account), pin(p)))
        expect(made.keyId).toBe("pinStore-1")
        expect(Redacted.value(made.mac)).toBe(referenceVerifier(pinStore, KIT, account, p))
      }),
      { numRuns: 100 }
    )
  })

  it("checks true for the same card and PIN only", () => {
    fc.assert(
      fc.property(pinArb, pinArb, panArb, (p, other, account) => {
        const stored = run(module.makeVerifier(TENANT_A, holder(account), pin(p)))
        expect(run(module.checkVerifier(TENANT_A, holder(account), pin(p), stored))).toBe(true)
        expect(run(module.checkVerifier(TENANT_A, holder(account), pin(other), stored))).toBe(other === p)
        expect(run(module.checkVerifier(TENANT_A, holder(account, "4240181653"), pin(p), stored))).toBe(false)
        expect(run(module.checkVerifier(TENANT_A, holder(`${account}0`.slice(1)), pin(p), stored))).toBe(
          `${account}0`.slice(1) === account
        )
      }),
      { numRuns: 100 }
    )
  })

  it("checks false for a stored MAC written another way (upper case, short, long, not hex)", () => {
    const stored = run(module.makeVerifier(TENANT_A, holder(PAN), pin("4821")))
    const mac = Redacted.value(stored.mac)
    for (const text of [mac.toUpperCase(), mac.slice(1), `${mac}0`, `${mac.slice(1)}İ`, ""]) {
      const altered = { keyId: stored.keyId, mac: Redacted.make(text) }
      expect(run(module.checkVerifier(TENANT_A, holder(PAN), pin("4821"), altered))).toBe(false)
    }
  })

  it("hashes the PAN digits with HMAC-SHA-256 under the active cardNumber key", () => {
    fc.assert(
      fc.property(panArb, (account) => {
        const expected = referenceMac(keyBytes("A/cardNumber"), account)
        expect(run(module.cardNumberHash(TENANT_A, pan(account)))).toBe(expected)
      }),
      { numRuns: 100 }
    )
  })
})

describe("the encrypted PAN", () => {
  const module = moduleOf(layer(twoTenants(24)))
  const key = keyBytes("A/panStore", 24)

  it("decrypts with @noble's gcm and the tenant id as additional data, and the other way round", () => {
    fc.assert(
      fc.property(luhnPanArb, fc.uint8Array({ minLength: 12, maxLength: 12 }), (account, iv) => {
        const encrypted = run(module.encryptPan(TENANT_A, pan(account)))
        expect(encrypted.keyId).toBe("panStore-1")
        expect(Buffer.from(encrypted.ciphertext, "base64")).toHaveLength(12 + account.length + 16)
        expect(referenceDecryptPan(key, TENANT_A, encrypted.ciphertext)).toBe(account)
        const portable = {
          keyId: keyId("panStore-1"),
          ciphertext: referenceEncryptPan(key, iv, TENANT_A, account)
        }
        expect(Redacted.value(run(module.decryptPan(TENANT_A, portable)))).toBe(account)
      }),
      { numRuns: 100 }
    )
  })

  it("rejects a ciphertext with any one bit flipped, or not in canonical Base64", () => {
    const encrypted = run(module.encryptPan(TENANT_A, pan(PAN)))
    const length = Buffer.from(encrypted.ciphertext, "base64").length
    for (let bit = 0; bit < length * 8; bit++) {
      const tampered = { ...encrypted, ciphertext: flipBit(encrypted.ciphertext, bit) }
      expect(failure(module.decryptPan(TENANT_A, tampered))).toEqual(new CiphertextRejected())
    }
    const text = encrypted.ciphertext
    for (const altered of [` ${text}`, text.replace(/=+$/, ""), text.replaceAll("/", "_"), "", "AAAA"]) {
      if (altered === text) continue
      expect(failure(module.decryptPan(TENANT_A, { ...encrypted, ciphertext: altered }))).toEqual(
        new CiphertextRejected()
      )
    }
  })

  it("binds the tenant id: the right key with another tenant's id as additional data fails the tag", () => {
    const { ciphertext } = run(module.encryptPan(TENANT_A, pan(PAN)))
    expect(referenceDecryptPan(key, TENANT_A, ciphertext)).toBe(PAN)
    const bytes = Buffer.from(ciphertext, "base64")
    const decipher = createDecipheriv("aes-192-gcm", key, bytes.subarray(0, 12), { authTagLength: 16 })
    decipher.setAAD(Buffer.from(TENANT_B, "utf8"))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    decipher.update(bytes.subarray(12, bytes.length - 16))
    expect(() => decipher.final()).toThrow()
  })
})

describe("rotation", () => {
  const old = tenantKeys("A")
  // the purpose's new key first, then (when kept) the old one
  const ring = (purpose: KeyPurpose, keep: boolean): readonly [KeyEntry, ...Array<KeyEntry>] => [
    { id: `${purpose}-2`, hex: keyHex(`A/${purpose}/2`) },
    ...(keep ? old[purpose] : [])
  ]
  const rotated = (keep: boolean): KeyConfiguration => ({
    [TENANT_A]: {
      cardNumber: ring("cardNumber", keep),
      setPin: ring("setPin", keep),
      pinStore: ring("pinStore", keep),
      panStore: ring("panStore", keep)
    }
  })
  const before = moduleOf(layer({ [TENANT_A]: old }))
  const envelope = run(before.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
  const verifier = run(before.makeVerifier(TENANT_A, holder(PAN), pin("4821")))
  const encrypted = run(before.encryptPan(TENANT_A, pan(PAN)))

  it("opens and checks the old values once a new key is put first, and makes new ones under it", () => {
    const after = moduleOf(layer(rotated(true)))
    expect(Redacted.value(run(after.openPinBlock(TENANT_A, envelope, pan(PAN))))).toBe("4821")
    expect(run(after.checkVerifier(TENANT_A, holder(PAN), pin("4821"), verifier))).toBe(true)
    expect(Redacted.value(run(after.decryptPan(TENANT_A, encrypted)))).toBe(PAN)

    const sealed = run(after.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    expect(nodeOpen(keyBytes("A/setPin/2"), sealed)).toHaveLength(8)
    expect(failure(before.openPinBlock(TENANT_A, sealed, pan(PAN)))).toEqual(new InvalidPinBlock())
    const made = run(after.makeVerifier(TENANT_A, holder(PAN), pin("4821")))
    expect(made.keyId).toBe("pinStore-2")
    expect(Redacted.value(made.mac)).toBe(referenceVerifier(keyBytes("A/pinStore/2"), KIT, PAN, "4821"))
    expect(run(after.encryptPan(TENANT_A, pan(PAN))).keyId).toBe("panStore-2")
    expect(run(after.cardNumberHash(TENANT_A, pan(PAN)))).toBe(referenceMac(keyBytes("A/cardNumber/2"), PAN))
  })

  it("refuses the values of a removed key: UnknownKeyId for stored ones, InvalidPinBlock for envelopes", () => {
    const after = moduleOf(layer(rotated(false)))
    expect(failure(after.openPinBlock(TENANT_A, envelope, pan(PAN)))).toEqual(new InvalidPinBlock())
    expect(failure(after.checkVerifier(TENANT_A, holder(PAN), pin("4821"), verifier))).toEqual(
      new UnknownKeyId({ purpose: "pinStore", keyId: "pinStore-1" })
    )
    expect(failure(after.decryptPan(TENANT_A, encrypted))).toEqual(
      new UnknownKeyId({ purpose: "panStore", keyId: "panStore-1" })
    )
  })
})

describe("tenant walls", () => {
  const module = moduleOf(layer(twoTenants()))

  it("keeps one tenant's values from opening or checking for another, whose key ids are the same", () => {
    const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    expect(failure(module.openPinBlock(TENANT_B, envelope, pan(PAN)))).toEqual(new InvalidPinBlock())
    const verifier = run(module.makeVerifier(TENANT_A, holder(PAN), pin("4821")))
    expect(run(module.checkVerifier(TENANT_B, holder(PAN), pin("4821"), verifier))).toBe(false)
    const encrypted = run(module.encryptPan(TENANT_A, pan(PAN)))
    expect(failure(module.decryptPan(TENANT_B, encrypted))).toEqual(new CiphertextRejected())
    expect(run(module.cardNumberHash(TENANT_A, pan(PAN)))).not.toBe(
      run(module.cardNumberHash(TENANT_B, pan(PAN)))
    )
  })

  it("fails with TenantKeyMissing, naming the purpose, for a tenant without the key", () => {
    const partial = moduleOf(layer({ [TENANT_A]: { setPin: tenantKeys("A").setPin } }))
    const stored = { keyId: keyId("k"), mac: Redacted.make("") }
    const missing = (purpose: "cardNumber" | "setPin" | "pinStore" | "panStore") =>
      new TenantKeyMissing({ purpose })
    for (const tenant of [TENANT_A, TENANT_B]) {
      expect(failure(partial.makeVerifier(tenant, holder(PAN), pin("4821")))).toEqual(missing("pinStore"))
      expect(failure(partial.checkVerifier(tenant, holder(PAN), pin("4821"), stored))).toEqual(
        missing("pinStore")
      )
      expect(failure(partial.cardNumberHash(tenant, pan(PAN)))).toEqual(missing("cardNumber"))
      expect(failure(partial.encryptPan(tenant, pan(PAN)))).toEqual(missing("panStore"))
      expect(failure(partial.decryptPan(tenant, { keyId: keyId("k"), ciphertext: "" }))).toEqual(
        missing("panStore")
      )
    }
    expect(failure(partial.sealPinBlock(TENANT_B, pin("4821"), pan(PAN)))).toEqual(missing("setPin"))
    expect(failure(partial.openPinBlock(TENANT_B, "", pan(PAN)))).toEqual(missing("setPin"))
  })
})

/** The envelope of a given block, sealed with @noble under a fixed IV: what a client could send. */
const portableSeal = (key: Uint8Array, iv: Uint8Array, block: Uint8Array): string =>
  Buffer.concat([iv, gcm(key, iv).encrypt(block)]).toString("base64")
