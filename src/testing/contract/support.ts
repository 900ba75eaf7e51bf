/**
 * What every part of the port contract shares: the ports an adapter must provide, how a suite gets
 * a layer for a fixture, two tenants, and builders for rows.
 */
import { Effect, type Layer } from "effect"
import type { MemoryFixture } from "../../src/adapters/memory/index.js"
import {
  AccountNo,
  type AccountRanges,
  type AuditLog,
  BranchId,
  type Card,
  type CardIssuer,
  type CardOrderRepository,
  type CardRepository,
  type Customer,
  type CustomerRepository,
  EntityId,
  KitNo,
  MobileNo,
  makePan,
  PanDigits,
  type PinStore,
  type ProductCatalog,
  TenantId,
  type TenantKeys,
  type TenantPolicy,
  type TokenRepository,
  type Transactor,
  type WalletNotifier
} from "../../src/index.js"
import { panFor } from "../support/builders.js"

/**
 * Every port the contract covers: all of them, so that the suite can also run use cases. A later
 * adapter (PostgreSQL) provides them all from one layer.
 */
export type Ports =
  | CardRepository
  | CustomerRepository
  | AuditLog
  | Transactor
  | CardIssuer
  | CardOrderRepository
  | ProductCatalog
  | TenantKeys
  | TenantPolicy
  | TokenRepository
  | AccountRanges
  | WalletNotifier
  | PinStore

/**
 * The adapter under test, seeded from a fixture (the memory adapter's fixture format: the adapter
 * stores what it describes before the suite runs).
 */
export type MakeLayer = (fixture: MemoryFixture) => Layer.Layer<Ports, unknown>

export const A = TenantId.make("CONTRACT_A")
export const B = TenantId.make("CONTRACT_B")
export const empty: MemoryFixture = { tenants: { [A]: {}, [B]: {} } }

/** Runs a program against a fresh adapter seeded with `fixture`. */
export const runner =
  (makeLayer: MakeLayer) =>
  <X, E>(program: Effect.Effect<X, E, Ports>, fixture: MemoryFixture = empty) =>
    Effect.runPromise(Effect.provide(program, makeLayer(fixture)))

export const card = (kitNo: string, entityId: string, accountNo: number, serial: number): Card => ({
  kitNo: KitNo.make(kitNo),
  entityId: EntityId.make(entityId),
  accountNo: AccountNo.make(accountNo),
  productId: "2001_PHYSICAL",
  tierType: "CLASSIC",
  cardType: "PHYSICAL",
  pan: makePan(PanDigits.make(panFor(serial))),
  expDate: "2029-07-31T00:00:00.000+00:00",
  status: "ACTIVE"
})

export const customer = (entityId: string, mobileNo: string, branchId = "BR1"): Customer => ({
  entityId: EntityId.make(entityId),
  mobileNo: MobileNo.make(mobileNo),
  branchId: BranchId.make(branchId)
})

export const event = (subject: string, action: string) => ({
  at: "2026-07-15T10:30:00.000Z",
  action,
  subject,
  outcome: "OK"
})
