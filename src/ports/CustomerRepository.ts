import { Context, type Effect, type Option } from "effect"
import type { Account, Customer } from "../domain/customer/Customer.js"
import type { AccountNo, EntityId, MobileNo, TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"

/**
 * Stores and fetches customers and their accounts, always within one tenant. `findAccountForUpdate`
 * is the read a decision depends on (the replacement limit): inside a transaction it locks the
 * account until the transaction ends, as `CardRepository`'s `…ForUpdate` reads lock cards.
 *
 * @category services
 * @since 0.1.0
 */
export class CustomerRepository extends Context.Service<
  CustomerRepository,
  {
    readonly findByEntityId: (
      tenant: TenantId,
      entityId: EntityId
    ) => Effect.Effect<Option.Option<Customer>, StoreError>
    readonly findByMobileNo: (
      tenant: TenantId,
      mobileNo: MobileNo
    ) => Effect.Effect<Option.Option<Customer>, StoreError>
    readonly findAccount: (
      tenant: TenantId,
      accountNo: AccountNo
    ) => Effect.Effect<Option.Option<Account>, StoreError>
    /** The account whose replacement limit is checked, locked. */
    readonly findAccountForUpdate: (
      tenant: TenantId,
      accountNo: AccountNo
    ) => Effect.Effect<Option.Option<Account>, StoreError>
    /** Inserts or replaces customers, by entityId, in one write. */
    readonly saveAll: (
      tenant: TenantId,
      customers: ReadonlyArray<Customer>
    ) => Effect.Effect<void, StoreError>
    /** Inserts or replaces accounts, by accountNo, in one write. */
    readonly saveAccounts: (
      tenant: TenantId,
      accounts: ReadonlyArray<Account>
    ) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/CustomerRepository") {}
