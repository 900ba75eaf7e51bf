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
  code: Schema.tag("TOKEN_NOT_FOUND"),
  message: Schema.String,
  selector: Schema.Literals(["tokenUniqueReference", "currentAccountPan", "cardholderId"]),
  /** The TUR or cardholderId as given, any run of 9 or more digits masked; a PAN only masked. */
  value: Schema.String
}) {
  // the value is the caller's text: a PAN sent in it (9-19 digits, DOMAIN.md §8) is kept masked
  constructor(props: {
    readonly selector: "tokenUniqueReference" | "currentAccountPan" | "cardholderId"
    readonly value: string
  }) {
    const value = maskAccountPans(props.value)
    super({
      selector: props.selector,
      value,
      message:
        props.selector === "tokenUniqueReference"
          ? `No token with tokenUniqueReference ${value} exists for this tenant.`
          : `No token is mapped to ${props.selector} ${value} in this tenant.`
    })
  }
}

/**
 * Seed 004, DOMAIN.md §8: by tokenUniqueReference, only an ACTIVE or SUSPENDED token is updated.
 *
 * @category errors
 */
export class TokenNotUpdatable extends Schema.TaggedError<TokenNotUpdatable>()("TokenNotUpdatable", {
  code: Schema.tag("TOKEN_NOT_UPDATABLE"),
  message: Schema.String,
  tokenUniqueReference: Schema.String,
  status: TokenStatus
}) {
  constructor(props: { readonly tokenUniqueReference: string; readonly status: TokenStatus }) {
    super({
      tokenUniqueReference: props.tokenUniqueReference,
      status: props.status,
      message: `Token ${props.tokenUniqueReference} is ${props.status}: only ACTIVE and SUSPENDED tokens can be updated.`
    })
  }
}

/**
 * Seed 004: "The account mapping will only update an Account PAN for a new Account PAN when they
 * are both in the same Account Range." Both PANs are reported masked.
 *
 * @category errors
 */
export class AccountRangeMismatch extends Schema.TaggedError<AccountRangeMismatch>()("AccountRangeMismatch", {
  code: Schema.tag("ACCOUNT_RANGE_MISMATCH"),
  message: Schema.String,
  tokenUniqueReference: Schema.String,
  currentAccountPan: Schema.String,
  newAccountPan: Schema.String
}) {
  constructor(props: {
    readonly tokenUniqueReference: string
    readonly currentAccountPan: string
    readonly newAccountPan: string
  }) {
    super({
      tokenUniqueReference: props.tokenUniqueReference,
      currentAccountPan: props.currentAccountPan,
      newAccountPan: props.newAccountPan,
      message:
        `The new account PAN ${props.newAccountPan} is not in the account range of ${props.currentAccountPan}, ` +
        `the current PAN of token ${props.tokenUniqueReference}; nothing was changed. ` +
        "Use a new PAN from the same account range."
    })
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
    code: Schema.tag("CARDHOLDER_HAS_SEVERAL_PANS"),
    message: Schema.String,
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
    const cardholderId = maskAccountPans(props.cardholderId)
    const pans = props.accountPans.map(({ accountPan, tokenUniqueReferences: { length } }) =>
      length === 1 ? `${accountPan} (1 token)` : `${accountPan} (${length} tokens)`
    )
    super({
      cardholderId,
      accountPans: props.accountPans,
      message:
        `Cardholder ${cardholderId} has ACTIVE or SUSPENDED tokens on ${props.accountPans.length} ` +
        `account PANs: ${pans.join(", ")}. An account PAN mapping is updated by cardholderId only when ` +
        "all of them share one PAN; nothing was changed. Update by currentAccountPan or tokenUniqueReference."
    })
  }
}
