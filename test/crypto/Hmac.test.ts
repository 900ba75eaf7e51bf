import { createHmac } from "node:crypto"
import { Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hmacSha256Hex, macHexEquals } from "../../src/crypto/index.js"
import { hex, loadVectors } from "./support.js"

interface Vectors {
  readonly valid: ReadonlyArray<{ key: string; message: string; mac: string; note: string }>
}
const vectors = loadVectors<Vectors>("hmac-sha256.json")

describe("hmacSha256Hex", () => {
  it.each(vectors.valid)("gives the $note MAC", ({ key, message, mac }) => {
    expect(hmacSha256Hex(hex(key), hex(message))).toBe(mac)
  })

  it("takes a string message as UTF-8 and a Redacted key and message", () => {
    const [jefe] = vectors.valid.filter((v) => v.note.endsWith("case 2"))
    const message = "what do ya want for nothing?"
    expect(hmacSha256Hex(Buffer.from("Jefe"), message)).toBe(jefe?.mac)
    expect(hmacSha256Hex(Redacted.make(Buffer.from("Jefe")), Redacted.make(message))).toBe(jefe?.mac)
  })

  it("equals node:crypto's createHmac('sha256') for any key and message, in lower-case hex", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.string({ unit: "grapheme", maxLength: 100 }),
        (key, text) => {
          const expected = createHmac("sha256", key).update(text, "utf8").digest("hex")
          expect(hmacSha256Hex(key, text)).toBe(expected)
          expect(hmacSha256Hex(key, Buffer.from(text, "utf8"))).toBe(expected)
        }
      )
    )
  })

  it("does not wipe or change a message given as bytes", () => {
    const message = Uint8Array.of(1, 2, 3)
    hmacSha256Hex(new Uint8Array(32), message)
    expect(message).toEqual(Uint8Array.of(1, 2, 3))
  })
})

describe("macHexEquals", () => {
  it("tells equal MACs from MACs that differ in any one byte, or in length", () => {
    const mac = createHmac("sha256", Buffer.alloc(32, 7)).update("4240181595:4821").digest("hex")
    expect(macHexEquals(mac, mac)).toBe(true)
    for (let i = 0; i < mac.length; i += 2) {
      const other =
        mac.slice(0, i) +
        (Number.parseInt(mac.slice(i, i + 2), 16) ^ 1).toString(16).padStart(2, "0") +
        mac.slice(i + 2)
      expect(macHexEquals(mac, other)).toBe(false)
    }
    expect(macHexEquals(mac, mac.slice(0, -2))).toBe(false)
  })

  it("compares the text as written, without decoding it: other case or non-hex never matches, never throws", () => {
    const mac = createHmac("sha256", Buffer.alloc(32, 7)).update("4240181595:4821").digest("hex")
    expect(macHexEquals(Redacted.make(mac), Redacted.make(mac))).toBe(true)
    expect(macHexEquals(mac, mac.toUpperCase())).toBe(false)
    // a corrupt stored verifier is a mismatch, not a crash of the hex decoder
    expect(macHexEquals(`${mac.slice(0, -1)}g`, mac)).toBe(false)
    expect(macHexEquals(mac.slice(1), mac.slice(1))).toBe(true)
  })
})
