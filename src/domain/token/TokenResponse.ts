/**
 * The answer of a token update, in seed 004's JSON names.
 *
 * @since 0.1.0
 */
import { type Token, tokenStatusDescription } from "./Token.js"
import type { SkippedToken } from "./TokenUpdate.js"

/**
 * Seed 004's `Token` object, every field in its JSON name. A value the token does not have is
 * `null` (docs/token-update.md). No PAN: the seed names it by `primaryAccountNumberUniqueReference`.
 *
 * @category models
 */
export interface TokenObject {
  readonly tokenUniqueReference: string
  /** `null` once the token moved to a PAN whose reference is not known here (docs/token-update.md). */
  readonly primaryAccountNumberUniqueReference: string | null
  readonly tokenSuffix: string
  /** The token's own expiry, not the account PAN's (which an update sets). */
  readonly expirationDate: string
  readonly accountPanSequenceNumber: string | null
  readonly activationCodeExpirationDateTime: string | null
  readonly correlationId: string | null
  readonly currentStatusCode: string
  readonly currentStatusDescription: string
  readonly currentStatusDateTime: string
  readonly digitizationRequestDateTime: string | null
  readonly finalTokenizationDecision: string | null
  readonly lastCommentId: string | null
  readonly paymentAppInstanceId: string | null
  readonly provisioningStatusCode: string | null
  readonly provisioningStatusDescription: string | null
  readonly storageTechnology: string | null
  readonly suspender: ReadonlyArray<{ readonly suspendedBy: string }>
  readonly tokenActivatedDateTime: string | null
  readonly tokenAssuranceLevel: string | null
  readonly tokenRequestorId: string
  readonly tokenRequestorName: string
  readonly tokenType: string | null
  readonly walletId: string
  readonly devices: ReadonlyArray<{
    readonly deviceId: string
    readonly deviceName: string
    readonly deviceType: string
    readonly secureElementId: string | null
  }>
  readonly tokenDeletedFromConsumerApp: string | null
  readonly tokenRequestorConsumerFacingEntityName: string | null
}

/**
 * Seed 004's `TokenResponse`: the answer to an update by `tokenUniqueReference`.
 *
 * @category models
 */
export interface TokenResponse {
  readonly token: TokenObject
}

/**
 * The answer to an update by `currentAccountPan` or `cardholderId`: the tokens that changed (each as
 * seed 004's token object), and those left alone with their status.
 *
 * @category models
 */
export interface TokensUpdatedResponse {
  readonly tokens: ReadonlyArray<TokenObject>
  readonly skippedTokens: ReadonlyArray<SkippedToken>
}

/**
 * @category models
 */
export type UpdateTokenResult = TokenResponse | TokensUpdatedResponse

/**
 * Renders a token as seed 004's token object.
 *
 * @category constructors
 */
export const toTokenObject = (token: Token): TokenObject => {
  const p = token.provisioning
  return {
    tokenUniqueReference: token.tokenUniqueReference,
    primaryAccountNumberUniqueReference: token.panUniqueReference ?? null,
    tokenSuffix: token.tokenSuffix,
    expirationDate: token.expirationDate,
    accountPanSequenceNumber: token.accountPanSequenceNumber ?? null,
    activationCodeExpirationDateTime: p.activationCodeExpirationDateTime ?? null,
    correlationId: p.correlationId ?? null,
    currentStatusCode: token.status,
    currentStatusDescription: tokenStatusDescription[token.status],
    currentStatusDateTime: token.statusDateTime,
    digitizationRequestDateTime: p.digitizationRequestDateTime ?? null,
    finalTokenizationDecision: p.finalTokenizationDecision ?? null,
    lastCommentId: token.lastCommentId ?? null,
    paymentAppInstanceId: token.wallet.paymentAppInstanceId ?? null,
    provisioningStatusCode: p.provisioningStatusCode ?? null,
    provisioningStatusDescription: p.provisioningStatusDescription ?? null,
    storageTechnology: p.storageTechnology ?? null,
    suspender: token.suspendedBy.map((suspendedBy) => ({ suspendedBy })),
    tokenActivatedDateTime: p.tokenActivatedDateTime ?? null,
    tokenAssuranceLevel: p.tokenAssuranceLevel ?? null,
    tokenRequestorId: token.wallet.tokenRequestorId,
    tokenRequestorName: token.wallet.tokenRequestorName,
    tokenType: p.tokenType ?? null,
    walletId: token.wallet.walletId,
    devices: token.devices.map((d) => ({
      deviceId: d.deviceId,
      deviceName: d.deviceName,
      deviceType: d.deviceType,
      secureElementId: d.secureElementId ?? null
    })),
    tokenDeletedFromConsumerApp: p.tokenDeletedFromConsumerApp ?? null,
    tokenRequestorConsumerFacingEntityName: token.wallet.tokenRequestorConsumerFacingEntityName ?? null
  }
}
