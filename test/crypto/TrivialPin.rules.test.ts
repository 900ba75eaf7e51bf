import { describe, expect, it } from "vitest"
import { isTrivialPin } from "../../src/crypto/index.js"

describe("a trivial PIN is one digit repeated or a run by steps of one", () => {
  it.each(["1357", "0246", "2468", "13579", "0369"])(
    "an upward run by a step over one (%s) is not trivial",
    (pin) => {
      expect(isTrivialPin(pin)).toBe(false)
    }
  )

  it.each(["7531", "9753", "6420", "97531", "9630"])(
    "a downward run by a step over one (%s) is not trivial",
    (pin) => {
      expect(isTrivialPin(pin)).toBe(false)
    }
  )

  it.each(["1111", "1234", "4321", "0123456789"])("%s is trivial", (pin) => {
    expect(isTrivialPin(pin)).toBe(true)
  })
})
