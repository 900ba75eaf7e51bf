/**
 * Manage All Cards (seed 002, DOMAIN.md §3): BLOCK, LOCK or UNLOCK every card of one customer in one
 * call, stored together or not at all.
 *
 * @since 0.1.0
 */
import { Effect, Option, Result, Schema } from "effect"
import { AuditLog } from "../../ports/AuditLog.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import { type Card, changeStatus } from "../card/Card.js"
import { type CardStatus, isAllowed, isTerminal, transitionTable } from "../card/CardStatus.js"
import type { ManagedCard } from "../card/changeCardStatus.js"
import { type Customer, CustomerNotFound } from "../customer/Customer.js"
import type { ManageAllCardsError } from "../DomainError.js"
import type { AuditEvent, ChangeContext } from "../ground/AuditEvent.js"
import { auditTime } from "../ground/AuditEvent.js"
import { Changer, Channel, EntityId, MobileNo, Reason, type TenantId } from "../ground/Identifiers.js"
import type { StoreError } from "../ground/StoreError.js"
import { decodeTenantRequest, type FieldIssue, ValidationError } from "../ground/Validation.js"

/**
 * Seed 002 `operation`.
 *
 * @category models
 */
export const BulkOperation = Schema.Literals(["BLOCK", "LOCK", "UNLOCK"])
export type BulkOperation = typeof BulkOperation.Type

/**
 * Seed 002's request: `mobileNo` or `entityId` (or both, naming one customer), `operation`, and
 * the audit fields `reason`, `changer`, `channel`.
 *
 * @category schemas
 */
export const ManageAllCardsRequest = Schema.Struct({
  mobileNo: Schema.optionalKey(MobileNo),
  entityId: Schema.optionalKey(EntityId),
  operation: BulkOperation,
  reason: Schema.optionalKey(Reason),
  changer: Schema.optionalKey(Changer),
  channel: Schema.optionalKey(Channel)
})
export type ManageAllCardsRequest = typeof ManageAllCardsRequest.Encoded

/**
 * A card the operation left as it was, and why.
 *
 * @category models
 */
export interface SkippedCard {
  readonly kitNo: string
  readonly status: CardStatus
  readonly why: string
}

/**
 * Seed 002's `result`, plus `skippedCards` (DOMAIN.md §3).
 *
 * @category models
 */
export interface ManageAllCardsResult {
  readonly managedCards: ReadonlyArray<ManagedCard>
  readonly totalCardsManaged: number
  readonly operation: BulkOperation
  readonly entityId: string
  readonly skippedCards: ReadonlyArray<SkippedCard>
}

/**
 * What one bulk operation changes: the cards to store, their audit events, and the two lists of the
 * result.
 *
 * @category models
 */
export interface BulkPlan {
  readonly changed: ReadonlyArray<Card>
  readonly events: ReadonlyArray<AuditEvent>
  readonly managedCards: ReadonlyArray<ManagedCard>
  readonly skippedCards: ReadonlyArray<SkippedCard>
}

/**
 * @category models
 */
export type ManageAllCardsPorts = CardRepository | CustomerRepository | AuditLog | Transactor

const NO_SELECTOR: FieldIssue = { path: "", message: "mobileNo or entityId is required" }
const DIFFERENT_CUSTOMERS: FieldIssue = {
  path: "entityId",
  message: "must name the same customer as mobileNo"
}

const lacksSelector = (request: unknown): boolean =>
  typeof request === "object" && request !== null && !("mobileNo" in request) && !("entityId" in request)

// DOMAIN.md §3: neither selector is a validation error, reported together with any other bad field
const decode = decodeTenantRequest(ManageAllCardsRequest, (request) =>
  lacksSelector(request) ? [NO_SELECTOR] : []
)

// why the transition table refuses the operation from a status, in words for `skippedCards`
const whySkipped = (status: CardStatus, operation: BulkOperation): string => {
  const { from, to } = transitionTable[operation]
  if (status === to) return `already ${status}`
  if (isTerminal(status)) return `${status} is a terminal status`
  return `${operation} applies only to ${from.join(", ")} cards`
}

