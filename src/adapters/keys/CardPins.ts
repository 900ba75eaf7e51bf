/**
 * The security module's operations on a card as a store holds it (`verifierFromEnvelope`,
 * `checkCardVerifier`), made of the module's own steps (`decryptPan`, `openPinBlock`, `makeVerifier`,
 * `checkVerifier`): what a module without a shorter way of its own gives. Between the steps the PAN
 * and the PIN are `Redacted` values of this function, never returned; the PIN is wiped once its
 * verifier is made.
 *
 * @since 0.1.0
 */
import { Effect, Redacted } from "effect"
import { isTrivialPin } from "../../crypto/TrivialPin.js"
import type { SecurityModule } from "../../ports/SecurityModule.js"

type Service = SecurityModule["Service"]

/**
 * @category constructors
 */
export const cardPinMethods = (
  steps: Pick<Service, "decryptPan" | "openPinBlock" | "makeVerifier" | "checkVerifier">
): Pick<Service, "verifierFromEnvelope" | "checkCardVerifier"> => ({
  verifierFromEnvelope: (tenant, card, envelope) =>
    Effect.flatMap(steps.decryptPan(tenant, card.kitNo, card.pan), (pan) =>
      Effect.flatMap(steps.openPinBlock(tenant, envelope, pan), (pin) =>
        steps.makeVerifier(tenant, { kitNo: card.kitNo, pan }, pin).pipe(
          Effect.map((verifier) => ({ verifier, trivial: isTrivialPin(pin) })),
          Effect.ensuring(Effect.sync(() => Redacted.wipeUnsafe(pin)))
        )
      )
    ),
  checkCardVerifier: (tenant, card, pin, stored) =>
    Effect.flatMap(steps.decryptPan(tenant, card.kitNo, card.pan), (pan) =>
      steps.checkVerifier(tenant, { kitNo: card.kitNo, pan }, pin, stored)
    )
})
