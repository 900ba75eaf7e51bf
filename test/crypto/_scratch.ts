import { createCipheriv } from "node:crypto"
import { gcm } from "@noble/ciphers/aes.js"
import { randomBytes } from "@noble/ciphers/utils.js"
import { Effect, Result } from "effect"
import { Base64 } from "effect/encoding"
import { encryptPinBlock, Format0 } from "../../src/crypto/index.js"

const N = 20000
const t = (name: string, f: () => unknown) => {
  for (let i = 0; i < N; i++) f()
  const r: number[] = []
  for (let k = 0; k < 5; k++) {
    const s = performance.now()
    for (let i = 0; i < N; i++) f()
    r.push(((performance.now() - s) * 1000) / N)
  }
  r.sort((a, b) => a - b)
  console.log(name.padEnd(30), r[2]!.toFixed(2), "us")
}
for (const bits of [128, 256]) {
  const key = randomBytes(bits / 8),
    iv = randomBytes(16),
    pt = randomBytes(8)
  t(`noble gcm ${bits} iv16`, () => gcm(key, iv).encrypt(pt))
  t(`noble gcm ${bits} iv12`, () => gcm(key, iv.subarray(0, 12)).encrypt(pt))
  t(`node gcm ${bits} iv16`, () => {
    const c = createCipheriv(`aes-${bits}-gcm` as "aes-128-gcm", key, iv)
    const a = c.update(pt)
    c.final()
    return [a, c.getAuthTag()]
  })
  t(`encryptPinBlock ${bits}`, () =>
    Effect.runSync(encryptPinBlock({ pin: "4821", pan: "4111111111111111", key }))
  )
}
t("Format0.encode", () => Result.getOrThrow(Format0.encode("4821", "4111111111111111")))
t("Base64 40B", () => Base64.encode(new Uint8Array(40)))
t("randomBytes16", () => randomBytes(16))
t("runSync(suspend)", () => Effect.runSync(Effect.suspend(() => Effect.succeed(1))))
