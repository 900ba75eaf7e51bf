/**
 * Seed 003's error table as data: one row per refusal, with the HTTP status, `errorCode` and
 * `errorMessage` an adapter answers with, and the one error that carries them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { maskCardNumbers } from "../ground/Masking.js"

/**
 * The rules a replacement can break, one per row of the error table.
 *
 * @category models
 */
export const ReplacementRefusal = Schema.Literals([
  "ACCOUNT_CLOSED",
  "ACCOUNT_SUSPENDED",
  "ACCOUNT_NOT_ACTIVE",
  "ACCOUNT_NOT_REGISTERED",
  "LOYALTY_ID_NOT_ON_ACCOUNT",
  "INVALID_REPLACEMENT_STATUS",
  "CARD_CANCELLED",
  "CARD_DAMAGED",
  "CARD_LOST_OR_STOLEN",
  "REPLACEMENT_LIMIT_EXCEEDED",
  "NEW_LOYALTY_ID_IN_USE"
])
export type ReplacementRefusal = typeof ReplacementRefusal.Type

/**
 * One row of the error table: the HTTP status, `errorMessage` and `errorCode` an adapter answers with.
 *
 * @category models
 */
export interface ErrorTableRow {
  readonly statusCode: 400 | 401
  readonly errorCode: "INVALID_REQUEST" | "API_VALIDATION"
  readonly errorMessage: string
}

/**
 * Seed 003's "Error Responses", row by row and verbatim, plus two rows the seed does not have
 * (decided in docs/card-replacement.md).
 *
 * @category models
 */
export const replacementErrorTable: { readonly [R in ReplacementRefusal]: ErrorTableRow } = {
  // seed 003: cannot replace a card for an account that is CLOSED
  ACCOUNT_CLOSED: { statusCode: 401, errorCode: "API_VALIDATION", errorMessage: "Account status is CLOSED." },
  // seed 003: card replacement cannot occur on a suspended account
  ACCOUNT_SUSPENDED: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Card replacement is not allowed as the user account is suspended"
  },
  // seed 003: card replacement cannot occur on an account that is not Active
  ACCOUNT_NOT_ACTIVE: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Error: Card replacement is not allowed as the user account is not Active"
  },
  // not in the seed's table: a ghost or unregistered account, unless the migration is "in transition"
  ACCOUNT_NOT_REGISTERED: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Card replacement is not allowed as the user account is not registered"
  },
  // seed 003: the loyalty id referenced is not associated with the account
  LOYALTY_ID_NOT_ON_ACCOUNT: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "LoyaltyId specified is not associated with this Account"
  },
  // seed 003: a valid status has not been provided
  INVALID_REPLACEMENT_STATUS: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Invalid status specified for card replacement!"
  },
  // seed 003: the status of a Cancelled card can not be changed through this request
  CARD_CANCELLED: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Cannot change the status of a Cancelled card"
  },
  // seed 003: the status of a Damaged card can not be changed through this request
  CARD_DAMAGED: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Cannot change the status of a Damaged card"
  },
  // seed 003: the status of a Lost or Stolen card can not be changed through this request
  CARD_LOST_OR_STOLEN: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Cannot change the status of a Lost or Stolen card"
  },
  // seed 003: a maximum of two replacements within the span of a month
  REPLACEMENT_LIMIT_EXCEEDED: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "Card Replacement limit exceeded! Cannot replace card more than twice a month."
  },
  // not in the seed's table: DOMAIN.md §5, the newLoyaltyId must not exist yet in the tenant
  NEW_LOYALTY_ID_IN_USE: {
    statusCode: 400,
    errorCode: "INVALID_REQUEST",
    errorMessage: "New LoyaltyId specified is already in use"
  }
}

/**
 * A replacement refused by one row of the error table. `code` names the rule; `message`, `errorCode`
 * and `statusCode` are the row's, filled in by the constructor and encoded, for adapters to answer
 * with. `kitNo` is the caller's `oldLoyaltyId` as text, a run of 12 or more digits masked like a
 * PAN; the account number is not repeated (`AccountNotFound` says why).
 *
 * @category errors
 */
export class CardReplacementRefused extends Schema.TaggedError<CardReplacementRefused>()(
  "CardReplacementRefused",
  {
    code: ReplacementRefusal,
    message: Schema.String,
    statusCode: Schema.Literals([400, 401]),
    errorCode: Schema.Literals(["INVALID_REQUEST", "API_VALIDATION"]),
    kitNo: Schema.String
  }
) {
  // DOMAIN.md §9: a card number sent as oldLoyaltyId is kept masked; the account number is not
  // repeated (AccountNotFound says why)
  constructor(props: { readonly code: ReplacementRefusal; readonly kitNo: string }) {
    const row = replacementErrorTable[props.code]
    super({
      code: props.code,
      message: row.errorMessage,
      statusCode: row.statusCode,
      errorCode: row.errorCode,
      kitNo: maskCardNumbers(props.kitNo)
    })
  }
}
