/**
 * What every part of the port contract shares: the ports an adapter must provide, how a suite gets
 * a layer for a fixture, two tenants, and builders for rows.
 */
import { Effect, type Layer } from "effect"
import { panForSerial } from "../../adapters/memory/FixtureBuilder.js"
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"
import type { Card } from "../../domain/card/Card.js"
import type { Customer } from "../../domain/customer/Customer.js"
import { AccountNo, BranchId, EntityId, KitNo, MobileNo, TenantId } from "../../domain/ground/Identifiers.js"
import { makePan, PanDigits } from "../../domain/ground/Pan.js"
import type { AccountRanges } from "../../ports/AccountRanges.js"
import type { AuditLog } from "../../ports/AuditLog.js"
import type { CardIssuer } from "../../ports/CardIssuer.js"
import type { CardOrderRepository } from "../../ports/CardOrderRepository.js"
import type { CardRepository } from "../../ports/CardRepository.js"
import type { CustomerRepository } from "../../ports/CustomerRepository.js"
import type { PinStore } from "../../ports/PinStore.js"
import type { ProductCatalog } from "../../ports/ProductCatalog.js"
import type { SecurityModule } from "../../ports/SecurityModule.js"
import type { TenantPolicy } from "../../ports/TenantPolicy.js"
import type { TokenRepository } from "../../ports/TokenRepository.js"
import type { Transactor } from "../../ports/Transactor.js"
import type { WalletNotifier } from "../../ports/WalletNotifier.js"

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
  | WalletNotifier
  | PinStore

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

/** Runs a program against a fresh adapter seeded with `fixture`. */
export const runner =
  (makeLayer: MakeLayer) =>
  <X, E>(program: Effect.Effect<X, E, Ports>, fixture: MemoryFixture = empty) =>
    Effect.runPromise(Effect.provide(program, makeLayer(fixture)))

/** An ACTIVE CLASSIC card of `2001_PHYSICAL`, its PAN the serial's on the default BIN. */
export const card = (kitNo: string, entityId: string, accountNo: number, serial: number): Card => ({
  kitNo: KitNo.make(kitNo),
  entityId: EntityId.make(entityId),
  accountNo: AccountNo.make(accountNo),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: makePan(PanDigits.make(panForSerial(serial))),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ACTIVE"
})

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
