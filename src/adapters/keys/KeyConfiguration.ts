/**
 * The key configuration of the in-process security modules: what a host hands `layer(keys)`, the
 * keys in hex. It belongs to the modules that hold keys in process, not to the port: a module behind
 * an HSM or a KMS never sees a key, and no type of the domain or of the ports holds one. Types only:
 * nothing here runs.
 *
 * @since 0.1.0
 */
import type { Redacted } from "effect"
import type { KeyPurpose } from "../../ports/SecurityModule.js"

/**
 * One key as a host configures it: its id (a `KeyId`) and its bytes in hex, 16, 24 or 32 bytes. The
 * hex may come `Redacted` (read from a secret store or `Config.Redacted`).
 *
 * @category models
 */
export interface KeyEntry {
  readonly id: string
  readonly hex: string | Redacted.Redacted<string>
}

/**
 * The keys of an in-process security module: per tenant, per purpose, a list of keys. The FIRST key
 * of a list is the active one, which makes every new value; all of them open envelopes and check or
 * decrypt the values stored with their id. A module refuses, when it is built, a configuration that
 * breaks a rule (`InvalidKeyConfiguration`): a tenant id that is not a `TenantId`, an unknown
 * purpose, an empty list, an id that is not a `KeyId` or is repeated within a tenant and purpose, hex
 * that is not 16, 24 or 32 bytes, or the same key bytes twice anywhere (two purposes, two tenants).
 *
 * @example
 * const keys: KeyConfiguration = {
 *   ACME_BANK: {
 *     setPin: [{ id: "2026-07", hex: "…64 hex digits…" }, { id: "2025-01", hex: "…" }],
 *     pinStore: [{ id: "1", hex: "…" }]
 *   }
 * }
 *
 * @category models
 */
export interface KeyConfiguration {
  readonly [tenant: string]: { readonly [P in KeyPurpose]?: ReadonlyArray<KeyEntry> }
}
