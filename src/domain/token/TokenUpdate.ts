/**
 * The pure rule of a token update: which tokens change, how, and what is recorded.
 *
 * @since 0.1.0
 */
import { Option, Result } from "effect"
import type { AuditEvent } from "../ground/AuditEvent.js"
import type { MaskedPan } from "../ground/Pan.js"
import type { ProtectedPan } from "../ground/ProtectedPan.js"
import { type AccountPan, maskAccountPan, maskAccountPans } from "./AccountPan.js"
import { type AccountRange, accountRangeContains } from "./AccountRange.js"
import {
  isUpdatable,
  type Token,
  type TokenComment,
  type TokenStatus,
  type TokenUniqueReference
} from "./Token.js"
import { AccountRangeMismatch, CardholderHasSeveralPans, TokenNotUpdatable } from "./TokenErrors.js"
import type { TokenChange, TokenUpdateCommand } from "./TokenUpdateRequest.js"

/**
 * The audit action of a token update.
 *
 * @category models
 */
export const UPDATE_TOKEN = "UPDATE_TOKEN"

/**
 * The audit action, and outbox event, that tells the wallet provider of a changed token (seed 004
 * `UpdateWalletProviderIndicator` "0"): one per token, delivered by the host's consumer
 * (docs/events.md).
 *
 * @category constants
 */
export const NOTIFY_WALLET = "NOTIFY_WALLET"

/**
 * A token an update by PAN or cardholder left as it was, and why.
 *
 * @category models
 */
export interface SkippedToken {
  readonly tokenUniqueReference: string
  readonly currentStatusCode: TokenStatus
  readonly reason: string
}

/**
 * The outcome of a token update, before anything is stored.
 *
 * @category models
 */
export interface TokenUpdatePlan {
  /** The changed tokens, in the order they were found. */
  readonly updated: ReadonlyArray<Token>
  readonly skipped: ReadonlyArray<SkippedToken>
  /** One per changed token. */
  readonly events: ReadonlyArray<AuditEvent>
}

/**
 * What the stores know of a request's `newAccountPan`, read once before planning.
 *
 * @category models
 */
export interface NewAccountPanFacts {
  /**
   * The account range that holds the new PAN, if any (ranges never overlap, so the current PAN
   * shares the new PAN's range exactly when it lies in this one).
   */
  readonly range: Option.Option<AccountRange>
  /**
   * The `panUniqueReference` of the tenant's tokens already on the new PAN, when they agree on one:
   * the token service's name for that PAN, which a token moved onto it takes.
   */
  readonly panUniqueReference: Option.Option<string>
  /** The new PAN's keyed hash: a token whose PAN has this hash is already on the new PAN. */
  readonly hash: Option.Option<string>
  /**
   * The new PAN protected for each found token it may move to (its ciphertext is bound to the token):
   * the rule never sees the new PAN's digits beyond its range.
   */
  readonly protectedFor: ReadonlyMap<TokenUniqueReference, ProtectedPan>
  /** The current account PAN of the found tokens, by keyed hash: what the range check reads. */
  readonly currentPans: ReadonlyMap<string, AccountPan>
}

/**
 * The facts of a request without a new PAN.
 *
 * @category constructors
 */
export const noNewAccountPan: NewAccountPanFacts = {
  range: Option.none(),
  panUniqueReference: Option.none(),
  hash: Option.none(),
  protectedFor: new Map(),
  currentPans: new Map()
}

const SKIP_REASON = "only ACTIVE and SUSPENDED tokens are updated"

const describeChange = (before: Token, after: Token, change: TokenChange): ReadonlyArray<string> => {
  if (change.kind === "productConfiguration") {
    return [
      `productConfigurationId ${before.productConfigurationId ?? "(none)"} -> ${after.productConfigurationId}`
    ]
  }
  return [
    ...(change.newAccountPan === undefined
      ? []
      : [`accountPan ${before.accountPan.masked} -> ${after.accountPan.masked}`]),
    ...(change.expirationDate === undefined
      ? []
      : [
          `accountPanExpirationDate ${before.accountPanExpirationDate ?? "(none)"} -> ${after.accountPanExpirationDate}`
        ]),
    ...(change.accountPanSequenceNumber === undefined
      ? []
      : [
          `accountPanSequenceNumber ${before.accountPanSequenceNumber ?? "(none)"} -> ${after.accountPanSequenceNumber}`
        ])
  ]
}

/**
 * Seed 004: "Only information provided will be updated." The request's `expirationDate` is the "New
 * Account PAN expiration date": the account PAN's, never the token's own.
 */
const applyChange = (token: Token, change: TokenChange, newPan: NewAccountPanFacts): Token => {
  if (change.kind === "productConfiguration") {
    return { ...token, productConfigurationId: change.issuerProductConfigurationId }
  }
  const mapped: Token = {
    ...token,
    ...(change.expirationDate === undefined ? {} : { accountPanExpirationDate: change.expirationDate }),
    ...(change.accountPanSequenceNumber === undefined
      ? {}
      : { accountPanSequenceNumber: change.accountPanSequenceNumber })
  }
  if (change.newAccountPan === undefined || Option.contains(newPan.hash, token.accountPan.hash)) return mapped
  const pan = newPan.protectedFor.get(token.tokenUniqueReference)
  if (pan === undefined)
    throw new Error("planTokenUpdate: the new PAN was not protected for a token it moves")
  // the old PAN's reference names the old PAN: on the new one the token takes the reference the
  // tenant's tokens already there share, or none is known (docs/token-update.md)
  const { panUniqueReference: _oldPanReference, ...moved } = mapped
  return Option.match(newPan.panUniqueReference, {
    onNone: () => ({ ...moved, accountPan: pan }),
    onSome: (panUniqueReference) => ({ ...moved, accountPan: pan, panUniqueReference })
  })
}

