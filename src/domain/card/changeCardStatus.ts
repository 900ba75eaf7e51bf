/**
 * The single-card lifecycle use cases: activateCard, lockCard, unlockCard, blockCard.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schema } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import type { CardStatusError } from "../DomainError.js"
import { auditTime } from "../ground/AuditEvent.js"
import { Changer, Channel, KitNo, Reason } from "../ground/Identifiers.js"
import type { MaskedPan } from "../ground/Pan.js"
import { decodeTenantRequest } from "../ground/Validation.js"
import { CardNotFound, changeStatus } from "./Card.js"
import type { CardOperation, CardStatus } from "./CardStatus.js"

/**
 * `{ kitNo, reason?, changer?, channel? }`, the fields of seed 002 for one card.
 *
 * @category schemas
 */
export const CardStatusRequest = Schema.Struct({
  kitNo: KitNo,
  reason: Schema.optionalKey(Reason),
  changer: Schema.optionalKey(Changer),
  channel: Schema.optionalKey(Channel)
})
export type CardStatusRequest = typeof CardStatusRequest.Encoded

/**
 * The changed card, in the shape of seed 002's `managedCards` entries.
 *
 * @category models
 */
export interface ManagedCard {
  readonly kitNo: string
  readonly cardNumber: MaskedPan
  readonly previousStatus: CardStatus
  readonly currentStatus: CardStatus
}

/**
 * @category models
 */
export type CardStatusPorts = CardRepository | AuditLog | Transactor

const decode = decodeTenantRequest(CardStatusRequest)

const makeUseCase = (operation: CardOperation) =>
  Effect.fnUntraced(function* (
    tenant: string,
    request: unknown
  ): Effect.fn.Return<ManagedCard, CardStatusError, CardStatusPorts> {
    const { tenant: tenantId, request: req } = yield* decode(tenant, request)
    const cards = yield* CardRepository
    const audit = yield* AuditLog
    const transactor = yield* Transactor
    const at = yield* auditTime
    return yield* transactor.withTransaction(
      Effect.gen(function* () {
        const found = yield* cards.findByKitNoForUpdate(tenantId, req.kitNo)
        if (Option.isNone(found)) return yield* new CardNotFound({ kitNo: req.kitNo })
        const card = found.value
        const { card: next, event } = yield* Effect.fromResult(changeStatus(card, operation, { at, ...req }))
        yield* cards.updateAll(tenantId, [next])
        yield* audit.append(tenantId, [event])
        return {
          kitNo: next.kitNo,
          cardNumber: next.pan.masked,
          previousStatus: card.status,
          currentStatus: next.status
        }
      })
    )
  })

/**
 * ACTIVATE: ASSIGNED → ACTIVE.
 *
 * @category use cases
 */
export const activateCard = makeUseCase("ACTIVATE")

/**
 * LOCK: ASSIGNED or ACTIVE → LOCKED, remembering where it came from.
 *
 * @category use cases
 */
export const lockCard = makeUseCase("LOCK")

/**
 * UNLOCK: LOCKED → the status it was locked from.
 *
 * @category use cases
 */
export const unlockCard = makeUseCase("UNLOCK")

/**
 * BLOCK: ASSIGNED, ACTIVE or LOCKED → BLOCKED, for good.
 *
 * @category use cases
 */
export const blockCard = makeUseCase("BLOCK")
