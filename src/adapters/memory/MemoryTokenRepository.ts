import { Effect, Equal, HashSet, Layer, Option, Redacted } from "effect"
import type { TenantId } from "../../domain/Identifiers.js"
import type { AccountPan } from "../../domain/token/AccountPan.js"
import type { Token, TokenUniqueReference } from "../../domain/token/Token.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * The key of an account PAN in `tokensByPan`: `Redacted("tenant/pan")`, found by value, never
 * printed.
 *
 * @category constructors
 */
export const tokenPanKey = (tenant: TenantId, pan: AccountPan): Redacted.Redacted<string> =>
  Redacted.make(rowKey(tenant, Redacted.value(pan)))

type Refs = HashSet.HashSet<TokenUniqueReference>

const move = <K>(
  index: Table.Table<K, Refs>,
  from: K | undefined,
  to: K | undefined,
  ref: TokenUniqueReference
): Table.Table<K, Refs> => {
  const removed = from === undefined ? index : Table.modify(index, from, (refs) => HashSet.remove(refs, ref))
  return to === undefined
    ? removed
    : Table.set(
        removed,
        to,
        HashSet.add(Option.getOrElse(Table.get(removed, to), HashSet.empty<TokenUniqueReference>), ref)
      )
}

/**
 * Writes the tokens and keeps the PAN and cardholder indexes in step (a new account PAN moves the
 * token from the old PAN's entry to the new one's).
 *
 * @category constructors
 */
export const putTokens = (tables: Tables, tenant: TenantId, tokens: ReadonlyArray<Token>): Tables => {
  let { tokensByPan, tokensByCardholder } = tables
  const cardholderKey = (token: Token | undefined) =>
    token?.cardholderId === undefined ? undefined : rowKey(tenant, token.cardholderId)
  const stored = Table.mutate(tables.tokens, (rows) => {
    for (const token of tokens) {
      const key = rowKey(tenant, token.tokenUniqueReference)
      const old = Option.getOrUndefined(Table.get(rows, key))
      const ref = token.tokenUniqueReference
      const oldPan = old && tokenPanKey(tenant, old.accountPan)
      const newPan = tokenPanKey(tenant, token.accountPan)
      // Redacted keys compare by value: an unchanged PAN is not moved
      if (oldPan === undefined || !Equal.equals(oldPan, newPan)) {
        tokensByPan = move(tokensByPan, oldPan, newPan, ref)
      }
      if (cardholderKey(old) !== cardholderKey(token)) {
        tokensByCardholder = move(tokensByCardholder, cardholderKey(old), cardholderKey(token), ref)
      }
      Table.set(rows, key, token)
    }
  })
  return { ...tables, tokens: stored, tokensByPan, tokensByCardholder }
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
    const token = Table.get(tables.tokens, rowKey(tenant, ref))
    if (Option.isSome(token)) found.push(token.value)
  }
  return found.sort(byReference)
}

/**
 * @category layers
 */
export const MemoryTokenRepository = Layer.effect(
  TokenRepository,
  Effect.map(MemoryDatabase, (db) =>
    TokenRepository.of({
      findByReference: (tenant, ref) => db.read((t) => Table.get(t.tokens, rowKey(tenant, ref))),
      findByPan: (tenant, pan) =>
        db.read((t) => tokensOf(t, tenant, Table.get(t.tokensByPan, tokenPanKey(tenant, pan)))),
      findByCardholder: (tenant, cardholderId) =>
        db.read((t) => tokensOf(t, tenant, Table.get(t.tokensByCardholder, rowKey(tenant, cardholderId)))),
      saveAll: (tenant, tokens) => db.write("TokenRepository.saveAll", (t) => putTokens(t, tenant, tokens))
    })
  )
)
