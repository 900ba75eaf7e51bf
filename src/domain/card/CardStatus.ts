/**
 * Card statuses and the transition table of DOMAIN.md §2, as data.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @category models
 */
export const CardStatus = Schema.Literals([
  "ASSIGNED",
  "ACTIVE",
  "LOCKED",
  "BLOCKED",
  "REPLACED",
  "DAMAGED",
  "CANCELLED",
  "LOST_OR_STOLEN"
])
export type CardStatus = typeof CardStatus.Type

/**
 * A status a card can be locked from; UNLOCK returns to it.
 *
 * @category models
 */
export const LockableStatus = Schema.Literals(["ASSIGNED", "ACTIVE"])
export type LockableStatus = typeof LockableStatus.Type

/**
 * DOMAIN.md §2: a terminal card never changes again.
 *
 * @category models
 */
export const terminalStatuses: ReadonlySet<CardStatus> = new Set<CardStatus>([
  "BLOCKED",
  "REPLACED",
  "DAMAGED",
  "CANCELLED",
  "LOST_OR_STOLEN"
])

/**
 * @category predicates
 */
export const isTerminal = (status: CardStatus): boolean => terminalStatuses.has(status)

/**
 * The operations that change a card's status. REPLACE carries its end state in its name.
 *
 * @category models
 */
export const CardOperation = Schema.Literals([
  "ACTIVATE",
  "LOCK",
  "UNLOCK",
  "BLOCK",
  "UPGRADE",
  "REPLACE_DAMAGED",
  "REPLACE_CANCELLED",
  "REPLACE_LOST_OR_STOLEN",
  "CANCEL_ORDER"
])
export type CardOperation = typeof CardOperation.Type

/**
 * Where an operation leads: a status, or back to the status the card was locked from.
 *
 * @category models
 */
export type Target = CardStatus | "LOCKED_FROM"

/**
 * @category models
 */
export interface Transition {
  readonly from: ReadonlyArray<CardStatus>
  readonly to: Target
}

/**
 * DOMAIN.md §2, row by row. Anything not listed here is refused.
 *
 * @category models
 */
export const transitionTable: { readonly [O in CardOperation]: Transition } = {
  ACTIVATE: { from: ["ASSIGNED"], to: "ACTIVE" },
  LOCK: { from: ["ASSIGNED", "ACTIVE"], to: "LOCKED" },
  UNLOCK: { from: ["LOCKED"], to: "LOCKED_FROM" },
  BLOCK: { from: ["ASSIGNED", "ACTIVE", "LOCKED"], to: "BLOCKED" },
  UPGRADE: { from: ["ASSIGNED", "ACTIVE", "LOCKED"], to: "REPLACED" },
  REPLACE_DAMAGED: { from: ["ASSIGNED", "ACTIVE", "LOCKED", "BLOCKED"], to: "DAMAGED" },
  REPLACE_CANCELLED: { from: ["ASSIGNED", "ACTIVE", "LOCKED", "BLOCKED"], to: "CANCELLED" },
  REPLACE_LOST_OR_STOLEN: { from: ["ASSIGNED", "ACTIVE", "LOCKED", "BLOCKED"], to: "LOST_OR_STOLEN" },
  // the ordered card is not yet delivered (DOMAIN.md §7)
  CANCEL_ORDER: { from: ["ASSIGNED"], to: "CANCELLED" }
}

/**
 * @category predicates
 */
export const isAllowed = (operation: CardOperation, status: CardStatus): boolean =>
  transitionTable[operation].from.includes(status)

/**
 * The table as a Mermaid state diagram; `docs/card-lifecycle.md` holds exactly this text.
 *
 * @category formatting
 */
export const mermaidStateDiagram = (): string => {
  const lines = ["stateDiagram-v2", "    [*] --> ASSIGNED"]
  for (const operation of CardOperation.literals) {
    const { from, to } = transitionTable[operation]
    for (const status of from) {
      if (to === "LOCKED_FROM") continue
      lines.push(`    ${status} --> ${to}: ${operation}`)
    }
  }
  for (const status of transitionTable.LOCK.from) {
    lines.push(`    LOCKED --> ${status}: UNLOCK (if locked from ${status})`)
  }
  for (const status of CardStatus.literals) {
    if (isTerminal(status)) lines.push(`    ${status} --> [*]`)
  }
  return lines.join("\n")
}
