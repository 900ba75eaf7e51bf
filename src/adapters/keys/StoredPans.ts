/**
 * The four stored-PAN methods of the port, the same in every in-process module: each module gives the
 * two primitives (seal a PAN's digits under the active `panStore` key with some additional data, and
 * open a stored one under the key its id names), and this binds them to the port's formats: a card's
 * PAN bound to `tenant ":" kitNo` and read back as a Luhn-valid PAN, a token's account PAN bound to
 * `tenant ":token:" tokenUniqueReference` and read back as 9–19 digits.
 *
 * @since 0.1.0
 */
import { Effect, type Redacted, Schema } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import { makePan, PanDigits } from "../../domain/ground/Pan.js"
import type { EncryptedPan } from "../../domain/ground/ProtectedPan.js"
import { AccountPanDigits, makeAccountPan } from "../../domain/token/AccountPan.js"
import type {
  CiphertextRejected,
  SecurityModule,
  StoredPinHolder,
  TenantKeyMissing,
  UnknownKeyId
} from "../../ports/SecurityModule.js"
import { accountPanAad, panAad } from "./PanAad.js"

/** NIST SP 800-38D §8.2.2: a stored PAN is AES-GCM with a 96-bit random IV and the full 128-bit tag, around 9 (an account PAN) to 19 ASCII digits. */
export const PAN_IV_BYTES = 12
const TAG_BYTES = 16
export const STORED_PAN_BYTES_MIN = PAN_IV_BYTES + 9 + TAG_BYTES
export const STORED_PAN_BYTES_MAX = PAN_IV_BYTES + 19 + TAG_BYTES

/**
 * What a module gives: `seal` the digits with `aad` under the tenant's active `panStore` key; `open`
 * a stored PAN under the key its id names, its digits if the tag holds and they are `valid`.
 *
 * @category models
 */
export interface StoredPanPrimitives {
  readonly seal: (
    tenant: TenantId,
    aad: string,
    pan: Redacted.Redacted<string>
  ) => Effect.Effect<EncryptedPan, TenantKeyMissing>
  readonly open: (
    tenant: TenantId,
    aad: string,
    encrypted: EncryptedPan,
    valid: (digits: string) => boolean
  ) => Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected>
}

const isPanDigits = Schema.is(PanDigits)
const isAccountPanDigits = Schema.is(AccountPanDigits)

type Methods = Pick<
  SecurityModule["Service"],
  "encryptPan" | "decryptPan" | "encryptAccountPan" | "decryptAccountPan"
>

/**
 * A card's stored PAN, its digits, opened as `decryptPan` opens it (bound to the tenant and the
 * kitNo, a Luhn-valid PAN or refused): for a module's own operations that use the PAN without giving
 * it out.
 *
 * @category constructors
 */
export const cardPanDigits =
  (open: StoredPanPrimitives["open"]) =>
  (
    tenant: TenantId,
    card: StoredPinHolder
  ): Effect.Effect<string, TenantKeyMissing | UnknownKeyId | CiphertextRejected> =>
    open(tenant, panAad(tenant, card.kitNo), card.pan, isPanDigits)

/**
 * @category constructors
 */
export const storedPanMethods = ({ seal, open }: StoredPanPrimitives): Methods => ({
  encryptPan: (tenant, kitNo, pan) => Effect.suspend(() => seal(tenant, panAad(tenant, kitNo), pan)),
  decryptPan: (tenant, kitNo, encrypted) =>
    Effect.map(open(tenant, panAad(tenant, kitNo), encrypted, isPanDigits), (digits) =>
      makePan(PanDigits.make(digits))
    ),
  encryptAccountPan: (tenant, token, pan) =>
    Effect.suspend(() => seal(tenant, accountPanAad(tenant, token), pan)),
  decryptAccountPan: (tenant, token, encrypted) =>
    Effect.map(open(tenant, accountPanAad(tenant, token), encrypted, isAccountPanDigits), (digits) =>
      makeAccountPan(AccountPanDigits.make(digits))
    )
})
