import { Effect, HashSet, Layer, Option, Redacted } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { Pan } from "../../domain/card/Pan.js"
import type { KitNo, TenantId } from "../../domain/Identifiers.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * The key of a PAN in `kitNoByPan`.
 *
 * @category constructors
 */
export const panKey = (tenant: TenantId, pan: Pan): Redacted.Redacted<string> =>
  Redacted.make(rowKey(tenant, Redacted.value(pan)))

type Index = Table.Table<string, HashSet.HashSet<KitNo>>

const moveInIndex = (index: Index, from: string | undefined, to: string, kitNo: KitNo): Index => {
  if (from === to) return index
  const removed =
    from === undefined ? index : Table.modify(index, from, (kits) => HashSet.remove(kits, kitNo))
  return Table.set(
    removed,
    to,
    HashSet.add(Option.getOrElse(Table.get(removed, to), HashSet.empty<KitNo>), kitNo)
  )
}

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
const byCustomer = (tenant: TenantId, cards: ReadonlyArray<Card>): Map<string, ReadonlyArray<Card>> => {
  const ordered = inStrictKitNoOrder(cards)
  const latest = ordered ? cards : new Map(cards.map((card) => [card.kitNo, card])).values()
  const groups = new Map<string, Array<Card>>()
  for (const card of latest) {
    const key = rowKey(tenant, card.entityId)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [card])
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

const rowsOf = <A>(table: Table.Table<string, ReadonlyArray<A>>, key: string): ReadonlyArray<A> =>
  Option.getOrElse(Table.get(table, key), (): ReadonlyArray<A> => [])

/**
 * Writes the cards and keeps the customer and account indexes, and each customer's ordered list,
 * in step. A card already on the customer's list is found there, by merging, instead of by a
 * lookup per card: a bulk write of n cards costs one merge and n row writes.
 *
 * @category constructors
 */
export const putCards = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>): Tables => {
  let { cardsByCustomer, cardsByAccount, kitNoByPan, customerCards } = tables
  const movedAway = new Map<string, Set<KitNo>>()
  const stored = Table.mutate(tables.cards, (rows) => {
    for (const [customerKey, batch] of byCustomer(tenant, cards)) {
      const replaced: Array<Card | undefined> = []
      customerCards = Table.set(
        customerCards,
        customerKey,
        mergeByKitNo(rowsOf(customerCards, customerKey), batch, replaced)
      )
      for (const [j, card] of batch.entries()) {
        const key = rowKey(tenant, card.kitNo)
        // not on this customer's list: a new card, or one that moves from another customer
        const old = replaced[j] ?? Table.getOrUndefined(rows, key)
        if (old === undefined) kitNoByPan = Table.set(kitNoByPan, panKey(tenant, card.pan), card.kitNo)
        if (old === undefined || old.entityId !== card.entityId) {
          const from = old && rowKey(tenant, old.entityId)
          if (from !== undefined) movedAway.set(from, (movedAway.get(from) ?? new Set()).add(card.kitNo))
          cardsByCustomer = moveInIndex(cardsByCustomer, from, customerKey, card.kitNo)
        }
        if (old === undefined || old.accountNo !== card.accountNo) {
          const from = old && rowKey(tenant, old.accountNo)
          cardsByAccount = moveInIndex(cardsByAccount, from, rowKey(tenant, card.accountNo), card.kitNo)
        }
        Table.set(rows, key, card)
      }
    }
  })
  for (const [customerKey, kitNos] of movedAway) {
    const kept = rowsOf(customerCards, customerKey).filter((card) => !kitNos.has(card.kitNo))
    customerCards = Table.set(customerCards, customerKey, kept)
  }
  return { ...tables, cards: stored, cardsByCustomer, cardsByAccount, kitNoByPan, customerCards }
}

const cardsOf = (tables: Tables, tenant: TenantId, index: Index, indexKey: string): ReadonlyArray<Card> => {
  const kits = Table.get(index, indexKey)
  if (Option.isNone(kits)) return []
  const found: Array<Card> = []
  for (const kitNo of kits.value) {
    const card = Table.get(tables.cards, rowKey(tenant, kitNo))
    if (Option.isSome(card)) found.push(card.value)
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
      findByKitNo: (tenant, kitNo) => db.read((t) => Table.get(t.cards, rowKey(tenant, kitNo))),
      findByCustomer: (tenant, entityId) => db.read((t) => rowsOf(t.customerCards, rowKey(tenant, entityId))),
      findByAccount: (tenant, accountNo) =>
        db.read((t) => cardsOf(t, tenant, t.cardsByAccount, rowKey(tenant, accountNo))),
      saveAll: (tenant, cards) => db.write("CardRepository.saveAll", (t) => putCards(t, tenant, cards))
    })
  )
)
