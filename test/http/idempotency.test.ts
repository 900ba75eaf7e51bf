/**
 * The `Idempotency-Key` header: a retry gets the first answer and changes nothing; the key with
 * another body is 422; a key that is not 1-255 printable characters is 400.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seed000 } from "./seedExamples.js"
import { call, memoryDemo, type Service, startService } from "./support.js"

describe("Idempotency-Key", () => {
  let service: Service
  beforeAll(async () => {
    service = await startService(memoryDemo())
  })
  afterAll(() => service.close())

  it("answers a retried upgrade with the first answer: one new card, not two", async () => {
    const key = { "idempotency-key": "upgrade-676165-1" }
    const first = await call(service, "POST", seed000.path, seed000.request, key)
    const retry = await call(service, "POST", seed000.path, seed000.request, key)
    expect(first.status).toBe(200)
    expect(retry.status).toBe(200)
    expect(retry.text).toBe(first.text)
    // without the key, the same request is a second upgrade: the old card is REPLACED by now
    const unkeyed = await call(service, "POST", seed000.path, seed000.request)
    expect(unkeyed.status).toBe(409)
  })

  it("answers a retried refusal with the same refusal, in the family's shape", async () => {
    const key = { "idempotency-key": "replace-1" }
    const body = { oldLoyaltyId: 4240181700, status: "BROKEN" }
    const first = await call(service, "PUT", "/v1/client/users/8642137/cards", body, key)
    const retry = await call(service, "PUT", "/v1/client/users/8642137/cards", body, key)
    expect([first.status, retry.status]).toEqual([400, 400])
    expect(retry.text).toBe(first.text)
  })

  it("refuses the key with another body (422), and a key that is not 1-255 printable characters (400)", async () => {
    const key = { "idempotency-key": "lock-1" }
    expect(
      (await call(service, "POST", "/v1/kit-manager/lockCard", { kitNo: "4240181652" }, key)).status
    ).toBe(200)
    const other = await call(service, "POST", "/v1/kit-manager/lockCard", { kitNo: "4240181653" }, key)
    expect(other.status).toBe(422)
    expect(other.json()).toMatchObject({ exception: { code: "IDEMPOTENCY_KEY_REUSED" } })
    const long = await call(
      service,
      "POST",
      "/v1/kit-manager/lockCard",
      { kitNo: "4240181653" },
      {
        "idempotency-key": "k".repeat(256)
      }
    )
    expect(long.status).toBe(400)
    expect(long.json()).toMatchObject({
      exception: { code: "VALIDATION_FAILED", issues: [{ path: "idempotencyKey" }] }
    })
  })
})
