/**
 * Rules of CustomerNotFound (src/domain/customer/Customer.ts): an entityId sent is named, a card
 * number in it masked; a mobile number sent is never repeated; the message says which selector
 * found nobody.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CustomerNotFound } from "../../src/domain/customer/Customer.js"

describe("CustomerNotFound", () => {
  it("names the entityId it did not find, by selector, value and message", () => {
    const error = new CustomerNotFound({ selector: "entityId", value: "676165" })
    expect(error.selector).toBe("entityId")
    expect(error.value).toBe("676165")
    expect(error.message).toBe("No customer with entityId 676165 exists for this tenant.")
  })

  it("masks a card number sent as an entityId, in its value and in its message", () => {
    const error = new CustomerNotFound({ selector: "entityId", value: "4111111111111111" })
    expect(error.value).toBe("411111XXXXXX1111")
    expect(error.message).toBe("No customer with entityId 411111XXXXXX1111 exists for this tenant.")
  })

  it("never repeats a mobile number: no value, and a message that names only the selector", () => {
    const error = new CustomerNotFound({ selector: "mobileNo", value: "919876543210" })
    expect(error.selector).toBe("mobileNo")
    expect(error.value).toBeUndefined()
    expect(error.message).toBe("No customer with this mobileNo exists for this tenant.")
    expect(JSON.stringify(Schema.encodeSync(CustomerNotFound)(error))).not.toContain("9876543210")
  })
})
