import { Effect, Layer, Result } from "effect"
import type { Card } from "../../domain/card/Card.js"
import type { AccountNo, EntityId, KitNo, TenantId } from "../../domain/ground/Identifiers.js"
import { DuplicateKey, type UniqueKey } from "../../domain/ground/StoreError.js"
import { CardRepository } from "../../ports/CardRepository.js"
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
export const putCards = (
  tables: Tables,
  tenant: TenantId,
  cards: ReadonlyArray<Card>,
  /** `new`: the caller checked that no card holds these kitNos; `stored`: each must be stored. */
  expected: "new" | "stored" | "either" = "either"
): Tables => {
  const byCustomer = new Map<Owner, IndexChange>()
  const byAccount = new Map<Owner, IndexChange>()
  for (const card of cards) {
    const old = expected === "new" ? undefined : Table.getOrUndefined(tables.cards, tenant, card.kitNo)
    if (expected === "stored" && old === undefined)
      throw new Error("CardRepository.updateAll: a card that is not stored; insert it with insertAll")
    // the PAN index is keyed by the PAN's keyed hash: no table holds a clear PAN
    if (old === undefined || old.pan.hash !== card.pan.hash) {
      if (old !== undefined) Table.remove(tables.kitNoByPanHash, tenant, old.pan.hash)
      Table.set(tables.kitNoByPanHash, tenant, card.pan.hash, card.kitNo)
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

/**
 * The first key of the new cards that the tenant already holds (a committed card's, the
 * transaction's, or an earlier card's of the same batch), if any. A PAN that the issuer reserved for
 * this very kitNo is free.
 */
const takenKey = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>): UniqueKey | undefined => {
  for (const card of cards) {
    if (Table.has(tables.cards, tenant, card.kitNo)) return "kitNo"
    const holder = Table.getOrUndefined(tables.kitNoByPanHash, tenant, card.pan.hash)
    if (holder !== undefined && holder !== card.kitNo) return "pan"
  }
  // within the batch
  if (new Set(cards.map((card) => card.kitNo)).size < cards.length) return "kitNo"
  if (new Set(cards.map((card) => card.pan.hash)).size < cards.length) return "pan"
  return undefined
}

const insertCards = (tables: Tables, tenant: TenantId, cards: ReadonlyArray<Card>) => {
  const key = takenKey(tables, tenant, cards)
  if (key !== undefined) return Result.fail(new DuplicateKey({ operation: "CardRepository.insertAll", key }))
  putCards(tables, tenant, cards, "new")
  return Result.succeed(undefined)
}

const cardsIn = (
  tables: Tables,
  tenant: TenantId,
  kitNos: ReadonlyArray<KitNo> | undefined
): ReadonlyArray<Card> => (kitNos === undefined ? [] : Table.getMany(tables.cards, tenant, kitNos))

/**
 * Cards in the memory database. The `…ForUpdate` reads are plain reads here: the database runs one
 * transaction at a time, so every row a transaction reads is its own until it ends.
 *
 * @category layers
 */
export const MemoryCardRepository = Layer.effect(
  CardRepository,
  Effect.map(MemoryDatabase, (db) => {
    const findByKitNo = (tenant: TenantId, kitNo: KitNo) => db.read((t) => Table.get(t.cards, tenant, kitNo))
    const findByCustomer = (tenant: TenantId, entityId: EntityId) =>
      db.read((t) => cardsIn(t, tenant, Table.getOrUndefined(t.customerCards, tenant, entityId)))
    return CardRepository.of({
      findByKitNo,
      findByKitNoForUpdate: findByKitNo,
      findByCustomer,
      findByCustomerForUpdate: findByCustomer,
      findByAccount: (tenant, accountNo) =>
        db.read((t) => cardsIn(t, tenant, Table.getOrUndefined(t.cardsByAccount, tenant, accountNo))),
      insertAll: (tenant, cards) =>
        db.tryWrite("CardRepository.insertAll", (t) => insertCards(t, tenant, cards)),
      updateAll: (tenant, cards) =>
        db.write("CardRepository.updateAll", (t) => putCards(t, tenant, cards, "stored"))
    })
  })
)
