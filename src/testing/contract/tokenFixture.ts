/**
 * Seed 004's example token as a fixture: the values of the seed's example, and a builder of tokens
 * on its PAN and cardholder. The contract stores one; the token tests build their stores from it.
 *
 * @since 0.1.0
 */
import type { MemoryFixture } from "../../adapters/memory/MemoryFixture.js"

type TenantFixture = MemoryFixture["tenants"][string]

/**
 * A token as a fixture writes it.
 *
 * @category models
 */
export type TokenFixture = NonNullable<TenantFixture["tokens"]>[number]

/**
 * A row of a tenant's account-range table as a fixture writes it.
 *
 * @category models
 */
export type AccountRangeFixture = NonNullable<TenantFixture["accountRanges"]>[number]

/**
 * Seed 004's example `tokenUniqueReference`.
 *
 * @category constants
 */
export const TUR = "DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c"

/**
 * Seed 004's example account PAN.
 *
 * @category constants
 */
export const PAN = "5412345678901234"

/**
 * The example token's own expiry, which no update changes.
 *
 * @category constants
 */
export const TOKEN_EXPIRATION = "0928"

/**
 * The expiry of the example token's account PAN before an update.
 *
 * @category constants
 */
export const ACCOUNT_PAN_EXPIRATION = "0827"

/**
 * The example token's `primaryAccountNumberUniqueReference`: the token service's name for PAN.
 *
 * @category constants
 */
export const PAN_REFERENCE = "FPANRL00000000010906ca58f5eb4e1a2f6b0d"

/**
 * Seed 004's example cardholder.
 *
 * @category constants
 */
export const CARDHOLDER = "20000587525"

/**
 * The example PANs' account range: the 6-digit prefix 541234.
 *
 * @category constants
 */
export const RANGE: AccountRangeFixture = { low: "541234", high: "541234" }

/**
 * When the example token was digitized.
 *
 * @category constants
 */
export const DIGITIZED_AT = "2025-12-01T08:00:00.000Z"

/**
 * An ACTIVE token on the example PAN, held by the example cardholder, in an Apple Pay wallet.
 *
 * @category constructors
 */
export const tokenFixture = (
  tokenUniqueReference: string,
  overrides: Partial<TokenFixture> = {}
): TokenFixture => ({
  tokenUniqueReference,
  accountPan: PAN,
  panUniqueReference: PAN_REFERENCE,
  cardholderId: CARDHOLDER,
  tokenSuffix: "4321",
  expirationDate: TOKEN_EXPIRATION,
  accountPanExpirationDate: ACCOUNT_PAN_EXPIRATION,
  accountPanSequenceNumber: "1",
  productConfigurationId: "ANYSILV01",
  statusDateTime: DIGITIZED_AT,
  wallet: {
    walletId: "103",
    tokenRequestorId: "50110030273",
    tokenRequestorName: "APPLE PAY",
    tokenRequestorConsumerFacingEntityName: "Apple Pay",
    paymentAppInstanceId: "PAI0000000001"
  },
  devices: [{ deviceId: "D0001", deviceName: "Ada's phone", deviceType: "PHONE", secureElementId: "SE0001" }],
  provisioning: {
    correlationId: "COR0001",
    digitizationRequestDateTime: DIGITIZED_AT,
    finalTokenizationDecision: "APPROVED",
    provisioningStatusCode: "S",
    provisioningStatusDescription: "Provisioning successful",
    storageTechnology: "DEVICE_MEMORY",
    tokenActivatedDateTime: DIGITIZED_AT,
    tokenAssuranceLevel: "2",
    tokenType: "CLOUD",
    tokenDeletedFromConsumerApp: "false"
  },
  ...overrides
})
