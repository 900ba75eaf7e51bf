import { Effect, Layer, Option } from "effect"
import type { TenantId } from "../../domain/Identifiers.js"
import type { TokenUniqueReference } from "../../domain/token/Token.js"
import { WalletNotifier } from "../../ports/WalletNotifier.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * One notification the wallet provider is to receive.
 *
 * @category models
 */
export interface WalletNotification {
  readonly tokenUniqueReferences: ReadonlyArray<TokenUniqueReference>
}

/**
 * An outbox in the memory database: each notification is written in the caller's transaction, so
 * it is kept exactly when the update is. Nothing is delivered; tests read the outbox.
 *
 * @category layers
 */
export const MemoryWalletNotifier = Layer.effect(
  WalletNotifier,
  Effect.map(MemoryDatabase, (db) =>
    WalletNotifier.of({
      notify: (tenant, tokenUniqueReferences) =>
        db.write("WalletNotifier.notify", (t) =>
          Table.set(t.walletNotifications, tenant, "", [
            ...(Table.getOrUndefined(t.walletNotifications, tenant, "") ?? []),
            { tokenUniqueReferences: [...tokenUniqueReferences] }
          ])
        )
    })
  )
)

/**
 * The notifications recorded for a tenant, oldest first (committed ones, or those of the current
 * transaction).
 *
 * @category accessors
 */
export const walletNotificationsOf = (
  tenant: TenantId | string
): Effect.Effect<ReadonlyArray<WalletNotification>, never, MemoryDatabase> =>
  Effect.flatMap(MemoryDatabase, (db) =>
    db.read((t) => Option.getOrElse(Table.get(t.walletNotifications, tenant, ""), () => []))
  )
