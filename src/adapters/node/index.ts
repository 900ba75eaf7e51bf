/**
 * `card-lifecycle/node`: the security module on node:crypto (OpenSSL), for hosts that run on Node.
 * It gives the same bytes as the portable module, so either opens, checks and decrypts what the other
 * made (docs/pin-blocks.md, "card-lifecycle/node").
 *
 * @since 0.1.0
 */

// the port the layer provides, for a host that calls the module itself
export { SecurityModule } from "../../ports/SecurityModule.js"
export {
  InvalidKeyConfiguration,
  type KeyConfiguration,
  type KeyEntry,
  type TenantKeyConfiguration
} from "./KeyConfiguration.js"
export { layer } from "./NodeSecurityModule.js"
