/**
 * The security module: the one place that holds a tenant's keys and performs every operation that
 * needs one. Keys never leave it; the domain hands it data and gets results back, and no type of the
 * port holds a key. A host plugs in a hardware security module or a KMS behind this port; the library
 * ships two modules that keep the keys in process, built from their own `KeyConfiguration`
 * (`src/adapters/keys/`; docs/pin-blocks.md, "Security modules").
 *
 * Every module gives the same bytes for the same keys and inputs, so that values made by one are
 * opened, checked and decrypted by any other (the shared suite of `card-lifecycle/testing` checks
 * it). The formats:
 *
 * - **Set PIN V2 envelope** (seed 001): Base64 of a 16-byte IV, the AES-GCM ciphertext of the ISO 9564
 *   format-0 block of the PIN and the card's PAN, and the 16-byte tag, under the tenant's `setPin`
 *   key (`encryptPinBlock` / `decryptPinBlock`). A module opens with the active key first, then with
 *   each older key: the tag tells which one sealed it.
 * - **PIN verifier**: HMAC-SHA-256, under the tenant's `pinStore` key, of the ASCII bytes
 *   `kitNo ":" PAN ":" PIN` (a kitNo is letters and digits, a PAN and a PIN digits: the colons split
 *   every message one way), as 64 lower-case hex digits. It binds the PIN to the card's identity and
 *   PAN: a verifier copied to another card does not verify there. Stored with the id of the key that
 *   made it, and checked in constant time under that key.
 * - **Card-number hash** (seed 000's `encryptedCardNumber`, and lookups by PAN): HMAC-SHA-256 of the
 *   PAN's ASCII digits under the tenant's active `cardNumber` key, 64 lower-case hex digits.
 * - **Encrypted PAN**: AES-GCM under the tenant's `panStore` key, a 12-byte random IV, the UTF-8 bytes
 *   of `tenant ":" kitNo` as additional data (a ciphertext moved to another card or another tenant
 *   does not decrypt there), as Base64 of IV ‖ ciphertext ‖ 16-byte tag; stored with the id of the key
 *   that made it.
 * - **Encrypted account PAN** (a token's, seed 004): the same, with `tenant ":token:"
 *   tokenUniqueReference` as additional data; 9–19 digits, no Luhn check (DOMAIN.md §8).
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Redacted, Schema } from "effect"
import type { InvalidPinBlock, InvalidPinInput } from "../crypto/Errors.js"
import type { KitNo, TenantId } from "../domain/ground/Identifiers.js"
import { maskCardNumbers } from "../domain/ground/Masking.js"
import type { Pan } from "../domain/ground/Pan.js"
import { type EncryptedPan, KeyId } from "../domain/ground/ProtectedPan.js"
import type { AccountPan } from "../domain/token/AccountPan.js"
import type { TokenUniqueReference } from "../domain/token/Token.js"

export { type EncryptedPan, KeyId } from "../domain/ground/ProtectedPan.js"

/**
 * The purposes a tenant holds secret keys for; each key serves one purpose only (a key's bytes never
 * appear under two purposes or two tenants): `cardNumber` (HMAC of PANs), `setPin` (AES-GCM key of
 * Set PIN V2 envelopes), `pinStore` (HMAC of PIN verifiers), `panStore` (AES-GCM encryption of
 * stored PANs).
 *
 * @category models
 */
export const KeyPurpose = Schema.Literals(["cardNumber", "setPin", "pinStore", "panStore"])
export type KeyPurpose = typeof KeyPurpose.Type

/**
 * The tenant has no key for the purpose: the operation cannot run until one is provisioned.
 *
 * @category errors
 */
export class TenantKeyMissing extends Schema.TaggedError<TenantKeyMissing>()("TenantKeyMissing", {
  code: Schema.tag("TENANT_KEY_MISSING"),
  message: Schema.String,
  purpose: KeyPurpose
}) {
  constructor(props: { readonly purpose: KeyPurpose }) {
    super({
      purpose: props.purpose,
      message: `This tenant has no ${props.purpose} key; provision one before calling this operation.`
    })
  }
}

/**
 * A PIN verifier as stored: the keyed hash (`Redacted`: it never prints) and the id of the
 * `pinStore` key that made it.
 *
 * @category models
 */
export interface StoredVerifier {
  readonly keyId: KeyId
  readonly mac: Redacted.Redacted<string>
}

/**
 * The card a PIN belongs to: its identity and its PAN, both bound into the verifier.
 *
 * @category models
 */
