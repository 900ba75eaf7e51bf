import { Effect, Layer, Redacted } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../../domain/Identifiers.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

const byKitNo = (a: Card, b: Card) => (a.kitNo < b.kitNo ? -1 : a.kitNo > b.kitNo ? 1 : 0)

const inStrictKitNoOrder = (cards: ReadonlyArray<Card>): boolean => {
  for (let i = 1; i < cards.length; i++) if (cards[i - 1]!.kitNo >= cards[i]!.kitNo) return false
  return true
}

/**
 * The batch per customer, each in kitNo order with one card per kitNo: the last write of a kitNo
 * wins, as if the cards were written one by one. A batch already in strict kitNo order (what a
 * bulk operation over `findByCustomer` writes) is neither deduplicated nor sorted.
 */
const byCustomer = (cards: ReadonlyArray<Card>): Map<EntityId, ReadonlyArray<Card>> => {
  const ordered = inStrictKitNoOrder(cards)
  const latest = ordered ? cards : new Map(cards.map((card) => [card.kitNo, card])).values()
  const groups = new Map<EntityId, Array<Card>>()
  for (const card of latest) {
    const group = groups.get(card.entityId)
    if (group === undefined) groups.set(card.entityId, [card])
    else group.push(card)
  }
  if (!ordered) for (const group of groups.values()) group.sort(byKitNo)
  return groups
}

/**
 * Merges two kitNo-ordered lists; on a shared kitNo the update wins. `replaced[j]` is the card that
 * `updates[j]` replaced on the list, if any.
 */
const mergeByKitNo = (
  current: ReadonlyArray<Card>,
  updates: ReadonlyArray<Card>,
  replaced: Array<Card | undefined>
): ReadonlyArray<Card> => {
  const merged: Array<Card> = []
  let i = 0
  let j = 0
  while (i < current.length && j < updates.length) {
    const a = current[i]!
    const b = updates[j]!
    if (a.kitNo < b.kitNo) {
      merged.push(a)
      i++
    } else if (a.kitNo > b.kitNo) {
      merged.push(b)
      replaced[j++] = undefined
    } else {
      merged.push(b)
      replaced[j++] = a
      i++
    }
  }
  while (i < current.length) merged.push(current[i++]!)
  while (j < updates.length) {
    merged.push(updates[j]!)
    replaced[j++] = undefined
  }
  return merged
}

const listOf = (tables: Tables, tenant: TenantId, entityId: EntityId): ReadonlyArray<Card> =>
  Table.getOrUndefined(tables.customerCards, tenant, entityId) ?? []

/**
 * Writes the cards and keeps the customer and account indexes, and each customer's ordered list,
 * in step. A card already on the customer's list is found there, by merging, instead of by a
 * lookup per card: a bulk write of n cards costs one merge and n row writes.
 *
 * @category constructors
 */
export const putCards = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>): Tables => {
  const movedAway = new Map<EntityId, Set<KitNo>>()
  const accountChanges = new Map<AccountNo, { added: Array<KitNo>; removed: Set<KitNo> }>()
  const changesOf = (accountNo: AccountNo) => {
    let changes = accountChanges.get(accountNo)
    if (changes === undefined) {
      changes = { added: [], removed: new Set() }
      accountChanges.set(accountNo, changes)
    }
    return changes
  }
  for (const [entityId, batch] of byCustomer(cards)) {
    const replaced: Array<Card | undefined> = []
    Table.set(
      tables.customerCards,
      tenant,
      entityId,
      mergeByKitNo(listOf(tables, tenant, entityId), batch, replaced)
    )
    for (const [j, card] of batch.entries()) {
      // not on this customer's list: a new card, or one that moves from another customer
      const old = replaced[j] ?? Table.getOrUndefined(tables.cards, tenant, card.kitNo)
      // the PAN index is keyed by the PAN's digits: a Table never prints its ids
      if (old === undefined) Table.set(tables.kitNoByPan, tenant, Redacted.value(card.pan), card.kitNo)
      if (old !== undefined && old.entityId !== entityId) {
        movedAway.set(old.entityId, (movedAway.get(old.entityId) ?? new Set()).add(card.kitNo))
      }
      if (old === undefined || old.accountNo !== card.accountNo) {
        if (old !== undefined) changesOf(old.accountNo).removed.add(card.kitNo)
        changesOf(card.accountNo).added.push(card.kitNo)
      }
      Table.set(tables.cards, tenant, card.kitNo, card)
    }
  }
  // one new list per account touched, however many cards the batch moves
  for (const [accountNo, { added, removed }] of accountChanges) {
    const before = Table.getOrUndefined(tables.cardsByAccount, tenant, accountNo) ?? []
    const kept = removed.size === 0 ? before : before.filter((kitNo) => !removed.has(kitNo))
    Table.set(tables.cardsByAccount, tenant, accountNo, [...kept, ...added])
  }
  for (const [entityId, kitNos] of movedAway) {
    const kept = listOf(tables, tenant, entityId).filter((card) => !kitNos.has(card.kitNo))
    Table.set(tables.customerCards, tenant, entityId, kept)
  }
  return tables
}

const cardsOf = (tables: Tables, tenant: TenantId, accountNo: AccountNo): ReadonlyArray<Card> => {
  const found: Array<Card> = []
  for (const kitNo of Table.getOrUndefined(tables.cardsByAccount, tenant, accountNo) ?? []) {
    const card = Table.getOrUndefined(tables.cards, tenant, kitNo)
    if (card !== undefined) found.push(card)
  }
  return found.sort(byKitNo)
}

/**
 * @category layers
 */
export const MemoryCardRepository = Layer.effect(
  CardRepository,
  Effect.map(MemoryDatabase, (db) =>
    CardRepository.of({
      findByKitNo: (tenant, kitNo) => db.read((t) => Table.get(t.cards, tenant, kitNo)),
      findByCustomer: (tenant, entityId) => db.read((t) => listOf(t, tenant, entityId)),
      findByAccount: (tenant, accountNo) => db.read((t) => cardsOf(t, tenant, accountNo)),
      saveAll: (tenant, cards) => db.write("CardRepository.saveAll", (t) => putCards(t, tenant, cards))
    })
  )
)
