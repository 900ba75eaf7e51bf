/**
 * `card-lifecycle/testing`: what a host needs to test its own adapters and its code around the
 * library — the fixture builders, fast-check arbitraries of the domain, the port contract suite,
 * which runs with vitest against any layer that provides the ports, and the security module contract
 * (`securityModuleContract`), which runs against any `SecurityModule` built from a key configuration. Needs `vitest` and `fast-check`
 * (optional peer dependencies of the package); the other entries never import them.
 *
 * @since 0.1.0
 */

// The fixture builders of `card-lifecycle/memory`, for the fixtures a contract or a test seeds.
export {
  type AccountFixture,
  type CardFixture,
  type CustomerFixture,
  cardFixture,
  customerFixture,
  defaultBin,
  defaultCatalog,
  defaultTierLadder,
  fixture,
  type ProductFixture,
  panForSerial,
  randomKeyHex,
  type TenantFixture,
  tenantFixture
} from "../adapters/memory/FixtureBuilder.js"
export type { MemoryFixture } from "../adapters/memory/MemoryFixture.js"

/**
 * fast-check arbitraries of the domain, each giving values the library decodes: identifiers
 * (`tenantId`, `kitNo`, `loyaltyId`, `entityId`, `mobileNo`, `accountNo`, `branchId`, `orderId`),
 * Luhn-valid PANs (`pan`, on a BIN or any), PINs (`pin`, trivial ones only when asked), statuses
 * and operations (`cardStatus`, `cardOperation`, `bulkOperation`, `cardState`), cards (`card`,
 * `cardFixture`, `expDate`), customers and fixtures (`customerFixture`, `customerFixtures`,
 * `tenantFixture`, `fixture`), the values of a token update (`tokenUniqueReference`, `cardholderId`,
 * `accountPan`, in an account range or any, `expirationDate`, `accountPanSequenceNumber`,
 * `productConfigurationId`, `auditInfo`, `commentText`), and requests of the use cases
 * (`cardStatusRequest`, `manageAllCardsRequest`, `upgradeCardRequest`, `replaceCardRequest`,
 * `cancelCardOrderRequest`, `verifyPinRequest`, `setPinRequest` with its PIN, `updateTokenRequest`).
 *
 * @example
 * import fc from "fast-check"
 * import { Arbitraries } from "card-lifecycle/testing"
 *
 * fc.assert(fc.property(Arbitraries.pan({ bin: "608040" }), (pan) => pan.startsWith("608040")))
 *
 * @category arbitraries
 */
export * as Arbitraries from "./arbitraries.js"

// The port contract, whole (`portsContract`) and by part.
export { atRestContract, type StoredRows } from "./contract/atRest.contract.js"
export { cardsContract } from "./contract/cards.contract.js"
export { catalogContract } from "./contract/catalog.contract.js"
export { concurrencyContract } from "./contract/concurrency.contract.js"
export { customersContract } from "./contract/customers.contract.js"
export { idempotencyContract } from "./contract/idempotency.contract.js"
export { issuerContract } from "./contract/issuer.contract.js"
export { locksContract } from "./contract/locks.contract.js"
export { outboxContract } from "./contract/outbox.contract.js"
export { pinsContract } from "./contract/pins.contract.js"
export { portsContract } from "./contract/ports.contract.js"
export { securityModuleContract } from "./contract/securityModule.contract.js"
export type { MakeSecurityModule } from "./contract/securityModule.support.js"
export { settingsContract } from "./contract/settings.contract.js"
export type { MakeLayer, Ports } from "./contract/support.js"
export { transactorContract } from "./contract/transactor.contract.js"
