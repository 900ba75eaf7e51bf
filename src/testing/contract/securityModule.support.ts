/**
 * What the security module contract checks a module against: fixed keys, tenants and cards, and the
 * port's formats written again with node:crypto alone (OpenSSL), independent of any module.
 */
import { createCipheriv, createDecipheriv, createHmac } from "node:crypto"
import { Effect, type Layer, Redacted } from "effect"
import type { KeyConfiguration } from "../../adapters/keys/KeyConfiguration.js"
import { panForSerial } from "../../adapters/memory/FixtureBuilder.js"
import { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { makePan, type Pan, PanDigits } from "../../domain/ground/Pan.js"
import type { KeyPurpose, PinHolder, SecurityModule } from "../../ports/SecurityModule.js"

/**
 * A security module under test, built from a key configuration. A configuration the module refuses
 * fails the layer's build with `InvalidKeyConfiguration`.
 *
 * @category models
 */
export type MakeSecurityModule = (config: KeyConfiguration) => Layer.Layer<SecurityModule, unknown>

export const A = TenantId.make("SM_CONTRACT_A")
export const B = TenantId.make("SM_CONTRACT_B")
export const NOBODY = TenantId.make("SM_CONTRACT_NOBODY")
export const PURPOSES: ReadonlyArray<KeyPurpose> = ["cardNumber", "setPin", "pinStore", "panStore"]

/** A key of `bytes` bytes; two seeds below 256 never give the same first byte, so never the same key. */
export const keyHex = (seed: number, bytes = 32): string =>
  Array.from({ length: bytes }, (_, i) =>
    ((seed * 31 + i * 7 + 3) & 0xff).toString(16).padStart(2, "0")
  ).join("")

/** The 16 keys of the contract's two tenants: A's from seed 1, B's from seed 11, by purpose. */
export const keysOf = (tenant: TenantId): { readonly [P in KeyPurpose]: string } => {
  const base = tenant === A ? 1 : 11
  return {
    cardNumber: keyHex(base),
    setPin: keyHex(base + 1),
    pinStore: keyHex(base + 2),
    panStore: keyHex(base + 3)
  }
}

/** Both tenants, one key per purpose, each with the id `"1"`. */
export const twoTenants: KeyConfiguration = Object.fromEntries(
  [A, B].map((tenant) => [
    tenant,
    Object.fromEntries(PURPOSES.map((purpose) => [purpose, [{ id: "1", hex: keysOf(tenant)[purpose] }]]))
  ])
)

export const PIN = "4821"
export const PAN_DIGITS = panForSerial(7)
export const card = (kitNo = "4240181652", digits = PAN_DIGITS): PinHolder => ({
  kitNo: KitNo.make(kitNo),
  pan: makePan(PanDigits.make(digits))
})
export const panOf = (digits: string): Pan => makePan(PanDigits.make(digits))
export const secret = (text: string): Redacted.Redacted<string> => Redacted.make(text)

/** Runs `program` against a fresh module built from `config`. */
export const runner =
  (makeLayer: MakeSecurityModule) =>
  <A, E>(config: KeyConfiguration, program: Effect.Effect<A, E, SecurityModule>): Promise<A> =>
    Effect.runPromise(Effect.provide(program, makeLayer(config)))

const bytes = (hex: string) => Buffer.from(hex, "hex")

/** ISO 9564-1 §9.3.1 format 0, from strings: the PIN field XOR the PAN field. */
export const format0 = (pin: string, pan: string): Buffer => {
  const pinField = bytes(`0${pin.length.toString(16)}${pin}`.padEnd(16, "F"))
  const panField = bytes(`0000${pan.slice(0, -1).slice(-12).padStart(12, "0")}`)
  return Buffer.from(pinField.map((b, i) => b ^ panField[i]!))
}

const gcmOf = (keyHexText: string) => `aes-${keyHexText.length * 4}-gcm` as "aes-256-gcm"

/** A Set PIN V2 envelope as node:crypto seals it: Base64(16-byte IV ‖ ciphertext ‖ tag). */
export const nodeEnvelope = (keyHexText: string, pin: string, pan: string, iv: Buffer): string => {
  const cipher = createCipheriv(gcmOf(keyHexText), bytes(keyHexText), iv)
  const body = Buffer.concat([cipher.update(format0(pin, pan)), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

/** The format-0 block inside an envelope, opened by node:crypto (it throws on a wrong tag). */
export const nodeOpenEnvelope = (keyHexText: string, envelope: string): Buffer => {
  const all = Buffer.from(envelope, "base64")
  const decipher = createDecipheriv(gcmOf(keyHexText), bytes(keyHexText), all.subarray(0, 16))
  decipher.setAuthTag(all.subarray(all.length - 16))
  return Buffer.concat([decipher.update(all.subarray(16, all.length - 16)), decipher.final()])
}

/** HMAC-SHA-256 in lower-case hex, by node:crypto. */
export const nodeHmac = (keyHexText: string, message: string): string =>
  createHmac("sha256", bytes(keyHexText)).update(message, "ascii").digest("hex")

/** An encrypted PAN as node:crypto makes it: AES-GCM, 12-byte IV, `aad` as additional data. */
export const nodeEncryptPan = (keyHexText: string, pan: string, aad: string, iv: Buffer): string => {
  const cipher = createCipheriv(gcmOf(keyHexText), bytes(keyHexText), iv)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([cipher.update(pan, "ascii"), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

/** The PAN's digits out of an encrypted PAN, by node:crypto (it throws on a wrong tag or AAD). */
export const nodeDecryptPan = (keyHexText: string, ciphertext: string, aad: string): string => {
  const all = Buffer.from(ciphertext, "base64")
  const decipher = createDecipheriv(gcmOf(keyHexText), bytes(keyHexText), all.subarray(0, 12))
  decipher.setAAD(Buffer.from(aad, "utf8"))
  decipher.setAuthTag(all.subarray(all.length - 16))
  return Buffer.concat([decipher.update(all.subarray(12, all.length - 16)), decipher.final()]).toString(
    "ascii"
  )
}

/** The Base64 text with bit `bit` (0 = the lowest bit of byte 0) of its bytes flipped. */
export const flipBit = (base64: string, bit: number): string => {
  const all = Buffer.from(base64, "base64")
  all[bit >> 3]! ^= 1 << (bit & 7)
  return all.toString("base64")
}
