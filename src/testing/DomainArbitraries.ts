/**
 * fast-check arbitraries of the domain's values: identifiers, clear PANs and PINs, card statuses and
 * operations. Each value decodes with its schema.
 *
 * @since 0.1.0
 */
import * as fc from "fast-check"
import { isTrivialPin } from "../crypto/TrivialPin.js"
import { CardOperation, CardStatus, type LockableStatus } from "../domain/card/CardStatus.js"
import { luhnCheckDigit } from "../domain/ground/Pan.js"
import { BulkOperation } from "../domain/kit/manageAllCards.js"

/**
 * Tenant ids: 1–64 characters of A-Z a-z 0-9 _ - (DOMAIN.md §1).
 *
 * @category identifiers
 */
export const tenantId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * Entity ids of customers: 1–64 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const entityId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * Loyalty ids: kitNos as seed 003 sends them, 1–15 digits without a leading zero, so that they
 * survive the trip through a JSON number (`replaceCard`'s `oldLoyaltyId` and `newLoyaltyId`).
 *
 * @category identifiers
 */
export const loyaltyId = (): fc.Arbitrary<string> => fc.stringMatching(/^[1-9][0-9]{0,14}$/)

/**
 * kitNos: 1–32 letters or digits, loyalty ids among them.
 *
 * @category identifiers
 */
export const kitNo = (): fc.Arbitrary<string> =>
  fc.oneof(loyaltyId(), fc.stringMatching(/^[A-Za-z0-9]{1,32}$/))

/**
 * Mobile numbers: 7–15 digits, some after a leading `+`.
 *
 * @category identifiers
 */
export const mobileNo = (): fc.Arbitrary<string> => fc.stringMatching(/^\+?[0-9]{7,15}$/)

/**
 * Account numbers: non-negative integers of up to 10 digits.
 *
 * @category identifiers
 */
export const accountNo = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 9_999_999_999 })

/**
 * Branch ids: 1–32 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const branchId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/)

/**
 * Card order ids: 1–64 characters of A-Z a-z 0-9 _ -.
 *
 * @category identifiers
 */
export const orderId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/**
 * @category models
 */
export interface PanConstraints {
  /** The digits every PAN starts with; any prefix without a leading zero when omitted. */
  readonly bin?: string
  /** 12 when omitted (ISO/IEC 7812-1). */
  readonly minLength?: number
  /** 19 when omitted (ISO/IEC 7812-1). */
  readonly maxLength?: number
}

/**
 * Clear PANs: Luhn-valid (ISO/IEC 7812-1 Annex B), 12–19 digits or the lengths asked for, on `bin`
 * when given. A bin that is not digits, or leaves no length in range, is a `RangeError`.
 *
 * @category identifiers
 */
export const pan = (constraints: PanConstraints = {}): fc.Arbitrary<string> => {
  const { bin = "", minLength = 12, maxLength = 19 } = constraints
  const shortest = Math.max(minLength, 12, bin.length + 1)
  const longest = Math.min(maxLength, 19)
  if (!/^[0-9]*$/.test(bin) || shortest > longest)
    throw new RangeError("pan: bin must be digits, and leave a length of 12-19 digits within the constraints")
  // without a bin, no leading zero: a PAN sent as a JSON number keeps all its digits
  const prefix = bin === "" ? fc.integer({ min: 1, max: 9 }).map(String) : fc.constant(bin)
  const prefixLength = Math.max(bin.length, 1)
  return fc.integer({ min: shortest, max: longest }).chain((length) =>
    fc
      .tuple(
        prefix,
        fc.array(fc.integer({ min: 0, max: 9 }), {
          minLength: length - 1 - prefixLength,
          maxLength: length - 1 - prefixLength
        })
      )
      .map(([first, rest]) => {
        const body = first + rest.join("")
        return body + luhnCheckDigit(body)
      })
  )
}

/**
 * @category models
 */
export interface PinConstraints {
  /** Whether trivial PINs (`isTrivialPin`) come up too, and as often as the others; false when omitted. */
  readonly allowTrivial?: boolean
}

const digit = fc.constantFrom(..."0123456789")

/** DOMAIN.md §6 trivial PINs: one digit 4–12 times, or a straight run of 4–10 digits up or down. */
const trivialPin = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .record({ digit, length: fc.integer({ min: 4, max: 12 }) })
      .map(({ digit, length }) => digit.repeat(length)),
    fc
      .integer({ min: 4, max: 10 })
      .chain((length) =>
        fc.record({
          length: fc.constant(length),
          first: fc.integer({ min: 0, max: 10 - length }),
          up: fc.boolean()
        })
      )
      .map(({ length, first, up }) => {
        const run = Array.from({ length }, (_, i) => String(first + i))
        return (up ? run : run.reverse()).join("")
      })
  )

/** A trivial PIN with one digit replaced: next to the rule (1112, 1235), on either side of it. */
const nearTrivialPin = (): fc.Arbitrary<string> =>
  fc.tuple(trivialPin(), fc.nat(), digit).map(([pin, at, replacement]) => {
    const i = at % pin.length
    return pin.slice(0, i) + replacement + pin.slice(i + 1)
  })

/**
 * Clear PINs: 4–12 decimal digits (ISO 9564-1 §8.1), many of them next to a trivial one (1112,
 * 1235), none trivial (one digit repeated or a straight run, `isTrivialPin`) as a tenant's default
 * policy requires, unless `allowTrivial`: then trivial PINs half the time.
 *
 * @category secrets
 */
export const pin = (constraints: PinConstraints = {}): fc.Arbitrary<string> => {
  const nonTrivial = fc
    .oneof(fc.string({ unit: digit, minLength: 4, maxLength: 12 }), nearTrivialPin())
    .filter((pin) => !isTrivialPin(pin))
  return constraints.allowTrivial === true ? fc.oneof(nonTrivial, trivialPin()) : nonTrivial
}

/**
 * Card statuses, every one of DOMAIN.md §2.
 *
 * @category statuses
 */
export const cardStatus = (): fc.Arbitrary<CardStatus> => fc.constantFrom(...CardStatus.literals)

/**
 * The operations of the transition table.
 *
 * @category statuses
 */
export const cardOperation = (): fc.Arbitrary<CardOperation> => fc.constantFrom(...CardOperation.literals)

/**
 * The operations of `manageAllCards`: BLOCK, LOCK, UNLOCK.
 *
 * @category statuses
 */
export const bulkOperation = (): fc.Arbitrary<BulkOperation> => fc.constantFrom(...BulkOperation.literals)

/**
 * A card's status as stored: `lockedFrom` is there exactly when the status is LOCKED.
 *
 * @category models
 */
export interface CardState {
  readonly status: CardStatus
  readonly lockedFrom?: LockableStatus
}

/**
 * Every status a card can be in, LOCKED from each status it can be locked from.
 *
 * @category statuses
 */
export const cardState = (): fc.Arbitrary<CardState> =>
  fc.constantFrom<CardState>(
    ...CardStatus.literals.flatMap(
      (status): ReadonlyArray<CardState> =>
        status === "LOCKED"
          ? [
              { status, lockedFrom: "ASSIGNED" },
              { status, lockedFrom: "ACTIVE" }
            ]
          : [{ status }]
    )
  )