/**
 * The pure core: every card in one loop. The transition table decides by status alone (DOMAIN.md
 * §2): a card whose status it refuses is skipped, with why; every other card goes through
 * `changeStatus`, as a single-card operation would, and comes with the same audit event.
 *
 * @category transitions
 */
export const planBulkOperation = (
  cards: ReadonlyArray<Card>,
  operation: BulkOperation,
  context: ChangeContext
): BulkPlan => {
  const changed: Array<Card> = []
  const events: Array<AuditEvent> = []
  const managedCards: Array<ManagedCard> = []
  const skippedCards: Array<SkippedCard> = []
  for (const card of cards) {
    const outcome = isAllowed(operation, card.status) ? changeStatus(card, operation, context) : undefined
    if (outcome === undefined || Result.isFailure(outcome)) {
      skippedCards.push({ kitNo: card.kitNo, status: card.status, why: whySkipped(card.status, operation) })
      continue
    }
    const { card: next, event } = outcome.success
    changed.push(next)
    events.push(event)
    managedCards.push({
      kitNo: next.kitNo,
      cardNumber: next.pan.masked,
      previousStatus: card.status,
      currentStatus: next.status
    })
  }
  return { changed, events, managedCards, skippedCards }
}

// DOMAIN.md §3: a selector that names nobody is not found; two selectors naming two customers are
// a bad request
const findCustomer = Effect.fnUntraced(function* (
  tenant: TenantId,
  request: typeof ManageAllCardsRequest.Type
): Effect.fn.Return<Customer, CustomerNotFound | ValidationError | StoreError, CustomerRepository> {
  const customers = yield* CustomerRepository
  let found: Customer | undefined
  if (request.mobileNo !== undefined) {
    const byMobile = yield* customers.findByMobileNo(tenant, request.mobileNo)
    // Stryker disable next-line ObjectLiteral,StringLiteral: CustomerNotFound answers "by mobileNo" for anything but an entityId
    if (Option.isNone(byMobile)) return yield* new CustomerNotFound({ selector: "mobileNo" })
    found = byMobile.value
  }
  if (request.entityId !== undefined) {
    const byEntity = yield* customers.findByEntityId(tenant, request.entityId)
    if (Option.isNone(byEntity))
      return yield* new CustomerNotFound({ selector: "entityId", value: request.entityId })
    if (found !== undefined && found.entityId !== byEntity.value.entityId) {
      return yield* new ValidationError({ issues: [DIFFERENT_CUSTOMERS] })
    }
    found = byEntity.value
  }
  // Stryker disable next-line all: unreachable, as decode refuses a request without a selector first; it narrows the type
  if (found === undefined) return yield* new ValidationError({ issues: [NO_SELECTOR] })
  return found
})

/**
 * Seed 002 `POST /kit-manager/manageAllKits`.
 *
 * @category use cases
 */
export const manageAllCards = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<ManageAllCardsResult, ManageAllCardsError, ManageAllCardsPorts> {
  const { tenant: tenantId, request: req } = yield* decode(tenant, request)
  const cards = yield* CardRepository
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const at = yield* auditTime
  const { operation, reason, changer, channel } = req
  return yield* transactor.withTransaction(
    Effect.gen(function* () {
      const customer = yield* findCustomer(tenantId, req)
      const owned = yield* cards.findByCustomerForUpdate(tenantId, customer.entityId)
      const plan = planBulkOperation(owned, operation, { at, reason, changer, channel })
      // DOMAIN.md §3: one write per store for the whole call, and none when nothing changed
      if (plan.changed.length > 0) {
        yield* cards.updateAll(tenantId, plan.changed)
        yield* audit.append(tenantId, plan.events)
      }
      return {
        managedCards: plan.managedCards,
        totalCardsManaged: plan.managedCards.length,
        operation,
        entityId: customer.entityId,
        skippedCards: plan.skippedCards
      }
    })
  )
})
