/**
 * The contract every adapter keeps: the same suite runs against the memory adapter now, and against
 * each later adapter (PostgreSQL). It speaks only through the ports; the adapter is handed a
 * fixture to store before each test.
 */
import { cardsContract } from "./cards.contract.js"
import { catalogContract } from "./catalog.contract.js"
import { concurrencyContract } from "./concurrency.contract.js"
import { customersContract } from "./customers.contract.js"
import { issuerContract } from "./issuer.contract.js"
import { locksContract } from "./locks.contract.js"
import { settingsContract } from "./settings.contract.js"
import type { MakeLayer } from "./support.js"
import { transactorContract } from "./transactor.contract.js"

export type { MakeLayer, Ports } from "./support.js"

export const portsContract = (name: string, makeLayer: MakeLayer) => {
  cardsContract(name, makeLayer)
  customersContract(name, makeLayer)
  transactorContract(name, makeLayer)
  issuerContract(name, makeLayer)
  catalogContract(name, makeLayer)
  settingsContract(name, makeLayer)
  locksContract(name, makeLayer)
  concurrencyContract(name, makeLayer)
}
