import { describe, expect, it } from "vitest"
import { ENVELOPE_BYTES, ENVELOPE_CHARS, envelopeBytes } from "../../src/crypto/PinBlockEnvelope.js"

const canonical = (n: number) =>
  Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff)).toString("base64")

describe("the Set PIN V2 envelope is exactly 40 bytes in 56 canonical Base64 characters", () => {
  it("reads the 40 bytes of a canonical 56-character text", () => {
    const text = canonical(ENVELOPE_BYTES)
    expect(text).toHaveLength(ENVELOPE_CHARS)
    expect(Buffer.from(envelopeBytes(text) ?? []).toString("base64")).toBe(text)
  })

  it.each([41, 42])("refuses a canonical 56-character text of %i bytes", (n) => {
    const text = canonical(n)
    expect(text).toHaveLength(ENVELOPE_CHARS)
    expect(envelopeBytes(text)).toBeUndefined()
  })
})
