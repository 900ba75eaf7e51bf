/**
 * The pure rule of a token update: which tokens change, how, and what is recorded.
 *
 * @since 0.1.0
 */
import { Option, Result } from "effect"
import type { AuditEvent } from "../audit/AuditEvent.js"
import { type AccountPan, maskAccountPan } from "./AccountPan.js"
import { type AccountRange, accountRangeContains } from "./AccountRange.js"
import { isUpdatable, type Token, type TokenComment, type TokenStatus } from "./Token.js"
import { AccountRangeMismatch, TokenNotUpdatable } from "./TokenErrors.js"
import type { TokenChange, TokenUpdateCommand } from "./TokenUpdateRequest.js"

/**
 * The audit action of a token update.
 *
 * @category models
 */
export const UPDATE_TOKEN = "UPDATE_TOKEN"

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
      : [`accountPan ${maskAccountPan(before.accountPan)} -> ${maskAccountPan(after.accountPan)}`]),
    ...(change.expirationDate === undefined
      ? []
      : [`expirationDate ${before.expirationDate} -> ${after.expirationDate}`]),
    ...(change.accountPanSequenceNumber === undefined
      ? []
      : [
          `accountPanSequenceNumber ${before.accountPanSequenceNumber ?? "(none)"} -> ${after.accountPanSequenceNumber}`
        ])
  ]
}

/** Seed 004: "Only information provided will be updated." */
const applyChange = (token: Token, change: TokenChange): Token =>
  change.kind === "productConfiguration"
    ? { ...token, productConfigurationId: change.issuerProductConfigurationId }
    : {
        ...token,
        ...(change.newAccountPan === undefined ? {} : { accountPan: change.newAccountPan }),
        ...(change.expirationDate === undefined ? {} : { expirationDate: change.expirationDate }),
        ...(change.accountPanSequenceNumber === undefined
          ? {}
          : { accountPanSequenceNumber: change.accountPanSequenceNumber })
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

const updateOne = (token: Token, command: TokenUpdateCommand, at: string) => {
  const next = addComment(applyChange(token, command.change), command, at)
  const changes = describeChange(token, next, command.change)
  const event: AuditEvent = {
    at,
    action: UPDATE_TOKEN,
    subject: token.tokenUniqueReference,
    outcome: "OK",
    cardNumber: maskAccountPan(next.accountPan),
    previousStatus: token.status,
    currentStatus: next.status,
    changer: command.auditInfo.userId,
    reason: [
      ...changes,
      ...(command.commentText === undefined ? [] : [`comment ${next.lastCommentId}`])
    ].join("; ")
  }
  return { token: next, event }
}

/** Seed 004: the new PAN must share the current PAN's account range (`range` is the new PAN's). */
const checkRange = (
  token: Token,
  newAccountPan: AccountPan,
  range: Option.Option<AccountRange>
): Result.Result<void, AccountRangeMismatch> =>
  Option.isSome(range) && accountRangeContains(range.value, token.accountPan)
    ? Result.void
    : Result.fail(
        new AccountRangeMismatch({
          tokenUniqueReference: token.tokenUniqueReference,
          currentAccountPan: maskAccountPan(token.accountPan),
          newAccountPan: maskAccountPan(newAccountPan)
        })
      )

/**
 * Applies a valid command to the tokens its selector found. `newAccountPanRange` is the account
 * range that holds the command's new PAN, if it has one (ranges never overlap, so the current PAN
 * shares the new PAN's range exactly when it lies in this one). Refuses the whole update, changing
 * nothing, if any token that would change cannot.
 *
 * @category transitions
 */
export const planTokenUpdate = (
  found: ReadonlyArray<Token>,
  command: TokenUpdateCommand,
  newAccountPanRange: Option.Option<AccountRange>,
  at: string
): Result.Result<TokenUpdatePlan, TokenNotUpdatable | AccountRangeMismatch> => {
  const updated: Array<Token> = []
  const skipped: Array<SkippedToken> = []
  const events: Array<AuditEvent> = []
  const change = command.change
  for (const token of found) {
    if (!isUpdatable(token.status)) {
      // DOMAIN.md §8: by TUR a token in another state is an error; by PAN or cardholder it is left alone
      if (command.selector.by === "tokenUniqueReference") {
        return Result.fail(
          new TokenNotUpdatable({ tokenUniqueReference: token.tokenUniqueReference, status: token.status })
        )
      }
      skipped.push({
        tokenUniqueReference: token.tokenUniqueReference,
        currentStatusCode: token.status,
        reason: SKIP_REASON
      })
      continue
    }
    if (change.kind === "accountPanMapping" && change.newAccountPan !== undefined) {
      const inRange = checkRange(token, change.newAccountPan, newAccountPanRange)
      if (Result.isFailure(inRange)) return Result.fail(inRange.failure)
    }
    const one = updateOne(token, command, at)
    updated.push(one.token)
    events.push(one.event)
  }
  return Result.succeed({ updated, skipped, events })
}
