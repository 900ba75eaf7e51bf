/**
 * ISO 9564-1 PIN blocks, the Set PIN V2 envelope and keyed hashes. Pure and synchronous at the core;
 * imports only `@noble/*` and `effect`.
 */
export { InvalidKey, InvalidPinBlock, InvalidPinInput, InvalidRandomSource } from "./Errors.js"
export { Format0 } from "./Format0.js"
export { Format1 } from "./Format1.js"
export { Format3 } from "./Format3.js"
export { Format4 } from "./Format4.js"
export { hmacSha256Hex, macHexEquals } from "./Hmac.js"
export {
  type DecryptPinBlockInput,
  decryptPinBlock,
  type EncryptPinBlockInput,
  encryptPinBlock
} from "./PinBlockEnvelope.js"
export {
  blockFromHex,
  blockToHex,
  PIN_PATTERN,
  type PinBlockFormat,
  type RandomSource
} from "./PinBlockFormat.js"
export type { Secret } from "./Secret.js"
export { isTrivialPin } from "./TrivialPin.js"
