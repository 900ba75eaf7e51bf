/**
 * Token update (seed 004 `POST api/Update`, DOMAIN.md §8): changes the account PAN mapping or the
 * product configuration of one token, or of every token of an account PAN or a cardholder.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { AccountRanges } from "../../ports/AccountRanges.js"
import { AuditLog } from "../../ports/AuditLog.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import { TokenRepository } from "../../ports/TokenRepository.js"
import { Transactor } from "../../ports/Transactor.js"
import type { UpdateTokenError } from "../DomainError.js"
import { type AuditEvent, auditTime } from "../ground/AuditEvent.js"
import type { TenantId } from "../ground/Identifiers.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import { type AccountPan, maskAccountPan } from "./AccountPan.js"
import { isUpdatable, type Token, type TokenUniqueReference } from "./Token.js"
import { TokenNotFound } from "./TokenErrors.js"
import { protectAccountPan, revealAccountPan } from "./TokenPan.js"
import { toTokenObject, type UpdateTokenResult } from "./TokenResponse.js"
import { type NewAccountPanFacts, NOTIFY_WALLET, noNewAccountPan, planTokenUpdate } from "./TokenUpdate.js"
import { decodeTokenUpdate, type TokenChange, type TokenSelector } from "./TokenUpdateRequest.js"

/**
 * @category models
 */
export type UpdateTokenPorts = TokenRepository | AccountRanges | AuditLog | SecurityModule | Transactor

/**
 * The tokens the selector names, locked: the update decides on them. None is not found (DOMAIN.md §1:
 * nor is another tenant's).
 */
const findTokens = Effect.fnUntraced(function* (tenant: TenantId, selector: TokenSelector) {
  const tokens = yield* TokenRepository
  switch (selector.by) {
    case "tokenUniqueReference": {
      const found = yield* tokens.findByReferenceForUpdate(tenant, selector.tokenUniqueReference)
      if (Option.isSome(found)) return [found.value] as ReadonlyArray<Token>
      return yield* new TokenNotFound({ selector: selector.by })
    }
    case "currentAccountPan": {
      // a store knows an account PAN by its keyed hash only
      const hash = yield* (yield* SecurityModule).cardNumberHash(tenant, selector.currentAccountPan)
      const found = yield* tokens.findByPanHashForUpdate(tenant, hash)
      if (found.length > 0) return found
      return yield* new TokenNotFound({
        selector: selector.by,
        value: maskAccountPan(selector.currentAccountPan)
      })
    }
    case "cardholderId": {
      const found = yield* tokens.findByCardholderForUpdate(tenant, selector.cardholderId)
      if (found.length > 0) return found
      return yield* new TokenNotFound({ selector: selector.by })
    }
  }
})

/**
 * The new PAN's account range, and the PAN unique reference the tenant's tokens already on the new
 * PAN agree on, if they do (docs/token-update.md); the new PAN protected for each found token, and
 * the found tokens' current PANs (one decryption per distinct PAN) for the range check.
 */
const factsOfNewPan = Effect.fnUntraced(function* (
  tenant: TenantId,
  change: TokenChange,
  found: ReadonlyArray<Token>
) {
  const pan = change.kind === "accountPanMapping" ? change.newAccountPan : undefined
  if (pan === undefined) return noNewAccountPan
  const range = yield* Effect.flatMap(AccountRanges, (ranges) => ranges.findRange(tenant, pan))
  const hash = yield* (yield* SecurityModule).cardNumberHash(tenant, pan)
  // read for update: the reference the moved tokens take is decided on these tokens
  const onNewPan = yield* Effect.flatMap(TokenRepository, (tokens) =>
    tokens.findByPanHashForUpdate(tenant, hash)
  )
  const references = new Set(onNewPan.flatMap((t) => t.panUniqueReference ?? []))
  const [shared] = references
  // only the tokens an update may change: the others are refused or skipped on their status alone,
  // and a token already on the new PAN needs neither a new ciphertext nor its PAN decrypted
  const protectedFor = new Map<TokenUniqueReference, ProtectedPan>()
  const currentPans = new Map<string, AccountPan>([[hash, pan]])
  for (const token of found.filter((t) => isUpdatable(t.status))) {
    if (token.accountPan.hash === hash) continue
    protectedFor.set(
      token.tokenUniqueReference,
      yield* protectAccountPan(tenant, token.tokenUniqueReference, pan)
    )
    if (!currentPans.has(token.accountPan.hash))
      currentPans.set(token.accountPan.hash, yield* revealAccountPan(tenant, token))
  }
  const facts: NewAccountPanFacts = {
    range,
    panUniqueReference: references.size === 1 ? Option.fromNullishOr(shared) : Option.none(),
    hash: Option.some(hash),
    protectedFor,
    currentPans
  }
  return facts
})

/**
 * Updates the account PAN mapping (`newAccountPan`, `expirationDate`, `accountPanSequenceNumber`)
 * or the `issuerProductConfigurationId` of the ACTIVE and SUSPENDED tokens the request selects.
 * Everything one request changes (tokens, comments, audit events, the wallet provider's events) is
 * stored together or not at all.
 *
 * @category use cases
 */
export const updateToken = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<UpdateTokenResult, UpdateTokenError, UpdateTokenPorts> {
  const { tenant: tenantId, command } = yield* decodeTokenUpdate(tenant, request)
  const tokens = yield* TokenRepository
  const audit = yield* AuditLog
  const transactor = yield* Transactor
  const at = yield* auditTime
  return yield* transactor.withTransaction(
    Effect.gen(function* () {
      const found = yield* findTokens(tenantId, command.selector)
      const newPan = yield* factsOfNewPan(tenantId, command.change, found)
      const plan = yield* Effect.fromResult(planTokenUpdate(found, command, newPan, at))
      if (plan.updated.length > 0) {
        yield* tokens.saveAll(tenantId, plan.updated)
        // seed 004: "0" - pass the updated information to the wallet provider: one NOTIFY_WALLET event
        // per token, on the outbox with the update's own events (docs/events.md)
        const notices: ReadonlyArray<AuditEvent> =
          command.updateWalletProviderIndicator === "0"
            ? plan.updated.map((token) => ({
                at,
                action: NOTIFY_WALLET,
                subject: token.tokenUniqueReference,
                outcome: "OK"
              }))
            : []
        yield* audit.append(tenantId, [...plan.events, ...notices])
      }
      if (command.selector.by === "tokenUniqueReference") {
        // by TUR the plan either refused or changed exactly the one token found
        return { token: toTokenObject(plan.updated[0] as Token) }
      }
      return { tokens: plan.updated.map(toTokenObject), skippedTokens: plan.skipped }
    })
  )
})
