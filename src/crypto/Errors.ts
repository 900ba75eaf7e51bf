import { Schema } from "effect"

// Every error carries `code` and `message` as encoded fields, filled in by the constructor, so an
// HTTP adapter can put them on the wire without mapping them (src/domain/ErrorModel.ts).

/**
 * Any failure to decode a PIN block or a PIN envelope: bad Base64, wrong length, wrong tag, wrong key,
 * bad control nibble, bad length nibble, bad digits, bad fill. DOMAIN.md §6: one and the same error,
 * with one fixed message, so that nothing tells an attacker which check failed.
 *
 * @category errors
 */
export class InvalidPinBlock extends Schema.TaggedError<InvalidPinBlock>()("InvalidPinBlock", {
  code: Schema.tag("INVALID_PIN_BLOCK"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "The PIN block could not be decoded." })
  }
}

const inputRules = {
  pin: "The PIN must be 4 to 12 decimal digits.",
  pan: "The PAN must be 12 to 19 decimal digits, check digit included.",
  iv: "The IV must be 16 bytes."
} as const

/**
 * A PIN, PAN or IV that cannot be encoded: the message names the field and the rule it breaks, never
 * the value.
 *
 * @category errors
 */
export class InvalidPinInput extends Schema.TaggedError<InvalidPinInput>()("InvalidPinInput", {
  code: Schema.tag("INVALID_PIN_INPUT"),
  message: Schema.String,
  field: Schema.Literals(["pin", "pan", "iv"])
}) {
  constructor(props: { readonly field: keyof typeof inputRules }) {
    super({ field: props.field, message: inputRules[props.field] })
  }
  static of(field: keyof typeof inputRules): InvalidPinInput {
    return new InvalidPinInput({ field })
  }
}

/**
 * An AES key that is not 16, 24 or 32 bytes long (FIPS 197 §5: AES-128, AES-192, AES-256).
 *
 * @category errors
 */
export class InvalidKey extends Schema.TaggedError<InvalidKey>()("InvalidKey", {
  code: Schema.tag("INVALID_KEY"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "The key must be 16, 24 or 32 bytes long (AES-128, AES-192 or AES-256)." })
  }
}

/**
 * A random source that did not give the number of bytes asked for: the host's misconfiguration, raised
 * as a defect, never as a failure the client could cause.
 *
 * @category errors
 */
export class InvalidRandomSource extends Schema.TaggedError<InvalidRandomSource>()("InvalidRandomSource", {
  code: Schema.tag("INVALID_RANDOM_SOURCE"),
  message: Schema.String
}) {
  constructor() {
    super({ message: "The random source did not give the number of bytes asked for." })
  }
}
