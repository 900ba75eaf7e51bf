/**
 * card-lifecycle/node: opening and sealing a Set PIN V2 envelope through the security module, run
 * inside an Effect program as a use case runs it, against bare node:crypto doing the same work in the
 * same run (alternating rounds): createDecipheriv and a format-0 decode / randomBytes, createCipheriv
 * and a format-0 encode, with the key imported once as a `KeyObject` on both sides. Beside them, the
 * portable module (`NobleSecurityModule`, on @noble) through the same port over the same keys, and
 * the two ways of drawing an IV. Figures are printed, never asserted. Run alone with `npm run bench -- securityModule`.
 */
import {
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
  randomFillSync
} from "node:crypto"
import { Effect, ManagedRuntime, Redacted } from "effect"
import { randomIvs } from "../src/adapters/keys/RandomIvs.js"
import { NobleSecurityModule } from "../src/adapters/memory/index.js"
import { NodeSecurityModule } from "../src/adapters/node/index.js"
import { readFormat0 } from "../src/crypto/Format0.js"
import { decryptPinBlock } from "../src/crypto/index.js"
import { envelopeBytes } from "../src/crypto/PinBlockEnvelope.js"
import { TenantId } from "../src/domain/ground/Identifiers.js"
import type { Pan, PanDigits } from "../src/domain/ground/Pan.js"
import { SecurityModule } from "../src/ports/SecurityModule.js"
import { effectRound, line, ratio, syncRound, timeAlternating, timeSync, us } from "./harness.js"
import { accountField, format0 } from "./pin.js"

const OPS = Number(process.env.OPS ?? 5_000)
const ROUNDS = 9
/**
 * The key lengths to time, in this order (`SECURITY_MODULE_KEYS=256` times AES-256 alone). In one
 * process the second length's module figures come out slower than the first's, whichever goes first:
 * time each alone for figures to compare.
 */
const KEY_BYTES = (process.env.SECURITY_MODULE_KEYS ?? "128,256")
  .split(",")
  .map((bits) => (Number(bits) === 256 ? 32 : 16) as 16 | 32)
const TENANT = TenantId.make("ACME_BANK")
const PIN = "4821"
const PAN = "4111111111111111"

