import { Context, type Effect } from "effect"
import type { KitNo, TenantId } from "../domain/ground/Identifiers.js"
import type { Pan } from "../domain/ground/Pan.js"
import type { IdentifiersExhausted, StoreError } from "../domain/ground/StoreError.js"
import type { TenantKeyMissing } from "./SecurityModule.js"

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
 * is held by no card of the tenant when issued. Allocation happens inside the caller's transaction:
 * a rolled-back issue leaves no trace. With `kitNo` (a physical card's loyalty id), only the PAN is
 * allocated and the identity carries that kitNo; whether that kitNo is free is for
 * `CardRepository.insertAll` to find. An issuer with nothing left to hand out fails with
 * `IdentifiersExhausted`; one that knows PANs only by their keyed hash (as stores do: they hold no
 * clear PAN) fails with `TenantKeyMissing` for a tenant without a `cardNumber` key.
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
    ) => Effect.Effect<IssuedIdentity, IdentifiersExhausted | TenantKeyMissing | StoreError>
  }
>()("card-lifecycle/CardIssuer") {}