export interface PinHolder {
  readonly kitNo: KitNo
  readonly pan: Pan
}

/**
 * The card a PIN belongs to as a store holds it: its identity and its PAN as `encryptPan` stored it,
 * which only the module opens.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredPinHolder {
  readonly kitNo: KitNo
  readonly pan: EncryptedPan
}

/**
 * What `verifierFromEnvelope` gives: the new PIN's verifier, and whether the PIN is a trivial one (one
 * digit repeated or a straight run, DOMAIN.md §6), which the domain refuses or not by the tenant's
 * policy. Nothing of the PIN itself.
 *
 * @category models
 * @since 0.1.0
 */
export interface EnvelopeVerifier {
  readonly verifier: StoredVerifier
  readonly trivial: boolean
}

const isKeyId = Schema.is(KeyId)

/**
 * A stored value names a key the module does not hold (retired, or never configured for this tenant
 * and purpose). Nothing was opened or checked.
 *
 * @category errors
 */
export class UnknownKeyId extends Schema.TaggedError<UnknownKeyId>()("UnknownKeyId", {
  code: Schema.tag("UNKNOWN_KEY_ID"),
  message: Schema.String,
  purpose: KeyPurpose,
  keyId: Schema.String
}) {
  // the id comes from a stored row: one that is not a key id is not repeated, and digits that could
  // be a card number are masked
  constructor(props: { readonly purpose: KeyPurpose; readonly keyId: string }) {
    const keyId = isKeyId(props.keyId) ? maskCardNumbers(props.keyId) : "(not a key id)"
    super({
      purpose: props.purpose,
      keyId,
      message: `This tenant has no ${props.purpose} key ${keyId}; the value it made cannot be used until the key is restored.`
    })
  }
}

/**
 * A stored ciphertext did not open under its key: it was altered, or belongs to another card, token or
 * tenant.
 *
 * @category errors
 */
export class CiphertextRejected extends Schema.TaggedError<CiphertextRejected>()("CiphertextRejected", {
  code: Schema.tag("CIPHERTEXT_REJECTED"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "A stored ciphertext did not open under its key: it was altered or moved." })
  }
}

/**
 * A key configuration that breaks a rule: each issue names the path (`ACME_BANK.setPin.1.hex`) and
 * the rule, never a key's bytes. A tenant or a purpose that is not valid is named by its position
 * (`<tenant #2>`, `ACME_BANK.<purpose #1>`), so that a key put in its place never shows.
 *
 * @category errors
 */
export class InvalidKeyConfiguration extends Schema.TaggedError<InvalidKeyConfiguration>()(
  "InvalidKeyConfiguration",
  {
    code: Schema.tag("INVALID_KEY_CONFIGURATION"),
    message: Schema.String,
    issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
  }
) {
  constructor(props: {
    readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }>
  }) {
    super({
      issues: props.issues,
      message: `Invalid key configuration: ${props.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`
    })
  }
}

/**
 * @category models
 */
export type KeyFailure = TenantKeyMissing | UnknownKeyId

/**
 * A request's keyed fingerprint, and the id of the key that made it.
 *
 * @category models
 * @since 0.1.0
 */
export interface RequestFingerprint {
  readonly keyId: KeyId
  /** Lower-case hex. */
  readonly hash: string
}

/**
 * What `requestFingerprint` hashes before the request's text: the domain's separation from the PAN
 * hashes of the same key.
 *
 * @category constants
 * @since 0.1.0
 */
export const REQUEST_FINGERPRINT_PREFIX = "card-lifecycle/idempotency\u0000"

/**
 * The port. Every method takes the tenant first; a tenant without a key for the purpose fails with
 * `TenantKeyMissing`.
 *
 * @category ports
 */
