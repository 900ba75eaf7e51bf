import { Context, type Effect, type Option } from "effect"
import type { Card } from "../domain/card/Card.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../domain/ground/Identifiers.js"
import type { DuplicateKey, StoreError } from "../domain/ground/StoreError.js"

/**
 * Stores and fetches cards, always within one tenant. It never decides: status rules live in the
 * domain.
 *
 * A read named `…ForUpdate` is one a decision depends on: inside a transaction it locks the rows it
 * returns until the transaction ends (PostgreSQL: `SELECT … FOR UPDATE`), so that two transactions
 * deciding on the same card behave as in some serial order. Outside a transaction it is a plain read.
 *
 * @category services
 * @since 0.1.0
 */
export class CardRepository extends Context.Service<
  CardRepository,
  {
    readonly findByKitNo: (tenant: TenantId, kitNo: KitNo) => Effect.Effect<Option.Option<Card>, StoreError>
    /** The card a single-card operation changes, locked. */
    readonly findByKitNoForUpdate: (
      tenant: TenantId,
      kitNo: KitNo
    ) => Effect.Effect<Option.Option<Card>, StoreError>
    /** Every card of the customer, in kitNo order. */
    readonly findByCustomer: (
      tenant: TenantId,
      entityId: EntityId
    ) => Effect.Effect<ReadonlyArray<Card>, StoreError>
    /** Every card of the customer, in kitNo order, locked: what a bulk operation changes. */
    readonly findByCustomerForUpdate: (
      tenant: TenantId,
      entityId: EntityId
    ) => Effect.Effect<ReadonlyArray<Card>, StoreError>
    /** Every card on the account, in kitNo order. */
    readonly findByAccount: (
      tenant: TenantId,
      accountNo: AccountNo
    ) => Effect.Effect<ReadonlyArray<Card>, StoreError>
    /**
     * Stores new cards in one write. A kitNo or a PAN already held in the tenant (by a committed card
     * or by a concurrent transaction's) fails the whole write with `DuplicateKey`: nothing is stored.
     */
    readonly insertAll: (
      tenant: TenantId,
      cards: ReadonlyArray<Card>
    ) => Effect.Effect<void, DuplicateKey | StoreError>
    /**
     * Replaces stored cards, by kitNo, in one write. Each card was read in the same transaction (a
     * kitNo that is not stored is a defect of the caller); a card's PAN never changes.
     */
    readonly updateAll: (tenant: TenantId, cards: ReadonlyArray<Card>) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/CardRepository") {}
