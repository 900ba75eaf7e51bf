/**
 * The reference service's endpoints as an `HttpApi`: the seeds' methods and paths under `/v1`, the
 * `tenant` header of every call, each payload as the use case's request schema, each answer and
 * refusal as `Answers` declares it, with the statuses the error tables give. The OpenAPI document at
 * `/v1/openapi.json` is generated from this value (docs/http.md).
 *
 * @since 0.1.0
 */
import { Schema, Struct } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { CardStatusRequest } from "../../domain/card/changeCardStatus.js"
import { CancelCardOrderRequest } from "../../domain/kit/cancelCardOrder.js"
import { ManageAllCardsRequest } from "../../domain/kit/manageAllCards.js"
import { UpgradeCardRequest } from "../../domain/kit/upgradeCard.js"
import { SetPinRequest } from "../../domain/pin/setPin.js"
import { VerifyPinRequest } from "../../domain/pin/verifyPin.js"
import { ReplaceCardRequest } from "../../domain/replacement/replaceCard.js"
import { UpdateTokenRequest } from "../../domain/token/TokenUpdateRequest.js"
import {
  CancelCardOrderAnswer,
  DcmsRefusal,
  DcmsSuccess,
  LoyaltyRefusal,
  ManageAllCardsAnswer,
  ManagedCardAnswer,
  ReplaceCardAnswer,
  SetPinAnswer,
  TokenServiceRefusal,
  UpdateTokenAnswer,
  UpgradeCardAnswer,
  VerifyPinAnswer,
  XmlText
} from "./Answers.js"

/**
 * The `tenant` header of every call (seed 000: "Every API call must include this header").
 *
 * @category schemas
 */
export const TenantHeader = Schema.Struct({
  tenant: Schema.String.annotate({
    description: "The DCMS client or tenant name for multi-tenant isolation."
  }),
  "idempotency-key": Schema.optionalKey(
    Schema.String.annotate({
      description:
        "Optional: 1 to 255 printable characters. A retry with the same key and request gets the first answer and changes nothing (docs/idempotency.md)."
    })
  )
})

/**
 * A request as the service documents it: the use case's request schema on its decoded side (the
 * use case decodes the body itself, so that every adapter reports bad fields alike).
 */
const documented = <S extends Schema.Top>(request: S) => Schema.toType(request)

/** The statuses a family's refusals can carry, each documented with the family's error shape. */
const refusals = <S extends Schema.Top>(shape: S, statuses: ReadonlyArray<number>) =>
  statuses.map((status) => shape.pipe(HttpApiSchema.status(status)))

// every status the error table and the HTTP layer give, but the protocol's own (404 path, 405, 406)
const dcmsRefusals = refusals(DcmsRefusal, [400, 404, 409, 413, 415, 422, 500, 503])

const dcms = <const Name extends string, P extends Schema.Top, A extends Schema.Top>(
  name: Name,
  payload: P,
  answer: A,
  description: string
) =>
  HttpApiEndpoint.post(name, `/kit-manager/${name}`, {
    headers: TenantHeader,
    payload: documented(payload),
    success: DcmsSuccess(answer),
    error: dcmsRefusals
  }).annotate(OpenApi.Description, description)

/**
 * The DCMS kit manager (seeds 000-002): upgrade, bulk and single-card status changes, Set PIN V2,
 * PIN verification and card-order cancellation.
 *
 * @category api
 */
