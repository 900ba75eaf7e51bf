/**
 * What every part of the port contract shares: the ports an adapter must provide, how a suite gets
 * a layer for a fixture, two tenants, and builders for rows.
 */
import { Effect, type Layer } from "effect"
import { panForSerial, randomKeyHex } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import type { Card } from "../../domain/card/Card.js"
import { protectPan } from "../../domain/card/CardPan.js"
import type { Customer } from "../../domain/customer/Customer.js"
import { AccountNo, BranchId, EntityId, KitNo, MobileNo, TenantId } from "../../domain/ground/Identifiers.js"
import { makePan, PanDigits } from "../../domain/ground/Pan.js"
import type { AccountRanges } from "../../ports/AccountRanges.js"
import type { AuditLog } from "../../ports/AuditLog.js"
import type { CardIssuer } from "../../ports/CardIssuer.js"
import type { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import type { CardRepository } from "../../ports/CardRepository.js"
import type { CustomerRepository } from "../../ports/CustomerRepository.js"
import type { EventOutbox } from "../../ports/EventOutbox.js"
import type { IdempotencyStore } from "../../ports/IdempotencyStore.js"
import type { PinStore } from "../../ports/PinStore.js"
import type { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { SecurityModule, TenantKeyMissing } from "../../ports/SecurityModule.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { TokenRepository } from "../../ports/TokenRepository.js"
import type { Transactor } from "../../ports/Transactor.js"

/**
 * Every port the contract covers: all of them, so that the suite can also run use cases. An adapter
 * provides them all from one layer.
 *
 * @category models
 */
export type Ports =
  | CardRepository
  | CustomerRepository
  | AuditLog
  | Transactor
  | CardIssuer
  | CardOrderRepository
  | ProductCatalog
  | SecurityModule
  | TenantPolicy
  | TokenRepository
  | AccountRanges
  | PinStore
  | IdempotencyStore
  | EventOutbox

/**
 * The adapter under test, seeded from a fixture (the memory adapter's format, `MemoryFixture`): the
 * layer, when built, stores what the fixture describes and nothing else, so that each test starts
 * from its own fixture alone (a fresh schema, or emptied tables). The tenants are `CONTRACT_A` and
 * `CONTRACT_B`. A layer that fails to build fails the test with its error.
 *
 * @category models
 */
export type MakeLayer = (fixture: MemoryFixture) => Layer.Layer<Ports, unknown>

/** The two tenants of the contract's fixtures. */
export const A = TenantId.make("CONTRACT_A")
export const B = TenantId.make("CONTRACT_B")
/** Both tenants, holding nothing. */
export const empty: MemoryFixture = { tenants: { [A]: {}, [B]: {} } }

/**
 * The fixture with the two keys that store a card (`panStore` and `cardNumber`) added, fresh and
 * random, to each tenant that does not name its own: every store keeps a card's PAN protected.
 */
export const withStorageKeys = (fixture: MemoryFixture): MemoryFixture => ({
  tenants: Object.fromEntries(
    Object.entries(fixture.tenants).map(([tenant, content]) => [
      tenant,
      { ...content, keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex(), ...content.keys } }
    ])
  )
})

/** Runs a program against a fresh adapter seeded with `fixture` (and its tenants' storage keys). */
export const runner =
  (makeLayer: MakeLayer) =>
  <X, E>(program: Effect.Effect<X, E, Ports>, fixture: MemoryFixture = empty) =>
    Effect.runPromise(Effect.provide(program, makeLayer(withStorageKeys(fixture))))

/**
 * An ACTIVE CLASSIC card of `2001_PHYSICAL` in tenant `tenant`, its PAN the serial's on the default
 * BIN, protected by the adapter's security module (as a use case stores a new card).
 */
export const card = (
  tenant: TenantId,
  kitNo: string,
  entityId: string,
  accountNo: number,
  serial: number
): Effect.Effect<Card, TenantKeyMissing, SecurityModule> =>
  Effect.map(
    protectPan(tenant, KitNo.make(kitNo), makePan(PanDigits.make(panForSerial(serial)))),
    (pan): Card => ({
      kitNo: KitNo.make(kitNo),
      entityId: EntityId.make(entityId),
      accountNo: AccountNo.make(accountNo),
      productId: "2001_PHYSICAL",
      tierType: "CLASSIC",
      cardType: "PHYSICAL",
      pan,
      expDate: "2029-07-31T00:00:00.000+00:00",
      status: "ACTIVE"
    })
  )

/** A customer as the domain holds it. */
export const customer = (entityId: string, mobileNo: string, branchId = "BR1"): Customer => ({
  entityId: EntityId.make(entityId),
  mobileNo: MobileNo.make(mobileNo),
  branchId: BranchId.make(branchId)
})

/** An audit event of `action` about `subject`. */
export const event = (subject: string, action: string) => ({
  at: "2026-07-15T10:30:00.000Z",
  action,
  subject,
  outcome: "OK"
})
