/**
 * Rules of a store's failure (src/domain/ground/StoreError.ts): it is not retryable unless the port
 * says so, its message says whether a retry may help, and the store's own failure is kept as the
 * error's non-enumerable `cause`, only when there is one.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { StoreError } from "../../src/domain/ground/StoreError.js"

describe("StoreError", () => {
  it("is not retryable unless the port says it is", () => {
    const error = new StoreError({ operation: "CardRepository.save" })
    expect(error.retryable).toBe(false)
    expect(new StoreError({ operation: "CardRepository.save", retryable: false }).retryable).toBe(false)
    expect(new StoreError({ operation: "CardRepository.save", retryable: true }).retryable).toBe(true)
  })

  it("tells the caller to retry a retryable failure, and to wait for a repair otherwise", () => {
    expect(new StoreError({ operation: "AuditLog.append", retryable: true }).message).toBe(
      "The store failed during AuditLog.append; nothing was changed. Retry the request."
    )
    expect(new StoreError({ operation: "AuditLog.append" }).message).toBe(
      "The store failed during AuditLog.append; nothing was changed. Retrying will not help until the store is repaired."
    )
  })

  it("keeps the store's own failure as a non-enumerable cause that can be redefined, and never encodes it", () => {
    const cause = new Error("connection reset")
    const error = new StoreError({ operation: "CardRepository.save", retryable: true, cause })
    expect(error.cause).toBe(cause)
    const descriptor = Object.getOwnPropertyDescriptor(error, "cause")
    expect(descriptor?.enumerable).toBe(false)
    expect(descriptor?.configurable).toBe(true)
    expect(JSON.stringify(Schema.encodeSync(StoreError)(error))).not.toContain("connection reset")
  })

  it("has no cause of its own when the port gives none", () => {
    const error = new StoreError({ operation: "CardRepository.save" })
    expect(Object.hasOwn(error, "cause")).toBe(false)
    expect(Object.getOwnPropertyDescriptor(error, "cause")).toBeUndefined()
  })
})
