import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { isoTimestamp } from "../../src/domain/audit/AuditEvent.js"

const MAX_DATE = 8.64e15
const DAY = 86_400_000

describe("isoTimestamp", () => {
  it("writes every instant a Date can hold exactly as Date.prototype.toISOString does", () =>
    fc.assert(
      fc.property(fc.integer({ min: -MAX_DATE, max: MAX_DATE }), (millis) => {
        expect(isoTimestamp(millis)).toBe(new Date(millis).toISOString())
      }),
      { numRuns: 2000 }
    ))

  it("drops fractions of a millisecond as a Date does, and refuses what a Date refuses", () => {
    fc.assert(
      fc.property(fc.double({ min: -MAX_DATE, max: MAX_DATE, noNaN: true }), (instant) => {
        expect(isoTimestamp(instant)).toBe(new Date(instant).toISOString())
      }),
      { numRuns: 2000 }
    )
    for (const instant of [0.5, -0.5, -0, 1.999, -1.001, 1_784_111_400_000.75])
      expect(isoTimestamp(instant)).toBe(new Date(instant).toISOString())
    for (const instant of [MAX_DATE + 1, -MAX_DATE - 1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => isoTimestamp(instant)).toThrow(RangeError)
  })

  it("stays exact when instants hop between days, around midnight, leap days and the epoch", () => {
    const instants = [
      0,
      -1,
      DAY - 1,
      DAY,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      -62_198_755_200_000, // year 0000
      -62_198_755_200_001, // year -000001
      253_402_300_800_000, // year +010000
      MAX_DATE,
      -MAX_DATE
    ]
    // each instant after every other one: the kept date part must never leak into another day
    for (const a of instants)
      for (const b of instants) {
        expect(isoTimestamp(a)).toBe(new Date(a).toISOString())
        expect(isoTimestamp(b)).toBe(new Date(b).toISOString())
      }
  })
})
