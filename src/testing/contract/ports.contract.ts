/**
 * The contract every adapter keeps: the same suite runs against the memory adapter and against each
 * host's own adapter. It speaks only through the ports; the adapter is handed a fixture to store
 * before each test.
 *
 * @since 0.1.0
 */
import { cardsContract } from "./cards.contract.js"
import { catalogContract } from "./catalog.contract.js"
import { concurrencyContract } from "./concurrency.contract.js"
import { customersContract } from "./customers.contract.js"
import { idempotencyContract } from "./idempotency.contract.js"
import { issuerContract } from "./issuer.contract.js"
import { locksContract } from "./locks.contract.js"
import { outboxContract } from "./outbox.contract.js"
import { pinsContract } from "./pins.contract.js"
import { settingsContract } from "./settings.contract.js"
import type { MakeLayer } from "./support.js"
import { transactorContract } from "./transactor.contract.js"

export type { MakeLayer, Ports } from "./support.js"

/**
 * The whole port contract: registers, with vitest's `describe` and `it`, every test of every part
 * (cards and audit, customers, transactions, the issuer, orders and catalog, keys and policy, PINs,
 * reads for update, concurrent use cases), each suite named after `name`. Call it at the top level of a
 * test file. Every run of a test builds `makeLayer(fixture)` anew, for that run's fixture.
 *
 * @category contracts
 */
export const portsContract = (name: string, makeLayer: MakeLayer) => {
  cardsContract(name, makeLayer)
  customersContract(name, makeLayer)
  transactorContract(name, makeLayer)
  issuerContract(name, makeLayer)
  catalogContract(name, makeLayer)
  settingsContract(name, makeLayer)
  pinsContract(name, makeLayer)
  locksContract(name, makeLayer)
  concurrencyContract(name, makeLayer)
  idempotencyContract(name, makeLayer)
  outboxContract(name, makeLayer)
}
