/**
 * The token aggregate of seed 004: a wallet token mapped to an account PAN.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { pattern } from "../ground/Identifiers.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"

/**
 * Seed 004 `TokenUniqueReference`: "Length 48 characters"; DOMAIN.md §8: letters and digits
 * (`DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c`).
 *
 * @category models
 */
export const TokenUniqueReference = pattern(
  /^[A-Za-z0-9]{48}$/,
  "must be exactly 48 letters and digits"
).pipe(Schema.brand("TokenUniqueReference"))
export type TokenUniqueReference = typeof TokenUniqueReference.Type

/**
 * Seed 004 `CardholderId` (`20000587525`). The seed gives no length; this library takes the same
 * alphabet and length as an `entityId` (docs/token-update.md).
 *
 * @category models
 */
export const CardholderId = pattern(
  /^[A-Za-z0-9_-]{1,64}$/,
  "must be 1-64 characters of A-Z a-z 0-9 _ -"
).pipe(Schema.brand("CardholderId"))
export type CardholderId = typeof CardholderId.Type

/**
 * An expiry as MMYY, month 01–12 (DOMAIN.md §8; seed example `1215`): a token's own, or the account
 * PAN's (seed 004 `ExpirationDate`, "New Account PAN expiration date").
 *
 * @category models
 */
export const ExpirationDate = pattern(/^(0[1-9]|1[0-2])[0-9]{2}$/, "must be MMYY with a month 01-12")
export type ExpirationDate = typeof ExpirationDate.Type

/**
 * DOMAIN.md §8: 1–3 digits (seed "Maximum length 3 characters", example `3`).
 *
 * @category models
 */
export const AccountPanSequenceNumber = pattern(/^[0-9]{1,3}$/, "must be 1-3 digits")
export type AccountPanSequenceNumber = typeof AccountPanSequenceNumber.Type

/**
 * DOMAIN.md §8: 1–10 letters and digits (seed "Maximum length 10 characters", example `ANYGOLD101`).
 *
 * @category models
 */
export const ProductConfigurationId = pattern(/^[A-Za-z0-9]{1,10}$/, "must be 1-10 letters and digits")
export type ProductConfigurationId = typeof ProductConfigurationId.Type

/**
 * A token's state. INACTIVE is the seed's "IN PROGRESS": digitized but not yet activated.
 *
 * @category models
 */
export const TokenStatus = Schema.Literals(["ACTIVE", "SUSPENDED", "INACTIVE", "DELETED"])
export type TokenStatus = typeof TokenStatus.Type

/**
 * Seed 004: "updates will only be applied to tokens in ACTIVE or SUSPENDED state".
 *
 * @category predicates
 */
export const isUpdatable = (status: TokenStatus): boolean => status === "ACTIVE" || status === "SUSPENDED"

/**
 * The seed's `currentStatusDescription` of each status.
 *
 * @category models
 */
export const tokenStatusDescription: Readonly<Record<TokenStatus, string>> = {
  ACTIVE: "Active",
  SUSPENDED: "Suspended",
  INACTIVE: "Inactive (digitization in progress)",
  DELETED: "Deleted"
}

/**
 * Seed 004 `AuditInfo`: who asked for the change.
 *
 * @category models
 */
export interface AuditInfo {
  readonly userId: string
  readonly userName: string
  readonly organization: string
  readonly phone?: string
}

/**
 * A comment left on a token by an update, with who left it.
 *
 * @category models
 */
export interface TokenComment {
  /** The comment's number on its token: "1", "2", … (docs/token-update.md). */
  readonly commentId: string
  readonly text: string
  /** ISO-8601 UTC instant, from `Clock`. */
  readonly at: string
  readonly auditInfo: AuditInfo
}

/**
 * The wallet and token requestor that hold the token.
 *
 * @category models
 */
export interface TokenWallet {
  readonly walletId: string
  readonly tokenRequestorId: string
  readonly tokenRequestorName: string
  readonly tokenRequestorConsumerFacingEntityName?: string
  readonly paymentAppInstanceId?: string
}

/**
 * A device the token is provisioned on (seed 004 `devices`).
 *
 * @category models
 */
export interface TokenDevice {
  readonly deviceId: string
  readonly deviceName: string
  readonly deviceType: string
  readonly secureElementId?: string
}

/**
 * What the token service reported when the token was digitized; updates never change it.
 *
 * @category models
 */
export interface TokenProvisioning {
  readonly correlationId?: string
  readonly digitizationRequestDateTime?: string
  readonly activationCodeExpirationDateTime?: string
  readonly finalTokenizationDecision?: string
  readonly provisioningStatusCode?: string
  readonly provisioningStatusDescription?: string
  readonly storageTechnology?: string
  readonly tokenActivatedDateTime?: string
  readonly tokenAssuranceLevel?: string
  readonly tokenType?: string
  readonly tokenDeletedFromConsumerApp?: string
}

/**
 * A token as the domain holds it and a store keeps it. Plain data: the account PAN is held only
 * protected (encrypted bound to the token, masked, keyed-hashed), as a card's PAN is.
 *
 * @category models
 */
export interface Token {
  readonly tokenUniqueReference: TokenUniqueReference
  /** The account PAN the token maps to, protected (`SecurityModule.encryptAccountPan`). */
  readonly accountPan: ProtectedPan
  /**
   * The seed's `primaryAccountNumberUniqueReference`: names the PAN without showing it. The token
   * service assigns it per PAN, so it is unknown (absent) once an update moved the token to a PAN
   * whose reference this side does not hold (docs/token-update.md).
   */
  readonly panUniqueReference?: string
  readonly cardholderId?: CardholderId
  /** The last digits of the token number. */
  readonly tokenSuffix: string
  /** The token's own expiry (seed 004 token object `expirationDate`); an update never changes it. */
  readonly expirationDate: ExpirationDate
  /**
   * The expiry of the account PAN the token maps to: what a request's `expirationDate` ("New Account
   * PAN expiration date") sets. Absent until known.
   */
  readonly accountPanExpirationDate?: ExpirationDate
  readonly accountPanSequenceNumber?: AccountPanSequenceNumber
  readonly productConfigurationId?: ProductConfigurationId
  readonly status: TokenStatus
  /** When the token entered its status (ISO-8601). */
  readonly statusDateTime: string
  /** Who suspended the token (seed 004 `suspender[].suspendedBy`), oldest first. */
  readonly suspendedBy: ReadonlyArray<string>
  readonly wallet: TokenWallet
  readonly devices: ReadonlyArray<TokenDevice>
  /** Oldest first. */
  readonly comments: ReadonlyArray<TokenComment>
  readonly lastCommentId?: string
  readonly provisioning: TokenProvisioning
}
