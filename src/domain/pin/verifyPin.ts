/**
 * Checks a PIN against the card's verifier in the PIN store: what a host builds PIN verification on.
 *
 * @since 0.1.0
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { PIN_PATTERN } from "../../crypto/index.js"
import { CardRepository } from "../../ports/CardRepository.js"
import { PinStore } from "../../ports/PinStore.js"
import { SecurityModule } from "../../ports/SecurityModule.js"
import type { VerifyPinError } from "../DomainError.js"
import { KitNo } from "../ground/Identifiers.js"
import { decodeTenantRequest } from "../ground/Validation.js"

/**
 * ISO 9564-1 §8.1: a PIN is 4 to 12 decimal digits. Held `Redacted` once decoded; never encoded back.
 *
 * @category schemas
 */
export const PinFromString = Schema.RedactedFromValue(
  Schema.String.check(Schema.isPattern(PIN_PATTERN, { message: "must be 4-12 digits" })),
  { label: "PIN", disallowEncode: true }
)

/**
 * `{ kitNo, pin }`, the PIN in clear (the host has already opened whatever carried it).
 *
 * @category schemas
 */
export const VerifyPinRequest = Schema.Struct({ kitNo: KitNo, pin: PinFromString })
export type VerifyPinRequest = typeof VerifyPinRequest.Encoded

/**
 * @category models
 */
export type VerifyPinPorts = PinStore | CardRepository | SecurityModule

const decode = decodeTenantRequest(VerifyPinRequest)

/**
 * Whether `pin` is the PIN last set on the card: the `SecurityModule` checks it against the stored
 * verifier (bound to the card's kitNo and PAN), in constant time, under the key that made it. `false`
 * when no PIN was ever set, or the card is unknown in the tenant; `UnknownKeyId` when the verifier's
 * key is no longer held, `TenantKeyMissing` when the tenant has no `pinStore` key at all. It answers
 * whatever the card's status (a BLOCKED or CANCELLED card's PIN still verifies), changes nothing,
 * keeps no try counter and writes no audit event: status rules, lock-outs and the audit of verification belong to the host that calls it.
 * The PIN's `Redacted` is wiped once used, as setPin wipes the PIN it opens.
 *
 * @category use cases
 */
export const verifyPin = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<boolean, VerifyPinError, VerifyPinPorts> {
  const { tenant: tenantId, request: command } = yield* decode(tenant, request)
  const checked = Effect.gen(function* () {
    const stored = yield* (yield* PinStore).find(tenantId, command.kitNo)
    if (Option.isNone(stored)) return false
    // the verifier is bound to the card's PAN, which comes from the card record
    const card = yield* (yield* CardRepository).findByKitNo(tenantId, command.kitNo)
    if (Option.isNone(card)) return false
    const holder = { kitNo: card.value.kitNo, pan: card.value.pan }
    return yield* (yield* SecurityModule).checkVerifier(tenantId, holder, command.pin, stored.value)
  })
  return yield* Effect.ensuring(
    checked,
    Effect.sync(() => Redacted.wipeUnsafe(command.pin))
  )
})
