/**
 * card-lifecycle/postgres with many connections at once: 20 replacement requests racing on one
 * account with 0, 1 and 2 replacement slots left this month, from 20 connections of the pool; exactly
 * as many succeed as there were slots, the others are refused with seed 003's limit, and the account
 * keeps one replacement per success.
 */
import { Effect, Result } from "effect"
import { expect, it } from "vitest"
import { cardFixture, customerFixture, fixture, tenantFixture } from "../../../src/adapters/memory/index.js"
import type { MemoryFixture } from "../../../src/adapters/memory/MemoryFixture.js"
import { AccountNo, CustomerRepository, replaceCard, TenantId } from "../../../src/index.js"
import { describePostgres } from "../../support/postgres/database.js"
import { seededPostgres } from "../../support/postgres/seeded.js"

const TENANT = TenantId.make("ACME_BANK")
const RACERS = 20
const DAY = 86_400_000
const kitNoOf = (i: number) => String(4_240_180_000 + i)

/** One account with 20 ACTIVE cards, and `used` replacements already made yesterday. */
const bank = (used: number): MemoryFixture => {
  // the real clock: a replacement made yesterday is inside this month's window
  const yesterday = new Date(Date.now() - DAY).toISOString()
  const seed = fixture({
    [TENANT]: tenantFixture([
      customerFixture(
        "E1",
        Array.from({ length: RACERS }, (_, i) => cardFixture(kitNoOf(i), { status: "ACTIVE" })),
        { accountNo: 1 }
      )
    ])
  })
  return withReplacements(
    seed,
    Array.from({ length: used }, () => yesterday)
  )
}

const withReplacements = (seed: MemoryFixture, replacements: ReadonlyArray<string>): MemoryFixture => {
  const tenant = seed.tenants[TENANT]!
  const [customer] = tenant.customers ?? []
  const [account] = customer?.accounts ?? []
  return {
    tenants: {
      [TENANT]: {
        ...tenant,
        customers: [{ ...customer!, accounts: [{ ...account!, replacements: [...replacements] }] }]
      }
    }
  }
}

const storeOf = (seed: MemoryFixture) => seededPostgres(seed, RACERS)

describePostgres("card-lifecycle/postgres under concurrency", () => {
  for (const used of [2, 1, 0]) {
    const slots = 2 - used
    it(`20 replacements racing on one account with ${slots} slot(s) left: exactly ${slots} succeed`, async () => {
      const { answers, replacements } = await Effect.runPromise(
        Effect.gen(function* () {
          const results = yield* Effect.forEach(
            Array.from({ length: RACERS }, (_, i) => i),
            (i) =>
              Effect.result(
                replaceCard(TENANT, {
                  correlationId: "1",
                  oldLoyaltyId: Number(kitNoOf(i)),
                  status: "DAMAGED"
                })
              ),
            { concurrency: "unbounded" }
          )
          const account = yield* Effect.flatMap(CustomerRepository, (r) =>
            r.findAccount(TENANT, AccountNo.make(1))
          )
          return {
            answers: results.map((r) => (Result.isSuccess(r) ? "OK" : r.failure.code)),
            replacements: account._tag === "Some" ? account.value.replacements.length : -1
          }
        }).pipe(Effect.provide(storeOf(bank(used))))
      )
      expect(answers.filter((a) => a === "OK")).toHaveLength(slots)
      expect(answers.filter((a) => a !== "OK")).toEqual(
        Array(RACERS - slots).fill("REPLACEMENT_LIMIT_EXCEEDED")
      )
      expect(replacements).toBe(2)
    })
  }
})
