/**
 * The schemas of every answer the service gives, success and refusal, in the seeds' shapes: the DCMS
 * envelope of seeds 000-002 (`result`, `exception`, `pagination`), seed 003's `{ NewLoyaltyCard,
 * Message }` and its error row, seed 004's `TokenResponse`. Each handler encodes its answer with the
 * schema the OpenAPI document shows, so that the document and the wire cannot disagree.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CardType } from "../../domain/card/Card.js"
import { CardStatus } from "../../domain/card/CardStatus.js"
import { ModelError } from "../../domain/ErrorModel.js"
import { OrderStatus } from "../../domain/kit/CardOrder.js"
import { BulkOperation } from "../../domain/kit/manageAllCards.js"
import { TokenStatus } from "../../domain/token/Token.js"
import { HttpError } from "./HttpErrors.js"

// ---------------------------------------------------------------------------------------------
// DCMS (seeds 000-002): every answer is the envelope
// ---------------------------------------------------------------------------------------------

/**
 * The DCMS envelope of a success: `{ result, exception: null, pagination: null }`.
 *
 * @category schemas
 */
export const DcmsSuccess = <S extends Schema.Top>(result: S) =>
  Schema.Struct({ result, exception: Schema.Null, pagination: Schema.Null })

/**
 * The DCMS envelope of a refusal: `result: null`, and the error as the model encodes it
 * (`{ _tag, code, message, … }`) in `exception`.
 *
 * @category schemas
 */
export const DcmsRefusal = Schema.Struct({
  result: Schema.Null,
  exception: Schema.Union([ModelError, HttpError]),
  pagination: Schema.Null
}).annotate({ identifier: "DcmsRefusal" })

/**
 * A card after a single-card operation or a bulk one (seed 002's `managedCards` entry).
 *
 * @category schemas
 */
export const ManagedCardAnswer = Schema.Struct({
  kitNo: Schema.String,
  cardNumber: Schema.String,
  previousStatus: CardStatus,
  currentStatus: CardStatus
}).annotate({ identifier: "ManagedCard" })

/**
 * Seed 002's `result`, plus the cards left as they were (`skippedCards`).
 *
 * @category schemas
 */
export const ManageAllCardsAnswer = Schema.Struct({
  managedCards: Schema.Array(ManagedCardAnswer),
  totalCardsManaged: Schema.Number,
  operation: BulkOperation,
  entityId: Schema.String,
  skippedCards: Schema.Array(Schema.Struct({ kitNo: Schema.String, status: CardStatus, why: Schema.String }))
}).annotate({ identifier: "ManageAllCardsResult" })

/**
 * Seed 000's `result`: the new cards, each with the id of its card order when it is PHYSICAL.
 *
 * @category schemas
 */
export const UpgradeCardAnswer = Schema.Struct({
  entityId: Schema.String,
  kitInfo: Schema.Array(
    Schema.Struct({
      accountNo: Schema.Number,
      bin: Schema.String,
      cardCategory: Schema.String,
      cardNumber: Schema.String,
      cardStatus: Schema.Literal("ASSIGNED"),
      cardType: CardType,
      encryptedCardNumber: Schema.String,
      entityId: Schema.String,
      expDate: Schema.String,
      kitNo: Schema.String,
      networkType: Schema.String,
      productId: Schema.String,
      productName: Schema.String,
      orderId: Schema.optionalKey(Schema.String)
    })
  )
}).annotate({ identifier: "UpgradeCardResult" })

/**
 * The cancelled order and where its card ended (seed 001 shows no answer).
 *
 * @category schemas
 */
export const CancelCardOrderAnswer = Schema.Struct({
  orderId: Schema.String,
  branchId: Schema.String,
  orderStatus: OrderStatus,
  kitNo: Schema.String,
  cardStatus: CardStatus
}).annotate({ identifier: "CancelCardOrderResult" })

/**
 * A PIN set by Set PIN V2 (seed 001 shows no answer).
 *
 * @category schemas
 */
export const SetPinAnswer = Schema.Struct({
  kitNo: Schema.String,
  cardNumber: Schema.String,
  status: Schema.Literal("PIN_SET")
}).annotate({ identifier: "SetPinResult" })

/**
 * Whether the PIN was the card's.
 *
 * @category schemas
 */
export const VerifyPinAnswer = Schema.Struct({ verified: Schema.Boolean }).annotate({
  identifier: "VerifyPinResult"
})

