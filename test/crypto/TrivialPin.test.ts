import { Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { isTrivialPin } from "../../src/crypto/index.js"
import { pinArb } from "./support.js"

// The model: every trivial PIN, listed. All one digit, any length 4–12; straight runs up or down
// without wrapping past 9 or 0, so at most 10 digits long.
const trivial = new Set<string>()
for (let length = 4; length <= 12; length++) {
  for (let start = 0; start <= 9; start++) {
    trivial.add(String(start).repeat(length))
    const up = Array.from({ length }, (_, i) => start + i)
    const down = Array.from({ length }, (_, i) => start - i)
    if (up.every((d) => d <= 9)) trivial.add(up.join(""))
    if (down.every((d) => d >= 0)) trivial.add(down.join(""))
  }
}

describe("isTrivialPin", () => {
  it.each([
    "0000",
    "1111",
    "999999999999",
    "1234",
    "9876",
    "0123",
    "3210",
    "0123456789",
    "9876543210",
    "45678"
  ])("refuses %s", (pin) => expect(isTrivialPin(pin)).toBe(true))

  it.each(["1235", "1243", "7890", "2109", "1212", "11112", "01234567890", "4821", "1122"])(
    "accepts %s",
    (pin) => expect(isTrivialPin(pin)).toBe(false)
  )

  it.each(["", "123", "1111111111111", "abcd", "12 34"])("says false for %j, which is not a PIN", (pin) =>
    expect(isTrivialPin(pin)).toBe(false)
  )

  it("takes a Redacted PIN", () => {
    expect(isTrivialPin(Redacted.make("6543"))).toBe(true)
  })

  it("agrees with the list of every trivial PIN", () => {
    expect(trivial.size).toBe(9 * 10 + 2 * (7 + 6 + 5 + 4 + 3 + 2 + 1))
    for (const pin of trivial) expect(isTrivialPin(pin)).toBe(true)
    fc.assert(
      fc.property(pinArb, (pin) => {
        expect(isTrivialPin(pin)).toBe(trivial.has(pin))
      }),
      { numRuns: 2000 }
    )
  })
})
