/**
 * `card-lifecycle/node`: the security module on node:crypto (OpenSSL), for hosts that run on Node.
 * It takes the portable module's key configuration, refuses the same configurations with the same
 * issues, and gives the same bytes, so either opens, checks and decrypts what the other made
 * (docs/pin-blocks.md, "card-lifecycle/node"). `NodeSecurityModule` offers the constructors of
 * `NobleSecurityModule` (`card-lifecycle/memory`): a host moves from one to the other by its import.
 *
 * @since 0.1.0
 */

// the port the layer provides and what it is built from, for a host that calls the module itself
export { InvalidKeyConfiguration, SecurityModule } from "../../ports/SecurityModule.js"
export type { KeyConfiguration, KeyEntry } from "../keys/KeyConfiguration.js"
/**
 * The security module on node:crypto: `layer(keys)` over a `KeyConfiguration`, `layerConfig(name)`
 * over the one read from Effect's `Config` (the JSON in `CARD_LIFECYCLE_KEYS` unless named).
 *
 * @category layers
 */
export * as NodeSecurityModule from "./NodeSecurityModule.js"
