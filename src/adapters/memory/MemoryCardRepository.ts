import { Effect, HashMap, HashSet, Layer, Option, Redacted } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { Pan } from "../../domain/card/Pan.js"
import type { KitNo, TenantId } from "../../domain/Identifiers.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"

/**
 * The key of a PAN in `kitNoByPan`.
 *
 * @category constructors
 */
export const panKey = (tenant: TenantId, pan: Pan): Redacted.Redacted<string> =>
  Redacted.make(rowKey(tenant, Redacted.value(pan)))

type Index = HashMap.HashMap<string, HashSet.HashSet<KitNo>>

const moveInIndex = (index: Index, from: string | undefined, to: string, kitNo: KitNo): Index => {
  if (from === to) return index
  const removed =
    from === undefined ? index : HashMap.modify(index, from, (kits) => HashSet.remove(kits, kitNo))
  return HashMap.set(
    removed,
    to,
    HashSet.add(Option.getOrElse(HashMap.get(removed, to), HashSet.empty<KitNo>), kitNo)
  )
}

/**
 * Writes the cards and keeps the customer and account indexes in step.
 *
 * @category constructors
 */
export const putCards = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>): Tables => {
  let { cardsByCustomer, cardsByAccount, kitNoByPan } = tables
  const stored = HashMap.mutate(tables.cards, (rows) => {
    for (const card of cards) {
      const key = rowKey(tenant, card.kitNo)
      const old = Option.getOrUndefined(HashMap.get(rows, key))
      cardsByCustomer = moveInIndex(
        cardsByCustomer,
        old && rowKey(tenant, old.entityId),
        rowKey(tenant, card.entityId),
        card.kitNo
      )
      cardsByAccount = moveInIndex(
        cardsByAccount,
        old && rowKey(tenant, old.accountNo),
        rowKey(tenant, card.accountNo),
        card.kitNo
      )
      if (old === undefined) kitNoByPan = HashMap.set(kitNoByPan, panKey(tenant, card.pan), card.kitNo)
      HashMap.set(rows, key, card)
    }
  })
  return { ...tables, cards: stored, cardsByCustomer, cardsByAccount, kitNoByPan }
}

const byKitNo = (a: Card, b: Card) => (a.kitNo < b.kitNo ? -1 : a.kitNo > b.kitNo ? 1 : 0)

const cardsOf = (tables: Tables, tenant: TenantId, index: Index, indexKey: string): ReadonlyArray<Card> => {
  const kits = HashMap.get(index, indexKey)
  if (Option.isNone(kits)) return []
  const found: Array<Card> = []
  for (const kitNo of kits.value) {
    const card = HashMap.get(tables.cards, rowKey(tenant, kitNo))
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
      findByKitNo: (tenant, kitNo) => db.read((t) => HashMap.get(t.cards, rowKey(tenant, kitNo))),
      findByCustomer: (tenant, entityId) =>
        db.read((t) => cardsOf(t, tenant, t.cardsByCustomer, rowKey(tenant, entityId))),
      findByAccount: (tenant, accountNo) =>
        db.read((t) => cardsOf(t, tenant, t.cardsByAccount, rowKey(tenant, accountNo))),
      saveAll: (tenant, cards) => db.write("CardRepository.saveAll", (t) => putCards(t, tenant, cards))
    })
  )
)
