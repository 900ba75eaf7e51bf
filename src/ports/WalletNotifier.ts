import { Context, type Effect } from "effect"
import type { TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { TokenUniqueReference } from "../domain/token/Token.js"

/**
 * Tells the wallet provider that tokens changed (seed 004 `UpdateWalletProviderIndicator` "0").
 * Called inside the update's transaction, it is an outbox: an adapter records the notification
 * there and delivers it only once the transaction is committed, so a rolled-back update is never
 * announced and a committed one is never lost.
 *
 * @category services
 * @since 0.1.0
 */
export class WalletNotifier extends Context.Service<
  WalletNotifier,
  {
    /** One notification for the tokens one request changed. */
    readonly notify: (
      tenant: TenantId,
      tokenUniqueReferences: ReadonlyArray<TokenUniqueReference>
    ) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/WalletNotifier") {}
