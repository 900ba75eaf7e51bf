/**
 * Random bodies to every endpoint: arbitrary JSON values, JSON-like and XML-like text, in each
 * content type the service takes and in others, with and without the tenant. Whatever arrives, the
 * answer is a 2xx or a 4xx with a body, never a 5xx; and no answer or log line repeats a card number
 * that a body held.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CardLifecycleApi } from "../../src/adapters/http/index.js"
import { memoryDemo, type Service, startService } from "./support.js"

const endpoints = Object.values(CardLifecycleApi.groups).flatMap((group) =>
  Object.values(group.endpoints).map((endpoint) => ({
    method: endpoint.method,
    path: endpoint.path.replace(":correlation_id", "8642137")
  }))
)

const PAN = "6080400000056384"

const fieldNames = [
  "kitNo",
  "entityId",
  "mobileNo",
  "operation",
  "kitInfo",
  "oldLoyaltyId",
  "status",
  "newLoyaltyId",
  "pinBlock",
  "expiryDate",
  "pin",
  "orderId",
  "branchId",
  "tokenUniqueReference",
  "currentAccountPan",
  "issuerProductConfigurationId",
  "auditInfo"
]

/** A JSON body: any JSON value, or an object of the requests' own field names with any values. */
const jsonBody = fc.oneof(
  fc.json(),
  fc.dictionary(fc.constantFrom(...fieldNames), fc.jsonValue(), { maxKeys: 8 }).map((o) => JSON.stringify(o)),
  fc.constantFrom(`{"kitNo":"${PAN}"}`, `{"entityId":"${PAN}","operation":"BLOCK"}`, `["${PAN}"]`)
)

const xmlName = fc.constantFrom(
  "UpdateRequest",
  "TokenUniqueReference",
  "AuditInfo",
  "UserId",
  "CommentText",
  "X"
)

/** An XML-like body: nested elements of the request's names, text, broken tags and entities. */
const xmlBody = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ maxLength: 20 }),
    fc.constantFrom("&amp;", "&lt;", "&bogus;", "<", "]]>", PAN),
    fc
      .tuple(xmlName, fc.array(tie("node"), { maxLength: 3 }))
      .map(([name, children]) => `<${name}>${children.join("")}</${name}>`)
  )
})).node

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/json",
  "application/xml",
  "text/xml",
  "text/plain",
  "application/x-www-form-urlencoded"
)

const request = fc.record({
  endpoint: fc.constantFrom(...endpoints),
  body: fc.oneof(jsonBody, xmlBody),
  contentType,
  accept: fc.constantFrom(undefined, "application/json", "application/xml", "*/*", "text/html"),
  tenant: fc.constantFrom("ACME_BANK", "OTHER", "", undefined)
})

describe("random bodies to every endpoint", () => {
  let service: Service
  beforeAll(async () => {
    service = await startService(memoryDemo())
  })
  afterAll(() => service.close())

  it("answer 2xx or 4xx, always with a body, never a card number of the body", async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ endpoint, body, contentType, accept, tenant }) => {
        const response = await fetch(service.base + endpoint.path, {
          method: endpoint.method,
          headers: {
            "content-type": contentType,
            ...(accept === undefined ? {} : { accept }),
            ...(tenant === undefined ? {} : { tenant })
          },
          body
        })
        const text = await response.text()
        expect(response.status, text).toBeGreaterThanOrEqual(200)
        expect(response.status, text).toBeLessThan(500)
        expect(text).not.toBe("")
        expect(text).not.toContain(PAN)
      }),
      { numRuns: 400 }
    )
    expect(service.logs.length).toBeGreaterThanOrEqual(400)
    expect(service.logText()).not.toContain(PAN)
  })
})
