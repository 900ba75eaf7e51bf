/**
 * The identifiers of the domain, each a branded string decoded at the boundary.
 *
 * @since 0.1.0
 */
import { Schema, SchemaGetter } from "effect"
import { maskCardNumbers } from "./Masking.js"

/**
 * A string that must match `regExp`; a refusal states `rule`, never the value (it may hold a PAN).
 *
 * @category schemas
 */
export const pattern = (regExp: RegExp, rule: string) =>
  Schema.String.check(Schema.isPattern(regExp, { message: rule }))

/**
 * DOMAIN.md §1: 1–64 characters of A-Z a-z 0-9 _ -.
 *
 * @category models
 */
export const TenantId = pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ -").pipe(
  Schema.brand("TenantId")
)
export type TenantId = typeof TenantId.Type

/**
 * A card's kit number, unique within its tenant (DCMS `kitNo`; `4240181595`).
 *
 * @category models
 */
export const KitNo = pattern(/^[A-Za-z0-9]{1,32}$/, "must be 1-32 letters or digits").pipe(
  Schema.brand("KitNo")
)
export type KitNo = typeof KitNo.Type

/**
 * A customer's entity id (DCMS `entityId`; `676165`, `req11`).
 *
 * @category models
 */
export const EntityId = pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ -").pipe(
  Schema.brand("EntityId")
)
export type EntityId = typeof EntityId.Type

/**
 * A customer's mobile number: 7–15 digits, an optional leading `+` (E.164 allows at most 15).
 *
 * @category models
 */
export const MobileNo = pattern(/^\+?[0-9]{7,15}$/, "must be 7-15 digits, optionally after a leading +").pipe(
  Schema.brand("MobileNo")
)
export type MobileNo = typeof MobileNo.Type

/**
 * An account number. Seed 000 returns it as a JSON number (`8642135`), so it is a non-negative
 * safe integer.
 *
 * @category models
 */
export const AccountNo = Schema.Number.check(
  Schema.makeFilter((n: number) => Number.isSafeInteger(n) && n >= 0, {
    message: "must be a non-negative integer"
  })
).pipe(Schema.brand("AccountNo"))
export type AccountNo = typeof AccountNo.Type

/**
 * The channel a change came through (seed 002).
 *
 * @category models
 */
export const Channel = Schema.Literals(["IVR", "WEB", "MOBILE", "BRANCH"])
export type Channel = typeof Channel.Type

/**
 * Free text for the audit trail is the caller's: a card number typed into it is stored masked.
 */
function maskingCardNumbers<S extends Schema.Codec<string, string>>(schema: S) {
  return schema.pipe(
    Schema.decodeTo(Schema.String, {
      decode: SchemaGetter.transform(maskCardNumbers),
      encode: SchemaGetter.transform((text: string) => text)
    })
  )
}

/**
 * Who made a change, for the audit trail (seed 002 `changer`).
 *
 * @category models
 */
export const Changer = pattern(
  /^[^\p{Cc}]{1,64}$/u,
  "must be 1-64 characters without control characters"
).pipe(maskingCardNumbers)
export type Changer = typeof Changer.Type

/**
 * Why a change was made, for the audit trail (seed 002 `reason`).
 *
 * @category models
 */
export const Reason = pattern(
  /^[^\p{Cc}]{1,255}$/u,
  "must be 1-255 characters without control characters"
).pipe(maskingCardNumbers)
export type Reason = typeof Reason.Type

/**
 * A bank branch: where a customer is served and a physical card order is delivered (seed 001
 * `branchId`).
 *
 * @category models
 */
export const BranchId = pattern(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 characters of A-Z a-z 0-9 _ -").pipe(
  Schema.brand("BranchId")
)
export type BranchId = typeof BranchId.Type
