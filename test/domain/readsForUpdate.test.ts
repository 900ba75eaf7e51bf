/**
 * docs/architecture.md, "Locks": every use case reads the rows it decides on with the port's
 * `…ForUpdate` method, inside its transaction. The memory adapter runs one transaction at a time, so
 * a use case that read with a plain method would pass every concurrency test on it and lose updates
 * on PostgreSQL: these tests look at which reads each use case makes, and where.
 */
import { Context, Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import type { MemoryFixture, MemoryPorts } from "../../src/adapters/memory/index.js"
import {
  CardOrderRepository,
  CardRepository,
  CustomerRepository,
  cancelCardOrder,
  lockCard,
  manageAllCards,
  PinStore,
  replaceCard,
  setPin,
  TokenRepository,
  Transactor,
  updateToken,
  upgradeCard,
  verifyPin
} from "../../src/index.js"
import { TENANT_A, testLayer } from "../support/builders.js"
import { orderFixture, SEED_000_REQUEST, UPGRADE, upgradeTenant } from "../support/kitManager.js"
import { activeCard, holder, request as replacement, tenantOf } from "../support/replacement.js"
import { KIT, PIN, pinFixture, request as pinRequest } from "../support/setPin.js"
import {
  AUDIT_INFO,
  CARDHOLDER,
  EXPIRATION,
  PAN,
  requestFor,
  TUR,
  tokenFixture,
  tokenFixtureOf
} from "../support/tokens.js"

const InTransaction = Context.Reference<boolean>("test/InTransaction", { defaultValue: () => false })

/**
 * Runs a use case with every repository's reads recorded, `Port.method`, marked when they run
 * outside a transaction; gives back its outcome and the reads in order.
 */
const readsOf = (fixture: MemoryFixture, program: Effect.Effect<unknown, unknown, MemoryPorts>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const reads: Array<string> = []
      const recording = <S extends object>(port: string, service: S): S =>
        Object.fromEntries(
          Object.entries(service).map(([method, f]) => [
            method,
            method.startsWith("find") && typeof f === "function"
              ? (...args: ReadonlyArray<unknown>) =>
                  Effect.contextWith((context) => {
                    const where = Context.get(context, InTransaction) ? "" : " (outside a transaction)"
                    reads.push(`${port}.${method}${where}`)
                    return f(...args) as Effect.Effect<unknown>
                  })
              : f
          ])
        ) as S
      const transactor = yield* Transactor
      const outcome = yield* Effect.result(
        program.pipe(
          Effect.provideService(CardRepository, recording("CardRepository", yield* CardRepository)),
          Effect.provideService(
            CustomerRepository,
            recording("CustomerRepository", yield* CustomerRepository)
          ),
          Effect.provideService(
            CardOrderRepository,
            recording("CardOrderRepository", yield* CardOrderRepository)
          ),
          Effect.provideService(TokenRepository, recording("TokenRepository", yield* TokenRepository)),
          Effect.provideService(PinStore, recording("PinStore", yield* PinStore)),
          Effect.provideService(
            Transactor,
            Transactor.of({
              withTransaction: (self) =>
                transactor.withTransaction(Effect.provideService(self, InTransaction, true)),
              withFlatTransaction: (self) =>
                transactor.withFlatTransaction(Effect.provideService(self, InTransaction, true))
            })
          )
        )
      )
      return { succeeded: Result.isSuccess(outcome), reads }
    }).pipe(Effect.provide(testLayer(fixture)))
  )

const kitManager: MemoryFixture = {
  tenants: { [TENANT_A]: upgradeTenant({}, { orders: [orderFixture("ORD1", UPGRADE.kitNo)] }) }
}

describe("the reads a use case decides on", () => {
  const cases: ReadonlyArray<
    readonly [
      name: string,
      fixture: MemoryFixture,
      program: Effect.Effect<unknown, unknown, MemoryPorts>,
      reads: ReadonlyArray<string>
    ]
  > = [
    [
      "lockCard",
      kitManager,
      lockCard(TENANT_A, { kitNo: UPGRADE.kitNo }),
      ["CardRepository.findByKitNoForUpdate"]
    ],
    [
      "manageAllCards",
      kitManager,
      manageAllCards(TENANT_A, { entityId: UPGRADE.entityId, operation: "LOCK" }),
      ["CustomerRepository.findByEntityId", "CardRepository.findByCustomerForUpdate"]
    ],
    [
      "upgradeCard",
      kitManager,
      upgradeCard(TENANT_A, SEED_000_REQUEST),
      [
        "CardRepository.findByKitNoForUpdate",
        "CustomerRepository.findByEntityId",
        "CardOrderRepository.findById"
      ]
    ],
    [
      "cancelCardOrder",
      kitManager,
      cancelCardOrder(TENANT_A, { orderId: "ORD1", branchId: "BR001" }),
      ["CardOrderRepository.findByIdForUpdate", "CardRepository.findByKitNoForUpdate"]
    ],
    [
      "replaceCard",
      { tenants: { [TENANT_A]: tenantOf([holder(1, [activeCard(1)])]) } },
      replaceCard(TENANT_A, replacement(1, 1)),
      ["CustomerRepository.findAccountForUpdate", "CardRepository.findByKitNoForUpdate"]
    ],
    ["setPin", pinFixture(), setPin(TENANT_A, pinRequest()), ["CardRepository.findByKitNoForUpdate"]],
    [
      "verifyPin, on a card with a PIN",
      pinFixture(),
      Effect.andThen(setPin(TENANT_A, pinRequest()), verifyPin(TENANT_A, { kitNo: KIT, pin: PIN })),
      ["CardRepository.findByKitNoForUpdate", "CardRepository.findByKitNoForUpdate", "PinStore.findForUpdate"]
    ],
    [
      "updateToken by tokenUniqueReference, to a new PAN",
      tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }),
      updateToken(TENANT_A, requestFor()),
      ["TokenRepository.findByReferenceForUpdate", "TokenRepository.findByPanHashForUpdate"]
    ],
    [
      "updateToken by account PAN",
      tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }),
      updateToken(TENANT_A, { currentAccountPan: PAN, expirationDate: EXPIRATION, auditInfo: AUDIT_INFO }),
      ["TokenRepository.findByPanHashForUpdate"]
    ],
    [
      "updateToken by cardholder",
      tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] }),
      updateToken(TENANT_A, { cardholderId: CARDHOLDER, expirationDate: EXPIRATION, auditInfo: AUDIT_INFO }),
      ["TokenRepository.findByCardholderForUpdate"]
    ]
  ]

  for (const [name, fixture, program, expected] of cases) {
    it(`${name}: exactly these reads, all inside its transaction`, async () => {
      const { succeeded, reads } = await readsOf(fixture, program)
      expect(succeeded).toBe(true)
      expect(reads).toEqual(expected)
    })
  }
})
