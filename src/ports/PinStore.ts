import { Context, type Effect, type Option } from "effect"
import type { KitNo, TenantId } from "../domain/ground/Identifiers.js"
import type { StoreError } from "../domain/ground/StoreError.js"
import type { StoredVerifier } from "./SecurityModule.js"

/**
 * The PIN verifier of each card, always within one tenant. It stores the keyed hash the domain
 * computed (DOMAIN.md §6: never the PIN, never the PIN block) and fetches it back; whether a PIN may
 * be set, and whether a PIN matches, is the domain's to decide.
 *
 * @category services
 * @since 0.1.0
 */
export class PinStore extends Context.Service<
  PinStore,
  {
    /** Inserts or replaces the card's verifier, in one write. */
    readonly save: (
      tenant: TenantId,
      kitNo: KitNo,
      verifier: StoredVerifier
    ) => Effect.Effect<void, StoreError>
    /** The card's verifier; none when no PIN was ever set. */
    readonly find: (
      tenant: TenantId,
      kitNo: KitNo
    ) => Effect.Effect<Option.Option<StoredVerifier>, StoreError>
  }
>()("card-lifecycle/PinStore") {}
