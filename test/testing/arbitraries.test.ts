/**
 * The arbitraries of card-lifecycle/testing give what the library accepts: every identifier decodes
 * with its schema, every fixture with `layer` (all of its cards stored), every request with its use
 * case's schema, and the use cases take the requests made for a fixture's cards without a
 * ValidationError.
 */
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type CustomerFixture,
  defaultCatalog,
  type MemoryFixture,
  MemoryState,
  layer as memoryLayer,
  type TenantFixture
} from "../../src/adapters/memory/index.js"
import { CardType, ExpDate } from "../../src/domain/card/Card.js"
import { CardOperation, CardStatus, LockableStatus } from "../../src/domain/card/CardStatus.js"
import { CardStatusRequest, lockCard } from "../../src/domain/card/changeCardStatus.js"
import {
  AccountNo,
  BranchId,
  EntityId,
  KitNo,
  MobileNo,
  TenantId
} from "../../src/domain/ground/Identifiers.js"
import { PanDigits } from "../../src/domain/ground/Pan.js"
import { decodeWith } from "../../src/domain/ground/Validation.js"
import { OrderId } from "../../src/domain/kit/CardOrder.js"
import { CancelCardOrderRequest, cancelCardOrder } from "../../src/domain/kit/cancelCardOrder.js"
import { ManageAllCardsRequest, manageAllCards } from "../../src/domain/kit/manageAllCards.js"
import { UpgradeCardRequest, upgradeCard } from "../../src/domain/kit/upgradeCard.js"
import { SetPinRequest, setPin } from "../../src/domain/pin/setPin.js"
import { VerifyPinRequest, verifyPin } from "../../src/domain/pin/verifyPin.js"
import { ReplaceCardRequest, replaceCard } from "../../src/domain/replacement/replaceCard.js"
import { AccountPanDigits, makeAccountPan } from "../../src/domain/token/AccountPan.js"
import { accountRangeContains } from "../../src/domain/token/AccountRange.js"
import {
  AccountPanSequenceNumber,
  CardholderId,
  ExpirationDate,
  ProductConfigurationId,
  TokenUniqueReference
} from "../../src/domain/token/Token.js"
import {
  AuditInfoSchema,
  CommentText,
  crossFieldIssues,
  UpdateTokenRequest
} from "../../src/domain/token/TokenUpdateRequest.js"
import { updateToken } from "../../src/domain/token/updateToken.js"
import { isTerminal, isTrivialPin } from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { tokenFixture } from "../../src/testing/contract/tokenFixture.js"
import { Arbitraries, panForSerial } from "../../src/testing/index.js"

// a tenant with cards needs the keys that protect their PANs: fresh ones where a fixture gives none
const layer = (fixture: MemoryFixture = { tenants: {} }) => memoryLayer(withStorageKeys(fixture))

/** The value decodes with the schema, excess fields refused; else the test fails with every issue. */
const decodes = <S extends Parameters<typeof decodeWith>[0]>(schema: S, value: unknown): void => {
  const result = Effect.runSync(Effect.result(decodeWith(schema)(value)))
  if (Result.isFailure(result)) throw new Error(`${JSON.stringify(value)}: ${result.failure.message}`)
}

const cardsOf = (customers: ReadonlyArray<CustomerFixture>) =>
  customers.flatMap((c) => (c.accounts ?? []).flatMap((a) => a.cards ?? []))

/** Builds `layer` over the fixture (which decodes it) and reads back every tenant's state. */
const stored = (fixture: MemoryFixture) =>
  Effect.runPromise(
    Effect.provide(
      Effect.flatMap(MemoryState, (state) => state.snapshot),
      layer(fixture)
    )
  )

/** A use case's outcome: "OK", or the tag of its error. */
const outcomeOf = (program: Effect.Effect<unknown, { readonly _tag: string }>) =>
  Effect.runPromise(Effect.result(program)).then((r) => (Result.isSuccess(r) ? "OK" : r.failure._tag))

