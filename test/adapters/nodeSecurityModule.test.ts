/**
 * card-lifecycle/node: the shared suite of card-lifecycle/testing, then what the suite does not
 * check and node:crypto makes worth checking: the published format-0 vectors through OpenSSL, the
 * envelope's strict Base64 (node's own decoder is lenient), the pooled IVs, and stored values written
 * in other ways.
 */
import { gcm } from "@noble/ciphers/aes.js"
import { Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { NodeSecurityModule } from "../../src/adapters/node/index.js"
import { decryptPinBlock, InvalidPinBlock, InvalidPinInput } from "../../src/crypto/index.js"
import { CiphertextRejected } from "../../src/ports/SecurityModule.js"
import { securityModuleContract } from "../../src/testing/index.js"
import { failureOf, hex, loadVectors, nodeOpen } from "../crypto/support.js"
import {
  defect,
  failure,
  holder,
  KEY_SIZES,
  KIT,
  keyBytes,
  moduleOf,
  PAN,
  pan,
  pin,
  run,
  TENANT_A,
  twoTenants
} from "../support/securityModule.js"

securityModuleContract("node:crypto module", (config) => NodeSecurityModule.layer(config))

interface Format0Vectors {
  readonly valid: ReadonlyArray<{ readonly pin: string; readonly pan: string; readonly block: string }>
  readonly invalid: ReadonlyArray<{ readonly pan: string; readonly block: string }>
}
const format0 = loadVectors<Format0Vectors>("iso9564-format0.json")

/** The envelope of a given block, sealed with @noble under a fixed IV: what a client could send. */
const portableSeal = (key: Uint8Array, iv: Uint8Array, block: Uint8Array): string =>
  Buffer.concat([iv, gcm(key, iv).encrypt(block)]).toString("base64")

describe.each(KEY_SIZES)("the Set PIN V2 envelope through node:crypto, AES-%i", (bytes) => {
  const module = moduleOf(NodeSecurityModule.layer(twoTenants(bytes)))
  const key = keyBytes(`${TENANT_A}/setPin`, bytes)

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

  it("refuses what decryptPinBlock's strict Base64 refuses, though node's decoder would read it", () => {
    const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    const texts = [
      ` ${envelope}`,
      `${envelope.slice(0, 28)}\n${envelope.slice(28)}`,
      envelope.replace(/=+$/, ""),
      envelope.replaceAll("+", "-").replaceAll("/", "_"),
      `${envelope.slice(0, -2)}B=`, // non-zero trailing bits: the same 40 bytes to a lenient decoder
      `${envelope}AAAA`
    ].filter((text) => text !== envelope)
    for (const text of texts) {
      expect(failure(module.openPinBlock(TENANT_A, text, pan(PAN)))).toEqual(new InvalidPinBlock())
      expect(failureOf(decryptPinBlock({ pinBlock: text, pan: PAN, key }))).toEqual(new InvalidPinBlock())
    }
  })
})

describe("the module's IVs, drawn from a pool", () => {
  it("are fresh for every value, across refills of the pool and between envelopes and PANs", () => {
    const module = moduleOf(NodeSecurityModule.layer(twoTenants()))
    const ivs = new Set<string>()
    // 5 000 × (16 + 12) bytes: the 16 KiB pool is refilled eight times
    for (let i = 0; i < 5_000; i++) {
      const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
      ivs.add(Buffer.from(envelope, "base64").subarray(0, 16).toString("hex"))
      const encrypted = run(module.encryptPan(TENANT_A, KIT, pan(PAN)))
      ivs.add(Buffer.from(encrypted.ciphertext, "base64").subarray(0, 12).toString("hex"))
    }
    expect(ivs.size).toBe(10_000)
  })
})

describe("stored values written another way", () => {
  const module = moduleOf(NodeSecurityModule.layer(twoTenants(24)))

  it("a verifier in upper case, short, long or with a character outside Latin-1 does not check", () => {
    const stored = run(module.makeVerifier(TENANT_A, holder(PAN), pin("4821")))
    const mac = Redacted.value(stored.mac)
    expect(run(module.checkVerifier(TENANT_A, holder(PAN), pin("4821"), stored))).toBe(true)
    for (const text of [mac.toUpperCase(), mac.slice(1), `${mac}0`, `${mac.slice(1)}İ`, ""]) {
      const altered = { keyId: stored.keyId, mac: Redacted.make(text) }
      expect(run(module.checkVerifier(TENANT_A, holder(PAN), pin("4821"), altered))).toBe(false)
    }
  })

  it("an encrypted PAN in Base64 that is not canonical is CiphertextRejected, though node's decoder would read it", () => {
    const encrypted = run(module.encryptPan(TENANT_A, KIT, pan(PAN)))
    expect(Redacted.value(run(module.decryptPan(TENANT_A, KIT, encrypted)))).toBe(PAN)
    const text = encrypted.ciphertext
    const altered = [
      ` ${text}`,
      `${text}\n`,
      text.replace(/=+$/, ""),
      text.replaceAll("/", "_").replaceAll("+", "-"),
      `${text}${"A".repeat(4096)}`
    ].filter((other) => other !== text)
    for (const ciphertext of altered)
      expect(failure(module.decryptPan(TENANT_A, KIT, { ...encrypted, ciphertext }))).toEqual(
        new CiphertextRejected()
      )
  })
})
