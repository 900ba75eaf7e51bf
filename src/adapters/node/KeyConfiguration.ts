/**
 * The keys a security module holds, as a host configures them: per tenant, per purpose, a non-empty
 * list of keys, the first one active and the others kept to open and check what they made.
 *
 * This type must stay the same as the portable module's key configuration: a host moves from one
 * module to the other without touching its configuration.
 *
 * @since 0.1.0
 */
import { Redacted, Result, Schema } from "effect"
import { TenantId } from "../../domain/ground/Identifiers.js"
import { KeyId } from "../../ports/SecurityModule.js"
import { KeyPurpose } from "../../ports/TenantKeys.js"

/**
 * One key: its id (stored beside what it makes) and its bytes in hex, 16, 24 or 32 bytes.
 *
 * @category models
 */
export interface KeyEntry {
  readonly id: string
  readonly hex: string | Redacted.Redacted<string>
}

/**
 * A tenant's keys by purpose. The first key of each list is the active one: it seals, hashes and
 * encrypts; every key of the list opens and checks.
 *
 * @category models
 */
export type TenantKeyConfiguration = {
  readonly [P in KeyPurpose]?: readonly [KeyEntry, ...ReadonlyArray<KeyEntry>]
}

/**
 * Every tenant's keys, by tenant id.
 *
 * @category models
 */
export interface KeyConfiguration {
  readonly [tenant: string]: TenantKeyConfiguration
}

/**
 * The key configuration breaks a rule: `path` says where (`ACME_BANK.setPin[1].hex`), `rule` what.
 * Never the key's bytes.
 *
 * @category errors
 */
export class InvalidKeyConfiguration extends Schema.TaggedError<InvalidKeyConfiguration>()(
  "InvalidKeyConfiguration",
  {
    code: Schema.tag("INVALID_KEY_CONFIGURATION"),
    message: Schema.String,
    path: Schema.String,
    rule: Schema.String
  }
) {
  constructor(props: { readonly path: string; readonly rule: string }) {
    super({ ...props, message: `${props.path}: ${props.rule}` })
  }
}

/** One key, checked: its id and its bytes (the caller imports them, then wipes them). */
export interface CheckedKey {
  readonly id: KeyId
  readonly bytes: Uint8Array
}

/** A tenant's keys for one purpose, checked, the active one first. */
export interface CheckedKeys {
  readonly tenant: TenantId
  readonly purpose: KeyPurpose
  readonly keys: ReadonlyArray<CheckedKey>
}

const PURPOSES = KeyPurpose.literals
const isTenantId = Schema.is(TenantId)
const isKeyId = Schema.is(KeyId)
const isPurpose = Schema.is(KeyPurpose)
const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)
// FIPS 197 §5: AES-128, AES-192, AES-256; HMAC keys of the same sizes
const HEX_KEY = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/

const rules = {
  configuration: "must be an object of tenants' keys by tenant id",
  tenant:
    "must be a tenant id of 1-64 characters of A-Z a-z 0-9 _ -, holding an object of key lists by purpose",
  purpose: `is not a key purpose (${PURPOSES.join(", ")})`,
  list: "must be a non-empty list of keys, the active one first",
  entry: "must be an object { id, hex }",
  id: "must be 1-64 characters of A-Z a-z 0-9 . _ -",
  hex: "must be 16, 24 or 32 bytes in hex (32, 48 or 64 hex digits)"
} as const

const unique = "must be unique among the ids of this tenant and purpose"
const separate = (other: string) =>
  `must not hold the same bytes as ${other}: each key serves one tenant and one purpose`

/**
 * Checks a configuration and decodes its keys: tenant ids and key ids well formed, purposes known,
 * lists non-empty, ids unique per tenant and purpose, keys of 16, 24 or 32 bytes, and no key's bytes
 * twice anywhere (key separation: one key, one tenant, one purpose). The first rule broken is the
 * error, named by its path; on failure the bytes decoded so far are wiped.
 */
export const checkKeyConfiguration = (
  config: KeyConfiguration
): Result.Result<ReadonlyArray<CheckedKeys>, InvalidKeyConfiguration> => {
  const checked: Array<CheckedKeys> = []
  // the bytes seen so far, by their hex in lower case, to the path that holds them; dropped on return
  const seen = new Map<string, string>()
  const fail = (path: string, rule: string) => {
    for (const { keys } of checked) for (const key of keys) key.bytes.fill(0)
    return Result.fail(new InvalidKeyConfiguration({ path, rule }))
  }
  if (!isObject(config)) return fail("(configuration)", rules.configuration)
  for (const [tenant, purposes] of Object.entries(config)) {
    if (!isTenantId(tenant) || !isObject(purposes)) return fail(tenant, rules.tenant)
    for (const [purpose, list] of Object.entries(purposes)) {
      const at = `${tenant}.${purpose}`
      if (!isPurpose(purpose)) return fail(at, rules.purpose)
      if (!Array.isArray(list) || list.length === 0) return fail(at, rules.list)
      const keys: Array<CheckedKey> = []
      checked.push({ tenant, purpose, keys })
      for (const [i, entry] of (list as ReadonlyArray<unknown>).entries()) {
        const path = `${at}[${i}]`
        if (!isObject(entry)) return fail(path, rules.entry)
        const { id, hex } = entry
        if (!isKeyId(id)) return fail(`${path}.id`, rules.id)
        if (keys.some((key) => key.id === id)) return fail(`${path}.id`, unique)
        const text = Redacted.isRedacted(hex) ? Redacted.value(hex) : hex
        if (typeof text !== "string" || !HEX_KEY.test(text)) return fail(`${path}.hex`, rules.hex)
        const normal = text.toLowerCase()
        const other = seen.get(normal)
        if (other !== undefined) return fail(`${path}.hex`, separate(other))
        seen.set(normal, `${path}.hex`)
        keys.push({ id, bytes: Buffer.from(normal, "hex") })
      }
    }
  }
  return Result.succeed(checked)
}
