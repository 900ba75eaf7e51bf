/**
 * A key configuration checked and decoded: what an in-process security module holds in its closure.
 * Shared by the modules of this library, so that each refuses the same configurations with the same
 * issues.
 *
 * @since 0.1.0
 */
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js"
import { Redacted, Result, Schema } from "effect"
import { TenantId } from "../../domain/ground/Identifiers.js"
import { maskCardNumbers } from "../../domain/ground/Masking.js"
import { InvalidKeyConfiguration, KeyId, KeyPurpose } from "../../ports/SecurityModule.js"
import type { KeyConfiguration } from "./KeyConfiguration.js"

/**
 * One key of a tenant and purpose: its id, and its bytes, `Redacted` from the moment they are decoded.
 *
 * @category models
 */
export interface RingKey {
  readonly id: KeyId
  readonly key: Redacted.Redacted<Uint8Array>
}

/**
 * The keys of each tenant and purpose, the active one first; `undefined` when the tenant has none for
 * the purpose.
 *
 * @category models
 */
export interface KeyRing {
  readonly keysOf: (tenant: TenantId, purpose: KeyPurpose) => ReadonlyArray<RingKey> | undefined
  /** Zeroes every key and wipes its `Redacted`: a use after this is a defect, never a wrong answer. */
  readonly wipe: () => void
}

/** The most issues an error lists one by one; the rest are counted in one last issue. */
const MAX_ISSUES = 20
/** FIPS 197 §5: AES-128/192/256; the HMAC keys take the same sizes (RFC 2104 §3: at least L = 32 is best). */
const KEY_HEX = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/
const PURPOSES: ReadonlyArray<string> = KeyPurpose.literals

const isTenantId = Schema.is(TenantId)
const isKeyId = Schema.is(KeyId)

const isRecord = (input: unknown): input is { readonly [key: string]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input) && !Redacted.isRedacted(input)

/** Half the shortest key's hex: a tenant id holding a run this long may be (part of) a key. */
const HEX_RUN = /[0-9a-fA-F]{16}/

// A path is printed, and its names are the host's: a misplaced key (hex where a tenant or a purpose
// goes) must not show in it. So a name is shown only when it is valid and can be no key; any other
// name is its position, which no tenant id or purpose can be (they hold no `<`).
const tenantSegment = (tenant: string, position: number): string =>
  // digits that could be a card number are masked, as everywhere
  isTenantId(tenant) && !HEX_RUN.test(tenant) ? maskCardNumbers(tenant) : `<tenant #${position}>`
const purposeSegment = (purpose: string, position: number): string =>
  PURPOSES.includes(purpose) ? purpose : `<purpose #${position}>`

const hexOf = (hex: unknown): string | undefined => {
  const text = Redacted.isRedacted(hex) ? Redacted.value(hex) : hex
  return typeof text === "string" && KEY_HEX.test(text) ? text : undefined
}

const refused = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) => {
  if (issues.length <= MAX_ISSUES) return new InvalidKeyConfiguration({ issues })
  const rest = issues.length - MAX_ISSUES
  return new InvalidKeyConfiguration({
    issues: [...issues.slice(0, MAX_ISSUES), { path: "", message: `and ${rest} more issues` }]
  })
}

/**
 * Checks a key configuration (docs/pin-blocks.md, "Security modules") and decodes its keys. Every
 * broken rule is one issue naming its path and the rule: a tenant id that is not a `TenantId`, an
 * unknown purpose, a list that is empty or not a list, an id that is not a `KeyId` or repeats one of
 * the same tenant and purpose, hex that is not 16, 24 or 32 bytes, and key bytes that appear twice
 * anywhere in the configuration (key separation: one key, one tenant and one purpose). Keys are
 * compared by their SHA-256, so that no clear key is kept beside the ring, even while checking.
 *
 * A path names a tenant and a purpose only when the name is valid, so that a key put where a name
 * goes never shows in an error: a tenant id when it is a `TenantId` with no run of 16 or more hex
 * digits (its card-number digits masked), a purpose when it is a `KeyPurpose`. Any other tenant is
 * `<tenant #i>`, any other purpose `<purpose #i>`: its position among the configuration's tenants, or
 * the tenant's purposes, counted from 0 in the order of `Object.keys`, as list indices are
 * (`<tenant #2>.setPin.0.hex`, `ACME_BANK.<purpose #1>`).
 *
 * @category constructors
 */
export const keyRing = (config: KeyConfiguration): Result.Result<KeyRing, InvalidKeyConfiguration> => {
  const issues: Array<{ path: string; message: string }> = []
  const ring = new Map<string, ReadonlyArray<RingKey>>()
  const seen = new Map<string, string>()
  if (!isRecord(config)) return Result.fail(refused([{ path: "", message: "must be an object of tenants" }]))
  for (const [t, [tenant, purposes]] of Object.entries(config).entries()) {
    const at = tenantSegment(tenant, t)
    if (!isTenantId(tenant)) issues.push({ path: at, message: "must be 1-64 characters of A-Z a-z 0-9 _ -" })
    if (!isRecord(purposes)) {
      issues.push({ path: at, message: "must be an object of key purposes" })
      continue
    }
    for (const [p, [purpose, entries]] of Object.entries(purposes).entries()) {
      const list = `${at}.${purposeSegment(purpose, p)}`
      if (!PURPOSES.includes(purpose)) {
        issues.push({ path: list, message: `must be a key purpose: ${PURPOSES.join(", ")}` })
        continue
      }
      if (!Array.isArray(entries) || entries.length === 0) {
        issues.push({ path: list, message: "must be a non-empty list of { id, hex }" })
        continue
      }
      const keys: Array<RingKey> = []
      const ids = new Set<string>()
      for (const [i, entry] of (entries as ReadonlyArray<unknown>).entries()) {
        const path = `${list}.${i}`
        if (!isRecord(entry)) {
          issues.push({ path, message: "must be { id, hex }" })
          continue
        }
        const id = entry.id
        if (!isKeyId(id))
          issues.push({ path: `${path}.id`, message: "must be 1-64 characters of A-Z a-z 0-9 . _ -" })
        else if (ids.has(id))
          issues.push({ path: `${path}.id`, message: `must be unique among the tenant's ${purpose} keys` })
        else ids.add(id)
        const hex = hexOf(entry.hex)
        if (hex === undefined) {
          issues.push({ path: `${path}.hex`, message: "must be the hex of a 16-, 24- or 32-byte key" })
          continue
        }
        const bytes = hexToBytes(hex)
        const fingerprint = bytesToHex(sha256(bytes))
        const first = seen.get(fingerprint)
        if (first !== undefined)
          issues.push({
            path: `${path}.hex`,
            message: `must not be the key of ${first}: a key serves one tenant and one purpose`
          })
        else seen.set(fingerprint, path)
        if (isKeyId(id)) keys.push({ id, key: Redacted.make(bytes, { label: "key" }) })
      }
      ring.set(`${tenant}\u0000${purpose}`, keys)
    }
  }
  const wipe = () => {
    for (const keys of ring.values())
      for (const { key } of keys) {
        Redacted.value(key).fill(0)
        Redacted.wipeUnsafe(key)
      }
  }
  if (issues.length > 0) {
    wipe()
    return Result.fail(refused(issues))
  }
  return Result.succeed({ keysOf: (tenant, purpose) => ring.get(`${tenant}\u0000${purpose}`), wipe })
}
