// The UTF-8 copies Hmac makes (with @noble/hashes' utf8ToBytes) are its own buffers: this file
// records each copy handed out, to check it is all zeros once the call returns.
import { Redacted } from "effect"
import { beforeEach, describe, expect, it, vi } from "vitest"

const made = vi.hoisted(() => [] as Array<Uint8Array>)

vi.mock("@noble/hashes/utils.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@noble/hashes/utils.js")>()
  return {
    ...actual,
    utf8ToBytes: (text: string) => {
      const bytes = actual.utf8ToBytes(text)
      made.push(bytes)
      return bytes
    }
  }
})

// a fresh copy of Hmac.js, bound to the recording utf8ToBytes even when another file loaded it first
vi.resetModules()
const { hmacSha256Hex, macHexEquals } = await import("../../src/crypto/Hmac.js")

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i)
const allZero = (bytes: Uint8Array) => bytes.every((b) => b === 0)

beforeEach(() => {
  made.length = 0
})

describe("the MAC helpers wipe the UTF-8 copies they make", () => {
  it("hmacSha256Hex wipes the UTF-8 copy of a string message, and gives the same MAC as for its bytes", () => {
    const mac = hmacSha256Hex(Redacted.make(KEY), Redacted.make("kit-42:1234"))
    expect(made).toHaveLength(1)
    expect(made.every(allZero)).toBe(true)
    expect(hmacSha256Hex(KEY, new TextEncoder().encode("kit-42:1234"))).toBe(mac)
  })

  it("macHexEquals wipes the bytes of both texts it compared", () => {
    expect(macHexEquals("00ff", "00fe")).toBe(false)
    expect(made).toHaveLength(2)
    expect(made.every(allZero)).toBe(true)
    expect(macHexEquals("00ff", "00ff")).toBe(true)
    expect(made.every(allZero)).toBe(true)
  })
})
