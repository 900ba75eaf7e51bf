/**
 * A key found taken by the store's insert, after the use case's own checks found it free: what a
 * concurrent request that commits first leaves behind on a SQL database. Here the "concurrent
 * request" is an issuer that stores an intruding card just before it hands out its identity, inside
 * the use case's transaction: the checks have passed, and the insert must catch it. A store whose
 * issuer does not reserve PANs gives the second case.
 */
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import {
  type Card,
  CardIssuer,
  CardReplacementRefused,
  CardRepository,
  makePan,
  PanDigits,
  replaceCard,
  StoreError,
  upgradeCard
} from "../../src/index.js"
import type { IssuedIdentity } from "../../src/ports/CardIssuer.js"
import { panFor, TENANT_A } from "../support/builders.js"
import { domainCard, entryFor, productOf, runOn, upgradeFixture, upgradeTo } from "../support/kitManager.js"
import { activeCard, holder, request, tenantOf } from "../support/replacement.js"
import { differences } from "../support/state.js"

type Intrusion = (issued: IssuedIdentity) => Card

/** The issuer of the store, storing `intruder(identity)` just before it hands the identity out. */
const intrudingIssuer = <A, E, R>(program: Effect.Effect<A, E, R>, intruder: Intrusion) =>
  Effect.gen(function* () {
    const issuer = yield* CardIssuer
    const cards = yield* CardRepository
    const intruding = CardIssuer.of({
      issue: (tenant, bin, kitNo) =>
        Effect.tap(issuer.issue(tenant, bin, kitNo), (identity) =>
          Effect.orDie(cards.insertAll(tenant, [intruder(identity)]))
        )
    })
    return yield* Effect.provideService(program, CardIssuer, intruding)
  })

const LOYALTY_ID = "7000000001"

describe("a key taken between the checks and the insert", () => {
  it("replaceCard: a newLoyaltyId stored since the check is refused as NEW_LOYALTY_ID_IN_USE, and nothing is stored", async () => {
    const { outcome, before, after } = await runOn(
      { tenants: { [TENANT_A]: tenantOf([holder(1, [activeCard(1)])]) } },
      intrudingIssuer(replaceCard(TENANT_A, request(1, 1, { newLoyaltyId: LOYALTY_ID })), ({ kitNo }) =>
        domainCard(kitNo, 900)
      )
    )
    expect(Result.isFailure(outcome) && outcome.failure).toEqual(
      new CardReplacementRefused({ code: "NEW_LOYALTY_ID_IN_USE", kitNo: "4240180001" })
    )
    expect(differences(before, after)).toEqual([])
  })

  it("replaceCard: a serial kitNo taken since the issuer drew it (no newLoyaltyId sent) fails with a retryable StoreError, not NEW_LOYALTY_ID_IN_USE", async () => {
    const { outcome, before, after } = await runOn(
      { tenants: { [TENANT_A]: tenantOf([holder(1, [activeCard(1)])]) } },
      intrudingIssuer(replaceCard(TENANT_A, request(1, 1)), ({ kitNo }) => domainCard(kitNo, 903))
    )
    const error = Result.isFailure(outcome) ? outcome.failure : undefined
    expect(error).toBeInstanceOf(StoreError)
    expect(error instanceof StoreError && [error.operation, error.retryable]).toEqual([
      "CardRepository.insertAll",
      true
    ])
    expect(differences(before, after)).toEqual([])
  })

  it("replaceCard: a PAN taken by the time the card is inserted fails with a retryable StoreError, and nothing is stored", async () => {
    // an issuer that checked its PAN against committed cards only: a concurrent request stored a
    // card with that PAN first (here, the account's second card holds it)
    const takenPan = makePan(PanDigits.make(panFor(2)))
    const { outcome, before, after } = await runOn(
      { tenants: { [TENANT_A]: tenantOf([holder(1, [activeCard(1), activeCard(2)])]) } },
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const racing = CardIssuer.of({
          issue: (tenant, bin, kitNo) =>
            Effect.map(issuer.issue(tenant, bin, kitNo), (id) => ({ ...id, pan: takenPan }))
        })
        return yield* Effect.provideService(replaceCard(TENANT_A, request(1, 1)), CardIssuer, racing)
      })
    )
    const error = Result.isFailure(outcome) ? outcome.failure : undefined
    expect(error).toBeInstanceOf(StoreError)
    expect(error instanceof StoreError && [error.operation, error.retryable]).toEqual([
      "CardRepository.insertAll",
      true
    ])
    expect(differences(before, after)).toEqual([])
  })

  it("upgradeCard: a new card's kitNo taken since the issuer drew it fails with a retryable StoreError, and nothing is stored", async () => {
    const { outcome, before, after } = await runOn(
      upgradeFixture(),
      intrudingIssuer(
        upgradeCard(TENANT_A, upgradeTo(entryFor(productOf("SILVER", "PHYSICAL")))),
        ({ kitNo }) => domainCard(kitNo, 901)
      )
    )
    const error = Result.isFailure(outcome) ? outcome.failure : undefined
    expect(error).toBeInstanceOf(StoreError)
    expect(error instanceof StoreError && [error.operation, error.retryable]).toEqual([
      "CardRepository.insertAll",
      true
    ])
    // the duplicate is kept as the cause, for logs, and never encoded
    expect((error as { cause?: { _tag?: string } }).cause?._tag).toBe("DuplicateKey")
    expect(JSON.stringify(error)).not.toContain("DuplicateKey")
    expect(differences(before, after)).toEqual([])
  })

  it("the same intrusion with keys of its own does not stop a replacement: the refusals above come from the taken key", async () => {
    const { outcome, after } = await runOn(
      { tenants: { [TENANT_A]: tenantOf([holder(1, [activeCard(1)])]) } },
      intrudingIssuer(replaceCard(TENANT_A, request(1, 1, { newLoyaltyId: LOYALTY_ID })), () =>
        domainCard("4240189999", 902)
      )
    )
    expect(Result.isSuccess(outcome)).toBe(true)
    expect(after[TENANT_A]?.cards.map((c) => c.kitNo)).toEqual(["4240180001", "4240189999", "7000000001"])
  })
})
