import { Effect, HashMap, Layer, Option } from "effect"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { TenantId } from "../../domain/Identifiers.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { MemoryDatabase, rowKey, type Tables } from "./MemoryDatabase.js"

/**
 * @category constructors
 */
export const putCustomers = (
  tables: Tables,
  tenant: TenantId,
  customers: ReadonlyArray<Customer>
): Tables => {
  let { customers: rows, customersByMobile } = tables
  for (const customer of customers) {
    const key = rowKey(tenant, customer.entityId)
    const old = Option.getOrUndefined(HashMap.get(rows, key))
    if (old !== undefined) customersByMobile = HashMap.remove(customersByMobile, rowKey(tenant, old.mobileNo))
    rows = HashMap.set(rows, key, customer)
    customersByMobile = HashMap.set(customersByMobile, rowKey(tenant, customer.mobileNo), customer.entityId)
  }
  return { ...tables, customers: rows, customersByMobile }
}

/**
 * @category constructors
 */
export const putAccounts = (tables: Tables, tenant: TenantId, accounts: ReadonlyArray<Account>): Tables => ({
  ...tables,
  accounts: HashMap.mutate(tables.accounts, (rows) => {
    for (const account of accounts) HashMap.set(rows, rowKey(tenant, account.accountNo), account)
  })
})

/**
 * @category layers
 */
export const MemoryCustomerRepository = Layer.effect(
  CustomerRepository,
  Effect.map(MemoryDatabase, (db) =>
    CustomerRepository.of({
      findByEntityId: (tenant, entityId) =>
        db.read((t) => HashMap.get(t.customers, rowKey(tenant, entityId))),
      findByMobileNo: (tenant, mobileNo) =>
        db.read((t) =>
          Option.flatMap(HashMap.get(t.customersByMobile, rowKey(tenant, mobileNo)), (entityId) =>
            HashMap.get(t.customers, rowKey(tenant, entityId))
          )
        ),
      findAccount: (tenant, accountNo) => db.read((t) => HashMap.get(t.accounts, rowKey(tenant, accountNo))),
      saveAll: (tenant, customers) =>
        db.write("CustomerRepository.saveAll", (t) => putCustomers(t, tenant, customers)),
      saveAccounts: (tenant, accounts) =>
        db.write("CustomerRepository.saveAccounts", (t) => putAccounts(t, tenant, accounts))
    })
  )
)
