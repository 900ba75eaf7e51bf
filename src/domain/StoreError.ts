import { Schema } from "effect"

/**
 * A port could not read or write its store (connection lost, serialization failure, injected fault).
 * Whatever the operation had written in its transaction is rolled back.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String
}) {
  readonly code = "STORE_UNAVAILABLE" as const
  override get message() {
    return `The store failed during ${this.operation}; nothing was changed. Retry the request.`
  }
}
