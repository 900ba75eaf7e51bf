/**
 * Customers and their accounts.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { AccountNo, EntityId, MobileNo } from "../Identifiers.js"

/**
 * @category models
 */
export interface Customer {
  readonly entityId: EntityId
  readonly mobileNo: MobileNo
  /** The branch that serves the customer; physical card orders are delivered there. */
  readonly branchId: string
}

/**
 * @category models
 */
export interface Account {
  readonly accountNo: AccountNo
  readonly entityId: EntityId
}

/**
 * No customer matches the selector in the tenant.
 *
 * @category errors
 */
export class CustomerNotFound extends Schema.TaggedError<CustomerNotFound>()("CustomerNotFound", {
  selector: Schema.Literals(["entityId", "mobileNo"]),
  value: Schema.String
}) {
  readonly code = "CUSTOMER_NOT_FOUND" as const
  override get message() {
    return `No customer with ${this.selector} ${this.value} exists for this tenant.`
  }
}
