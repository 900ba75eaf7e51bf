/**
 * Seed 004's XML, read and written by `fast-xml-parser`: the `UpdateRequest` body into the request
 * object the use case takes, and the answers (`TokenResponse`, the errors) into the XML of the seed's
 * data-contract serializer (elements in alphabetical order, a null as `i:nil="true"`).
 *
 * No document type is read: a body with a `<!DOCTYPE` is refused before parsing, so no entity can be
 * declared, let alone expanded; only XML's five predefined entities are decoded.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser"
import { MalformedBody } from "./HttpErrors.js"

/** The namespaces of seed 004's documents. */
const NAMESPACES = {
  "@_xmlns:i": "http://www.w3.org/2001/XMLSchema-instance",
  "@_xmlns": "http://schemas.datacontract.org/2004/07/MDES.CustomerService.Models"
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // every value stays text: the use case's schema judges it, as it judges JSON strings
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // a DOCTYPE is refused before parsing; this bounds the predefined entities of a 64 KiB body
  processEntities: { enabled: true, maxEntityCount: 0, maxTotalExpansions: 65_536 }
})

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressBooleanAttributes: false,
  suppressEmptyNode: true
})

const hasDoctype = (text: string): boolean => /<!DOCTYPE/i.test(text)

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1)

const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The JSON names of seed 004 are its XML names with a lower-case first letter, at every level. */
const toJsonNames = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toJsonNames)
  if (!isRecord(value)) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [lowerFirst(key), toJsonNames(inner)])
  )
}

/**
 * The request object of an `UpdateRequest` document: each element under the root by its JSON name
 * (`TokenUniqueReference` → `tokenUniqueReference`, `AuditInfo/UserId` → `auditInfo.userId`), every
 * value as text, so that the use case reports bad fields by the same paths as for JSON. A document
 * that is not well-formed, holds a DOCTYPE, or whose root is not `UpdateRequest` is `MalformedBody`
 * (the last with the root's name not repeated: it is the caller's text).
 *
 * @category parsing
 */
export const parseUpdateRequest = (text: string): Result.Result<unknown, MalformedBody> => {
  if (text.trim() === "") return Result.fail(new MalformedBody({ format: "XML", why: "empty" }))
  if (hasDoctype(text)) return Result.fail(new MalformedBody({ format: "XML", why: "doctype" }))
  if (XMLValidator.validate(text) !== true)
    return Result.fail(new MalformedBody({ format: "XML", why: "malformed" }))
  let document: unknown
  try {
    document = parser.parse(text)
  } catch {
    return Result.fail(new MalformedBody({ format: "XML", why: "malformed" }))
  }
  if (!isRecord(document) || !("UpdateRequest" in document))
    return Result.fail(new MalformedBody({ format: "XML", why: "malformed" }))
  const root = document.UpdateRequest
  // `<UpdateRequest/>` is an empty request: the use case names each missing field
  return Result.succeed(root === "" ? {} : toJsonNames(root))
}

/** A JSON value as the data-contract serializer writes it: names capitalized, keys sorted. */
const toXmlValue = (value: unknown, itemName?: string): unknown => {
  if (value === null || value === undefined) return { "@_i:nil": "true" }
  if (Array.isArray(value)) return { [itemName ?? "Item"]: value.map((item) => toXmlValue(item)) }
  if (!isRecord(value)) return String(value)
  const keys = Object.keys(value).sort((a, b) => upperFirst(a).localeCompare(upperFirst(b), "en"))
  return Object.fromEntries(keys.map((key) => [upperFirst(key), toXmlValue(value[key], itemNames[key])]))
}

/** The element of each entry of a list, as seed 004 shows it. */
const itemNames: Record<string, string> = {
  devices: "Device",
  suspender: "Suspender",
  tokens: "Token",
  skippedTokens: "SkippedToken",
  Error: "Error"
}

/**
 * A token-service answer as XML: `{ token }` is seed 004's `<TokenResponse>` with its `<token>`
 * element; `{ tokens, skippedTokens }` is `<TokensUpdatedResponse>`.
 *
 * @category rendering
 */
export const renderTokenAnswer = (answer: object): string => {
  if ("token" in answer)
    return builder.build({
      TokenResponse: { ...NAMESPACES, token: toXmlValue((answer as { token: unknown }).token) }
    })
  return builder.build({ TokensUpdatedResponse: { ...NAMESPACES, ...(toXmlValue(answer) as object) } })
}

/**
 * A token-service refusal as XML: `<Errors><Error>…</Error></Errors>`.
 *
 * @category rendering
 */
export const renderTokenRefusal = (refusal: {
  readonly Errors: { readonly Error: ReadonlyArray<object> }
  readonly errorId?: string
}): string =>
  builder.build({
    Errors: {
      ...NAMESPACES,
      Error: refusal.Errors.Error.map((error) => toXmlValue(error)),
      ...(refusal.errorId === undefined ? {} : { ErrorId: refusal.errorId })
    }
  })
