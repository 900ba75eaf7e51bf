/**
 * Every class of bad input the HTTP layer meets, on every family of endpoints: a 4xx with a body in
 * the family's shape, never a 5xx, never an empty body, never a stack trace; the unexpected failure
 * is a 500 with an opaque id, also logged. And the headers every answer carries.
 */
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MAX_BODY_BYTES } from "../../src/adapters/http/index.js"
import { AuditLog } from "../../src/ports/AuditLog.js"
import { call, memoryDemo, type Service, startService } from "./support.js"

/** One endpoint of each family, with a valid body. */
const families = [
  {
    family: "dcms",
    method: "POST",
    path: "/v1/kit-manager/lockCard",
    body: { kitNo: "4561789" }
  },
  {
    family: "loyalty",
    method: "PUT",
    path: "/v1/client/users/8642137/cards",
    body: { oldLoyaltyId: 4240181700, status: "DAMAGED" }
  },
  {
    family: "token",
    method: "POST",
    path: "/v1/api/Update",
    body: {
      tokenUniqueReference: "DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c",
      issuerProductConfigurationId: "ANYGOLD101",
      auditInfo: { userId: "u1", userName: "Ann", organization: "ACME", phone: "1" }
    }
  }
] as const

type Family = (typeof families)[number]["family"]

/** The code the family's shape carries. */
const codeOf = (family: Family, text: string): unknown => {
  const body = JSON.parse(text)
  if (family === "dcms") {
    expect(body.result).toBeNull()
    expect(body.pagination).toBeNull()
    expect(typeof body.exception.message).toBe("string")
    return body.exception.code
  }
  if (family === "loyalty") {
    expect(typeof body.statusCode).toBe("number")
    expect(typeof body.errorMessage).toBe("string")
    return body.code
  }
  expect(body.Errors.Error.length).toBeGreaterThan(0)
  return body.Errors.Error[0].ReasonCode
}

