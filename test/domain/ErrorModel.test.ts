/**
 * The error model (src/domain/ErrorModel.ts): every error class carries `_tag`, `code`, `message` and
 * its data in its JSON and survives an encode/decode round trip; every code has a row of the error
 * table; seed 003's rows keep the seed's status; masking holds through the encoding (DOMAIN.md §9).
 */

import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as CryptoErrors from "../../src/crypto/Errors.js"
import { errorRow } from "../../src/domain/ErrorModel.js"
import { IdempotencyKeyReused } from "../../src/domain/idempotency/IdempotencyKey.js"
import {
  AccountNotFound,
  AccountRangeMismatch,
  CardholderHasSeveralPans,
  CardNotFound,
  CardOrderNotFound,
  CardReplacementRefused,
  CiphertextRejected,
  CustomerNotFound,
  DomainError,
  DuplicateCardType,
  DuplicateKey,
  ErrorKind,
  ExpiryDateMismatch,
  errorCodes,
  errorKindOf,
  errorTable,
  httpStatusOf,
  IdentifiersExhausted,
  InvalidCardStatusForPin,
  InvalidKey,
  InvalidKeyConfiguration,
  InvalidPinBlock,
  InvalidPinInput,
  InvalidRandomSource,
  InvalidStatusTransition,
  KitInfoCountOutOfRange,
  ModelError,
  OrderBranchMismatch,
  OrderNotCancellable,
  PinTriesExceeded,
  ProductNotFound,
  ReplacementProductNotFound,
  ReplacementRefusal,
  SameProductUpgrade,
  StoreError,
  TenantKeyMissing,
  TierDowngrade,
  TierNotOnLadder,
  TokenNotFound,
  TokenNotUpdatable,
  TrivialPinRefused,
  UnknownKeyId,
  ValidationError
} from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"

const KIT = "4240181595"
const ORDER = "ORD4240181595"
const TUR = "DWSPMC000000000132d72d4fcb2f4136a0532d3093ff1a45"

/** One example of every error class of the model. */
const examples: ReadonlyArray<ModelError> = [
  new ValidationError({
    issues: [
      { path: "kitNo", message: "must be 1-32 letters or digits" },
      { path: "", message: "mobileNo or entityId is required" }
    ]
  }),
  new CardNotFound({ kitNo: KIT }),
  new InvalidStatusTransition({ kitNo: KIT, status: "BLOCKED", operation: "UNLOCK" }),
  new StoreError({ operation: "CardRepository.findByKitNo", retryable: true }),
  new CustomerNotFound({ selector: "entityId", value: "676165" }),
  new KitInfoCountOutOfRange({ count: 3 }),
  new DuplicateCardType({ cardType: "PHYSICAL" }),
  new ProductNotFound({ tierType: "GOLD", cardType: "VIRTUAL", plasticCode: "P01" }),
  new TierNotOnLadder({ tierType: "LEGACY" }),
  new TierDowngrade({ kitNo: KIT, currentTier: "GOLD", requestedTier: "CLASSIC" }),
  new SameProductUpgrade({ kitNo: KIT, productId: "2001_PHYSICAL" }),
  new TenantKeyMissing({ purpose: "cardNumber" }),
  new IdentifiersExhausted({ identifier: "kitNo" }),
  new CardOrderNotFound({ orderId: ORDER }),
  new OrderBranchMismatch({ orderId: ORDER, branchId: "BR002" }),
  new OrderNotCancellable({ orderId: ORDER, status: "DISPATCHED" }),
  new AccountNotFound(),
  new CardReplacementRefused({ code: "REPLACEMENT_LIMIT_EXCEEDED", kitNo: KIT }),
  new ReplacementProductNotFound({ kitNo: KIT, tierType: "CLASSIC", cardType: "VIRTUAL" }),
  new InvalidCardStatusForPin({ kitNo: KIT, status: "CANCELLED" }),
  new ExpiryDateMismatch({ kitNo: KIT }),
  new InvalidPinBlock(),
  new TrivialPinRefused({ kitNo: KIT }),
  new PinTriesExceeded({ kitNo: KIT }),
  new UnknownKeyId({ purpose: "pinStore", keyId: "2025-01" }),
  new CiphertextRejected(),
  new InvalidKeyConfiguration({
    issues: [{ path: "ACME_BANK.pinStore.0.hex", message: "must be the hex of a 16-, 24- or 32-byte key" }]
  }),
  new TokenNotFound({ selector: "currentAccountPan", value: "541234XXXXXX0001" }),
  new TokenNotUpdatable({ status: "DELETED" }),
  new AccountRangeMismatch({
    tokenUniqueReference: TUR,
    currentAccountPan: "541234XXXXXX0001",
    newAccountPan: "541299XXXXXX0002"
  }),
  new CardholderHasSeveralPans({
    accountPans: [
      { accountPan: "541234XXXXXX0001", tokenUniqueReferences: ["TUR1"] },
      { accountPan: "541234XXXXXX0002", tokenUniqueReferences: ["TUR2", "TUR3"] }
    ]
  }),
  InvalidPinInput.of("pan"),
  new InvalidKey(),
  new InvalidRandomSource(),
  new DuplicateKey({ operation: "CardRepository.insertAll", key: "kitNo" }),
  new IdempotencyKeyReused()
]

