/**
 * The OpenAPI document the service serves: OpenAPI 3.1, generated from `CardLifecycleApi`, with every
 * endpoint, its `tenant` header, its body and its refusals.
 */
import { OpenApi } from "effect/http-api"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CardLifecycleApi, OPENAPI_PATH } from "../../src/adapters/http/index.js"
import { memoryDemo, type Service, startService } from "./support.js"

interface Operation {
  readonly parameters?: ReadonlyArray<{
    readonly name: string
    readonly in: string
    readonly required?: boolean
  }>
  readonly requestBody?: { readonly content: Record<string, unknown> }
  readonly responses: Record<string, { readonly content?: Record<string, unknown> }>
}

describe("the OpenAPI document", () => {
  let service: Service
  beforeAll(async () => {
    service = await startService(memoryDemo())
  })
  afterAll(() => service.close())

  it("is served at /v1/openapi.json as OpenAPI 3.1, the document of CardLifecycleApi", async () => {
    const response = await fetch(service.base + OPENAPI_PATH)
    expect(response.status).toBe(200)
    const document = (await response.json()) as { openapi: string }
    expect(document.openapi).toBe("3.1.0")
    expect(document).toEqual(JSON.parse(JSON.stringify(OpenApi.fromApi(CardLifecycleApi))))
  })

  it("lists the seeds' paths, each with the required tenant header, a body and its refusals", () => {
    const document = OpenApi.fromApi(CardLifecycleApi) as unknown as {
      paths: Record<string, Record<string, Operation>>
    }
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation }))
    )
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).toEqual(
      expect.arrayContaining([
        "POST /v1/kit-manager/upgradeCard",
        "POST /v1/kit-manager/manageAllKits",
        "PUT /v1/client/users/{correlation_id}/cards",
        "POST /v1/api/Update"
      ])
    )
    expect(operations).toHaveLength(11)
    for (const { operation } of operations) {
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: "tenant", in: "header", required: true })
      )
      expect(Object.keys(operation.requestBody?.content ?? {})).toContain("application/json")
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["200", "400", "500"]))
    }
    const update = document.paths["/v1/api/Update"]?.post
    expect(Object.keys(update?.requestBody?.content ?? {}).sort()).toEqual([
      "application/json",
      "application/xml",
      "text/json",
      "text/xml"
    ])
    expect(Object.keys(update?.responses["200"]?.content ?? {}).sort()).toEqual([
      "application/json",
      "application/xml"
    ])
  })
})
