import { describe, expect, it } from "vitest"
import { UnknownKeyId } from "../../src/ports/SecurityModule.js"

describe("UnknownKeyId", () => {
  it("repeats a stored key id only when it is one, with digits that could be a card number masked", () => {
    const long = new UnknownKeyId({ purpose: "panStore", keyId: `${"7".repeat(40)} ${"x".repeat(400)}` })
    expect(long.keyId).toBe("(not a key id)")
    expect(long.message).not.toContain("xxxx")
    const panLike = new UnknownKeyId({ purpose: "pinStore", keyId: "4111111111111111" })
    expect(panLike.keyId).toBe("411111XXXXXX1111")
    expect(JSON.stringify(panLike)).not.toContain("4111111111111111")
    expect(new UnknownKeyId({ purpose: "setPin", keyId: "2026-07" }).keyId).toBe("2026-07")
  })
})
