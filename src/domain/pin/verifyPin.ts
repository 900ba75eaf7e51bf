/**
 * Checks a PIN against the card's verifier in the PIN store: what a host builds PIN verification on.
 *
 * @since 0.1.0
 */
import { Effect, Option, Redacted, Schema } from "effect"
import { PIN_PATTERN } from "../../crypto/index.js"
import { PinStore } from "../../ports/PinStore.js"
import { TenantKeys } from "../../ports/TenantKeys.js"
import type { VerifyPinError } from "../DomainError.js"
import { KitNo } from "../ground/Identifiers.js"
import { decodeTenantRequest } from "../ground/Validation.js"
import { pinVerifier, verifierMatches } from "./PinVerifier.js"

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
export type VerifyPinPorts = PinStore | TenantKeys

const decode = decodeTenantRequest(VerifyPinRequest)

/**
 * Whether `pin` is the PIN last set on the card: its verifier (HMAC-SHA-256 of kitNo and PIN under the
 * tenant's `pinStore` key) is compared with the stored one in constant time. `false` when no PIN was
 * ever set, or the card is unknown in the tenant. It answers whatever the card's status (a BLOCKED or
 * CANCELLED card's PIN still verifies), changes nothing, keeps no try counter and writes no audit
 * event: status rules, lock-outs and the audit of verification belong to the host that calls it.
 * The PIN's `Redacted` is wiped once used, as setPin wipes the PIN it opens.
 *
 * @category use cases
 */
export const verifyPin = Effect.fnUntraced(function* (
  tenant: string,
  request: unknown
): Effect.fn.Return<boolean, VerifyPinError, VerifyPinPorts> {
  const { tenant: tenantId, request: command } = yield* decode(tenant, request)
  const candidate = yield* Effect.ensuring(
    Effect.map((yield* TenantKeys).keyFor(tenantId, "pinStore"), (key) =>
      pinVerifier(key, command.kitNo, command.pin)
    ),
    Effect.sync(() => Redacted.wipeUnsafe(command.pin))
  )
  const stored = yield* (yield* PinStore).find(tenantId, command.kitNo)
  return Option.isSome(stored) && verifierMatches(stored.value, candidate)
})
