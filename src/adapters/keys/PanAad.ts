/**
 * The additional authenticated data of an encrypted PAN (the port's format, docs/pin-blocks.md).
 *
 * @since 0.1.0
 */
import type { KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import type { TokenUniqueReference } from "../../domain/token/Token.js"

/**
 * `tenant ":" kitNo`, as UTF-8 by the caller: a ciphertext opens only for the tenant and the card it
 * was made for. A kitNo holds no colon, so the last colon splits every value one way.
 *
 * @category constructors
 */
export const panAad = (tenant: TenantId, kitNo: KitNo): string => `${tenant}:${kitNo}`

/**
 * `tenant ":token:" tokenUniqueReference`: a token's account PAN opens only for the tenant and the
 * token it was made for. No kitNo holds a colon, so no card's additional data is ever a token's.
 *
 * @category constructors
 */
export const accountPanAad = (tenant: TenantId, token: TokenUniqueReference): string =>
  `${tenant}:token:${token}`
