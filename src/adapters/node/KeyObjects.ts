/**
 * What card-lifecycle/node holds instead of the ring's bytes: each key of a checked configuration
 * imported once into a node:crypto `KeyObject` (native memory, outside the JavaScript heap), by tenant
 * and purpose, the active key first.
 *
 * @since 0.1.0
 */
import { type CipherGCMTypes, createSecretKey, type KeyObject } from "node:crypto"
import { Redacted } from "effect"
import type { TenantId } from "../../domain/ground/Identifiers.js"
import type { KeyId, KeyPurpose } from "../../ports/SecurityModule.js"
import type { KeyConfiguration } from "../keys/KeyConfiguration.js"
import type { KeyRing } from "../keys/KeyRing.js"

/** One key as the module holds it: never exported from the package, never printed. */
export interface NodeKey {
  readonly id: KeyId
  readonly secret: KeyObject
  /** The AES-GCM cipher of the key's length, when the key serves AES (`setPin`, `panStore`). */
  readonly cipher: CipherGCMTypes
}

/** A tenant's keys for one purpose: the active one, then the older ones in order. */
export interface NodeRing {
  readonly active: NodeKey
  readonly all: ReadonlyArray<NodeKey>
}

/** The rings by tenant, then purpose. */
export type NodeKeys = ReadonlyMap<string, ReadonlyMap<KeyPurpose, NodeRing>>

// FIPS 197 §5: the key's length picks AES-128, AES-192 or AES-256
const cipherFor = (bytes: Uint8Array): CipherGCMTypes => `aes-${bytes.length * 8}-gcm` as CipherGCMTypes

/**
 * Imports every key `ring` decoded from `config` (checked by `keyRing`) into a `KeyObject` —
 * `createSecretKey` copies the bytes into native memory — then wipes the ring: from here on the
 * module holds the `KeyObject`s alone.
 *
 * @category constructors
 */
export const importKeys = (config: KeyConfiguration, ring: KeyRing): NodeKeys => {
  const byTenant = new Map<string, Map<KeyPurpose, NodeRing>>()
  for (const [tenant, purposes] of Object.entries(config)) {
    const byPurpose = new Map<KeyPurpose, NodeRing>()
    for (const purpose of Object.keys(purposes) as ReadonlyArray<KeyPurpose>) {
      const keys = ring.keysOf(tenant as TenantId, purpose)
      if (keys === undefined || keys.length === 0) continue
      const all = keys.map(({ id, key }): NodeKey => {
        const bytes = Redacted.value(key)
        return { id, secret: createSecretKey(bytes), cipher: cipherFor(bytes) }
      })
      byPurpose.set(purpose, { active: all[0]!, all })
    }
    byTenant.set(tenant, byPurpose)
  }
  ring.wipe()
  return byTenant
}
