import { Effect, HashSet, Layer, Option } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { CardholderId, Token, TokenUniqueReference } from "../../domain/token/Token.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

type Refs = HashSet.HashSet<TokenUniqueReference>

/** Moves `ref` from the index entry `from` to the entry `to` (either may be absent). */
const move = (
  index: Table.Table<Refs>,
  tenant: TenantId,
  from: string | undefined,
  to: string | undefined,
  ref: TokenUniqueReference
): Table.Table<Refs> => {
  if (from !== undefined) Table.modify(index, tenant, from, (refs) => HashSet.remove(refs, ref))
  if (to !== undefined) {
    const refs = Table.getOrUndefined(index, tenant, to) ?? HashSet.empty<TokenUniqueReference>()
    Table.set(index, tenant, to, HashSet.add(refs, ref))
  }
  return index
}

/**
 * Writes the tokens and keeps the PAN and cardholder indexes in step (a new account PAN moves the
 * token from the old PAN's entry to the new one's).
 *
 * @category constructors
 */
export const putTokens = (tables: Tables, tenant: TenantId, tokens: ReadonlyArray<Token>): Tables => {
  for (const token of tokens) {
    const ref = token.tokenUniqueReference
    const old = Table.getOrUndefined(tables.tokens, tenant, ref)
    // the PAN index is keyed by the PAN's keyed hash: no table holds a clear PAN
    const oldPan = old?.accountPan.hash
    const newPan = token.accountPan.hash
    if (oldPan !== newPan) move(tables.tokensByPanHash, tenant, oldPan, newPan, ref)
    if (old?.cardholderId !== token.cardholderId) {
      move(tables.tokensByCardholder, tenant, old?.cardholderId, token.cardholderId, ref)
    }
    Table.set(tables.tokens, tenant, ref, token)
  }
  return tables
}

const byReference = (a: Token, b: Token) =>
  a.tokenUniqueReference < b.tokenUniqueReference
    ? -1
    : a.tokenUniqueReference > b.tokenUniqueReference
      ? 1
      : 0

const tokensOf = (tables: Tables, tenant: TenantId, refs: Option.Option<Refs>): ReadonlyArray<Token> => {
  if (Option.isNone(refs)) return []
  const found: Array<Token> = []
  for (const ref of refs.value) {
    const token = Table.get(tables.tokens, tenant, ref)
    if (Option.isSome(token)) found.push(token.value)
  }
  return found.sort(byReference)
}

/**
 * @category layers
 */
export const MemoryTokenRepository = Layer.effect(
  TokenRepository,
  Effect.map(MemoryDatabase, (db) => {
    const findByReference = (tenant: TenantId, ref: TokenUniqueReference) =>
      db.read((t) => Table.get(t.tokens, tenant, ref))
    const findByPanHash = (tenant: TenantId, panHash: string) =>
      db.read((t) => tokensOf(t, tenant, Table.get(t.tokensByPanHash, tenant, panHash)))
    const findByCardholder = (tenant: TenantId, cardholderId: CardholderId) =>
      db.read((t) => tokensOf(t, tenant, Table.get(t.tokensByCardholder, tenant, cardholderId)))
    // one transaction at a time: the `…ForUpdate` reads are plain reads
    return TokenRepository.of({
      findByReference,
      findByReferenceForUpdate: findByReference,
      findByPanHash,
      findByPanHashForUpdate: findByPanHash,
      findByCardholder,
      findByCardholderForUpdate: findByCardholder,
      saveAll: (tenant, tokens) => db.write("TokenRepository.saveAll", (t) => putTokens(t, tenant, tokens))
    })
  })
)
