// A card's protected PAN in tests: a stand-in for pure rules and stores, and the clear PAN of a
// stored card, asked of the layer's security module.
import { createHash } from "node:crypto"
import { Effect, Redacted } from "effect"
import type { Card } from "../../src/domain/card/Card.js"
import { revealPan } from "../../src/domain/card/CardPan.js"
import type { TenantId } from "../../src/domain/ground/Identifiers.js"
import { makePan, maskPan, type PanDigits } from "../../src/domain/ground/Pan.js"
import { KeyId, type ProtectedPan } from "../../src/domain/ground/ProtectedPan.js"

/**
 * A protected PAN that no module made: masked from `digits`, hashed by plain SHA-256 (distinct PANs,
 * distinct hashes), a ciphertext that opens under no key. For rules and stores that never open it.
 */
export const standInPan = (digits: string): ProtectedPan => ({
  encrypted: {
    keyId: KeyId.make("stand-in"),
    ciphertext: Buffer.from(`stand-in ${digits.length}`).toString("base64")
  },
  masked: maskPan(makePan(digits as PanDigits)),
  hash: createHash("sha256").update(digits).digest("hex")
})

/** The clear digits of a stored card's PAN, decrypted by the layer's security module. */
export const clearPanOf = (tenant: TenantId | string, card: Card) =>
  Effect.map(revealPan(tenant as TenantId, card), (pan) => Redacted.value(pan) as string)

/**
 * `text` with each stored PAN's ciphertext and hash replaced by a placeholder: both differ between
 * two builds of a store (a fresh IV, fresh storage keys), so two runs are compared without them.
 */
export const withoutStoredPanBytes = (text: string): string =>
  text
    .replace(/(ciphertext\\?["']?:\s*\\?["'])[A-Za-z0-9+/=]+/g, "$1<ciphertext>")
    .replace(/(hash\\?["']?:\s*\\?["'])[0-9a-f]{64}/g, "$1<hash>")
