import { Effect, Layer, Option } from "effect"
import type { Account, Customer } from "../../domain/customer/Customer.js"
import type { AccountNo, TenantId } from "../../domain/ground/Identifiers.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { MemoryDatabase, type Tables } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

/**
 * @category constructors
 */
export const putCustomers = (
  tables: Tables,
  tenant: TenantId,
  customers: ReadonlyArray<Customer>
): Tables => {
  for (const customer of customers) {
    const old = Table.getOrUndefined(tables.customers, tenant, customer.entityId)
    if (old !== undefined) Table.remove(tables.customersByMobile, tenant, old.mobileNo)
    Table.set(tables.customers, tenant, customer.entityId, customer)
    Table.set(tables.customersByMobile, tenant, customer.mobileNo, customer.entityId)
  }
  return tables
}

/**
 * @category constructors
 */
export const putAccounts = (tables: Tables, tenant: TenantId, accounts: ReadonlyArray<Account>): Tables => {
  for (const account of accounts) Table.set(tables.accounts, tenant, account.accountNo, account)
  return tables
}

/**
 * @category layers
 */
export const MemoryCustomerRepository = Layer.effect(
  CustomerRepository,
  Effect.map(MemoryDatabase, (db) => {
    const findAccount = (tenant: TenantId, accountNo: AccountNo) =>
      db.read((t) => Table.get(t.accounts, tenant, accountNo))
    return CustomerRepository.of({
      findByEntityId: (tenant, entityId) => db.read((t) => Table.get(t.customers, tenant, entityId)),
      findByMobileNo: (tenant, mobileNo) =>
        db.read((t) =>
          Option.flatMap(Table.get(t.customersByMobile, tenant, mobileNo), (entityId) =>
            Table.get(t.customers, tenant, entityId)
          )
        ),
      findAccount,
      // one transaction at a time: the account is the transaction's own until it ends
      findAccountForUpdate: findAccount,
      saveAll: (tenant, customers) =>
        db.write("CustomerRepository.saveAll", (t) => putCustomers(t, tenant, customers)),
      saveAccounts: (tenant, accounts) =>
        db.write("CustomerRepository.saveAccounts", (t) => putAccounts(t, tenant, accounts))
    })
  })
)
