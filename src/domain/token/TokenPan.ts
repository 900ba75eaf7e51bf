/**
 * The two moments a token's account PAN is handled in clear: protecting a PAN before a token stores
 * it, and revealing a stored token's PAN for the account-range check. Both go through the security
 * module; the clear PAN is never stored.
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
import type { TenantId } from "../ground/Identifiers.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import { type AccountPan, maskAccountPan } from "./AccountPan.js"
import type { TokenUniqueReference } from "./Token.js"

/**
 * A token's account PAN as it is stored: encrypted under the tenant's active `panStore` key (bound to
 * the tenant and the token), masked, and hashed under the active `cardNumber` key.
 *
 * @category constructors
 */
export const protectAccountPan = (
  tenant: TenantId,
  token: TokenUniqueReference,
  pan: AccountPan
): Effect.Effect<ProtectedPan, TenantKeyMissing, SecurityModule> =>
  Effect.gen(function* () {
    const module = yield* SecurityModule
    const encrypted = yield* module.encryptAccountPan(tenant, token, pan)
    const hash = yield* module.cardNumberHash(tenant, pan)
    return { encrypted, masked: maskAccountPan(pan), hash }
  })

/**
 * A stored token's account PAN, decrypted by the security module; `Redacted`.
 *
 * @category constructors
 */
export const revealAccountPan = (
  tenant: TenantId,
  token: { readonly tokenUniqueReference: TokenUniqueReference; readonly accountPan: ProtectedPan }
): Effect.Effect<AccountPan, KeyFailure | CiphertextRejected, SecurityModule> =>
  Effect.gen(function* () {
    return yield* (yield* SecurityModule).decryptAccountPan(
      tenant,
      token.tokenUniqueReference,
      token.accountPan.encrypted
    )
  })
