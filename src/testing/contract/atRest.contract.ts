/**
 * The contract of what an adapter keeps at rest: no clear PAN (a card's, or a token's account PAN) in
 * any row of any table, whatever the use cases stored (a fixture's cards and tokens, a replacement,
 * an upgrade, a PIN set and verified, a token moved to a new account PAN), and every stored PAN in
 * the protected shape: a ciphertext that opens under its key id to the PAN, the masked form and the
 * keyed hash of that PAN.
 *
 * @since 0.1.0
 */
import { Effect, type Layer, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  cardFixture,
  customerFixture,
  defaultCatalog,
  tenantFixture
} from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import type { Card } from "../../domain/card/Card.js"
import { EntityId, type TenantId } from "../../domain/ground/Identifiers.js"
import { maskPan } from "../../domain/ground/Pan.js"
import { upgradeCard } from "../../domain/kit/upgradeCard.js"
import { setPin } from "../../domain/pin/setPin.js"
import { verifyPin } from "../../domain/pin/verifyPin.js"
import { replaceCard } from "../../domain/replacement/replaceCard.js"
import { maskAccountPan } from "../../domain/token/AccountPan.js"
import { TokenUniqueReference } from "../../domain/token/Token.js"
import { updateToken } from "../../domain/token/updateToken.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { A, B, type Ports } from "./support.js"
import { PAN, RANGE, TUR, tokenFixture } from "./tokenFixture.js"

/**
 * Every row an adapter stores, as plain data: what the contract searches for clear PANs. An adapter
 * gives each table's rows (and index entries) as it keeps them; `Redacted` values, `Map`s, `Set`s,
 * byte arrays and nested objects are read through. A PostgreSQL adapter gives
 * `SELECT row_to_json(t) FROM t` of every table.
 *
 * @category models
 */
export type StoredRows<R> = Effect.Effect<ReadonlyArray<unknown>, unknown, R>

/** Every string of a value, read through `Redacted`, maps, sets, iterables and byte arrays. */
const textsOf = (value: unknown, into: Array<string> = [], seen = new Set<unknown>()): Array<string> => {
  if (value === null || value === undefined) return into
  if (typeof value === "string") into.push(value)
  else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
    into.push(String(value))
  else if (typeof value === "object") {
    if (seen.has(value)) return into
    seen.add(value)
    if (Redacted.isRedacted(value)) textsOf(Redacted.value(value), into, seen)
    else if (value instanceof Uint8Array)
      into.push(Buffer.from(value).toString("hex"), Buffer.from(value).toString("latin1"))
    else if (value instanceof Map) for (const [k, v] of value) textsOf(v, textsOf(k, into, seen), seen)
    else if (Symbol.iterator in value) for (const v of value as Iterable<unknown>) textsOf(v, into, seen)
    else for (const [k, v] of Object.entries(value)) textsOf(v, textsOf(k, into, seen), seen)
  }
  return into
}

const kitNoOf = (serial: number): string => String(4_240_190_000 + serial)
const GOLD_PHYSICAL = defaultCatalog.find((p) => p.tierType === "GOLD" && p.cardType === "PHYSICAL")!

/** The account PAN a token update moves seed 004's token to: in the same account range. */
const NEW_ACCOUNT_PAN = "5412349876543210"
const SECOND_TUR = `${TUR.slice(0, -1)}e`

/**
 * Both tenants hold the same kitNos, PANs and tokens: a wall between them is tested by the same
 * digits.
 */
const fixture: MemoryFixture = {
  tenants: Object.fromEntries(
    [A, B].map((tenant) => [
      tenant,
      tenantFixture(
        [
          customerFixture("E1", [cardFixture(kitNoOf(1)), cardFixture(kitNoOf(2))], { accountNo: 1 }),
          customerFixture("E2", [cardFixture(kitNoOf(3))], { accountNo: 2 })
        ],
        { tokens: [tokenFixture(TUR), tokenFixture(SECOND_TUR)], accountRanges: [RANGE] }
      )
    ])
  )
}

/**
 * Registers the at-rest test under `name`: `makeLayer(fixture)` builds the adapter, and
 * `storedRows`, run against that same build, reads every row it stores.
 *
 * @category contracts
 */
