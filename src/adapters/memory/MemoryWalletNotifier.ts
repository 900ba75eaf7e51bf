import { Effect, Layer } from "effect"
import { WalletNotifier } from "../../ports/WalletNotifier.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

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
