/**
 * The two moments a card's PAN is handled in clear: protecting a new card's PAN before it is stored,
 * and revealing a stored card's PAN to the one operation that needs it (a PIN block is bound to it).
 * Both go through the security module; the clear PAN is never stored.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import {
  type CiphertextRejected,
  type KeyFailure,
  SecurityModule,
  type TenantKeyMissing
} from "../../ports/SecurityModule.js"
import type { KitNo, TenantId } from "../ground/Identifiers.js"
import { maskPan, type Pan } from "../ground/Pan.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import type { Card } from "./Card.js"

/**
 * A new card's PAN as it is stored: encrypted under the tenant's active `panStore` key (bound to the
 * tenant and the kitNo), masked, and hashed under the active `cardNumber` key.
 *
 * @category constructors
 */
export const protectPan = (
  tenant: TenantId,
  kitNo: KitNo,
  pan: Pan
): Effect.Effect<ProtectedPan, TenantKeyMissing, SecurityModule> =>
  Effect.gen(function* () {
    const module = yield* SecurityModule
    const encrypted = yield* module.encryptPan(tenant, kitNo, pan)
    const hash = yield* module.cardNumberHash(tenant, pan)
    return { encrypted, masked: maskPan(pan), hash }
  })

/**
 * A stored card's PAN, decrypted by the security module under the key that encrypted it; `Redacted`.
 *
 * @category constructors
 */
export const revealPan = (
  tenant: TenantId,
  card: Card
): Effect.Effect<Pan, KeyFailure | CiphertextRejected, SecurityModule> =>
  Effect.gen(function* () {
    return yield* (yield* SecurityModule).decryptPan(tenant, card.kitNo, card.pan.encrypted)
  })
