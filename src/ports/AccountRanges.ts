import { Context, type Effect, type Option } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { AccountPan } from "../domain/token/AccountPan.js"
import type { AccountRange } from "../domain/token/AccountRange.js"

/**
 * A tenant's account-range table. The ranges of one tenant never overlap, so a PAN lies in at most
 * one of them.
 *
 * @category services
 * @since 0.1.0
 */
export class AccountRanges extends Context.Service<
  AccountRanges,
  {
    /** The range that holds the PAN, if any. */
    readonly findRange: (
      tenant: TenantId,
      pan: AccountPan
    ) => Effect.Effect<Option.Option<AccountRange>, StoreError>
  }
>()("card-lifecycle/AccountRanges") {}