const expectRefusal = (answer: { status: number; text: string }, status: number) => {
  expect(answer.status).toBe(status)
  expect(answer.text).not.toBe("")
  expect(answer.text).not.toMatch(/\bat .*\(|node_modules|\.ts:\d+/)
}

describe("refusals of the HTTP layer", () => {
  let service: Service
  beforeAll(async () => {
    service = await startService(memoryDemo())
  })
  afterAll(() => service.close())

  for (const endpoint of families) {
    const { family, method, path } = endpoint
    describe(`${family}: ${method} ${path}`, () => {
      it("malformed JSON is 400 MALFORMED_BODY", async () => {
        const answer = await call(service, method, path, '{"kitNo": "4561789",')
        expectRefusal(answer, 400)
        expect(codeOf(family, answer.text)).toBe("MALFORMED_BODY")
      })

      it("an empty body is 400 MALFORMED_BODY", async () => {
        const answer = await call(service, method, path, "", { "content-type": "application/json" })
        expectRefusal(answer, 400)
        expect(codeOf(family, answer.text)).toBe("MALFORMED_BODY")
      })

      it("a body that breaks the request's fields is 400 VALIDATION_FAILED naming the field", async () => {
        const answer = await call(service, method, path, { unexpected: true })
        expectRefusal(answer, 400)
        expect(codeOf(family, answer.text)).toBe("VALIDATION_FAILED")
        expect(answer.text).toContain("unexpected")
      })

      it("a wrong content type is 415", async () => {
        const answer = await call(service, method, path, "kitNo=4561789", {
          "content-type": "application/x-www-form-urlencoded"
        })
        expectRefusal(answer, 415)
        expect(codeOf(family, answer.text)).toBe("UNSUPPORTED_MEDIA_TYPE")
      })

      it("a body over 64 KiB is 413, by its Content-Length", async () => {
        const answer = await call(service, method, path, JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) }))
        expectRefusal(answer, 413)
        expect(codeOf(family, answer.text)).toBe("PAYLOAD_TOO_LARGE")
      })

      it("a chunked body over 64 KiB is 413 once 64 KiB have arrived", async () => {
        const chunk = new TextEncoder().encode(`"${"x".repeat(16 * 1024)}",`)
        let sent = 0
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent > 8) return controller.close()
            sent += 1
            controller.enqueue(chunk)
          }
        })
        const response = await fetch(service.base + path, {
          method,
          headers: { tenant: "ACME_BANK", "content-type": "application/json" },
          body: stream,
          duplex: "half"
        } as RequestInit)
        const text = await response.text()
        expectRefusal({ status: response.status, text }, 413)
        expect(codeOf(family, text)).toBe("PAYLOAD_TOO_LARGE")
      })

      it("a missing tenant header is 400 naming tenant", async () => {
        const response = await fetch(service.base + path, {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(endpoint.body)
        })
        const text = await response.text()
        expectRefusal({ status: response.status, text }, 400)
        expect(codeOf(family, text)).toBe("VALIDATION_FAILED")
        expect(text).toContain("tenant")
      })

      it("an unknown tenant changes nothing of another tenant's and is refused", async () => {
        const answer = await call(service, method, path, endpoint.body, { tenant: "OTHER_BANK" })
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
      })

      it("a method the path does not answer is 405 with Allow", async () => {
        const answer = await call(service, "DELETE", path)
        expectRefusal(answer, 405)
        expect(answer.headers.get("allow")).toBe(method)
        expect(codeOf(family, answer.text)).toBe("METHOD_NOT_ALLOWED")
      })
    })
  }

  it("an unknown path is 404 in the shape of its family", async () => {
    for (const [path, family] of [
      ["/v1/kit-manager/nothing", "dcms"],
      ["/nothing", "dcms"],
      ["/v1/client/users/1/nothing", "loyalty"],
      ["/v1/api/Nothing", "token"]
    ] as const) {
      const answer = await call(service, "POST", path, {})
      expectRefusal(answer, 404)
      expect(codeOf(family, answer.text)).toBe("ROUTE_NOT_FOUND")
    }
  })

  it("a body naming the account beside the path is refused: the path alone names it", async () => {
    const answer = await call(service, "PUT", "/v1/client/users/8642137/cards", {
      correlationId: "8642135",
      oldLoyaltyId: 4240181700,
      status: "DAMAGED"
    })
    expectRefusal(answer, 400)
    expect(answer.json()).toMatchObject({ code: "VALIDATION_FAILED", issues: [{ path: "correlationId" }] })
  })

  describe("XML of the token service", () => {
    const xml = (text: string, headers: Record<string, string> = {}) =>
      call(service, "POST", "/v1/api/Update", text, { "content-type": "application/xml", ...headers })

    it("malformed XML is 400 MALFORMED_BODY, answered in XML", async () => {
      const answer = await xml("<UpdateRequest><TokenUniqueReference>x</UpdateRequest>")
      expectRefusal(answer, 400)
      expect(answer.headers.get("content-type")).toMatch(/^application\/xml/)
      expect(answer.text).toContain("<ReasonCode>MALFORMED_BODY</ReasonCode>")
    })

    it("a document type declaration is refused, its entities never expanded", async () => {
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><UpdateRequest><CommentText>&lol2;</CommentText></UpdateRequest>`
      const answer = await xml(bomb)
      expectRefusal(answer, 400)
      expect(answer.text).toContain("document type declaration")
      expect(answer.text).not.toContain("lollol")
      const external = await xml(
        `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><UpdateRequest><CommentText>&x;</CommentText></UpdateRequest>`
      )
      expectRefusal(external, 400)
      expect(external.text).not.toContain("root:")
    })

    it("another root element is 400; unknown elements are named by the use case", async () => {
      expectRefusal(await xml("<Other/>"), 400)
      const unknown = await xml("<UpdateRequest><Mystery>1</Mystery></UpdateRequest>")
      expectRefusal(unknown, 400)
      expect(unknown.text).toContain("<Source>mystery</Source>")
    })

    it("an Accept the service cannot answer is 406", async () => {
      const answer = await call(service, "POST", "/v1/api/Update", families[2].body, { accept: "text/html" })
      expectRefusal(answer, 406)
      expect(codeOf("token", answer.text)).toBe("NOT_ACCEPTABLE")
    })
  })

  it("every answer carries the security headers and a request id; a client's id is echoed", async () => {
    const ok = await call(service, "POST", "/v1/kit-manager/unlockCard", { kitNo: "4561789" })
    const missing = await call(service, "GET", "/nothing")
    const echoed = await call(service, "POST", "/v1/kit-manager/lockCard", "{", {
      "x-request-id": "req-42.a"
    })
    for (const answer of [ok, missing, echoed]) {
      expect(answer.headers.get("cache-control")).toBe("no-cache, no-store, must-revalidate")
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
      expect(answer.headers.get("x-frame-options")).toBe("DENY")
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'")
      expect(answer.headers.get("referrer-policy")).toBe("no-referrer")
      expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/)
      expect(answer.headers.get("access-control-allow-origin")).toBeNull()
    }
    expect(echoed.headers.get("x-request-id")).toBe("req-42.a")
    expect(ok.headers.get("x-request-id")).not.toBe(missing.headers.get("x-request-id"))
  })

  it("a request id that could hold a card number is replaced, not echoed", async () => {
    const answer = await call(service, "POST", "/v1/kit-manager/lockCard", "{", {
      "x-request-id": "id-6080400000056384"
    })
    expect(answer.headers.get("x-request-id")).not.toContain("6080400000056384")
    expect(service.logText()).not.toContain("6080400000056384")
  })
})

describe("an unexpected failure", () => {
  it("is a 500 with an opaque id that the log line of the failure holds, and nothing else", async () => {
    // an audit log that breaks its contract: a defect, which no rule foresees
    const broken = Layer.succeed(AuditLog, {
      append: () => Effect.die(new Error("the audit log broke: 6080400000056384")),
      findBySubject: () => Effect.die(new Error("the audit log broke"))
    } as unknown as AuditLog["Service"])
    const service = await startService(Layer.merge(memoryDemo(), broken))
    try {
      const answer = await call(service, "POST", "/v1/kit-manager/lockCard", { kitNo: "4561789" })
      expectRefusal(answer, 500)
      const body = answer.json() as { exception: { code: string; errorId: string; message: string } }
      expect(body.exception.code).toBe("UNEXPECTED_ERROR")
      expect(body.exception.message).not.toContain("audit")
      const logged = service.logs.find((line) => line.annotations.errorId === body.exception.errorId)
      expect(logged?.level).toBe("Error")
      expect(String(logged?.annotations.cause)).toContain("the audit log broke")
      expect(service.logText()).not.toContain("6080400000056384")
    } finally {
      await service.close()
    }
  })
})
