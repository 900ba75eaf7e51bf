/**
 * fast-check arbitraries of seed 004's tokens: the values of a token-update request, each valid by
 * its own rule (docs/token-update.md, Validation), and valid requests of `updateToken` for a token.
 *
 * @since 0.1.0
 */
import * as fc from "fast-check"
import { AccountPanDigits, makeAccountPan } from "../domain/token/AccountPan.js"
import { type AccountRange, accountRangeContains } from "../domain/token/AccountRange.js"
import type { AuditInfo } from "../domain/token/Token.js"
import type { UpdateTokenRequest } from "../domain/token/TokenUpdateRequest.js"

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength })

/**
 * Token unique references: exactly 48 letters and digits (seed 004).
 *
 * @category identifiers
 */
export const tokenUniqueReference = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9]{48}$/)

/**
 * Cardholder ids: 1–64 characters of A-Z a-z 0-9 _ - (an entityId's rule).
 *
 * @category identifiers
 */
export const cardholderId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)

/** Two prefixes of one length, 1–19 digits, `low` not above `high`: a row of the range table. */
const isAccountRange = (range: AccountRange): boolean =>
  /^[0-9]{1,19}$/.test(range.low) && range.high.length === range.low.length && range.low <= range.high

/**
 * @category models
 */
export interface AccountPanConstraints {
  /** The account range every PAN lies in; any PAN when omitted. */
  readonly range?: AccountRange
}

/**
 * Account PANs: 9–19 digits, no Luhn check (DOMAIN.md §8), in `range` when given. A range whose
 * prefixes are not 1–19 digits of one length, `low` not above `high`, is a `RangeError`.
 *
 * @category identifiers
 */
export const accountPan = (constraints: AccountPanConstraints = {}): fc.Arbitrary<string> => {
  const { range } = constraints
  if (range === undefined) return digits(9, 19)
  if (!isAccountRange(range))
    throw new RangeError("accountPan: a range is two prefixes of 1-19 digits of one length, low <= high")
  const width = range.low.length
  return fc
    .tuple(
      fc.bigInt({ min: BigInt(range.low), max: BigInt(range.high) }),
      digits(Math.max(0, 9 - width), 19 - width)
    )
    .map(([prefix, rest]) => String(prefix).padStart(width, "0") + rest)
}

/**
 * Expiries as MMYY, month 01–12: a new account PAN's `expirationDate`.
 *
 * @category identifiers
 */
export const expirationDate = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }))
    .map(([month, year]) => `${String(month).padStart(2, "0")}${String(year).padStart(2, "0")}`)

/**
 * Account PAN sequence numbers: 1–3 digits.
 *
 * @category identifiers
 */
export const accountPanSequenceNumber = (): fc.Arbitrary<string> => digits(1, 3)

/**
 * Issuer product configuration ids: 1–10 letters and digits.
 *
 * @category identifiers
 */
export const productConfigurationId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9]{1,10}$/)

/** A person's text of 1 to `maxLength` code points, printable: no control character. */
const personText = (maxLength: number) => fc.string({ unit: "grapheme-composite", minLength: 1, maxLength })

/**
 * Seed 004 `AuditInfo`: a `userId` of 1–64 characters, a `userName` and an `organization` of 1–128,
 * none a control character, and a `phone` of 1–32 of `0-9 + ( ) -` and space, or none.
 *
 * @category requests
 */
export const auditInfo = (): fc.Arbitrary<AuditInfo> =>
  fc.record(
    {
      userId: personText(64),
      userName: personText(128),
      organization: personText(128),
      phone: fc.stringMatching(/^[0-9+() -]{1,32}$/)
    },
    { requiredKeys: ["userId", "userName", "organization"] }
  )

/** Printable graphemes, now and then a line break or a tab: what a person's note is made of. */
const noteUnit = fc.oneof(
  { weight: 10, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom("\t", "\n", "\r") }
)

/**
 * Seed 004 `CommentText`: at most 500 UTF-16 code units, printable graphemes, line breaks and tabs
 * (no other control character); the empty text, which is no comment, among them.
 *
 * @category requests
 */
export const commentText = (): fc.Arbitrary<string> =>
  fc.array(noteUnit, { maxLength: 500 }).map((units) => {
    // whole graphemes only, as many as 500 code units hold
    let text = ""
    for (const unit of units) {
      if (text.length + unit.length > 500) break
      text += unit
    }
    return text
  })

