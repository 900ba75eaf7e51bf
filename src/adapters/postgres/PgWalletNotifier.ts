/**
 * `WalletNotifier` on PostgreSQL: an outbox. Each notification is a row of `wallet_notifications`,
 * written in the caller's transaction, so it is kept exactly when the update is; a relay reads the
 * outbox oldest first (`walletNotificationsOf`) and delivers what was committed.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { TokenUniqueReference } from "../../domain/token/Token.js"
import { WalletNotifier } from "../../ports/WalletNotifier.js"
import { statement } from "./Store.js"

/**
 * A notification of the outbox: the tokens one request changed.
 *
 * @category models
 */
export interface PgWalletNotification {
  readonly tokenUniqueReferences: ReadonlyArray<TokenUniqueReference>
}

/**
 * A tenant's notifications in the outbox, oldest first.
 *
 * @category constructors
 */
export const walletNotificationsOf = (tenant: TenantId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{
      readonly token_unique_references: ReadonlyArray<TokenUniqueReference>
    }>`SELECT token_unique_references
      FROM wallet_notifications WHERE tenant = ${tenant} ORDER BY seq`.pipe(
      Effect.map((rows) =>
        rows.map((row): PgWalletNotification => ({ tokenUniqueReferences: row.token_unique_references }))
      ),
      statement("WalletNotifier.notifications")
    )
  )

/**
 * @category layers
 */
export const PgWalletNotifier = Layer.effect(
  WalletNotifier,
  Effect.map(SqlClient.SqlClient, (sql) =>
    WalletNotifier.of({
      notify: (tenant, tokenUniqueReferences) =>
        sql`INSERT INTO wallet_notifications (tenant, token_unique_references)
          VALUES (${tenant}, ${JSON.stringify(tokenUniqueReferences)}::jsonb)`.pipe(
          Effect.asVoid,
          statement("WalletNotifier.notify")
        )
    })
  )
)
