/**
 * DOMAIN.md §9 for card replacement: no clear PAN in any answer, error or audit event, neither the
 * card's own PAN nor a card number a caller sends as an identifier (oldLoyaltyId, the correlation
 * id, newLoyaltyId).
 */
import { inspect } from "node:util"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import { AuditLog, TenantId } from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { NOW, TENANT_A } from "../support/builders.js"
import {
  ACCOUNT,
  activeCard,
  attempt,
  CATALOG,
  DAY,
  holder,
  isoAt,
  kitNoOf,
  request,
  runOn,
  tenantOf
} from "../support/replacement.js"

const accountStatus = fc.constantFrom("PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "CLOSED" as const)
const anyStatus = fc.oneof(
  fc.constantFrom("DAMAGED", "CANCELLED", "LOST_OR_STOLEN", "ACTIVE", "BLOCKED"),
  fc.string(),
  fc.integer()
)

/** Luhn-valid card numbers of `min` to `max` digits, without a leading zero. */
const luhnPan = (minLength: number, maxLength: number) => Arbitraries.pan({ minLength, maxLength })

/** Every way an error can be shown: none may hold the clear number. */
const renderings = (failure: { readonly message: string } | undefined) =>
  failure === undefined
    ? []
    : [JSON.stringify(failure), String(failure), inspect(failure, { depth: 10 }), failure.message]

describe("replaceCard never shows a clear PAN", () => {
  it("no clear PAN of the card in any answer, error or audit event", async () => {
    await fc.assert(
      fc.asyncProperty(luhnPan(16, 16), anyStatus, accountStatus, async (clearPan, status, accountState) => {
        const fixture: MemoryFixture = {
          tenants: {
            [TENANT_A]: tenantOf([
              holder(ACCOUNT, [activeCard(1, { pan: clearPan })], { status: accountState })
            ])
          }
        }
        const out = await runOn(
          fixture,
          Effect.gen(function* () {
            const { result } = yield* attempt(TENANT_A, request(ACCOUNT, 1, { status }))
            const events = yield* Effect.flatMap(AuditLog, (log) =>
              log.findBySubject(TenantId.make(TENANT_A), kitNoOf(1))
            )
            return { result, events }
          })
        )
        const failure = Result.isFailure(out.result) ? out.result.failure : undefined
        for (const text of [JSON.stringify(out), inspect(out, { depth: 10 }), ...renderings(failure)])
          expect(text).not.toContain(clearPan)
      })
    )
  })

  // the card number is sent where an identifier belongs; the store may even hold it as one (a kitNo,
  // an account number or a kitNo in use), so that every error that names an identifier is reached:
  // AccountNotFound, every row of the table, InvalidStatusTransition, ReplacementProductNotFound
  const sentAs = fc.oneof(
    fc.record({ field: fc.constant("oldLoyaltyId" as const), pan: luhnPan(12, 19) }),
    fc.record({
      field: fc.constant("correlationId" as const),
      pan: luhnPan(12, 16).filter((pan) => Number.isSafeInteger(Number(pan)))
    }),
    fc.record({ field: fc.constant("newLoyaltyId" as const), pan: luhnPan(12, 15) })
  )

  it("a card number sent as oldLoyaltyId, correlationId or newLoyaltyId never comes back in an error", async () => {
    await fc.assert(
      fc.asyncProperty(
        sentAs,
        fc.record({
          asNumber: fc.boolean(),
          stored: fc.boolean(),
          account: accountStatus,
          card: fc.constantFrom("ACTIVE", "REPLACED", "DAMAGED", "CANCELLED", "LOST_OR_STOLEN" as const),
          limitReached: fc.boolean(),
          catalog: fc.boolean()
        }),
        async ({ field, pan }, world) => {
          // a 19-digit number is no safe integer: oldLoyaltyId is then sent as digits
          const sent = world.asNumber && Number.isSafeInteger(Number(pan)) ? Number(pan) : pan
          const kitNo = field === "oldLoyaltyId" && world.stored ? pan : kitNoOf(1)
          const cards = [activeCard(1, { kitNo, status: world.card })]
          if (field === "newLoyaltyId" && world.stored) cards.push(activeCard(2, { kitNo: pan }))
          const customer = holder(ACCOUNT, cards, {
            status: world.account,
            replacements: world.limitReached ? [isoAt(NOW - 2 * DAY), isoAt(NOW - DAY)] : []
          })
          const accountNo = field === "correlationId" && world.stored ? Number(pan) : ACCOUNT
          const fixture: MemoryFixture = {
            tenants: {
              [TENANT_A]: tenantOf(
                [{ ...customer, accounts: customer.accounts!.map((a) => ({ ...a, accountNo })) }],
                undefined,
                world.catalog ? CATALOG : []
              )
            }
          }
          const body = {
            ...request(ACCOUNT, 1),
            oldLoyaltyId: field === "oldLoyaltyId" ? sent : kitNo,
            ...(field === "correlationId" ? { correlationId: sent } : {}),
            ...(field === "newLoyaltyId" ? { newLoyaltyId: sent } : {})
          }
          const { result } = await runOn(fixture, attempt(TENANT_A, body))
          // a success answers newLoyaltyId as NewLoyaltyCard: seed 003's response, not an error
          if (Result.isSuccess(result)) return
          for (const text of renderings(result.failure)) expect(text).not.toContain(pan)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("names a card number sent as a kitNo masked, as maskPan shows a PAN, and never repeats an account number", async () => {
    const pan = "4111111111111111"
    const [unknownAccount, unknownCard] = await Promise.all([
      runOn(
        { tenants: { [TENANT_A]: tenantOf([]) } },
        attempt(TENANT_A, request(ACCOUNT, 1, { correlationId: pan }))
      ),
      runOn(
        { tenants: { [TENANT_A]: tenantOf([holder(ACCOUNT, [activeCard(1)])]) } },
        attempt(TENANT_A, request(ACCOUNT, 1, { oldLoyaltyId: Number(pan) }))
      )
    ])
    const accountFailure =
      unknownAccount.result._tag === "Failure" ? unknownAccount.result.failure : undefined
    expect(JSON.parse(JSON.stringify(accountFailure))).toEqual({
      _tag: "AccountNotFound",
      code: "ACCOUNT_NOT_FOUND",
      message: "No account with this number exists for this tenant."
    })
    const cardFailure = unknownCard.result._tag === "Failure" ? unknownCard.result.failure : undefined
    expect(cardFailure).toMatchObject({ _tag: "CardReplacementRefused", kitNo: "411111XXXXXX1111" })
    expect(JSON.stringify(cardFailure)).not.toContain(String(ACCOUNT))
  })
})
