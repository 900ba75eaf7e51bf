/**
 * Customers and their accounts.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import type { AccountNo, BranchId, EntityId, MobileNo } from "../ground/Identifiers.js"
import { maskCardNumbers } from "../ground/Masking.js"

/**
 * @category models
 */
export interface Customer {
  readonly entityId: EntityId
  readonly mobileNo: MobileNo
  /** The branch that serves the customer; physical card orders are delivered there. */
  readonly branchId: BranchId
}

/**
 * An account's lifecycle status (seed 003 refuses replacements on any but ACTIVE).
 * PENDING_ACTIVATION: opened, not yet active.
 *
 * @category models
 */
export const AccountStatus = Schema.Literals(["PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "CLOSED"])
export type AccountStatus = typeof AccountStatus.Type

/**
 * Seed 003: REGISTERED; GHOST (a placeholder a data migration created before the user signed up);
 * UNREGISTERED (known to the platform, the user never registered).
 *
 * @category models
 */
export const AccountRegistration = Schema.Literals(["REGISTERED", "GHOST", "UNREGISTERED"])
export type AccountRegistration = typeof AccountRegistration.Type

/**
 * @category models
 */
export interface Account {
  readonly accountNo: AccountNo
  readonly entityId: EntityId
  readonly status: AccountStatus
  readonly registration: AccountRegistration
  /** The instants of the account's past card replacements, oldest first (seed 003's limit). */
  readonly replacements: ReadonlyArray<DateTime.Utc>
}

/**
 * No account with this number in the tenant (DOMAIN.md §1: an account of another tenant is not
 * found). The number is not repeated: it is the caller's (seed 003's correlation id, up to 16
 * digits), masking would garble a real account number of 12 digits or more, and a card number sent
 * in its place must not come back; the caller knows the number it sent.
 *
 * @category errors
 */
export class AccountNotFound extends Schema.TaggedError<AccountNotFound>()("AccountNotFound", {
  code: Schema.tag("ACCOUNT_NOT_FOUND"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "No account with this number exists for this tenant." })
  }
}

/**
 * No customer matches the selector in the tenant. An entityId is repeated, any run of 12 or more
 * digits in it masked like a PAN; a mobile number is not repeated at all: it is a run of up to 15
 * digits, which masking would garble, and the caller knows the one it sent.
 *
 * @category errors
 */
export class CustomerNotFound extends Schema.TaggedError<CustomerNotFound>()("CustomerNotFound", {
  code: Schema.tag("CUSTOMER_NOT_FOUND"),
  message: Schema.String,
  selector: Schema.Literals(["entityId", "mobileNo"]),
  /** The entityId sent, masked; absent for a mobileNo. */
  value: Schema.optionalKey(Schema.String)
}) {
  constructor(
    props:
      | { readonly selector: "entityId"; readonly value: string }
      // a mobileNo given here (or decoded from the wire) is left out
      | { readonly selector: "mobileNo"; readonly value?: string }
  ) {
    const value = props.selector === "entityId" ? maskCardNumbers(props.value) : undefined
    super(
      value === undefined
        ? { selector: "mobileNo", message: "No customer with this mobileNo exists for this tenant." }
        : {
            selector: "entityId",
            value,
            message: `No customer with entityId ${value} exists for this tenant.`
          }
    )
  }
}