/** Bare node:crypto, seal: a fresh random IV, AES-GCM of the format-0 block, Base64(IV ‖ ct ‖ tag). */
const bareSeal = (key: KeyObject, cipherName: CipherGCMTypes, iv: Uint8Array = randomBytes(16)): string => {
  const block = format0(PIN, PAN)
  const cipher = createCipheriv(cipherName, key, iv)
  const body = cipher.update(block)
  cipher.final()
  block.fill(0)
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

/** Bare node:crypto with the module's own parsing and reading: src/crypto's strict Base64 and format 0. */
const checkedOpen = (key: KeyObject, cipherName: CipherGCMTypes, envelope: string): string | undefined => {
  const bytes = envelopeBytes(envelope)
  if (bytes === undefined) return undefined
  const decipher = createDecipheriv(cipherName, key, bytes.subarray(0, 16))
  decipher.setAuthTag(bytes.subarray(24))
  const block = Buffer.concat([decipher.update(bytes.subarray(16, 24)), decipher.final()])
  const pin = readFormat0(block, PAN)
  block.fill(0)
  return pin
}

/** Bare node:crypto, open: AES-GCM with the tag checked, the block XOR the account field, the PIN read. */
const bareOpen = (key: KeyObject, cipherName: CipherGCMTypes, envelope: string): string => {
  const bytes = Buffer.from(envelope, "base64")
  const decipher = createDecipheriv(cipherName, key, bytes.subarray(0, 16))
  decipher.setAuthTag(bytes.subarray(24))
  const block = Buffer.concat([decipher.update(bytes.subarray(16, 24)), decipher.final()])
  const account = accountField(PAN)
  for (let i = 0; i < 8; i++) block[i]! ^= account[i]!
  const pin = block.toString("hex").slice(2, 2 + (block[0]! & 0x0f))
  block.fill(0)
  return pin
}

const moduleOf = Effect.gen(function* () {
  return yield* SecurityModule
})

export const benchSecurityModule = async (): Promise<void> => {
  console.log("\ncard-lifecycle/node: the Set PIN V2 envelope through the module, against bare node:crypto")
  const pan: Pan = Redacted.make(PAN as PanDigits, { label: "PAN" })
  const pin = Redacted.make(PIN, { label: "PIN" })
  for (const bytes of KEY_BYTES) {
    const bits = bytes * 8
    const raw = randomBytes(bytes)
    const hex = raw.toString("hex")
    const key = createSecretKey(raw)
    const cipherName = `aes-${bits}-gcm` as CipherGCMTypes
    const keys = { [TENANT]: { setPin: [{ id: "bench", hex }] } }
    const runtime = ManagedRuntime.make(NodeSecurityModule.layer(keys))
    const portableRuntime = ManagedRuntime.make(NobleSecurityModule.layer(keys))
    const module = await runtime.runPromise(moduleOf)
    const portable = await portableRuntime.runPromise(moduleOf)
    const envelope = await runtime.runPromise(module.sealPinBlock(TENANT, pin, pan))
    // every path opens every other path's envelope before anything is timed
    if (bareOpen(key, cipherName, envelope) !== PIN)
      throw new Error("bare node:crypto cannot open the module's")
    const bare = bareSeal(key, cipherName)
    if (Redacted.value(await runtime.runPromise(module.openPinBlock(TENANT, bare, pan))) !== PIN)
      throw new Error("the module cannot open bare node:crypto's envelope")
    if (Redacted.value(Effect.runSync(decryptPinBlock({ pinBlock: envelope, pan: PAN, key: raw }))) !== PIN)
      throw new Error("decryptPinBlock cannot open the module's envelope")
    if (Redacted.value(await runtime.runPromise(portable.openPinBlock(TENANT, envelope, pan))) !== PIN)
      throw new Error("the portable module cannot open the node module's envelope")

    const [open, bareOpenUs] = await timeAlternating(
      effectRound(runtime, OPS, module.openPinBlock(TENANT, envelope, pan)),
      syncRound(OPS, () => bareOpen(key, cipherName, envelope)),
      ROUNDS
    )
    if (checkedOpen(key, cipherName, envelope) !== PIN)
      throw new Error("the checked reference cannot open it")
    const [, checkedOpenUs] = await timeAlternating(
      effectRound(runtime, OPS, module.openPinBlock(TENANT, envelope, pan)),
      syncRound(OPS, () => checkedOpen(key, cipherName, envelope)),
      ROUNDS
    )
    const [seal, bareSealUs] = await timeAlternating(
      effectRound(runtime, OPS, module.sealPinBlock(TENANT, pin, pan)),
      syncRound(OPS, () => bareSeal(key, cipherName)),
      ROUNDS
    )
    const pool = randomIvs(randomFillSync)
    const [, pooledSealUs] = await timeAlternating(
      effectRound(runtime, OPS, module.sealPinBlock(TENANT, pin, pan)),
      syncRound(OPS, () => bareSeal(key, cipherName, pool.next(16))),
      ROUNDS
    )
    const [, portableOpen] = await timeAlternating(
      effectRound(runtime, OPS, module.openPinBlock(TENANT, envelope, pan)),
      effectRound(runtime, OPS, portable.openPinBlock(TENANT, envelope, pan)),
      ROUNDS
    )
    const [, portableSeal] = await timeAlternating(
      effectRound(runtime, OPS, module.sealPinBlock(TENANT, pin, pan)),
      effectRound(runtime, OPS, portable.sealPinBlock(TENANT, pin, pan)),
      ROUNDS
    )
    await runtime.dispose()
    await portableRuntime.dispose()

    const against = (name: string, reference: number, ours: number) =>
      line(`  ${name}`, `${us(reference)}   module ÷ this ${ratio(ours, reference)}`)
    line(`open AES-${bits}: node module`, us(open))
    against("bare node:crypto", bareOpenUs, open)
    against("bare node:crypto + src/crypto's Base64 and format-0 read", checkedOpenUs, open)
    against("portable module (NobleSecurityModule, @noble)", portableOpen, open)
    line(`seal AES-${bits}: node module`, us(seal))
    against("bare node:crypto, randomBytes(16) IV", bareSealUs, seal)
    against("bare node:crypto, IV from a pool as the module's", pooledSealUs, seal)
    against("portable module (NobleSecurityModule, @noble)", portableSeal, seal)
  }
  const ivs = randomIvs(randomFillSync)
  line("an IV: randomBytes(16)", us(timeSync(OPS * 10, () => randomBytes(16))))
  line("an IV: a slice of the module's 16 KiB pool", us(timeSync(OPS * 10, () => ivs.next(16))))
  line("target", "node module within 1.5× of bare node:crypto")
}