/**
 * The selectors of a token update: exactly one is sent (DOMAIN.md §8).
 *
 * @category models
 */
export type TokenSelectorField = "tokenUniqueReference" | "currentAccountPan" | "cardholderId"

/**
 * @category models
 */
export interface UpdateTokenRequestConstraints {
  /** The selectors to draw from; all three when omitted (`cardholderId` only for a token that has one). */
  readonly by?: ReadonlyArray<TokenSelectorField>
  /** The account range of the token's PAN: a `newAccountPan` is drawn in it. Without it, none is sent. */
  readonly accountRange?: AccountRange
}

/** The token fields a request may name it by, as a token fixture writes them. */
interface TokenNames {
  readonly tokenUniqueReference: string
  readonly accountPan: string
  readonly cardholderId?: string
}

const selectorFor = (token: TokenNames, by: TokenSelectorField): Partial<UpdateTokenRequest> =>
  by === "tokenUniqueReference"
    ? { tokenUniqueReference: token.tokenUniqueReference }
    : by === "currentAccountPan"
      ? { currentAccountPan: token.accountPan }
      : { cardholderId: token.cardholderId! }

/**
 * Requests of `updateToken` (seed 004) for `token`: one selector of `by`, naming the token by its
 * reference, its account PAN or its cardholder; one kind of change (an account PAN mapping of any of
 * `newAccountPan`, within `accountRange`, `expirationDate` and `accountPanSequenceNumber`, or an
 * `issuerProductConfigurationId` alone); any `updateWalletProviderIndicator` and `commentText`; an
 * `auditInfo`. updateToken carries it out when the token is ACTIVE or SUSPENDED in the tenant, whose
 * range table holds `accountRange`; by `cardholderId`, a mapping also needs the cardholder's other
 * ACTIVE and SUSPENDED tokens on the token's PAN (docs/token-update.md rule 5). A token whose fields
 * break their rules, a selector it has no value for, or a range that does not hold its PAN is a
 * `RangeError`.
 *
 * @category requests
 */
export const updateTokenRequest = (
  token: TokenNames,
  constraints: UpdateTokenRequestConstraints = {}
): fc.Arbitrary<UpdateTokenRequest> => {
  const { accountRange } = constraints
  const by =
    constraints.by ??
    (["tokenUniqueReference", "currentAccountPan", "cardholderId"] as const).filter(
      (selector) => selector !== "cardholderId" || token.cardholderId !== undefined
    )
  if (
    by.length === 0 ||
    !/^[A-Za-z0-9]{48}$/.test(token.tokenUniqueReference) ||
    !/^[0-9]{9,19}$/.test(token.accountPan) ||
    (by.includes("cardholderId") && !/^[A-Za-z0-9_-]{1,64}$/.test(token.cardholderId ?? ""))
  )
    throw new RangeError(
      "updateTokenRequest: a selector, and a token whose reference, PAN and cardholder are valid"
    )
  if (
    accountRange !== undefined &&
    (!isAccountRange(accountRange) ||
      !accountRangeContains(accountRange, makeAccountPan(AccountPanDigits.make(token.accountPan))))
  )
    throw new RangeError("updateTokenRequest: the account range must hold the token's PAN")
  const mapping = fc
    .record(
      {
        ...(accountRange === undefined ? {} : { newAccountPan: accountPan({ range: accountRange }) }),
        expirationDate: expirationDate(),
        accountPanSequenceNumber: accountPanSequenceNumber()
      },
      { requiredKeys: [] }
    )
    .filter((change) => Object.keys(change).length > 0)
  const change: fc.Arbitrary<Partial<UpdateTokenRequest>> = fc.oneof(
    mapping,
    fc.record({ issuerProductConfigurationId: productConfigurationId() })
  )
  return fc
    .tuple(
      fc.constantFrom(...by).map((selector) => selectorFor(token, selector)),
      change,
      fc.record(
        {
          updateWalletProviderIndicator: fc.constantFrom("0" as const, "1" as const),
          commentText: commentText(),
          auditInfo: auditInfo()
        },
        { requiredKeys: ["auditInfo"] }
      )
    )
    .map(([selector, changed, fields]) => ({ ...selector, ...changed, ...fields }))
}