/** The comment is kept on the token with its audit info; its number on the token is its id. */
const addComment = (token: Token, command: TokenUpdateCommand, at: string): Token => {
  if (command.commentText === undefined) return token
  const comment: TokenComment = {
    commentId: String(token.comments.length + 1),
    text: command.commentText,
    at,
    auditInfo: command.auditInfo
  }
  return { ...token, comments: [...token.comments, comment], lastCommentId: comment.commentId }
}

const updateOne = (token: Token, command: TokenUpdateCommand, newPan: NewAccountPanFacts, at: string) => {
  const next = addComment(applyChange(token, command.change, newPan), command, at)
  const changes = describeChange(token, next, command.change)
  const event: AuditEvent = {
    at,
    action: UPDATE_TOKEN,
    subject: token.tokenUniqueReference,
    outcome: "OK",
    cardNumber: next.accountPan.masked,
    previousStatus: token.status,
    currentStatus: next.status,
    // DOMAIN.md §9: the userId is the caller's text, and an audit event never holds a clear PAN
    changer: maskAccountPans(command.auditInfo.userId),
    reason: [
      ...changes,
      ...(command.commentText === undefined ? [] : [`comment ${next.lastCommentId}`])
    ].join("; ")
  }
  return { token: next, event }
}

/**
 * Seed 004: the new PAN must share the current PAN's account range (`range` is the new PAN's). The
 * token is named only when the caller did not name it (an update by PAN or cardholderId).
 */
const checkRange = (
  token: Token,
  command: TokenUpdateCommand,
  newAccountPan: AccountPan,
  newPan: NewAccountPanFacts
): Result.Result<void, AccountRangeMismatch> => {
  const current = newPan.currentPans.get(token.accountPan.hash)
  if (current === undefined) throw new Error("planTokenUpdate: a found token's current PAN was not read")
  return Option.isSome(newPan.range) && accountRangeContains(newPan.range.value, current)
    ? Result.void
    : Result.fail(
        new AccountRangeMismatch({
          tokenUniqueReference:
            command.selector.by === "tokenUniqueReference" ? undefined : token.tokenUniqueReference,
          currentAccountPan: token.accountPan.masked,
          newAccountPan: maskAccountPan(newAccountPan)
        })
      )
}

/**
 * Seed 004: a cardholderId selects "all tokens mapped to a single Account PAN". A new PAN, expiry or
 * sequence number belongs to one card: it cannot be applied to the tokens of two.
 */
const checkOnePan = (updatable: ReadonlyArray<Token>): Result.Result<void, CardholderHasSeveralPans> => {
  const byPan = new Map<string, { accountPan: MaskedPan; tokenUniqueReferences: Array<string> }>()
  // one keyed hash, one PAN
  for (const token of updatable) {
    const entry = byPan.get(token.accountPan.hash) ?? {
      accountPan: token.accountPan.masked,
      tokenUniqueReferences: []
    }
    entry.tokenUniqueReferences.push(token.tokenUniqueReference)
    byPan.set(token.accountPan.hash, entry)
  }
  return byPan.size <= 1
    ? Result.void
    : Result.fail(new CardholderHasSeveralPans({ accountPans: [...byPan.values()] }))
}

/**
 * Applies a valid command to the tokens its selector found, given what the stores know of its new
 * PAN ({@link noNewAccountPan} when it has none). Refuses the whole update, changing nothing, if any
 * token that would change cannot, or if an account PAN mapping by cardholderId would reach the
 * tokens of more than one PAN.
 *
 * @category transitions
 */
export const planTokenUpdate = (
  found: ReadonlyArray<Token>,
  command: TokenUpdateCommand,
  newPan: NewAccountPanFacts,
  at: string
): Result.Result<TokenUpdatePlan, TokenNotUpdatable | AccountRangeMismatch | CardholderHasSeveralPans> => {
  const updated: Array<Token> = []
  const skipped: Array<SkippedToken> = []
  const events: Array<AuditEvent> = []
  const change = command.change
  // the product configuration is the token's own, so it may change across a cardholder's PANs
  if (command.selector.by === "cardholderId" && change.kind === "accountPanMapping") {
    const onePan = checkOnePan(found.filter((token) => isUpdatable(token.status)))
    if (Result.isFailure(onePan)) return Result.fail(onePan.failure)
  }
  for (const token of found) {
    if (!isUpdatable(token.status)) {
      // DOMAIN.md §8: by TUR a token in another state is an error; by PAN or cardholder it is left alone
      if (command.selector.by === "tokenUniqueReference") {
        return Result.fail(new TokenNotUpdatable({ status: token.status }))
      }
      skipped.push({
        tokenUniqueReference: token.tokenUniqueReference,
        currentStatusCode: token.status,
        reason: SKIP_REASON
      })
      continue
    }
    // Stryker disable next-line ConditionalExpression: a productConfiguration change never has a newAccountPan, so the second test alone decides
    if (change.kind === "accountPanMapping" && change.newAccountPan !== undefined) {
      const inRange = checkRange(token, command, change.newAccountPan, newPan)
      if (Result.isFailure(inRange)) return Result.fail(inRange.failure)
    }
    const one = updateOne(token, command, newPan, at)
    updated.push(one.token)
    events.push(one.event)
  }
  return Result.succeed({ updated, skipped, events })
}
