/**
 * The endpoints' handlers: each reads its body (`Wire.readBody`), hands it to its use case with the
 * `tenant` header, and writes the use case's result or error in its family's shape. The use cases
 * decode the body themselves, as they do under every adapter: a bad field is reported by the same
 * path and rule over HTTP, through the Promise facade and in an Effect program.
 *
 * @since 0.1.0
 */
import { Effect, type Schema } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { activateCard, blockCard, lockCard, unlockCard } from "../../domain/card/changeCardStatus.js"
import type { ModelError } from "../../domain/ErrorModel.js"
import { validationError } from "../../domain/ground/Validation.js"
import { type IdempotencyError, withIdempotencyKey } from "../../domain/idempotency/Idempotency.js"
import { cancelCardOrder } from "../../domain/kit/cancelCardOrder.js"
import { manageAllCards } from "../../domain/kit/manageAllCards.js"
import { upgradeCard } from "../../domain/kit/upgradeCard.js"
import { setPin } from "../../domain/pin/setPin.js"
import { verifyPin } from "../../domain/pin/verifyPin.js"
import { replaceCard } from "../../domain/replacement/replaceCard.js"
import { updateToken } from "../../domain/token/updateToken.js"
import type { CardLifecyclePorts } from "../../facade/CardLifecycle.js"
import {
  CancelCardOrderAnswer,
  DcmsSuccess,
  ManageAllCardsAnswer,
  ManagedCardAnswer,
  ReplaceCardAnswer,
  SetPinAnswer,
  UpdateTokenAnswer,
  UpgradeCardAnswer,
  VerifyPinAnswer
} from "./Answers.js"
import { CardLifecycleApi } from "./Api.js"
import type { HttpError } from "./HttpErrors.js"
import {
  answerFormat,
  type Format,
  jsonSuccess,
  readBody,
  refusalFormat,
  refusalResponse,
  tokenSuccess
} from "./Wire.js"

/**
 * Every port the service's use cases need: the Promise facade's (`CardLifecyclePorts`).
 *
 * @category models
 */
export type HttpPorts = CardLifecyclePorts

interface RawRequest {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly headers: { readonly tenant: string; readonly "idempotency-key"?: string }
}

type UseCase<A, E, R> = (tenant: string, request: unknown) => Effect.Effect<A, E, R>

/**
 * The use case, under the request's `Idempotency-Key` when it sends one (docs/idempotency.md): a
 * retry with the key gets the first answer, and the endpoint's name is the key's operation.
 */
const keyed = <A, E, R>(operation: string, useCase: UseCase<A, E, R>) => {
  const underKey = withIdempotencyKey(operation, useCase)
  return (headers: RawRequest["headers"], body: unknown) => {
    const key = headers["idempotency-key"]
    return key === undefined ? useCase(headers.tenant, body) : underKey(headers.tenant, key, body)
  }
}

/** A DCMS endpoint: JSON in, the envelope out, a refusal in the envelope's `exception`. */
const dcms = <A, E extends ModelError, R, Encoded>(
  operation: string,
  useCase: UseCase<A, E, R>,
  answer: Schema.Codec<A, Encoded>
) => {
  const run = keyed(operation, useCase)
  const success = jsonSuccess(
    DcmsSuccess(answer) as unknown as Schema.Codec<{ result: A; exception: null; pagination: null }, unknown>
  )
  return ({ request, headers }: RawRequest) =>
    readBody(request).pipe(
      Effect.flatMap(({ body }) => run(headers, body)),
      Effect.map((result) => success({ result, exception: null, pagination: null })),
      Effect.catch((error: E | IdempotencyError | HttpError) =>
        Effect.succeed(refusalResponse("dcms", error))
      )
    )
}

const verifyPinAnswer = (tenant: string, request: unknown) =>
  Effect.map(verifyPin(tenant, request), (verified) => ({ verified }))

/**
 * The kit manager's handlers.
 *
 * @category layers
 */
export const KitManagerHandlers = HttpApiBuilder.group(CardLifecycleApi, "kitManager", (handlers) =>
  handlers
    .handleRaw("upgradeCard", dcms("upgradeCard", upgradeCard, UpgradeCardAnswer))
    .handleRaw("manageAllKits", dcms("manageAllKits", manageAllCards, ManageAllCardsAnswer))
    .handleRaw("setPinV2", dcms("setPinV2", setPin, SetPinAnswer))
    .handleRaw("verifyPin", dcms("verifyPin", verifyPinAnswer, VerifyPinAnswer))
    .handleRaw("cancelCardOrder", dcms("cancelCardOrder", cancelCardOrder, CancelCardOrderAnswer))
    .handleRaw("activateCard", dcms("activateCard", activateCard, ManagedCardAnswer))
    .handleRaw("lockCard", dcms("lockCard", lockCard, ManagedCardAnswer))
    .handleRaw("unlockCard", dcms("unlockCard", unlockCard, ManagedCardAnswer))
    .handleRaw("blockCard", dcms("blockCard", blockCard, ManagedCardAnswer))
)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Seed 003's request: the path's account beside the body's fields. A body that names the account
 * itself is refused (`correlationId` is not one of the body's fields), so that the path alone says
 * which account a replacement touches.
 */
const replacementRequest = (correlationId: string, body: unknown) =>
  !isRecord(body)
    ? Effect.succeed(body)
    : Object.hasOwn(body, "correlationId")
      ? Effect.fail(validationError([{ path: "correlationId", message: "Expected no excess property" }]))
      : Effect.succeed({ ...body, correlationId })

const replace = keyed("replaceCard", replaceCard)
const replaced = jsonSuccess(ReplaceCardAnswer)

/**
 * The loyalty platform's handler.
 *
 * @category layers
 */
export const LoyaltyHandlers = HttpApiBuilder.group(CardLifecycleApi, "loyalty", (handlers) =>
  handlers.handleRaw("replaceCard", ({ request, headers, params }) =>
    readBody(request).pipe(
      Effect.flatMap(({ body }) => replacementRequest(params.correlation_id, body)),
      Effect.flatMap((body) => replace(headers, body)),
      Effect.map(replaced),
      Effect.catch((error) => Effect.succeed(refusalResponse("loyalty", error)))
    )
  )
)

const update = keyed("updateToken", updateToken)
const tokenUpdated = tokenSuccess(UpdateTokenAnswer)

/**
 * The token service's handler: the answer in the type the client accepts (the body's own type when
 * it accepts either), a refusal too.
 *
 * @category layers
 */
export const TokenServiceHandlers = HttpApiBuilder.group(CardLifecycleApi, "tokenService", (handlers) =>
  handlers.handleRaw("updateToken", ({ request, headers }) => {
    const early: Format = refusalFormat(request)
    return readBody(request, ["json", "xml"]).pipe(
      Effect.flatMap(({ format, body }) =>
        Effect.fromResult(answerFormat(request, format)).pipe(
          Effect.flatMap((answer) =>
            update(headers, body).pipe(
              Effect.map((result) => tokenUpdated(result, answer)),
              Effect.catch((error) => Effect.succeed(refusalResponse("token", error, answer)))
            )
          )
        )
      ),
      Effect.catch((error) => Effect.succeed(refusalResponse("token", error, early)))
    )
  })
)