export const KitManager = HttpApiGroup.make("kitManager")
  .add(
    dcms(
      "upgradeCard",
      UpgradeCardRequest,
      UpgradeCardAnswer,
      "Seed 000: replaces the card kitNo by a new card of a higher tier or another product of the catalog."
    )
  )
  .add(
    dcms(
      "manageAllKits",
      ManageAllCardsRequest,
      ManageAllCardsAnswer,
      "Seed 002: BLOCK, LOCK or UNLOCK every card of a mobileNo or entityId in one operation."
    )
  )
  .add(
    dcms(
      "setPinV2",
      SetPinRequest,
      SetPinAnswer,
      "Seed 001: sets the card's PIN from an ISO 9564 format 0 block sealed with AES-GCM (Base64 of IV and ciphertext)."
    )
  )
  .add(
    dcms(
      "verifyPin",
      VerifyPinRequest,
      VerifyPinAnswer,
      "Checks a PIN against the card's; the card's PIN is blocked at the tenant's limit of wrong PINs."
    )
  )
  .add(
    dcms(
      "cancelCardOrder",
      CancelCardOrderRequest,
      CancelCardOrderAnswer,
      "Seed 001: cancels a RECEIVED card order whose orderId and branchId match."
    )
  )
  .add(dcms("activateCard", CardStatusRequest, ManagedCardAnswer, "Activates an ASSIGNED card."))
  .add(dcms("lockCard", CardStatusRequest, ManagedCardAnswer, "Locks an ACTIVE card (a temporary hold)."))
  .add(dcms("unlockCard", CardStatusRequest, ManagedCardAnswer, "Unlocks a LOCKED card."))
  .add(dcms("blockCard", CardStatusRequest, ManagedCardAnswer, "Blocks a card for good."))
  .annotate(OpenApi.Description, "The DCMS card-issuing endpoints (seeds 000-002).")

/**
 * Seed 003's body: its path names the account (`correlation_id`).
 *
 * @category schemas
 */
export const ReplaceCardBody = Schema.Struct(Struct.omit(ReplaceCardRequest.fields, ["correlationId"]))

/**
 * The loyalty platform's card replacement (seed 003).
 *
 * @category api
 */
export const Loyalty = HttpApiGroup.make("loyalty")
  .add(
    HttpApiEndpoint.put("replaceCard", "/client/users/:correlation_id/cards", {
      params: { correlation_id: Schema.String },
      headers: TenantHeader,
      payload: documented(ReplaceCardBody),
      success: ReplaceCardAnswer,
      error: refusals(LoyaltyRefusal, [400, 401, 404, 409, 413, 415, 422, 500, 503])
    }).annotate(
      OpenApi.Description,
      "Seed 003: replaces a card of the account by a new digital card, or by the physical card newLoyaltyId; the old card ends in status."
    )
  )
  .annotate(OpenApi.Description, "The loyalty platform's endpoint (seed 003).")

const JSON_TYPES = ["application/json", "text/json"] as const
const XML_TYPES = ["application/xml", "text/xml"] as const

/**
 * The token service's update (seed 004), in JSON or XML.
 *
 * @category api
 */
export const TokenService = HttpApiGroup.make("tokenService")
  .add(
    HttpApiEndpoint.post("updateToken", "/api/Update", {
      headers: TenantHeader,
      payload: [
        ...JSON_TYPES.map((contentType) =>
          documented(UpdateTokenRequest).pipe(HttpApiSchema.asJson({ contentType }))
        ),
        ...XML_TYPES.map((contentType) => XmlText.pipe(HttpApiSchema.asText({ contentType })))
      ],
      success: [UpdateTokenAnswer, XmlText.pipe(HttpApiSchema.asText({ contentType: "application/xml" }))],
      error: [
        ...refusals(TokenServiceRefusal, [400, 404, 406, 409, 413, 415, 422, 500, 503]),
        XmlText.pipe(HttpApiSchema.asText({ contentType: "application/xml" }), HttpApiSchema.status(400))
      ]
    }).annotate(
      OpenApi.Description,
      "Seed 004: updates the account PAN mapping or the product configuration of one token (by tokenUniqueReference) or of every token of an account PAN or cardholder; answered in JSON or XML as the Accept header asks."
    )
  )
  .annotate(OpenApi.Description, "The token service's endpoint (seed 004).")

/**
 * Every endpoint of the reference service, under `/v1`.
 *
 * @category api
 */
export const CardLifecycleApi = HttpApi.make("card-lifecycle")
  .add(KitManager)
  .add(Loyalty)
  .add(TokenService)
  .prefix("/v1")
  .annotate(OpenApi.Title, "card-lifecycle")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(
    OpenApi.Description,
    "The reference HTTP service of card-lifecycle: the seeds' endpoints over the library's use cases. Every call carries the tenant header."
  )

/**
 * The content types each family takes.
 *
 * @category constants
 */
export const ACCEPTED = { json: JSON_TYPES, xml: XML_TYPES } as const
