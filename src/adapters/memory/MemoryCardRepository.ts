import { Effect, Layer, Redacted } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../../domain/Identifiers.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { keepSerialAbove } from "./MemoryCardIssuer.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

type Owner = EntityId | AccountNo

interface IndexChange {
  readonly added: Array<KitNo>
  /** Allocated on the first removal: a new card removes nothing. */
  removed: Set<KitNo> | undefined
}

const changeOf = (changes: Map<Owner, IndexChange>, owner: Owner): IndexChange => {
  let change = changes.get(owner)
  if (change === undefined) {
    change = { added: [], removed: undefined }
    changes.set(owner, change)
  }
  return change
}

const removeFrom = (change: IndexChange, kitNo: KitNo): void => {
  if (change.removed === undefined) change.removed = new Set()
  change.removed.add(kitNo)
}

/** Merges two ascending lists of distinct kitNos. */
const mergeSorted = (a: ReadonlyArray<KitNo>, b: ReadonlyArray<KitNo>): Array<KitNo> => {
  const merged: Array<KitNo> = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) merged.push(a[i]! < b[j]! ? a[i++]! : b[j++]!)
  while (i < a.length) merged.push(a[i++]!)
  while (j < b.length) merged.push(b[j++]!)
  return merged
}

/**
 * Applies a batch's moves to an index of kitNo lists (ascending): one new list per owner the batch
 * touched. A kitNo the batch added stays only if its card, as finally written, still names the owner.
 */
const applyIndex = (
  tables: Tables,
  index: Table.Table<ReadonlyArray<KitNo>>,
  tenant: TenantId,
  changes: Map<Owner, IndexChange>,
  ownerOf: (card: Card) => Owner
): void => {
  changes.forEach(({ added, removed }, owner) => {
    const before = Table.getOrUndefined(index, tenant, owner) ?? []
    const kept = removed === undefined ? before : before.filter((kitNo) => !removed.has(kitNo))
    // one arriving kitNo (a new card) needs no dedup and no sort
    const arriving: Array<KitNo> = []
    for (const kitNo of added.length === 1 ? added : [...new Set(added)].sort()) {
      const card = Table.getOrUndefined(tables.cards, tenant, kitNo)
      if (card !== undefined && ownerOf(card) === owner) arriving.push(kitNo)
    }
    Table.set(index, tenant, owner, mergeSorted(kept, arriving))
  })
}

/**
 * Writes the cards and keeps the indexes in step: the PAN index, and the kitNos of each customer
 * and each account in ascending order. An index changes only for a card that is new or that moves
 * to another customer or account; a status change, however many cards it touches, writes card rows
 * only.
 *
 * @category constructors
 */
export const putCards = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>): Tables => {
  const byCustomer = new Map<Owner, IndexChange>()
  const byAccount = new Map<Owner, IndexChange>()
  for (const card of cards) {
    const old = Table.getOrUndefined(tables.cards, tenant, card.kitNo)
    if (old === undefined) {
      // the PAN index is keyed by the PAN's digits: a Table never prints its ids
      Table.set(tables.kitNoByPan, tenant, Redacted.value(card.pan), card.kitNo)
      keepSerialAbove(tables, tenant, card.kitNo)
    }
    if (old?.entityId !== card.entityId) {
      if (old !== undefined) removeFrom(changeOf(byCustomer, old.entityId), card.kitNo)
      changeOf(byCustomer, card.entityId).added.push(card.kitNo)
    }
    if (old?.accountNo !== card.accountNo) {
      if (old !== undefined) removeFrom(changeOf(byAccount, old.accountNo), card.kitNo)
      changeOf(byAccount, card.accountNo).added.push(card.kitNo)
    }
    Table.set(tables.cards, tenant, card.kitNo, card)
  }
  applyIndex(tables, tables.customerCards, tenant, byCustomer, (card) => card.entityId)
  applyIndex(tables, tables.cardsByAccount, tenant, byAccount, (card) => card.accountNo)
  return tables
}

const cardsIn = (
  tables: Tables,
  tenant: TenantId,
  kitNos: ReadonlyArray<KitNo> | undefined
): ReadonlyArray<Card> => (kitNos === undefined ? [] : Table.getMany(tables.cards, tenant, kitNos))

/**
 * @category layers
 */
export const MemoryCardRepository = Layer.effect(
  CardRepository,
  Effect.map(MemoryDatabase, (db) =>
    CardRepository.of({
      findByKitNo: (tenant, kitNo) => db.read((t) => Table.get(t.cards, tenant, kitNo)),
      findByCustomer: (tenant, entityId) =>
        db.read((t) => cardsIn(t, tenant, Table.getOrUndefined(t.customerCards, tenant, entityId))),
      findByAccount: (tenant, accountNo) =>
        db.read((t) => cardsIn(t, tenant, Table.getOrUndefined(t.cardsByAccount, tenant, accountNo))),
      saveAll: (tenant, cards) => db.write("CardRepository.saveAll", (t) => putCards(t, tenant, cards))
    })
  )
)
