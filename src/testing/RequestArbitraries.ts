/**
 * fast-check arbitraries of valid requests of the use cases: each decodes with its use case's
 * schema, and names the card, customer, account or order it is given.
 *
 * @since 0.1.0
 */
import { hexToBytes } from "@noble/hashes/utils.js"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import { defaultCatalog, defaultTierLadder, type ProductFixture } from "../adapters/memory/FixtureBuilder.js"
import { encryptPinBlockWithIv } from "../crypto/PinBlockEnvelope.js"
import { ExpDate } from "../domain/card/Card.js"
import type { CardStatusRequest } from "../domain/card/changeCardStatus.js"
import { Channel } from "../domain/ground/Identifiers.js"
import { DeliveryAddress } from "../domain/kit/CardOrder.js"
import type { CancelCardOrderRequest } from "../domain/kit/cancelCardOrder.js"
import type { ManageAllCardsRequest } from "../domain/kit/manageAllCards.js"
import type { UpgradeCardRequest } from "../domain/kit/upgradeCard.js"
import { cardExpiryMmyy } from "../domain/pin/SetPinRules.js"
import type { SetPinRequest } from "../domain/pin/setPin.js"
import type { VerifyPinRequest } from "../domain/pin/verifyPin.js"
import { ReplacementStatus } from "../domain/replacement/CardReplacement.js"
import type { ReplaceCardRequest } from "../domain/replacement/replaceCard.js"
import {
  accountNo,
  branchId,
  bulkOperation,
  entityId,
  kitNo,
  loyaltyId,
  mobileNo,
  orderId,
  pin
} from "./DomainArbitraries.js"

/** Free audit text: printable characters, no control character. */
const auditText = (maxLength: number) => fc.string({ unit: "grapheme-composite", minLength: 1, maxLength })

/** The audit fields every change takes (seed 002), each present or not. */
const auditFields = {
  reason: auditText(255),
  changer: auditText(64),
  channel: fc.constantFrom(...Channel.literals)
}

const given = <T>(value: T | undefined, otherwise: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  value === undefined ? otherwise : fc.constant(value)

/**
 * Requests of `activateCard`, `lockCard`, `unlockCard` and `blockCard` (seed 002, one card): the
 * card `kitNo` when given, and any of the audit fields.
 *
 * @category requests
 */
export const cardStatusRequest = (
  constraints: { readonly kitNo?: string } = {}
): fc.Arbitrary<CardStatusRequest> =>
  fc.record({ kitNo: given(constraints.kitNo, kitNo()), ...auditFields }, { requiredKeys: ["kitNo"] })

/**
 * Requests of `manageAllCards` (seed 002): the customer by entityId, by mobileNo or by both (only
 * one of them when no customer is given, as two random ids name two customers), any operation,
 * any of the audit fields.
 *
 * @category requests
 */
export const manageAllCardsRequest = (
  constraints: { readonly customer?: { readonly entityId: string; readonly mobileNo: string } } = {}
): fc.Arbitrary<ManageAllCardsRequest> => {
  const { customer } = constraints
  const selector: fc.Arbitrary<{ entityId?: string; mobileNo?: string }> =
    customer === undefined
      ? fc.oneof(fc.record({ entityId: entityId() }), fc.record({ mobileNo: mobileNo() }))
      : fc.constantFrom(
          { entityId: customer.entityId },
          { mobileNo: customer.mobileNo },
          { entityId: customer.entityId, mobileNo: customer.mobileNo }
        )
  return fc
    .tuple(
      selector,
      fc.record({ operation: bulkOperation(), ...auditFields }, { requiredKeys: ["operation"] })
    )
    .map(([who, what]) => ({ ...who, ...what }))
}

/**
 * Requests of `upgradeCard` (seed 000) for `card`: one or two `kitInfo` entries, one per card type,
 * each a product of the catalog above the card's tier, or of its tier but another product; any
 * `deliveryAddress` and audit fields. The catalog and ladder are the defaults unless told; a card
 * whose tier is off the ladder, or that no product upgrades, is a `RangeError`.
 *
 * @category requests
 */
export const upgradeCardRequest = (
  card: {
    readonly entityId: string
    readonly kitNo: string
    readonly tierType: string
    readonly productId: string
  },
  constraints: {
    readonly catalog?: ReadonlyArray<ProductFixture>
    readonly tierLadder?: ReadonlyArray<string>
  } = {}
): fc.Arbitrary<UpgradeCardRequest> => {
  const ladder = constraints.tierLadder ?? defaultTierLadder
  const rank = ladder.indexOf(card.tierType)
  const upgrades = (constraints.catalog ?? defaultCatalog).filter((product) => {
    const to = ladder.indexOf(product.tierType)
    return to > rank || (to === rank && product.productId !== card.productId)
  })
  if (rank < 0 || upgrades.length === 0)
    throw new RangeError("upgradeCardRequest: the card's tier must be on the ladder, below some product")
  const byCardType = (["PHYSICAL", "VIRTUAL"] as const)
    .map((cardType) => upgrades.filter((product) => product.cardType === cardType))
    .filter((products) => products.length > 0)
  const entry = (products: ReadonlyArray<ProductFixture>) =>
    fc
      .record(
        {
          product: fc.constantFrom(...products),
          aliasName: auditText(64)
        },
        { requiredKeys: ["product"] }
      )
      .map(({ product, ...alias }) => ({
        ...alias,
        cardType: product.cardType,
        plasticCode: product.plasticCode,
        tierType: product.tierType
      }))
  return fc
    .tuple(
      fc.subarray(byCardType, { minLength: 1 }).chain((types) => fc.tuple(...types.map(entry))),
      fc.record(
        { deliveryAddress: fc.constantFrom(...DeliveryAddress.literals), ...auditFields },
        {
          requiredKeys: []
        }
      )
    )
    .map(([kitInfo, fields]) => ({ entityId: card.entityId, kitNo: card.kitNo, kitInfo, ...fields }))
}

/** A loyalty id as seed 003 types it: a digit string, or a JSON number when it keeps every digit. */
const asLoyaltyId = (digits: string): fc.Arbitrary<string | number> =>
  /^[1-9][0-9]{0,14}$/.test(digits) ? fc.constantFrom(digits, Number(digits)) : fc.constant(digits)

/**
 * Requests of `replaceCard` (seed 003): the account `accountNo` and the card `kitNo` when given
 * (a kitNo of 1–32 digits, as seed 003 sends it; any other is a `RangeError`), each as a digit
 * string or a number; any replacement status; a new loyalty id or not; any audit fields.
 *
 * @category requests
 */
export const replaceCardRequest = (
  constraints: { readonly accountNo?: number; readonly kitNo?: string } = {}
): fc.Arbitrary<ReplaceCardRequest> => {
  if (constraints.kitNo !== undefined && !/^[0-9]{1,32}$/.test(constraints.kitNo))
    throw new RangeError("replaceCardRequest: the kitNo must be a loyalty id, 1-32 digits")
  return fc.record(
    {
      correlationId: given(constraints.accountNo, accountNo()).chain((n) => fc.constantFrom(n, String(n))),
      oldLoyaltyId: given(constraints.kitNo, loyaltyId()).chain(asLoyaltyId),
      status: fc.constantFrom(...ReplacementStatus.literals),
      newLoyaltyId: loyaltyId().chain(asLoyaltyId),
      changer: auditFields.changer,
      channel: auditFields.channel
    },
    { requiredKeys: ["correlationId", "oldLoyaltyId", "status"] }
  )
}

/**
 * Requests of `cancelCardOrder` (seed 001): the order `orderId` at `branchId` when given, any of the
 * audit fields.
 *
 * @category requests
 */
export const cancelCardOrderRequest = (
  constraints: { readonly orderId?: string; readonly branchId?: string } = {}
): fc.Arbitrary<CancelCardOrderRequest> =>
  fc.record(
    {
      orderId: given(constraints.orderId, orderId()),
      branchId: given(constraints.branchId, branchId()),
      ...auditFields
    },
    { requiredKeys: ["orderId", "branchId"] }
  )

/**
 * Requests of `verifyPin`: the card `kitNo` and the `pin` when given (a card fixture names its
 * kitNo), else any kitNo, and any PIN of 4–12 digits, trivial ones included: verifyPin answers for
 * every PIN.
 *
 * @category requests
 */
export const verifyPinRequest = (
  constraints: { readonly kitNo?: string; readonly pin?: string } = {}
): fc.Arbitrary<VerifyPinRequest> =>
  fc.record({
    kitNo: given(constraints.kitNo, kitNo()),
    pin: given(constraints.pin, pin({ allowTrivial: true }))
  })

/**
 * A Set PIN V2 request, and the PIN it carries in clear, for the test to verify it afterwards.
 *
 * @category models
 */
export interface SetPinRequestWithPin {
  readonly request: SetPinRequest
  readonly pin: string
}

/** AES-128, -192 and -256 keys in hex (FIPS 197 §5), as a tenant's fixture writes them. */
const AES_KEY_HEX = /^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64})$/