const TENANT = "ACME_BANK"

/** The tenant, its first customer's first card put in `state`. */
const withFirstCardIn = (tenant: TenantFixture, state: Arbitraries.CardState): TenantFixture => {
  const [customer, ...customers] = tenant.customers ?? []
  const [account, ...accounts] = customer?.accounts ?? []
  const [first, ...cards] = account?.cards ?? []
  if (customer === undefined || account === undefined || first === undefined)
    throw new Error("expected a customer with a card")
  const { lockedFrom: _, ...rest } = first
  const card = { ...rest, ...state }
  return {
    ...tenant,
    customers: [
      { ...customer, accounts: [{ ...account, cards: [card, ...cards] }, ...accounts] },
      ...customers
    ]
  }
}

const withFirstCardActive = (tenant: TenantFixture) => withFirstCardIn(tenant, { status: "ACTIVE" })

/** One tenant whose first customer has a card. */
const tenantWithCard = Arbitraries.tenantFixture({ minCustomers: 1, maxCustomers: 1 }).filter(
  (t) => (t.customers?.[0]?.accounts?.[0]?.cards?.length ?? 0) > 0
)

const firstCardOf = (tenant: TenantFixture) => tenant.customers![0]!.accounts![0]!.cards![0]!

const withCard = Arbitraries.customerFixture({ maxAccounts: 2, maxCards: 3 }).filter(
  (c) => (c.accounts?.[0]?.cards?.length ?? 0) > 0
)

describe("identifiers", () => {
  const cases = [
    ["tenantId", Arbitraries.tenantId(), TenantId],
    ["entityId", Arbitraries.entityId(), EntityId],
    ["kitNo", Arbitraries.kitNo(), KitNo],
    ["loyaltyId", Arbitraries.loyaltyId(), KitNo],
    ["mobileNo", Arbitraries.mobileNo(), MobileNo],
    ["accountNo", Arbitraries.accountNo(), AccountNo],
    ["branchId", Arbitraries.branchId(), BranchId],
    ["orderId", Arbitraries.orderId(), OrderId],
    ["pan", Arbitraries.pan(), PanDigits],
    ["cardStatus", Arbitraries.cardStatus(), CardStatus],
    ["cardOperation", Arbitraries.cardOperation(), CardOperation],
    ["expDate", Arbitraries.expDate(), ExpDate],
    ["tokenUniqueReference", Arbitraries.tokenUniqueReference(), TokenUniqueReference],
    ["cardholderId", Arbitraries.cardholderId(), CardholderId],
    ["accountPan", Arbitraries.accountPan(), AccountPanDigits],
    ["expirationDate", Arbitraries.expirationDate(), ExpirationDate],
    ["accountPanSequenceNumber", Arbitraries.accountPanSequenceNumber(), AccountPanSequenceNumber],
    ["productConfigurationId", Arbitraries.productConfigurationId(), ProductConfigurationId],
    ["auditInfo", Arbitraries.auditInfo(), AuditInfoSchema],
    ["commentText", Arbitraries.commentText(), CommentText]
  ] as const
  for (const [name, arbitrary, schema] of cases) {
    it(`${name} decodes with its schema`, () => {
      fc.assert(
        fc.property(arbitrary as fc.Arbitrary<unknown>, (value) => decodes(schema, value)),
        { numRuns: 300 }
      )
    })
  }

  it("loyaltyId survives the trip through a JSON number", () => {
    fc.assert(
      fc.property(Arbitraries.loyaltyId(), (id) => {
        expect(String(Number(id))).toBe(id)
      })
    )
  })
})

