// The Set PIN V2 envelope end to end (Effect.runSync(encryptPinBlock(...)), decryptPinBlock likewise)
// against a reference written with node:crypto in the same run: the same format-0 block built with
// byte arithmetic, AES-GCM with a random 16-byte IV, Base64. Run alone with `npx tsx bench/pin.ts`.
import { type CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { pathToFileURL } from "node:url"
import { Effect, Redacted, Result } from "effect"
import { Base64 } from "effect/encoding"
import { decryptPinBlock, encryptPinBlock, Format0 } from "../src/crypto/index.js"

const PIN = "4821"
const PAN = "4111111111111111"

// ISO 9564-1:2017 §9.3.2.3 account field and §9.3.2.2 PIN field, written straight into bytes (also the
// bare references of bench/securityModule.ts).
export const accountField = (pan: string): Buffer => {
  const field = Buffer.alloc(8)
  for (let k = 0; k < 12; k++) {
    const at = pan.length - 13 + k
    const digit = at >= 0 ? pan.charCodeAt(at) - 48 : 0
    field[(k + 4) >> 1]! |= (k & 1) === 0 ? digit << 4 : digit
  }
  return field
}

export const format0 = (pin: string, pan: string): Buffer => {
  const block = accountField(pan)
  block[0] = pin.length
  for (let i = 0; i < 14; i++) {
    const nibble = i < pin.length ? pin.charCodeAt(i) - 48 : 0xf
    block[(i + 2) >> 1]! ^= (i & 1) === 0 ? nibble << 4 : nibble
  }
  return block
}

const gcmName = (key: Uint8Array) => `aes-${key.length * 8}-gcm` as CipherGCMTypes

const nodeEncrypt = (key: Uint8Array): string => {
  const iv = randomBytes(16)
  const block = format0(PIN, PAN)
  const cipher = createCipheriv(gcmName(key), key, iv)
  const body = cipher.update(block)
  cipher.final()
  block.fill(0)
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
}

// Opens and reads the PIN back without the checks decryptPinBlock makes: a lower bound.
const nodeDecrypt = (key: Uint8Array, envelope: string): string => {
  const bytes = Buffer.from(envelope, "base64")
  const decipher = createDecipheriv(gcmName(key), key, bytes.subarray(0, 16))
  decipher.setAuthTag(bytes.subarray(24))
  const block = Buffer.concat([decipher.update(bytes.subarray(16, 24)), decipher.final()])
  const account = accountField(PAN)
  for (let i = 0; i < 8; i++) block[i]! ^= account[i]!
  const pin = block.toString("hex").slice(2, 2 + (block[0]! & 0x0f))
  block.fill(0)
  return pin
}

const round = (run: () => unknown, n: number): number => {
  const start = performance.now()
  for (let i = 0; i < n; i++) run()
  return ((performance.now() - start) * 1000) / n
}

const median = (values: Array<number>): number => values.sort((a, b) => a - b)[values.length >> 1]!

/**
 * Median µs per call of `ours` and of `reference`, over rounds of `n` calls that alternate between the
 * two after a warm-up, so that both see the same machine load.
 */
const timePair = (ours: () => unknown, reference: () => unknown, n = 5_000, rounds = 9): [number, number] => {
  round(ours, n)
  round(reference, n)
  const a: Array<number> = []
  const b: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    a.push(round(ours, n))
    b.push(round(reference, n))
  }
  return [median(a), median(b)]
}

/**
 * `encryptPinBlock`'s own pipeline (the input checks and the block of `Format0.encode`, a random IV,
 * effect's Base64, an Effect around it) with node:crypto's AES-GCM in place of @noble's: everything
 * but the cipher is the same code, so the ratio to `encryptPinBlock` is the cost of the cipher.
 */
const nodeEncryptPinBlock = (key: Uint8Array) =>
  Effect.suspend(() =>
    Effect.fromResult(
      Result.map(Format0.encode(PIN, PAN), (block) => {
        const iv = randomBytes(16)
        const cipher = createCipheriv(gcmName(key), key, iv)
        const body = cipher.update(block)
        cipher.final()
        block.fill(0)
        const envelope = new Uint8Array(40)
        envelope.set(iv)
        envelope.set(body, 16)
        envelope.set(cipher.getAuthTag(), 24)
        const text = Base64.encode(envelope)
        envelope.fill(0)
        return text
      })
    )
  )

export interface PinFigure {
  readonly name: string
  readonly usPerOp: number
  /** The figure this one is compared with, by name. */
  readonly against?: string
}

export async function benchPin(): Promise<ReadonlyArray<PinFigure>> {
  const results: Array<PinFigure> = []
  for (const bits of [128, 256]) {
    const key = randomBytes(bits / 8)
    const envelope = Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key }))
    if (nodeDecrypt(key, envelope) !== PIN) throw new Error("node:crypto cannot open our envelope")
    if (
      Redacted.value(Effect.runSync(decryptPinBlock({ pinBlock: nodeEncrypt(key), pan: PAN, key }))) !== PIN
    ) {
      throw new Error("we cannot open node:crypto's envelope")
    }
    const [encrypt, nodeEnc] = timePair(
      () => Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key })),
      () => nodeEncrypt(key)
    )
    if (
      Redacted.value(
        Effect.runSync(decryptPinBlock({ pinBlock: Effect.runSync(nodeEncryptPinBlock(key)), pan: PAN, key }))
      ) !== PIN
    ) {
      throw new Error("we cannot open the envelope of the node:crypto pipeline")
    }
    const [, pipeline] = timePair(
      () => Effect.runSync(encryptPinBlock({ pin: PIN, pan: PAN, key })),
      () => Effect.runSync(nodeEncryptPinBlock(key))
    )
    const [decrypt, nodeDec] = timePair(
      () => Effect.runSync(decryptPinBlock({ pinBlock: envelope, pan: PAN, key })),
      () => nodeDecrypt(key, envelope)
    )
    const ours = `encryptPinBlock AES-${bits}`
    results.push(
      { name: ours, usPerOp: encrypt },
      { name: `node:crypto, bare: encrypt AES-${bits}`, usPerOp: nodeEnc, against: ours },
      { name: `node:crypto in encryptPinBlock's pipeline AES-${bits}`, usPerOp: pipeline, against: ours },
      { name: `decryptPinBlock AES-${bits}`, usPerOp: decrypt },
      {
        name: `node:crypto, bare: decrypt AES-${bits}`,
        usPerOp: nodeDec,
        against: `decryptPinBlock AES-${bits}`
      }
    )
  }
  return results
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await benchPin()
  for (const { name, usPerOp } of results)
    console.log(`${name.padEnd(32)} ${usPerOp.toFixed(2).padStart(8)} µs/op`)
  for (const figure of results) {
    const ours = results.find((r) => r.name === figure.against)
    if (ours) console.log(`${ours.name}: ${(ours.usPerOp / figure.usPerOp).toFixed(1)}× ${figure.name}`)
  }
}
