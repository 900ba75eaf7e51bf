/**
 * The request fingerprint of an idempotency key (docs/idempotency.md), on the memory adapter: a
 * request is the same whatever the order of its keys, at every level, and whatever `undefined` fields
 * it carries, so a retry gets the stored answer; it is another request when any value or any type
 * differs (`"1"` and `1`, `null` and `false`, `[1, 2]` and `[2, 1]`, a nested field, a number that
 * JSON cannot hold), so the key is refused with IdempotencyKeyReused.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { customerFixture, fixture, layer, tenantFixture } from "../../src/adapters/memory/index.js"
import { IdempotencyKeyReused, withIdempotencyKey } from "../../src/index.js"

const start = () =>
  ManagedRuntime.make(
    Layer.mergeAll(
      layer(fixture({ ACME_BANK: tenantFixture([customerFixture("676165", [])]) })),
      TestClock.layer()
    )
  )

/** Runs `first` then `second` under one key; how many times the use case ran, and the second answer. */
const underOneKey = async (first: unknown, second: unknown) => {
  const runtime = start()
  let runs = 0
  const probe = withIdempotencyKey("probe", (_tenant, _request) => Effect.sync(() => ++runs))
  try {
    const answer = await runtime.runPromise(probe("ACME_BANK", "key-1", first))
    expect(answer).toBe(1)
    const retry = await runtime.runPromise(Effect.result(probe("ACME_BANK", "key-1", second)))
    return { runs, retry }
  } finally {
    await runtime.dispose()
  }
}

const expectSame = async (first: unknown, second: unknown) => {
  const { runs, retry } = await underOneKey(first, second)
  expect(retry._tag).toBe("Success")
  expect(retry._tag === "Success" ? retry.success : undefined).toBe(1)
  expect(runs).toBe(1)
}

const expectOther = async (first: unknown, second: unknown) => {
  const { runs, retry } = await underOneKey(first, second)
  expect(retry._tag).toBe("Failure")
  expect(retry._tag === "Failure" ? retry.failure : undefined).toBeInstanceOf(IdempotencyKeyReused)
  expect(runs).toBe(1)
}

describe("the request fingerprint of an idempotency key", () => {
  it("does not depend on the order of the request's keys, at the top or nested", async () => {
    await expectSame(
      {
        kitNo: "4240181595",
        audit: { reason: "lost", by: "ops", at: { day: 1, month: 2 } },
        status: "DAMAGED"
      },
      {
        status: "DAMAGED",
        audit: { at: { month: 2, day: 1 }, by: "ops", reason: "lost" },
        kitNo: "4240181595"
      }
    )
  })

  it("ignores a field that is undefined, at the top or nested", async () => {
    await expectSame(
      { kitNo: "4240181595", audit: { reason: "lost" } },
      {
        kitNo: "4240181595",
        note: undefined,
        audit: { reason: "lost", by: undefined }
      }
    )
  })

  it("keeps null, booleans, strings, numbers and arrays as they are, so a retry of them is the same request", async () => {
    const request = { a: null, b: true, c: false, d: "x", e: 1.5, f: [1, "2", null, [true]], g: {} }
    await expectSame(request, structuredClone(request))
  })

  it("tells two strings apart", async () => {
    await expectOther({ kitNo: "4240181595" }, { kitNo: "4240181596" })
  })

  it("tells a string from the number it spells", async () => {
    await expectOther({ kitNo: "1" }, { kitNo: 1 })
  })

  it("tells true from false", async () => {
    await expectOther({ renew: true }, { renew: false })
  })

  it("tells null from false and from a string", async () => {
    await expectOther({ reason: null }, { reason: false })
    await expectOther({ reason: null }, { reason: "null" })
  })

  it("tells an array from its elements in another order", async () => {
    await expectOther({ kitNos: [1, 2] }, { kitNos: [2, 1] })
  })

  it("tells arrays apart by where one element ends and the next begins", async () => {
    await expectOther({ kitNos: [12, 3] }, { kitNos: [1, 23] })
    await expectOther({ kitNos: [1] }, { kitNos: [2] })
  })

  it("tells an array from an object keyed by its indices", async () => {
    await expectOther({ kitNos: [1, 2] }, { kitNos: { 0: 1, 1: 2 } })
  })

  it("tells requests apart by one nested value or its type", async () => {
    await expectOther({ audit: { at: { day: 1 } } }, { audit: { at: { day: 2 } } })
    await expectOther({ audit: { at: { day: 1 } } }, { audit: { at: { day: "1" } } })
  })

  it("names a number that JSON cannot hold, telling NaN, Infinity and -Infinity apart", async () => {
    await expectOther({ amount: Number.NaN }, { amount: Number.POSITIVE_INFINITY })
    await expectOther({ amount: Number.POSITIVE_INFINITY }, { amount: Number.NEGATIVE_INFINITY })
    await expectOther({ amount: Number.NaN }, { amount: null })
  })

  it("names a value JSON cannot hold by its type, not as an empty object", async () => {
    await expectOther({ amount: 1n }, { amount: {} })
    await expectOther({ amount: 1n }, { amount: () => 1 })
  })
})
