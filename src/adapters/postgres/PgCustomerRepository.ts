/**
 * `CustomerRepository` on PostgreSQL: customers and their accounts, each a row keyed by tenant first;
 * an account's replacement instants as epoch milliseconds.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { Account, AccountRegistration, AccountStatus, Customer } from "../../domain/customer/Customer.js"
import type { AccountNo, BranchId, EntityId, MobileNo } from "../../domain/ground/Identifiers.js"
import { CustomerRepository } from "../../ports/CustomerRepository.js"
import { statement } from "./Store.js"

interface CustomerRow {
  readonly entity_id: string
  readonly mobile_no: string
  readonly branch_id: string
}

interface AccountRow {
  readonly account_no: string | number
  readonly entity_id: string
  readonly status: string
  readonly registration: string
  readonly replacements: ReadonlyArray<string | number>
}

const customerOf = (row: CustomerRow): Customer => ({
  entityId: row.entity_id as EntityId,
  mobileNo: row.mobile_no as MobileNo,
  branchId: row.branch_id as BranchId
})

const accountOf = (row: AccountRow): Account => ({
  accountNo: Number(row.account_no) as AccountNo,
  entityId: row.entity_id as EntityId,
  status: row.status as AccountStatus,
  registration: row.registration as AccountRegistration,
  replacements: row.replacements.map((millis) => DateTime.makeUnsafe(Number(millis)))
})

/**
 * @category layers
 */
export const PgCustomerRepository = Layer.effect(
  CustomerRepository,
  Effect.map(SqlClient.SqlClient, (sql) => {
    const customerWhere = (operation: string, where: ReturnType<typeof sql.and>) =>
      sql<CustomerRow>`SELECT entity_id, mobile_no, branch_id FROM customers WHERE ${where}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), customerOf)),
        statement(operation)
      )
    const account = (operation: string, tenant: string, accountNo: number, lock: boolean) =>
      sql<AccountRow>`SELECT account_no, entity_id, status, registration, replacements FROM accounts
        WHERE tenant = ${tenant} AND account_no = ${accountNo} ${sql.literal(lock ? "FOR UPDATE" : "")}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), accountOf)),
        statement(operation)
      )
    return CustomerRepository.of({
      findByEntityId: (tenant, entityId) =>
        customerWhere(
          "CustomerRepository.findByEntityId",
          sql.and([sql`tenant = ${tenant}`, sql`entity_id = ${entityId}`])
        ),
      findByMobileNo: (tenant, mobileNo) =>
        customerWhere(
          "CustomerRepository.findByMobileNo",
          sql.and([sql`tenant = ${tenant}`, sql`mobile_no = ${mobileNo}`])
        ),
      findAccount: (tenant, accountNo) => account("CustomerRepository.findAccount", tenant, accountNo, false),
      findAccountForUpdate: (tenant, accountNo) =>
        account("CustomerRepository.findAccountForUpdate", tenant, accountNo, true),
      saveAll: (tenant, customers) =>
        customers.length === 0
          ? Effect.void
          : sql`INSERT INTO customers (tenant, entity_id, mobile_no, branch_id)
              SELECT ${tenant}, * FROM unnest(${customers.map((c) => c.entityId)}::text[],
                ${customers.map((c) => c.mobileNo)}::text[], ${customers.map((c) => c.branchId)}::text[])
              ON CONFLICT (tenant, entity_id) DO UPDATE
                SET mobile_no = excluded.mobile_no, branch_id = excluded.branch_id`.pipe(
              Effect.asVoid,
              statement("CustomerRepository.saveAll")
            ),
      saveAccounts: (tenant, accounts) =>
        accounts.length === 0
          ? Effect.void
          : sql`INSERT INTO accounts (tenant, account_no, entity_id, status, registration, replacements)
              SELECT ${tenant}, v.account_no, v.entity_id, v.status, v.registration, v.replacements
              FROM jsonb_populate_recordset(NULL::accounts, ${JSON.stringify(
                accounts.map((a) => ({
                  account_no: a.accountNo,
                  entity_id: a.entityId,
                  status: a.status,
                  registration: a.registration,
                  replacements: a.replacements.map(DateTime.toEpochMillis)
                }))
              )}::jsonb) AS v
              ON CONFLICT (tenant, account_no) DO UPDATE SET entity_id = excluded.entity_id,
                status = excluded.status, registration = excluded.registration,
                replacements = excluded.replacements`.pipe(
              Effect.asVoid,
              statement("CustomerRepository.saveAccounts")
            )
    })
  })
)