/**
 * Requests of `setPin` (seed 001 Set PIN V2) for `card`, each with its PIN: a PIN as `pin` draws (none
 * trivial unless `allowTrivial`) as a format-0 block for the card's PAN, sealed as `encryptPinBlock`
 * seals it under `setPinKeyHex`, the tenant's active `setPin` key; the card's `expDate` as MMYY; any
 * channel and changer. The envelope's IV is drawn by fast-check, so a seed replays the very envelope
 * it failed with (a fixed IV is for tests alone: the package root's `encryptPinBlock` always draws a
 * fresh one). setPin sets the PIN when the card is ASSIGNED, ACTIVE or LOCKED in the tenant of that key, and a trivial PIN when the tenant allows
 * them. A PAN that is not 12–19 digits, an `expDate` not in seed 000's shape or a key that is not
 * 16, 24 or 32 bytes of hex is a `RangeError`.
 *
 * @category requests
 */
export const setPinRequest = (options: {
  readonly card: { readonly kitNo: string; readonly pan: string; readonly expDate: string }
  readonly setPinKeyHex: string
  readonly allowTrivial?: boolean
}): fc.Arbitrary<SetPinRequestWithPin> => {
  const { card, setPinKeyHex } = options
  if (!/^[0-9]{12,19}$/.test(card.pan) || !Schema.is(ExpDate)(card.expDate))
    throw new RangeError("setPinRequest: the card needs a PAN of 12-19 digits and an expDate of seed 000")
  if (!AES_KEY_HEX.test(setPinKeyHex))
    throw new RangeError("setPinRequest: the setPin key must be 16, 24 or 32 bytes of hex")
  const key = hexToBytes(setPinKeyHex)
  const expiryDate = cardExpiryMmyy(card.expDate)
  return fc
    .record(
      {
        pin: pin({ allowTrivial: options.allowTrivial ?? false }),
        iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        channel: auditFields.channel,
        changer: auditFields.changer
      },
      { requiredKeys: ["pin", "iv"] }
    )
    .map(({ pin, iv, ...audit }) => ({
      request: {
        kitNo: card.kitNo,
        pinBlock: Effect.runSync(encryptPinBlockWithIv({ pin, pan: card.pan, key }, iv)),
        expiryDate,
        ...audit
      },
      pin
    }))
}