const tagsOf = (classes: ReadonlyArray<{ readonly identifier: string }>) =>
  new Set(classes.map((c) => c.identifier))

/** The error classes of src/crypto/Errors.ts, whatever it exports. */
const cryptoErrorClasses = Object.values(CryptoErrors).filter(
  (value): value is typeof CryptoErrors.InvalidKey => typeof value === "function" && "identifier" in value
)

/** The schema fields of an error's class: `_tag`, `code`, `message`, then its data. */
const fieldsOf = (error: ModelError): ReadonlyArray<string> => {
  const errorClass = ModelError.members.find((member) => member.identifier === error._tag)
  if (errorClass === undefined) throw new Error(`${error._tag} is not in ModelError`)
  return Object.keys(errorClass.fields)
}

describe("every error class", () => {
  it("has an example here: the members of DomainError, ModelError and src/crypto/Errors.ts", () => {
    const tags = new Set(examples.map((e) => e._tag))
    expect(tags.size).toBe(examples.length)
    expect(tags).toEqual(tagsOf(ModelError.members))
    for (const tag of tagsOf(DomainError.members)) expect(tags, tag).toContain(tag)
    expect(cryptoErrorClasses.length).toBe(4)
    for (const tag of tagsOf(cryptoErrorClasses)) expect(tags, tag).toContain(tag)
  })

  it("leaves out of DomainError the errors no use case returns: DuplicateKey, the codec's, InvalidKeyConfiguration, IdempotencyKeyReused", () => {
    for (const tag of ["DuplicateKey", "InvalidKeyConfiguration", "IdempotencyKeyReused"])
      expect(tagsOf(DomainError.members)).not.toContain(tag)
    expect(DomainError.members.length + 6).toBe(ModelError.members.length)
  })

  it.each(examples.map((e) => [e._tag, e] as const))(
    "%s shows _tag, code, message and its data in JSON",
    (_, e) => {
      const json = JSON.parse(JSON.stringify(e))
      expect(json._tag).toBe(e._tag)
      expect(json.code).toBe(e.code)
      expect(json.message).toBe(e.message)
      expect(typeof json.message).toBe("string")
      expect(json.message.length).toBeGreaterThan(0)
      const fields = fieldsOf(e)
      expect(fields.slice(0, 3)).toEqual(["_tag", "code", "message"])
      for (const field of fields) expect(json[field], field).toEqual(e[field as keyof typeof e])
      expect(String(e)).toBe(`${e._tag}: ${e.message}`)
    }
  )

  it.each(examples.map((e) => [e._tag, e] as const))("%s decodes back to an equal instance", (_, e) => {
    const viaJson = Schema.decodeUnknownSync(ModelError)(
      JSON.parse(JSON.stringify(Schema.encodeSync(ModelError)(e)))
    )
    expect(viaJson).toBeInstanceOf(e.constructor)
    expect(viaJson).toEqual(e)
    expect(viaJson.message).toBe(e.message)
    if (Schema.is(DomainError)(e)) {
      const viaDomain = Schema.decodeUnknownSync(DomainError)(Schema.encodeSync(DomainError)(e))
      expect(viaDomain).toBeInstanceOf(e.constructor)
      expect(viaDomain).toEqual(e)
    }
  })

  it("recomputes the message from the data when decoding", () => {
    const encoded = { ...Schema.encodeSync(ModelError)(new CardNotFound({ kitNo: KIT })), message: "forged" }
    expect(Schema.decodeUnknownSync(ModelError)(encoded).message).toBe(
      `No card with kitNo ${KIT} exists for this tenant.`
    )
  })
})

