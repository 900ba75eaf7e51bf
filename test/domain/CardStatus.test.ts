import { Effect, Option, Result } from "effect"
import { describe, expect, it } from "vitest"
import { applyOperation } from "../../src/domain/card/Card.js"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import {
  activateCard,
  blockCard,
  type Card,
  CardOperation,
  CardRepository,
  CardStatus,
  InvalidStatusTransition,
  isTerminal,
  KitNo,
  lockCard,
  luhnValid,
  TenantId,
  unlockCard
} from "../../src/index.js"
import { cardFixture, customerWith, fixtureOf, panFor, TENANT_A, testLayer } from "../support/builders.js"
import { standInPan } from "../support/protectedPan.js"
import { unchangedBy } from "../support/state.js"

/** DOMAIN.md §2, written out independently of the library's table: [operation, from, to]. */
const allowed: ReadonlyArray<readonly [string, string, string]> = [
  ["ACTIVATE", "ASSIGNED", "ACTIVE"],
  ["LOCK", "ASSIGNED", "LOCKED"],
  ["LOCK", "ACTIVE", "LOCKED"],
  ["UNLOCK", "LOCKED", "(locked from)"],
  ["BLOCK", "ASSIGNED", "BLOCKED"],
  ["BLOCK", "ACTIVE", "BLOCKED"],
  ["BLOCK", "LOCKED", "BLOCKED"],
  ["UPGRADE", "ASSIGNED", "REPLACED"],
  ["UPGRADE", "ACTIVE", "REPLACED"],
  ["UPGRADE", "LOCKED", "REPLACED"],
  ...["DAMAGED", "CANCELLED", "LOST_OR_STOLEN"].flatMap((r) =>
    ["ASSIGNED", "ACTIVE", "LOCKED", "BLOCKED"].map((from) => [`REPLACE_${r}`, from, r] as const)
  ),
  ["CANCEL_ORDER", "ASSIGNED", "CANCELLED"]
]

const baseCard: Card = {
  kitNo: KitNo.make("4240181595"),
  entityId: "676165" as Card["entityId"],
  accountNo: 8642135 as Card["accountNo"],
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: standInPan(panFor(1)),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ASSIGNED"
}

/** Every way a card can stand in a status: LOCKED once from ASSIGNED and once from ACTIVE. */
const cardsIn = (status: CardStatus): ReadonlyArray<Card> =>
  status === "LOCKED"
    ? [
        { ...baseCard, status, lockedFrom: "ASSIGNED" },
        { ...baseCard, status, lockedFrom: "ACTIVE" }
      ]
    : [{ ...baseCard, status }]

describe("the transition table (DOMAIN.md §2)", () => {
  for (const operation of CardOperation.literals) {
    for (const status of CardStatus.literals) {
      const row = allowed.find(([op, from]) => op === operation && from === status)
      for (const card of cardsIn(status)) {
        const label = `${operation} from ${status}${card.lockedFrom ? ` (locked from ${card.lockedFrom})` : ""}`
        if (row) {
          const expected = row[2] === "(locked from)" ? card.lockedFrom : row[2]
          it(`allows ${label} → ${expected}`, () => {
            const result = applyOperation(card, operation)
            expect(Result.isSuccess(result) && result.success.status).toBe(expected)
            expect(Result.isSuccess(result) && result.success.lockedFrom).toBe(
              expected === "LOCKED" ? status : undefined
            )
          })
        } else {
          it(`refuses ${label}`, () => {
            const result = applyOperation(card, operation)
            expect(result).toEqual(
              Result.fail(new InvalidStatusTransition({ kitNo: card.kitNo, status, operation }))
            )
          })
        }
      }
    }
  }

  it("lets no operation change a terminal card", () => {
    for (const status of CardStatus.literals.filter(isTerminal)) {
      for (const operation of CardOperation.literals) {
        if (operation.startsWith("REPLACE_") && status === "BLOCKED") continue // seed 003 replaces blocked cards
        expect(Result.isFailure(applyOperation({ ...baseCard, status }, operation))).toBe(true)
      }
    }
  })

  it("unlocks a LOCKED card that lost its origin to ASSIGNED, never to ACTIVE", () => {
    const result = applyOperation({ ...baseCard, status: "LOCKED" }, "UNLOCK")
    expect(Result.isSuccess(result) && result.success.status).toBe("ASSIGNED")
  })

  it("names the card, its status and the operation in a refusal", () => {
    const error = new InvalidStatusTransition({ kitNo: "4240181595", status: "BLOCKED", operation: "UNLOCK" })
    expect(error.message).toBe("Cannot UNLOCK card 4240181595: its status is BLOCKED.")
    expect(error.code).toBe("INVALID_STATUS_TRANSITION")
  })
})

const useCases = { ACTIVATE: activateCard, LOCK: lockCard, UNLOCK: unlockCard, BLOCK: blockCard } as const

describe("the card-status use cases, for every (operation, status) pair", () => {
  for (const [operation, useCase] of Object.entries(useCases)) {
    for (const status of CardStatus.literals) {
      for (const card of cardsIn(status)) {
        const row = allowed.find(([op, from]) => op === operation && from === status)
        const label = `${operation} on a ${status}${card.lockedFrom ? ` (from ${card.lockedFrom})` : ""} card`
        it(`${row ? "performs" : "refuses, changing nothing,"} ${label}`, async () => {
          const fixture = fixtureOf({
            [TENANT_A]: [
              customerWith("676165", "9876543210", 8642135, [
                cardFixture("4240181595", 1, {
                  status,
                  ...(card.lockedFrom === undefined ? {} : { lockedFrom: card.lockedFrom })
                })
              ])
            ]
          })
          const outcome = await Effect.runPromise(
            Effect.gen(function* () {
              const { result, unchanged } = yield* unchangedBy(useCase(TENANT_A, { kitNo: "4240181595" }))
              const stored = yield* (yield* CardRepository).findByKitNo(
                TenantId.make(TENANT_A),
                KitNo.make("4240181595")
              )
              return { result, unchanged, stored: Option.getOrThrow(stored) }
            }).pipe(Effect.provide(testLayer(fixture)))
          )
          if (row) {
            const expected = row[2] === "(locked from)" ? card.lockedFrom : row[2]
            expect(Result.isSuccess(outcome.result) && outcome.result.success.currentStatus).toBe(expected)
            expect(outcome.stored.status).toBe(expected)
          } else {
            expect(outcome.result).toEqual(
              Result.fail(new InvalidStatusTransition({ kitNo: "4240181595", status, operation }))
            )
            expect(outcome.unchanged).toBe(true)
            expect(outcome.stored.status).toBe(status)
          }
        })
      }
    }
  }
})

describe("luhnCheckDigit", () => {
  it("completes every body into a Luhn-valid number, and no other digit does", () => {
    for (let n = 0; n < 2000; n++) {
      const body = String(n * 7919 + 608040000000).slice(0, 11 + (n % 8))
      const check = luhnCheckDigit(body)
      for (let d = 0; d <= 9; d++) expect(luhnValid(body + d)).toBe(String(d) === check)
    }
  })
})
