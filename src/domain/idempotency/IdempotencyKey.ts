/**
 * An idempotency key and the refusal of a key used for another request (docs/idempotency.md).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * An idempotency key: 1 to 255 printable ASCII characters (the `Idempotency-Key` header's).
 *
 * @category schemas
 * @since 0.1.0
 */
export const IdempotencyKey = Schema.String.check(
  Schema.isPattern(/^[\x20-\x7E]{1,255}$/, { message: "must be 1 to 255 printable ASCII characters" })
)

/**
 * The key was first used for another request (another operation, or other fields): its answer is
 * not this request's. Nothing ran. The key is not repeated (a caller's text).
 *
 * @category errors
 * @since 0.1.0
 */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  code: Schema.tag("IDEMPOTENCY_KEY_REUSED"),
  message: Schema.String
}) {
  constructor() {
    super({
      message: "This idempotency key was used for another request; send a new key with a new request."
    })
  }
}
