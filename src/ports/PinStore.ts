import { Context, type Effect, type Option } from "effect"
import type { KitNo, TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { PinAttempts } from "../domain/pin/VerifyPinRules.js"
import type { StoredVerifier } from "./SecurityModule.js"

/**
 * What the store keeps of a card's PIN: its verifier and its try counter.
 *
 * @category models
 * @since 0.1.0
 */
export interface PinRecord extends PinAttempts {
  readonly verifier: StoredVerifier
}

/**
 * The PIN of each card, always within one tenant: the keyed hash the domain computed (DOMAIN.md §6:
 * never the PIN, never the PIN block) and the try counter beside it. It stores and fetches; whether
 * a PIN may be set, whether a PIN matches and when it is blocked are the domain's to decide.
 *
 * @category services
 * @since 0.1.0
 */
export class PinStore extends Context.Service<
  PinStore,
  {
    /** Inserts or replaces the card's PIN, verifier and counter, in one write. */
    readonly save: (tenant: TenantId, kitNo: KitNo, record: PinRecord) => Effect.Effect<void, StoreError>
    /** The card's PIN; none when no PIN was ever set. */
    readonly find: (tenant: TenantId, kitNo: KitNo) => Effect.Effect<Option.Option<PinRecord>, StoreError>
    /**
     * `find`, locking the row until the transaction ends (docs/architecture.md, "Locks"): what
     * verifyPin decides the count on.
     */
    readonly findForUpdate: (
      tenant: TenantId,
      kitNo: KitNo
    ) => Effect.Effect<Option.Option<PinRecord>, StoreError>
    /** Replaces the try counter of the card's stored PIN, its verifier unchanged; no PIN, no write. */
    readonly recordAttempts: (
      tenant: TenantId,
      kitNo: KitNo,
      attempts: PinAttempts
    ) => Effect.Effect<void, StoreError>
  }
>()("card-lifecycle/PinStore") {}
