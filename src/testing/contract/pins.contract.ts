/**
 * The contract of PinStore: a card's PIN record (its verifier and its try counter) round-trips within
 * its tenant only, `save` replaces the whole record, `recordAttempts` the counter alone.
 */
import { Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { cardFixture, customerFixture } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import { KitNo } from "../../domain/ground/Identifiers.js"
import { type PinRecord, PinStore } from "../../ports/PinStore.js"
import { KeyId, type StoredVerifier } from "../../ports/SecurityModule.js"
import { Transactor } from "../../ports/Transactor.js"
import { A, B, type MakeLayer, runner } from "./support.js"

const K1 = KitNo.make("K1")
const K2 = KitNo.make("K2")

/** The same kitNos in both tenants: only the tenant tells their PINs apart. */
const fixture: MemoryFixture = {
  tenants: Object.fromEntries(
    [A, B].map((tenant) => [
      tenant,
      { customers: [customerFixture("E1", [cardFixture(K1), cardFixture(K2)])] }
    ])
  )
}

/**
 * A verifier as a security module makes them: 64 lower-case hex digits, `Redacted`, with the id of
 * its key (each digit its own key id, so that a store keeping one part of the pair is caught).
 */
const verifier = (digit: string): StoredVerifier => ({
  keyId: KeyId.make(`key-${digit}`),
  mac: Redacted.make(digit.repeat(64), { label: "PIN verifier" })
})

/** A verifier as plain data, its mac revealed. */
const revealed = (digit: string) => ({ keyId: `key-${digit}`, mac: digit.repeat(64) })

/** A record as plain data, the verifier revealed: what two stores must agree on. */
const plain = (found: Option.Option<PinRecord>) =>
  Option.getOrUndefined(
    Option.map(found, (record) => ({
      verifier: { keyId: record.verifier.keyId, mac: Redacted.value(record.verifier.mac) },
      failedAttempts: record.failedAttempts,
      blocked: record.blocked
    }))
  )

/**
 * The contract of PinStore: `save` stores a card's whole record and replaces an earlier one; `find`
 * and `findForUpdate` give it back, in its tenant only; `recordAttempts` replaces the try counter of a
 * stored record, its verifier unchanged, and writes nothing for a card without one. Registers its
 * tests (`describe`/`it` of vitest) under `name`.
 *
 * @category contracts
 */
export const pinsContract = (name: string, makeLayer: MakeLayer) => {
  const run = runner(makeLayer)

  describe(`${name}: PinStore`, () => {
    it("finds what save stored, for update too, in its tenant only; none for a card without a PIN", async () => {
      const found = await run(
        Effect.gen(function* () {
          const pins = yield* PinStore
          yield* pins.save(A, K1, { verifier: verifier("a"), failedAttempts: 2, blocked: false })
          return {
            stored: plain(yield* pins.find(A, K1)),
            forUpdate: plain(yield* (yield* Transactor).withTransaction(pins.findForUpdate(A, K1))),
            otherTenant: plain(yield* pins.find(B, K1)),
            otherCard: plain(yield* pins.findForUpdate(A, K2))
          }
        }),
        fixture
      )
      const record = { verifier: revealed("a"), failedAttempts: 2, blocked: false }
      expect(found).toEqual({
        stored: record,
        forUpdate: record,
        otherTenant: undefined,
        otherCard: undefined
      })
    })

    it("save replaces the whole record: a new verifier with its own counter", async () => {
      const found = await run(
        Effect.gen(function* () {
          const pins = yield* PinStore
          yield* pins.save(A, K1, { verifier: verifier("a"), failedAttempts: 3, blocked: true })
          yield* pins.save(A, K1, { verifier: verifier("b"), failedAttempts: 0, blocked: false })
          return plain(yield* pins.find(A, K1))
        }),
        fixture
      )
      expect(found).toEqual({ verifier: revealed("b"), failedAttempts: 0, blocked: false })
    })

    it("recordAttempts replaces the counter of the tenant's record alone, and writes nothing without a PIN", async () => {
      const found = await run(
        Effect.gen(function* () {
          const pins = yield* PinStore
          yield* pins.save(A, K1, { verifier: verifier("a"), failedAttempts: 0, blocked: false })
          yield* pins.save(B, K1, { verifier: verifier("c"), failedAttempts: 1, blocked: false })
          yield* pins.recordAttempts(A, K1, { failedAttempts: 3, blocked: true })
          yield* pins.recordAttempts(A, K2, { failedAttempts: 1, blocked: false })
          return [
            plain(yield* pins.find(A, K1)),
            plain(yield* pins.find(B, K1)),
            plain(yield* pins.find(A, K2))
          ]
        }),
        fixture
      )
      expect(found).toEqual([
        { verifier: revealed("a"), failedAttempts: 3, blocked: true },
        { verifier: revealed("c"), failedAttempts: 1, blocked: false },
        undefined
      ])
    })

    it("keeps nothing of a transaction that failed", async () => {
      const found = await run(
        Effect.gen(function* () {
          const pins = yield* PinStore
          yield* pins.save(A, K1, { verifier: verifier("a"), failedAttempts: 0, blocked: false })
          yield* Effect.flip(
            (yield* Transactor).withTransaction(
              Effect.andThen(
                pins.recordAttempts(A, K1, { failedAttempts: 1, blocked: false }),
                Effect.fail("no")
              )
            )
          )
          return plain(yield* pins.find(A, K1))
        }),
        fixture
      )
      expect(found).toEqual({ verifier: revealed("a"), failedAttempts: 0, blocked: false })
    })
  })
}
