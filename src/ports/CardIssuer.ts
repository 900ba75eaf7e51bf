import { Context, type Effect } from "effect"
import type { Pan } from "../domain/card/Pan.js"
import type { KitNo, TenantId } from "../domain/Identifiers.js"
import type { StoreError } from "../domain/StoreError.js"

/**
 * A new card's identity: its kitNo and its PAN.
 *
 * @category models
 * @since 0.1.0
 */
export interface IssuedIdentity {
  readonly kitNo: KitNo
  readonly pan: Pan
}

/**
 * Allocates card identities. Every PAN is Luhn-valid, starts with the BIN, and, like every kitNo,
 * is used once in the tenant. Allocation happens inside the caller's transaction: a rolled-back
 * issue leaves no trace. With `kitNo` (a physical card's loyalty id, which the caller has found
 * free), only the PAN is allocated and the identity carries that kitNo.
 *
 * @category services
 * @since 0.1.0
 */
export class CardIssuer extends Context.Service<
  CardIssuer,
  {
    readonly issue: (
      tenant: TenantId,
      bin: string,
      kitNo?: KitNo
    ) => Effect.Effect<IssuedIdentity, StoreError>
  }
>()("card-lifecycle/CardIssuer") {}
