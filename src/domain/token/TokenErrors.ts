/**
 * The ways a token update is refused after its request was found valid.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { maskCardNumbers } from "../card/Pan.js"
import { TokenStatus } from "./Token.js"

/**
 * DOMAIN.md §1, §8: no token matches the selector in the tenant (a token of another tenant is not
 * found). A PAN selector is reported masked.
 *
 * @category errors
 */
export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", {
  selector: Schema.Literals(["tokenUniqueReference", "currentAccountPan", "cardholderId"]),
  /** The TUR or cardholderId as given; a PAN only masked. */
  value: Schema.String
}) {
  // the value is the caller's text: one that holds a card number is kept masked
  constructor(props: {
    readonly selector: "tokenUniqueReference" | "currentAccountPan" | "cardholderId"
    readonly value: string
  }) {
    super({ ...props, value: maskCardNumbers(props.value) })
  }
  readonly code = "TOKEN_NOT_FOUND" as const
  override get message() {
    return this.selector === "tokenUniqueReference"
      ? `No token with tokenUniqueReference ${this.value} exists for this tenant.`
      : `No token is mapped to ${this.selector} ${this.value} in this tenant.`
  }
}

/**
 * Seed 004, DOMAIN.md §8: by tokenUniqueReference, only an ACTIVE or SUSPENDED token is updated.
 *
 * @category errors
 */
export class TokenNotUpdatable extends Schema.TaggedError<TokenNotUpdatable>()("TokenNotUpdatable", {
  tokenUniqueReference: Schema.String,
  status: TokenStatus
}) {
  readonly code = "TOKEN_NOT_UPDATABLE" as const
  override get message() {
    return `Token ${this.tokenUniqueReference} is ${this.status}: only ACTIVE and SUSPENDED tokens can be updated.`
  }
}

/**
 * Seed 004: "The account mapping will only update an Account PAN for a new Account PAN when they
 * are both in the same Account Range." Both PANs are reported masked.
 *
 * @category errors
 */
export class AccountRangeMismatch extends Schema.TaggedError<AccountRangeMismatch>()("AccountRangeMismatch", {
  tokenUniqueReference: Schema.String,
  currentAccountPan: Schema.String,
  newAccountPan: Schema.String
}) {
  readonly code = "ACCOUNT_RANGE_MISMATCH" as const
  override get message() {
    return (
      `The new account PAN ${this.newAccountPan} is not in the account range of ${this.currentAccountPan}, ` +
      `the current PAN of token ${this.tokenUniqueReference}; nothing was changed. ` +
      "Use a new PAN from the same account range."
    )
  }
}