// ---------------------------------------------------------------------------------------------
// Seed 003
// ---------------------------------------------------------------------------------------------

/**
 * Seed 003's answer.
 *
 * @category schemas
 */
export const ReplaceCardAnswer = Schema.Struct({
  NewLoyaltyCard: Schema.Number,
  Message: Schema.Literal("Card updated.")
}).annotate({ identifier: "ReplaceCardResult" })

/**
 * Seed 003's error row: `statusCode`, `errorMessage`, `errorCode` as its table gives them (for a
 * refusal outside the table, the status, the message and the model's code), with the model's `code`
 * beside them and, for a bad request, its `issues`.
 *
 * @category schemas
 */
export const LoyaltyRefusal = Schema.Struct({
  statusCode: Schema.Number,
  errorMessage: Schema.String,
  errorCode: Schema.String,
  code: Schema.String,
  issues: Schema.optionalKey(Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))),
  errorId: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "LoyaltyRefusal" })

// ---------------------------------------------------------------------------------------------
// Seed 004
// ---------------------------------------------------------------------------------------------

const NullableString = Schema.NullOr(Schema.String)

/**
 * Seed 004's `Token` object.
 *
 * @category schemas
 */
export const TokenAnswer = Schema.Struct({
  tokenUniqueReference: Schema.String,
  primaryAccountNumberUniqueReference: NullableString,
  tokenSuffix: Schema.String,
  expirationDate: Schema.String,
  accountPanSequenceNumber: NullableString,
  activationCodeExpirationDateTime: NullableString,
  correlationId: NullableString,
  currentStatusCode: Schema.String,
  currentStatusDescription: Schema.String,
  currentStatusDateTime: Schema.String,
  digitizationRequestDateTime: NullableString,
  finalTokenizationDecision: NullableString,
  lastCommentId: NullableString,
  paymentAppInstanceId: NullableString,
  provisioningStatusCode: NullableString,
  provisioningStatusDescription: NullableString,
  storageTechnology: NullableString,
  suspender: Schema.Array(Schema.Struct({ suspendedBy: Schema.String })),
  tokenActivatedDateTime: NullableString,
  tokenAssuranceLevel: NullableString,
  tokenRequestorId: Schema.String,
  tokenRequestorName: Schema.String,
  tokenType: NullableString,
  walletId: Schema.String,
  devices: Schema.Array(
    Schema.Struct({
      deviceId: Schema.String,
      deviceName: Schema.String,
      deviceType: Schema.String,
      secureElementId: NullableString
    })
  ),
  tokenDeletedFromConsumerApp: NullableString,
  tokenRequestorConsumerFacingEntityName: NullableString
}).annotate({ identifier: "Token" })

/**
 * The answer of a token update: seed 004's `TokenResponse` for one token (by `tokenUniqueReference`),
 * or the tokens changed and left alone (by `currentAccountPan` or `cardholderId`).
 *
 * @category schemas
 */
export const UpdateTokenAnswer = Schema.Union([
  Schema.Struct({ token: TokenAnswer }).annotate({ identifier: "TokenResponse" }),
  Schema.Struct({
    tokens: Schema.Array(TokenAnswer),
    skippedTokens: Schema.Array(
      Schema.Struct({
        tokenUniqueReference: Schema.String,
        currentStatusCode: TokenStatus,
        reason: Schema.String
      })
    )
  }).annotate({ identifier: "TokensUpdatedResponse" })
])

/**
 * One error of a token-service answer, in the names of the Mastercard APIs seed 004 belongs to:
 * `Source` (the field, or `request`), `ReasonCode` (the model's code), `Description` (the message),
 * `Recoverable` (whether the same request may succeed later).
 *
 * @category schemas
 */
export const TokenServiceError = Schema.Struct({
  Source: Schema.String,
  ReasonCode: Schema.String,
  Description: Schema.String,
  Recoverable: Schema.Boolean
})

/**
 * A refusal of the token service: `{ "Errors": { "Error": [ … ] } }`, one error per bad field of a
 * bad request, else one; `errorId` for an unexpected failure.
 *
 * @category schemas
 */
export const TokenServiceRefusal = Schema.Struct({
  Errors: Schema.Struct({ Error: Schema.Array(TokenServiceError) }),
  errorId: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "TokenServiceRefusal" })

/**
 * An XML body or answer, as text (seed 004's `application/xml`).
 *
 * @category schemas
 */
export const XmlText = Schema.String.annotate({ identifier: "XmlDocument" })