describe("pan", () => {
  it("gives Luhn-valid PANs of 12-19 digits without a leading zero", () => {
    fc.assert(
      fc.property(Arbitraries.pan(), (pan) => {
        expect(pan).toMatch(/^[1-9][0-9]{11,18}$/)
        decodes(PanDigits, pan)
      }),
      { numRuns: 300 }
    )
  })

  it("keeps to the BIN and the lengths asked for", () => {
    const asked = fc
      .record({
        bin: fc.stringMatching(/^[0-9]{6}$|^[0-9]{8}$/),
        minLength: fc.integer({ min: 12, max: 19 })
      })
      .chain(({ bin, minLength }) =>
        fc.record({
          bin: fc.constant(bin),
          minLength: fc.constant(minLength),
          maxLength: fc.integer({ min: minLength, max: 19 })
        })
      )
    fc.assert(
      fc.property(
        asked.chain((c) => fc.tuple(fc.constant(c), Arbitraries.pan(c))),
        ([{ bin, minLength, maxLength }, pan]) => {
          expect(pan.startsWith(bin)).toBe(true)
          expect(pan.length).toBeGreaterThanOrEqual(minLength)
          expect(pan.length).toBeLessThanOrEqual(maxLength)
          decodes(PanDigits, pan)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("refuses a BIN that is not digits, or leaves no length", () => {
    expect(() => Arbitraries.pan({ bin: "60804A" })).toThrow(RangeError)
    expect(() => Arbitraries.pan({ bin: "608040", minLength: 20 })).toThrow(RangeError)
    expect(() => Arbitraries.pan({ minLength: 16, maxLength: 15 })).toThrow(RangeError)
  })
})

describe("cards", () => {
  it("cardState gives lockedFrom exactly with LOCKED, and reaches every status", () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(Arbitraries.cardState(), ({ status, lockedFrom }) => {
        seen.add(`${status}/${lockedFrom}`)
        decodes(CardStatus, status)
        expect(status === "LOCKED").toBe(lockedFrom !== undefined)
        if (lockedFrom !== undefined) decodes(LockableStatus, lockedFrom)
      }),
      { numRuns: 300 }
    )
    expect(seen.size).toBe(9)
  })

  it("card gives Card models whose every field decodes", () => {
    fc.assert(
      fc.property(Arbitraries.card(), (card) => {
        decodes(KitNo, card.kitNo)
        decodes(EntityId, card.entityId)
        decodes(AccountNo, card.accountNo)
        decodes(CardType, card.cardType)
        decodes(ExpDate, card.expDate)
        decodes(CardStatus, card.status)
        // a stand-in protected PAN: masked like a PAN, a 64-hex hash, a Base64 ciphertext under key "1"
        expect(card.pan.masked).toMatch(/^[0-9]{6}X{2,9}[0-9]{4}$/)
        expect(card.pan.hash).toMatch(/^[0-9a-f]{64}$/)
        expect(card.pan.encrypted.keyId).toBe("1")
        expect(card.pan.encrypted.ciphertext).toMatch(/^[A-Za-z0-9+/]+={0,2}$/)
        expect(card.status === "LOCKED").toBe(card.lockedFrom !== undefined)
      }),
      { numRuns: 300 }
    )
  })

  it("cardFixture gives cards that a tenant's fixture stores", async () => {
    await fc.assert(
      fc.asyncProperty(Arbitraries.cardFixture(), async (card) => {
        const state = await stored({
          tenants: {
            [TENANT]: {
              customers: [
                {
                  entityId: "E1",
                  mobileNo: "9876543210",
                  branchId: "BR1",
                  accounts: [{ accountNo: 1, cards: [card] }]
                }
              ]
            }
          }
        })
        expect(state[TENANT]?.cards.map((c) => c.kitNo)).toEqual([card.kitNo])
      })
    )
  })
})

describe("customers and fixtures", () => {
  it("customerFixtures decode with layer, every card stored", async () => {
    await fc.assert(
      fc.asyncProperty(Arbitraries.customerFixtures({ maxCustomers: 6, maxCards: 4 }), async (customers) => {
        const state = await stored({ tenants: { [TENANT]: { customers } } })
        expect(state[TENANT]?.customers).toHaveLength(customers.length)
        expect(state[TENANT]?.cards).toHaveLength(cardsOf(customers).length)
      })
    )
  })

  it("customerFixtures keep PANs unique on a BIN that leaves few of them", async () => {
    // a 15-digit prefix leaves 1 PAN of 16 digits, 10 of 17, 100 of 18: drawn freely, they collide
    const narrow = [{ ...defaultCatalog[0]!, bin: "608040000000000" }]
    await fc.assert(
      fc.asyncProperty(Arbitraries.customerFixtures({ catalog: narrow, maxCards: 3 }), async (customers) => {
        const state = await stored({ tenants: { [TENANT]: { customers } } })
        expect(state[TENANT]?.cards).toHaveLength(cardsOf(customers).length)
      })
    )
  })

  it("fixture decodes with layer: every tenant, customer and card stored", async () => {
    await fc.assert(
      fc.asyncProperty(Arbitraries.fixture({ maxTenants: 3 }), async (fixture) => {
        const state = await stored(fixture)
        for (const [tenant, content] of Object.entries(fixture.tenants)) {
          decodes(TenantId, tenant)
          expect(state[tenant]?.customers).toHaveLength(content.customers?.length ?? 0)
          expect(state[tenant]?.cards).toHaveLength(cardsOf(content.customers ?? []).length)
        }
      })
    )
  })
})

describe("requests", () => {
  it("cardStatusRequest, manageAllCardsRequest, replaceCardRequest and cancelCardOrderRequest decode with their schemas", () => {
    fc.assert(
      fc.property(
        Arbitraries.cardStatusRequest(),
        Arbitraries.manageAllCardsRequest(),
        Arbitraries.replaceCardRequest(),
        Arbitraries.cancelCardOrderRequest(),
        (status, bulk, replacement, cancellation) => {
          decodes(CardStatusRequest, status)
          decodes(ManageAllCardsRequest, bulk)
          expect("entityId" in bulk || "mobileNo" in bulk).toBe(true)
          decodes(ReplaceCardRequest, replacement)
          decodes(CancelCardOrderRequest, cancellation)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("a status change or a bulk operation on a fixture's customer is never refused as invalid input", async () => {
    await fc.assert(
      fc.asyncProperty(
        withCard.chain((customer) =>
          fc.tuple(
            fc.constant(customer),
            Arbitraries.cardStatusRequest({ kitNo: customer.accounts![0]!.cards![0]!.kitNo }),
            Arbitraries.manageAllCardsRequest({ customer })
          )
        ),
        async ([customer, single, bulk]) => {
          const ports = layer({ tenants: { [TENANT]: { customers: [customer] } } })
          const outcomes = await Promise.all([
            outcomeOf(Effect.provide(lockCard(TENANT, single), ports)),
            outcomeOf(Effect.provide(manageAllCards(TENANT, bulk), ports))
          ])
          expect(outcomes[0]).toMatch(/^(OK|InvalidStatusTransition)$/)
          expect(outcomes[1]).toBe("OK")
        }
      )
    )
  })

  it("upgradeCardRequest for a fixture's ACTIVE card is carried out", async () => {
    await fc.assert(
      fc.asyncProperty(
        tenantWithCard.map(withFirstCardActive).chain((tenant) => {
          const customer = tenant.customers![0]!
          const card = customer.accounts![0]!.cards![0]!
          return fc.tuple(
            fc.constant(tenant),
            Arbitraries.upgradeCardRequest({ ...card, entityId: customer.entityId })
          )
        }),
        async ([tenant, request]) => {
          decodes(UpgradeCardRequest, request)
          const ports = layer({ tenants: { [TENANT]: tenant } })
          expect(await outcomeOf(Effect.provide(upgradeCard(TENANT, request), ports))).toBe("OK")
        }
      )
    )
  })

  it("upgradeCardRequest refuses a card no product upgrades", () => {
    const card = { entityId: "E1", kitNo: "K1", productId: "X", tierType: "DIAMOND" }
    expect(() => Arbitraries.upgradeCardRequest(card)).toThrow(RangeError)
  })

  it("replaceCardRequest for a fixture's account and card passes validation", async () => {
    await fc.assert(
      fc.asyncProperty(
        Arbitraries.customerFixture({ kitNo: Arbitraries.loyaltyId() })
          .filter((c) => (c.accounts?.[0]?.cards?.length ?? 0) > 0)
          .chain((customer) => {
            const account = customer.accounts![0]!
            return fc.tuple(
              fc.constant(customer),
              Arbitraries.replaceCardRequest({
                accountNo: account.accountNo,
                kitNo: account.cards![0]!.kitNo
              })
            )
          }),
        async ([customer, request]) => {
          const fixture = { tenants: { [TENANT]: { customers: [customer] } } }
          const outcome = await outcomeOf(Effect.provide(replaceCard(TENANT, request), layer(fixture)))
          expect(outcome).not.toBe("ValidationError")
        }
      )
    )
    expect(() => Arbitraries.replaceCardRequest({ kitNo: "K1" })).toThrow(RangeError)
  })

  it("cancelCardOrderRequest for an order passes validation, and names that order", async () => {
    const forOrder = fc
      .record({ orderId: Arbitraries.orderId(), branchId: Arbitraries.branchId() })
      .chain((order) => fc.tuple(fc.constant(order), Arbitraries.cancelCardOrderRequest(order)))
    await fc.assert(
      fc.asyncProperty(forOrder, async ([order, request]) => {
        expect(request).toMatchObject(order)
        // an empty store: the request gets as far as looking the order up
        const outcome = await outcomeOf(Effect.provide(cancelCardOrder(TENANT, request), layer()))
        expect(outcome).toBe("CardOrderNotFound")
      })
    )
  })
})

describe("PINs", () => {
  it("pin gives 4-12 digits, none trivial; with allowTrivial, trivial ones as well", () => {
    let trivial = 0
    fc.assert(
      fc.property(Arbitraries.pin(), Arbitraries.pin({ allowTrivial: true }), (strict, any) => {
        expect(strict).toMatch(/^[0-9]{4,12}$/)
        expect(isTrivialPin(strict)).toBe(false)
        expect(any).toMatch(/^[0-9]{4,12}$/)
        if (isTrivialPin(any)) trivial++
      }),
      { numRuns: 300 }
    )
    expect(trivial).toBeGreaterThan(50)
  })

  it("verifyPinRequest decodes, and verifyPin answers it for a fixture's card: false with no PIN set, refused on an ended card", async () => {
    fc.assert(
      fc.property(Arbitraries.verifyPinRequest(), (request) => decodes(VerifyPinRequest, request)),
      { numRuns: 300 }
    )
    await fc.assert(
      fc.asyncProperty(
        tenantWithCard.chain((tenant) =>
          fc.tuple(fc.constant(tenant), Arbitraries.verifyPinRequest({ kitNo: firstCardOf(tenant).kitNo }))
        ),
        async ([tenant, request]) => {
          decodes(VerifyPinRequest, request)
          const ports = layer({ tenants: { [TENANT]: tenant } })
          const result = await Effect.runPromise(
            Effect.provide(Effect.result(verifyPin(TENANT, request)), ports)
          )
          const status = firstCardOf(tenant).status ?? "ASSIGNED"
          if (isTerminal(status))
            expect(Result.isFailure(result) && result.failure.code).toBe("INVALID_CARD_STATUS")
          else expect(result).toEqual(Result.succeed(false))
        }
      )
    )
  })

  /** A tenant's first card in a status that takes a PIN, with requests setting PINs on it. */
  const pinSettable = fc.constantFrom<Arbitraries.CardState>(
    { status: "ASSIGNED" },
    { status: "ACTIVE" },
    { status: "LOCKED", lockedFrom: "ACTIVE" }
  )
  const withSetPinRequest = (allowTrivial: boolean) =>
    fc
      .tuple(tenantWithCard, pinSettable)
      .map(([tenant, state]) => withFirstCardIn(tenant, state))
      .chain((tenant) =>
        fc.tuple(
          fc.constant(tenant),
          Arbitraries.setPinRequest({
            card: firstCardOf(tenant),
            setPinKeyHex: activeKeyHex(tenant.keys!.setPin!),
            allowTrivial
          })
        )
      )

  /** The active key of a fixture's purpose: its one key, or the first of its list. */
  const activeKeyHex = (keys: string | ReadonlyArray<{ readonly hex: string }>): string =>
    typeof keys === "string" ? keys : keys[0]!.hex

  /** setPin, then verifyPin with the PIN the request carries. */
  const setThenVerify = (tenant: TenantFixture, request: unknown, pin: string) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const result = yield* setPin(TENANT, request)
        const verified = yield* verifyPin(TENANT, { kitNo: firstCardOf(tenant).kitNo, pin })
        return { status: result.status, verified }
      }).pipe(Effect.provide(layer({ tenants: { [TENANT]: tenant } })))
    )

  it("setPinRequest decodes, sets its PIN on a fixture's card, and that PIN then verifies", async () => {
    await fc.assert(
      fc.asyncProperty(withSetPinRequest(false), async ([tenant, { request, pin }]) => {
        decodes(SetPinRequest, request)
        expect(request.kitNo).toBe(firstCardOf(tenant).kitNo)
        expect(await setThenVerify(tenant, request, pin)).toEqual({ status: "PIN_SET", verified: true })
      }),
      { numRuns: 150 }
    )
  })

  it("setPinRequest with allowTrivial: a tenant that allows trivial PINs sets every one", async () => {
    let trivial = 0
    await fc.assert(
      fc.asyncProperty(withSetPinRequest(true), async ([tenant, { request, pin }]) => {
        if (isTrivialPin(pin)) trivial++
        const allowing = { ...tenant, policy: { allowTrivialPins: true } }
        expect(await setThenVerify(allowing, request, pin)).toEqual({ status: "PIN_SET", verified: true })
      }),
      { numRuns: 100 }
    )
    expect(trivial).toBeGreaterThan(10)
  })

  it("setPinRequest draws the envelope's IV from fast-check: one seed, the same envelopes", () => {
    const card = { kitNo: "K1", pan: panForSerial(7), expDate: "2029-07-31T00:00:00.000+00:00" }
    const arbitrary = Arbitraries.setPinRequest({ card, setPinKeyHex: "00".repeat(32) })
    const envelopes = (seed: number) =>
      fc.sample(arbitrary, { seed, numRuns: 20 }).map((r) => r.request.pinBlock)
    expect(envelopes(42)).toEqual(envelopes(42))
    expect(new Set([...envelopes(42), ...envelopes(43)]).size).toBe(40)
  })

  it("setPinRequest refuses a card or a key it cannot seal for", () => {
    const card = { kitNo: "K1", pan: "6080400000000077", expDate: "2029-07-31T00:00:00.000+00:00" }
    const setPinKeyHex = "00".repeat(32)
    expect(() => Arbitraries.setPinRequest({ card, setPinKeyHex: "00".repeat(20) })).toThrow(RangeError)
    expect(() => Arbitraries.setPinRequest({ card: { ...card, pan: "60804000" }, setPinKeyHex })).toThrow(
      RangeError
    )
    expect(() => Arbitraries.setPinRequest({ card: { ...card, expDate: "0729" }, setPinKeyHex })).toThrow(
      RangeError
    )
  })
})

describe("token requests", () => {
  /** A row of the account-range table: two prefixes of 1-12 digits, low <= high. */
  const accountRange = fc.integer({ min: 1, max: 12 }).chain((width) => {
    const prefix = fc.stringMatching(new RegExp(`^[0-9]{${width}}$`))
    return fc.tuple(prefix, prefix).map(([a, b]) => (a <= b ? { low: a, high: b } : { low: b, high: a }))
  })

  it("accountPan keeps to the range it is given", () => {
    fc.assert(
      fc.property(
        accountRange.chain((range) => fc.tuple(fc.constant(range), Arbitraries.accountPan({ range }))),
        ([range, pan]) => {
          decodes(AccountPanDigits, pan)
          expect(accountRangeContains(range, makeAccountPan(AccountPanDigits.make(pan)))).toBe(true)
        }
      ),
      { numRuns: 300 }
    )
    expect(() => Arbitraries.accountPan({ range: { low: "5413", high: "541" } })).toThrow(RangeError)
    expect(() => Arbitraries.accountPan({ range: { low: "542", high: "541" } })).toThrow(RangeError)
  })

  /**
   * A tenant's token (ACTIVE or SUSPENDED) on a PAN of its range, with 0-2 more tokens of its
   * cardholder on that PAN in any status, and a request for it, its range given or not.
   */
  const tokenAndRequest = accountRange.chain((range) =>
    fc
      .record({
        refs: fc.uniqueArray(Arbitraries.tokenUniqueReference(), { minLength: 1, maxLength: 3 }),
        accountPan: Arbitraries.accountPan({ range }),
        cardholderId: Arbitraries.cardholderId(),
        status: fc.constantFrom("ACTIVE" as const, "SUSPENDED" as const),
        others: fc.array(fc.constantFrom("ACTIVE", "SUSPENDED", "INACTIVE", "DELETED" as const), {
          minLength: 2,
          maxLength: 2
        }),
        rangeGiven: fc.boolean()
      })
      .chain(({ refs, accountPan, cardholderId, status, others, rangeGiven }) => {
        const token = tokenFixture(refs[0]!, { accountPan, cardholderId, status })
        const tokens = [
          token,
          ...refs
            .slice(1)
            .map((ref, i) => tokenFixture(ref, { accountPan, cardholderId, status: others[i]! }))
        ]
        return fc.tuple(
          fc.constant({ range, tokens }),
          Arbitraries.updateTokenRequest(token, rangeGiven ? { accountRange: range } : {})
        )
      })
  )

  it("updateTokenRequest decodes, keeps to the rules between fields, and updateToken carries it out", async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(tokenAndRequest, async ([{ range, tokens }, request]) => {
        decodes(UpdateTokenRequest, request)
        expect(crossFieldIssues(request)).toEqual([])
        for (const field of Object.keys(request)) seen.add(field)
        const ports = layer({ tenants: { [TENANT]: { tokens, accountRanges: [range] } } })
        const result = await Effect.runPromise(Effect.provide(updateToken(TENANT, request), ports))
        const changed = "token" in result ? [result.token] : result.tokens
        expect(changed.map((t) => t.tokenUniqueReference)).toContain(tokens[0]!.tokenUniqueReference)
      }),
      { numRuns: 300 }
    )
    // every selector, every change and every optional field comes up
    expect([...seen].sort()).toEqual(Object.keys(UpdateTokenRequest.fields).sort())
  })

  it("updateTokenRequest keeps to the selectors asked for, and refuses a token it cannot name", () => {
    const token = tokenFixture("A".repeat(48), { accountPan: "5412345678901234", cardholderId: "C1" })
    fc.assert(
      fc.property(Arbitraries.updateTokenRequest(token, { by: ["currentAccountPan"] }), (request) => {
        expect(request.currentAccountPan).toBe(token.accountPan)
        expect("tokenUniqueReference" in request || "cardholderId" in request).toBe(false)
      })
    )
    const { cardholderId: _, ...anonymous } = token
    expect(() => Arbitraries.updateTokenRequest(anonymous, { by: ["cardholderId"] })).toThrow(RangeError)
    expect(() => Arbitraries.updateTokenRequest(token, { by: [] })).toThrow(RangeError)
    expect(() =>
      Arbitraries.updateTokenRequest(token, { accountRange: { low: "5499", high: "5499" } })
    ).toThrow(RangeError)
  })
})