describe("the error table", () => {
  it("has exactly one row per code of the model, each a kind and a status of 400-599", () => {
    const codes = errorCodes().map(({ code }) => code)
    expect(new Set(codes).size).toBe(codes.length)
    expect(new Set(Object.keys(errorTable))).toEqual(new Set(codes))
    for (const code of codes) {
      const row = errorTable[code]
      expect(Schema.is(ErrorKind)(row.kind), code).toBe(true)
      expect(Number.isInteger(row.status), code).toBe(true)
      expect(row.status, code).toBeGreaterThanOrEqual(400)
      expect(row.status, code).toBeLessThanOrEqual(599)
    }
  })

  it("answers every example with the row of its code", () => {
    for (const e of examples) {
      expect(errorRow(e)).toBe(errorTable[e.code])
      expect(httpStatusOf(e)).toBe(errorTable[e.code].status)
      expect(errorKindOf(e)).toBe(errorTable[e.code].kind)
    }
    expect(httpStatusOf(new CardNotFound({ kitNo: KIT }))).toBe(404)
    expect(httpStatusOf(new StoreError({ operation: "x" }))).toBe(503)
    expect(
      errorKindOf(new InvalidStatusTransition({ kitNo: KIT, status: "BLOCKED", operation: "LOCK" }))
    ).toBe("Conflict")
    // a blocked PIN is the card's state, cleared by setting a new PIN: a conflict, as a status is
    expect(httpStatusOf(new PinTriesExceeded({ kitNo: KIT }))).toBe(409)
  })

  // seed 003's "Error Responses", verbatim; rows 4 and 12 are docs/card-replacement.md's decisions
  const seed003: Record<
    ReplacementRefusal,
    readonly [status: number, errorCode: string, errorMessage: string]
  > = {
    ACCOUNT_CLOSED: [401, "API_VALIDATION", "Account status is CLOSED."],
    ACCOUNT_SUSPENDED: [
      400,
      "INVALID_REQUEST",
      "Card replacement is not allowed as the user account is suspended"
    ],
    ACCOUNT_NOT_ACTIVE: [
      400,
      "INVALID_REQUEST",
      "Error: Card replacement is not allowed as the user account is not Active"
    ],
    ACCOUNT_NOT_REGISTERED: [
      400,
      "INVALID_REQUEST",
      "Card replacement is not allowed as the user account is not registered"
    ],
    LOYALTY_ID_NOT_ON_ACCOUNT: [
      400,
      "INVALID_REQUEST",
      "LoyaltyId specified is not associated with this Account"
    ],
    INVALID_REPLACEMENT_STATUS: [400, "INVALID_REQUEST", "Invalid status specified for card replacement!"],
    CARD_CANCELLED: [400, "INVALID_REQUEST", "Cannot change the status of a Cancelled card"],
    CARD_DAMAGED: [400, "INVALID_REQUEST", "Cannot change the status of a Damaged card"],
    CARD_LOST_OR_STOLEN: [400, "INVALID_REQUEST", "Cannot change the status of a Lost or Stolen card"],
    REPLACEMENT_LIMIT_EXCEEDED: [
      400,
      "INVALID_REQUEST",
      "Card Replacement limit exceeded! Cannot replace card more than twice a month."
    ],
    NEW_LOYALTY_ID_IN_USE: [400, "INVALID_REQUEST", "New LoyaltyId specified is already in use"]
  }

  it.each(ReplacementRefusal.literals)("keeps seed 003's status, errorCode and message for %s", (code) => {
    const [status, errorCode, errorMessage] = seed003[code]
    expect(errorTable[code].status).toBe(status)
    const error = new CardReplacementRefused({ code, kitNo: KIT })
    expect(httpStatusOf(error)).toBe(status)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _tag: "CardReplacementRefused",
      code,
      message: errorMessage,
      statusCode: status,
      errorCode,
      kitNo: KIT
    })
  })
})

/** A Luhn-valid 16-digit PAN. */
const pan = Arbitraries.pan({ minLength: 16, maxLength: 16 })

/** A kitNo as a caller may send it: any text around a PAN, written plain or in groups of 4. */
const kitNoWithPan = fc
  .tuple(fc.string(), pan, fc.constantFrom("", " ", "-"), fc.string())
  .map(([before, digits, separator, after]) => {
    const written = digits.replace(/[0-9]{4}(?=[0-9])/g, `$&${separator}`)
    return { digits, written, kitNo: before + written + after }
  })

describe("masking through the encoding (DOMAIN.md §9)", () => {
  it("never shows a PAN sent as a kitNo in CardNotFound, InvalidStatusTransition, CardReplacementRefused or PinTriesExceeded", () => {
    fc.assert(
      fc.property(
        kitNoWithPan,
        fc.constantFrom(...ReplacementRefusal.literals),
        ({ digits, written, kitNo }, code) => {
          const errors: ReadonlyArray<ModelError> = [
            new CardNotFound({ kitNo }),
            new InvalidStatusTransition({ kitNo, status: "BLOCKED", operation: "UNLOCK" }),
            new CardReplacementRefused({ code, kitNo }),
            new PinTriesExceeded({ kitNo })
          ]
          for (const error of errors) {
            const json = JSON.stringify(Schema.encodeSync(ModelError)(error))
            const decoded = Schema.decodeUnknownSync(ModelError)(JSON.parse(json))
            for (const shown of [json, JSON.stringify(error), JSON.stringify(decoded), String(decoded)]) {
              expect(shown).not.toContain(digits)
              expect(shown).not.toContain(written)
            }
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