export class SecurityModule extends Context.Service<
  SecurityModule,
  {
    /** Opens a Set PIN V2 envelope for the card's PAN: the PIN, `Redacted`. */
    readonly openPinBlock: (
      tenant: TenantId,
      envelope: string,
      pan: Pan
    ) => Effect.Effect<Redacted.Redacted<string>, InvalidPinBlock | TenantKeyMissing>
    /**
     * Set PIN V2 in one step, as a hardware module turns a PIN block into a PIN verification value:
     * the card's stored PAN opened (`decryptPan`), the envelope opened with it (`openPinBlock`), and the
     * PIN's verifier made for the card (`makeVerifier`), with whether the PIN is trivial. Neither the
     * PIN nor the PAN leaves the module. Fails as those three steps would, at the first that fails.
     */
    readonly verifierFromEnvelope: (
      tenant: TenantId,
      card: StoredPinHolder,
      envelope: string
    ) => Effect.Effect<EnvelopeVerifier, InvalidPinBlock | KeyFailure | CiphertextRejected>
    /**
     * `checkVerifier` for a card as a store holds it: its PAN opened (`decryptPan`) inside the module,
     * which it never leaves, then `pin` checked against `stored`.
     */
    readonly checkCardVerifier: (
      tenant: TenantId,
      card: StoredPinHolder,
      pin: Redacted.Redacted<string>,
      stored: StoredVerifier
    ) => Effect.Effect<boolean, KeyFailure | CiphertextRejected>
    /** Seals a PIN for the card's PAN under the active `setPin` key, with a fresh random IV. */
    readonly sealPinBlock: (
      tenant: TenantId,
      pin: Redacted.Redacted<string>,
      pan: Pan
    ) => Effect.Effect<string, InvalidPinInput | TenantKeyMissing>
    /** The verifier of `pin` on `card`, under the active `pinStore` key. */
    readonly makeVerifier: (
      tenant: TenantId,
      card: PinHolder,
      pin: Redacted.Redacted<string>
    ) => Effect.Effect<StoredVerifier, TenantKeyMissing>
    /** Whether `pin` on `card` is what `stored` was made of, under the key that made it. */
    readonly checkVerifier: (
      tenant: TenantId,
      card: PinHolder,
      pin: Redacted.Redacted<string>,
      stored: StoredVerifier
    ) => Effect.Effect<boolean, KeyFailure>
    /**
     * The keyed hash of a card's PAN (seed 000's `encryptedCardNumber`) or of a token's account PAN,
     * under the active `cardNumber` key: what a store looks a PAN up by.
     */
    readonly cardNumberHash: (
      tenant: TenantId,
      pan: Pan | AccountPan
    ) => Effect.Effect<string, TenantKeyMissing>
    /**
     * The same hash under a named `cardNumber` key, active or not: what a host re-hashes its stored
     * PANs with before it makes a new `cardNumber` key the active one (docs/pin-blocks.md, rotation).
     */
    readonly cardNumberHashUnder: (
      tenant: TenantId,
      keyId: KeyId,
      pan: Pan | AccountPan
    ) => Effect.Effect<string, KeyFailure>
    /**
     * The keyed fingerprint of a request (docs/idempotency.md): HMAC-SHA-256 of
     * `card-lifecycle/idempotency` NUL `text` under the active `cardNumber` key (the prefix keeps it
     * apart from the PAN hashes the same key makes), with the key's id. A request may hold a PIN or a
     * PAN: an unkeyed hash of it would give them away to a guesser.
     */
    readonly requestFingerprint: (
      tenant: TenantId,
      text: Redacted.Redacted<string>
    ) => Effect.Effect<RequestFingerprint, TenantKeyMissing>
    /** The same fingerprint under a named `cardNumber` key: a stored one is checked under its own key. */
    readonly requestFingerprintUnder: (
      tenant: TenantId,
      keyId: KeyId,
      text: Redacted.Redacted<string>
    ) => Effect.Effect<string, KeyFailure>
    /** The card's PAN encrypted under the active `panStore` key, bound to the tenant and the kitNo. */
    readonly encryptPan: (
      tenant: TenantId,
      kitNo: KitNo,
      pan: Pan
    ) => Effect.Effect<EncryptedPan, TenantKeyMissing>
    /** The card's PAN back, under the key that encrypted it. */
    readonly decryptPan: (
      tenant: TenantId,
      kitNo: KitNo,
      encrypted: EncryptedPan
    ) => Effect.Effect<Pan, KeyFailure | CiphertextRejected>
    /** A token's account PAN encrypted under the active `panStore` key, bound to tenant and token. */
    readonly encryptAccountPan: (
      tenant: TenantId,
      token: TokenUniqueReference,
      pan: AccountPan
    ) => Effect.Effect<EncryptedPan, TenantKeyMissing>
    /** A token's account PAN back, under the key that encrypted it. */
    readonly decryptAccountPan: (
      tenant: TenantId,
      token: TokenUniqueReference,
      encrypted: EncryptedPan
    ) => Effect.Effect<AccountPan, KeyFailure | CiphertextRejected>
  }
>()("card-lifecycle/SecurityModule") {}
