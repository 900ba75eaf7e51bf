// DOMAIN.md §6: the crypto code wipes every buffer that held a PIN, a PAN, a MAC or a clear block once
// it is done with it. The buffers are the functions' own, so these tests watch Uint8Array's fill and
// record what each buffer held when it was zeroed.
import { createCipheriv } from "node:crypto"
import { Effect, Redacted, Result } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { Format0, Format3, Format4, hmacSha256Hex } from "../../src/crypto/index.js"
import { decryptPinBlock, encryptPinBlockWithIv } from "../../src/crypto/PinBlockEnvelope.js"
import { fixedRandom, referenceFormat0, referencePanField0 } from "./support.js"

const PAN = "5432101234567891"
const KEY = Uint8Array.from({ length: 16 }, (_, i) => i + 1)
const IV = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 ^ i)

const toHex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase()

const wiped: Array<string> = []
const originalFill = Uint8Array.prototype.fill
let watching = false

/** Runs `f`, recording the contents of every byte buffer zero-filled meanwhile. */
const wipedDuring = <A>(f: () => A): { readonly result: A; readonly wiped: ReadonlyArray<string> } => {
  wiped.length = 0
  watching = true
  Object.defineProperty(Uint8Array.prototype, "fill", {
    configurable: true,
    writable: true,
    value: function (this: Uint8Array, value: number, start?: number, end?: number) {
      if (watching && value === 0 && start === undefined && end === undefined) wiped.push(toHex(this))
      return originalFill.call(this, value, start, end)
    }
  })
  try {
    return { result: f(), wiped: [...wiped] }
  } finally {
    watching = false
    delete (Uint8Array.prototype as { fill?: unknown }).fill
  }
}

afterEach(() => {
  watching = false
  if (Object.hasOwn(Uint8Array.prototype, "fill")) delete (Uint8Array.prototype as { fill?: unknown }).fill
})

const ecb = (key: Uint8Array, block: Uint8Array): Uint8Array => {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false)
  return Uint8Array.from(Buffer.concat([cipher.update(block), cipher.final()]))
}

const unwrap = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error("expected success")
  return result.success
}

describe("formats 0 and 3 wipe their clear fields", () => {
  it("format 0 encode wipes the account-number field", () => {
    const { wiped } = wipedDuring(() => unwrap(Format0.encode("1234", PAN)))
    expect(wiped).toContain(referencePanField0(PAN))
  })

  it("format 3 encode wipes the account-number field", () => {
    const { wiped } = wipedDuring(() =>
      unwrap(Format3.withRandom(fixedRandom(new Uint8Array(10))).encode("1234", PAN))
    )
    expect(wiped).toContain(referencePanField0(PAN))
  })

  it("format 0 decode wipes the clear PIN field and the copy of the PIN digits", () => {
    const block = Uint8Array.from(referenceFormat0("1234", PAN))
    const { result, wiped } = wipedDuring(() => Format0.decode(block, PAN))
    expect(result).toEqual(Result.succeed("1234"))
    expect(wiped).toContain("041234FFFFFFFFFF")
    // the 14 nibbles as character codes: "1234" then ten fill nibbles read as 48 + 15
    expect(wiped).toContain(toHex([0x31, 0x32, 0x33, 0x34, ...Array<number>(10).fill(0x3f)]))
  })
})

describe("format 4 wipes its clear PIN field, PAN field and intermediate block", () => {
  const random = Uint8Array.from({ length: 8 }, (_, i) => 0x11 * (i + 1))
  const pinField = Uint8Array.from([0x44, 0x12, 0x34, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, ...random])
  // M = 16 - 12 = 4, then the whole PAN, then zeros
  const panField = Uint8Array.from(Buffer.from(`4${PAN}`.padEnd(32, "0"), "hex"))
  const intermediate = ecb(KEY, pinField).map((b, i) => b ^ panField[i]!)

  it("encode wipes the PIN field's first half, the whole PIN field, the PAN field and A XOR PAN field", () => {
    const { result, wiped } = wipedDuring(() => unwrap(Format4.encode("1234", PAN, KEY, fixedRandom(random))))
    expect(toHex(result)).toBe(toHex(ecb(KEY, intermediate)))
    expect(wiped).toContain(toHex(pinField.subarray(0, 8)))
    expect(wiped).toContain(toHex(pinField))
    expect(wiped).toContain(toHex(panField))
    expect(wiped).toContain(toHex(intermediate))
  })

  it("decode wipes the PAN field, A and the clear PIN field", () => {
    const block = ecb(KEY, intermediate)
    const { result, wiped } = wipedDuring(() => Format4.decode(block, PAN, KEY))
    expect(result).toEqual(Result.succeed("1234"))
    expect(wiped).toContain(toHex(panField))
    expect(wiped).toContain(toHex(ecb(KEY, pinField)))
    expect(wiped).toContain(toHex(pinField))
  })
})

describe("the Set PIN V2 envelope wipes its clear block and its buffers", () => {
  const input = { pin: Redacted.make("1234"), pan: Redacted.make(PAN), key: Redacted.make(KEY) }

  it("sealing wipes the format-0 block, the envelope bytes and the ciphertext with its tag", () => {
    const { result, wiped } = wipedDuring(() => Effect.runSync(encryptPinBlockWithIv(input, IV)))
    const envelope = Buffer.from(result, "base64")
    expect(wiped).toContain(toHex(referenceFormat0("1234", PAN)))
    expect(wiped).toContain(toHex(envelope))
    expect(wiped).toContain(toHex(envelope.subarray(16)))
  })

  it("opening wipes the clear format-0 block", () => {
    const envelope = Effect.runSync(encryptPinBlockWithIv(input, IV))
    const { result, wiped } = wipedDuring(() =>
      Effect.runSync(decryptPinBlock({ pinBlock: envelope, pan: input.pan, key: input.key }))
    )
    expect(Redacted.value(result)).toBe("1234")
    expect(wiped).toContain(toHex(referenceFormat0("1234", PAN)))
  })
})

describe("hmacSha256Hex wipes the MAC bytes", () => {
  it("zeroes the MAC once it is written as hex", () => {
    const { result, wiped } = wipedDuring(() =>
      hmacSha256Hex(Redacted.make(KEY), Redacted.make("kit-42:1234"))
    )
    expect(wiped).toContain(result.toUpperCase())
  })
})
