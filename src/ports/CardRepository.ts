import { Context, type Effect, type Option } from "effect"
import type { Card } from "../domain/card/Card.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../domain/Identifiers.js"
import type { StoreError } from "../domain/StoreError.js"

/**
 * Stores and fetches cards, always within one tenant. It never decides: status rules live in the
 * domain.
 *
 * @category services
 * @since 0.1.0
 */
export class CardRepository extends Context.Service<
  CardRepository,
  {
    readonly findByKitNo: (tenant: TenantId, kitNo: KitNo) => Effect.Effect<Option.Option<Card>, StoreError>
    /** Every card of the customer, in kitNo order. */
    readonly findByCustomer: (
      tenant: TenantId,
      entityId: EntityId
    ) => Effect.Effect<ReadonlyArray<Card>, StoreError>
    /** Every card on the account, in kitNo order. */
    readonly findByAccount: (
      tenant: TenantId,
      accountNo: AccountNo
    ) => Effect.Effect<ReadonlyArray<Card>, StoreError>
    /** Inserts or replaces the cards, by kitNo, in one write. */
    readonly saveAll: (tenant: TenantId, cards: ReadonlyArray<Card>) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/CardRepository") {}
