/**
 * The use cases as Promises, for hosts that do not use Effect: `createCardLifecycle(layer)` builds the
 * layer's ports once (on the first call) and keeps them until `close()`.
 *
 * @since 0.1.0
 */
import { type Effect, type Layer, ManagedRuntime } from "effect"
import {
  activateCard,
  blockCard,
  type CardStatusPorts,
  lockCard,
  unlockCard
} from "../domain/card/changeCardStatus.js"
import { type IdempotencyPorts, withIdempotencyKey } from "../domain/idempotency/Idempotency.js"
import { type CancelCardOrderPorts, cancelCardOrder } from "../domain/kit/cancelCardOrder.js"
import { type ManageAllCardsPorts, manageAllCards } from "../domain/kit/manageAllCards.js"
import { type UpgradeCardPorts, upgradeCard } from "../domain/kit/upgradeCard.js"
import { type SetPinPorts, setPin } from "../domain/pin/setPin.js"
import { type VerifyPinPorts, verifyPin } from "../domain/pin/verifyPin.js"
import { type ReplaceCardPorts, replaceCard } from "../domain/replacement/replaceCard.js"
import { type UpdateTokenPorts, updateToken } from "../domain/token/updateToken.js"

/**
 * Every port a use case needs: what the layer given to `createCardLifecycle` provides.
 *
 * @category models
 */
export type CardLifecyclePorts =
  | CardStatusPorts
  | ManageAllCardsPorts
  | UpgradeCardPorts
  | CancelCardOrderPorts
  | ReplaceCardPorts
  | SetPinPorts
  | VerifyPinPorts
  | UpdateTokenPorts
  | IdempotencyPorts

/** A use case taking the tenant and the request (a decoded JSON body, `unknown` until validated). */
type UseCase<A, E> = (tenant: string, request: unknown) => Effect.Effect<A, E, CardLifecyclePorts>

/**
 * What a call may add: an idempotency key (docs/idempotency.md), under which a retry gets the first
 * answer and changes nothing.
 *
 * @category models
 */
export interface CallOptions {
  readonly idempotencyKey?: string
}

/** The same use case as an async function: the result, or a rejection with the use case's typed error. */
type Async<F> =
  F extends UseCase<infer A, infer _E>
    ? (tenant: string, request: unknown, options?: CallOptions) => Promise<A>
    : never

const useCases = {
  activateCard,
  lockCard,
  unlockCard,
  blockCard,
  manageAllCards,
  upgradeCard,
  cancelCardOrder,
  replaceCard,
  setPin,
  verifyPin,
  updateToken
} as const

/**
 * An async method per use case, and `close()`.
 *
 * Each method takes the tenant and the request as the use case does, and resolves to its result or
 * rejects with its typed error itself: the error's class (`instanceof CardNotFound`), `_tag`, `code`
 * and `message` are intact, so that a host maps errors as an Effect host does (`isModelError`, `httpStatusOf`). A
 * defect (a bug, a port that broke its contract) rejects with the thrown `Error`.
 *
 * @category models
 */
export type CardLifecycle = { readonly [K in keyof typeof useCases]: Async<(typeof useCases)[K]> } & {
  /**
   * Releases what the layer holds (a database pool, for one) once the calls in flight have settled;
   * a call after it rejects.
   */
  readonly close: () => Promise<void>
}

/**
 * The use cases over `layer`'s ports, as Promises. The layer is built on the first call (a build that
 * fails, such as a key configuration a security module refuses, rejects that call and the next ones
 * with its error) and kept until `close()`: one store across calls.
 *
 * ```ts
 * const cards = createCardLifecycle(layer(fixture({ ACME_BANK: tenantFixture([...]) })))
 * const locked = await cards.lockCard("ACME_BANK", { kitNo: "4240181595" })
 * await cards.close()
 * ```
 *
 * @category constructors
 */
export const createCardLifecycle = <E>(layer: Layer.Layer<CardLifecyclePorts, E>): CardLifecycle => {
  const runtime = ManagedRuntime.make(layer)
  const run =
    <A, Err>(useCase: UseCase<A, Err>, operation: string) =>
    (tenant: string, request: unknown, options?: CallOptions): Promise<A> =>
      runtime.runPromise(
        options?.idempotencyKey === undefined
          ? useCase(tenant, request)
          : withIdempotencyKey(operation, useCase)(tenant, options.idempotencyKey, request)
      )
  return {
    activateCard: run(activateCard, "activateCard"),
    lockCard: run(lockCard, "lockCard"),
    unlockCard: run(unlockCard, "unlockCard"),
    blockCard: run(blockCard, "blockCard"),
    manageAllCards: run(manageAllCards, "manageAllCards"),
    upgradeCard: run(upgradeCard, "upgradeCard"),
    cancelCardOrder: run(cancelCardOrder, "cancelCardOrder"),
    replaceCard: run(replaceCard, "replaceCard"),
    setPin: run(setPin, "setPin"),
    verifyPin: run(verifyPin, "verifyPin"),
    updateToken: run(updateToken, "updateToken"),
    close: () => runtime.dispose()
  }
}
