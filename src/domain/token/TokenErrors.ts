/**
 * The ways a token update is refused after its request was found valid.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { maskAccountPans } from "./AccountPan.js"
import { TokenStatus } from "./Token.js"

/**
 * DOMAIN.md §1, §8: no token matches the selector in the tenant (a token of another tenant is not
 * found). A PAN selector is reported masked.
 *
 * @category errors
 */
export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", {
  selector: Schema.Literals(["tokenUniqueReference", "currentAccountPan", "cardholderId"]),
  /** The TUR or cardholderId as given, any run of 9 or more digits masked; a PAN only masked. */
  value: Schema.String
}) {
  // the value is the caller's text: a PAN sent in it (9-19 digits, DOMAIN.md §8) is kept masked
  constructor(props: {
    readonly selector: "tokenUniqueReference" | "currentAccountPan" | "cardholderId"
    readonly value: string
  }) {
    super({ ...props, value: maskAccountPans(props.value) })
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

/**
 * Seed 004 `CardholderId`: "used for updating all tokens mapped to a single Account PAN". An update
 * of the account PAN mapping (`newAccountPan`, `expirationDate`, `accountPanSequenceNumber`) by
 * cardholderId is refused when the cardholder's ACTIVE and SUSPENDED tokens sit on more than one
 * account PAN: one new PAN, expiry or sequence number cannot be right for two cards. PANs are
 * reported masked, each with its tokens.
 *
 * @category errors
 */
export class CardholderHasSeveralPans extends Schema.TaggedError<CardholderHasSeveralPans>()(
  "CardholderHasSeveralPans",
  {
    /** Any run of 9 or more digits masked, as in {@link TokenNotFound}. */
    cardholderId: Schema.String,
    /** One entry per distinct current PAN, in the order the tokens were found. */
    accountPans: Schema.Array(
      Schema.Struct({
        /** Masked: two PANs may share a mask, so each is told apart by its tokens. */
        accountPan: Schema.String,
        tokenUniqueReferences: Schema.Array(Schema.String)
      })
    )
  }
) {
  constructor(props: {
    readonly cardholderId: string
    readonly accountPans: ReadonlyArray<{
      readonly accountPan: string
      readonly tokenUniqueReferences: ReadonlyArray<string>
    }>
  }) {
    super({ ...props, cardholderId: maskAccountPans(props.cardholderId) })
  }
  readonly code = "CARDHOLDER_HAS_SEVERAL_PANS" as const
  override get message() {
    const pans = this.accountPans.map(({ accountPan, tokenUniqueReferences: { length } }) =>
      length === 1 ? `${accountPan} (1 token)` : `${accountPan} (${length} tokens)`
    )
    return (
      `Cardholder ${this.cardholderId} has ACTIVE or SUSPENDED tokens on ${this.accountPans.length} ` +
      `account PANs: ${pans.join(", ")}. An account PAN mapping is updated by cardholderId only when ` +
      "all of them share one PAN; nothing was changed. Update by currentAccountPan or tokenUniqueReference."
    )
  }
}