export const atRestContract = <R>(
  name: string,
  makeLayer: (fixture: MemoryFixture) => Layer.Layer<Ports | R, unknown>,
  storedRows: StoredRows<R | Ports>
) => {
  describe(`${name}: PANs at rest`, () => {
    it("stores no clear PAN in any row, and each card's PAN protected: it opens to the card's PAN, masked and hashed alike", async () => {
      const { cards, accountPans, rows } = await Effect.runPromise(
        Effect.gen(function* () {
          // new cards by every path that makes one: a replacement, an upgrade; then a PIN set and verified
          yield* replaceCard(A, { correlationId: "1", oldLoyaltyId: Number(kitNoOf(1)), status: "DAMAGED" })
          yield* upgradeCard(A, {
            entityId: "E2",
            kitNo: kitNoOf(3),
            kitInfo: [{ cardType: "PHYSICAL", plasticCode: GOLD_PHYSICAL.plasticCode, tierType: "GOLD" }]
          })
          const module = yield* SecurityModule
          const repo = yield* CardRepository
          const card = Option.getOrThrow(yield* repo.findByKitNo(A, kitNoOf(2) as Card["kitNo"]))
          const pan = yield* module.decryptPan(A, card.kitNo, card.pan.encrypted)
          const pinBlock = yield* module.sealPinBlock(A, Redacted.make("4821"), pan)
          yield* setPin(A, { kitNo: card.kitNo, pinBlock, expiryDate: "0729" })
          yield* verifyPin(A, { kitNo: card.kitNo, pin: "4821" })
          // a token moved to a new account PAN, the other left on the old one
          yield* updateToken(A, {
            tokenUniqueReference: TUR,
            newAccountPan: NEW_ACCOUNT_PAN,
            auditInfo: {
              userId: "contract",
              userName: "Contract",
              organization: "Issuer",
              phone: "0000000000"
            }
          })
          const tokens = yield* TokenRepository
          const accountPans: Array<string> = []
          for (const tenant of [A, B])
            for (const reference of [TUR, SECOND_TUR]) {
              const token = Option.getOrThrow(
                yield* tokens.findByReference(tenant, TokenUniqueReference.make(reference))
              )
              const clear = yield* module.decryptAccountPan(
                tenant,
                token.tokenUniqueReference,
                token.accountPan.encrypted
              )
              expect(token.accountPan.masked).toBe(maskAccountPan(clear))
              expect(token.accountPan.hash).toBe(yield* module.cardNumberHash(tenant, clear))
              accountPans.push(Redacted.value(clear))
            }
          const cards: Array<{ readonly tenant: TenantId; readonly card: Card; readonly pan: string }> = []
          for (const tenant of [A, B])
            for (const entityId of ["E1", "E2"])
              for (const stored of yield* repo.findByCustomer(tenant, EntityId.make(entityId))) {
                const clear = yield* module.decryptPan(tenant, stored.kitNo, stored.pan.encrypted)
                expect(stored.pan.masked).toBe(maskPan(clear))
                expect(stored.pan.hash).toBe(yield* module.cardNumberHash(tenant, clear))
                cards.push({ tenant, card: stored, pan: Redacted.value(clear) })
              }
          return { cards, accountPans, rows: yield* storedRows }
        }).pipe(Effect.provide(makeLayer(fixture)))
      )
      // 3 cards in each tenant, then A's replacement and A's upgrade card
      expect(cards.length).toBe(8)
      expect(new Set(cards.filter((c) => c.tenant === A).map((c) => c.pan)).size).toBe(5)
      const texts = textsOf(rows)
      expect(texts.length).toBeGreaterThan(0)
      // what the rows hold of each stored card's PAN: its masked form, never its digits
      const stored = texts.join("\n")
      for (const { card, pan } of cards) {
        expect(stored).toContain(card.pan.masked)
        expect(stored.includes(pan), `the PAN of ${card.kitNo} is stored in clear`).toBe(false)
      }
      // A's moved token is on the new PAN; every other token still on seed 004's PAN
      expect(accountPans).toEqual([NEW_ACCOUNT_PAN, PAN, PAN, PAN])
      for (const pan of [NEW_ACCOUNT_PAN, PAN])
        expect(stored.includes(pan), "a token's account PAN is stored in clear").toBe(false)
    })
  })
}
