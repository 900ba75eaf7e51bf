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
 * found). A PAN selector is reported masked. A tokenUniqueReference or a cardholderId is not repeated:
 * either may hold a card number, and masking would garble it (the seed's `20000587525`, a reference's
 * long digit runs), while the caller knows the one it sent.
 *
 * @category errors
 */
export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", {
  code: Schema.tag("TOKEN_NOT_FOUND"),
  message: Schema.String,
  selector: Schema.Literals(["tokenUniqueReference", "currentAccountPan", "cardholderId"]),
  /** The current account PAN, masked; absent for the other selectors. */
  value: Schema.optionalKey(Schema.String)
}) {
  constructor(
    props:
      | { readonly selector: "currentAccountPan"; readonly value: string }
      // a reference or cardholderId given here (or decoded from the wire) is left out
      | { readonly selector: "tokenUniqueReference" | "cardholderId"; readonly value?: string }
  ) {
    // a PAN, masked by the caller of this constructor or not (DOMAIN.md §8: 9 to 19 digits)
    const value = props.selector === "currentAccountPan" ? maskAccountPans(props.value) : undefined
    super(
      value === undefined
        ? { selector: props.selector, message: `No token is found by this ${props.selector} in this tenant.` }
        : {
            selector: props.selector,
            value,
            message: `No token is mapped to currentAccountPan ${value} in this tenant.`
          }
    )
  }
}

/**
 * Seed 004, DOMAIN.md §8: by tokenUniqueReference, only an ACTIVE or SUSPENDED token is updated. The
 * reference is the caller's, and is not repeated (see {@link TokenNotFound}).
 *
 * @category errors
 */
export class TokenNotUpdatable extends Schema.TaggedError<TokenNotUpdatable>()("TokenNotUpdatable", {
  code: Schema.tag("TOKEN_NOT_UPDATABLE"),
  message: Schema.String,
  status: TokenStatus
}) {
  constructor(props: { readonly status: TokenStatus }) {
    super({
      status: props.status,
      message: `The token is ${props.status}: only ACTIVE and SUSPENDED tokens can be updated.`
    })
  }
}

/**
 * Seed 004: "The account mapping will only update an Account PAN for a new Account PAN when they
 * are both in the same Account Range." Both PANs are reported masked. The token is named by its
 * reference when the update selected it by PAN or cardholderId (a reference the store holds, which the
 * caller did not send); by tokenUniqueReference the caller named the one token, and its reference is
 * not repeated (see {@link TokenNotFound}).
 *
 * @category errors
 */
export class AccountRangeMismatch extends Schema.TaggedError<AccountRangeMismatch>()("AccountRangeMismatch", {
  code: Schema.tag("ACCOUNT_RANGE_MISMATCH"),
  message: Schema.String,
  tokenUniqueReference: Schema.optionalKey(Schema.String),
  currentAccountPan: Schema.String,
  newAccountPan: Schema.String
}) {
  constructor(props: {
    readonly tokenUniqueReference?: string | undefined
    readonly currentAccountPan: string
    readonly newAccountPan: string
  }) {
    // masked by the caller of this constructor; masked again, to the same text, when decoded
    const currentAccountPan = maskAccountPans(props.currentAccountPan)
    const newAccountPan = maskAccountPans(props.newAccountPan)
    const token =
      props.tokenUniqueReference === undefined ? "the token" : `token ${props.tokenUniqueReference}`
    super({
      ...(props.tokenUniqueReference === undefined
        ? {}
        : { tokenUniqueReference: props.tokenUniqueReference }),
      currentAccountPan,
      newAccountPan,
      message:
        `The new account PAN ${newAccountPan} is not in the account range of ${currentAccountPan}, ` +
        `the current PAN of ${token}; nothing was changed. Use a new PAN from the same account range.`
    })
  }
}

/**
 * Seed 004 `CardholderId`: "used for updating all tokens mapped to a single Account PAN". An update
 * of the account PAN mapping (`newAccountPan`, `expirationDate`, `accountPanSequenceNumber`) by
 * cardholderId is refused when the cardholder's ACTIVE and SUSPENDED tokens sit on more than one
 * account PAN: one new PAN, expiry or sequence number cannot be right for two cards. PANs are
 * reported masked, each with the references of its tokens, as the store holds them; the cardholderId
 * the caller sent is not repeated (see {@link TokenNotFound}).
 *
 * @category errors
 */
export class CardholderHasSeveralPans extends Schema.TaggedError<CardholderHasSeveralPans>()(
  "CardholderHasSeveralPans",
  {
    code: Schema.tag("CARDHOLDER_HAS_SEVERAL_PANS"),
    message: Schema.String,
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
    readonly accountPans: ReadonlyArray<{
      readonly accountPan: string
      readonly tokenUniqueReferences: ReadonlyArray<string>
    }>
  }) {
    const accountPans = props.accountPans.map(({ accountPan, tokenUniqueReferences }) => ({
      accountPan: maskAccountPans(accountPan),
      tokenUniqueReferences
    }))
    const pans = accountPans.map(({ accountPan, tokenUniqueReferences: { length } }) =>
      length === 1 ? `${accountPan} (1 token)` : `${accountPan} (${length} tokens)`
    )
    super({
      accountPans,
      message:
        `The cardholder has ACTIVE or SUSPENDED tokens on ${accountPans.length} account PANs: ` +
        `${pans.join(", ")}. An account PAN mapping is updated by cardholderId only when all of them ` +
        "share one PAN; nothing was changed. Update by currentAccountPan or tokenUniqueReference."
    })
  }
}
