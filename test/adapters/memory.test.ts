import { createHmac } from "node:crypto"
import { Deferred, Effect, Fiber, Option, Redacted, Result } from "effect"
import { describe, expect, it } from "vitest"
import {
  cardFixture as builtCard,
  customerFixture,
  fixture as fixtureFor,
  layer,
  type MemoryFixture,
  MemoryState,
  panForSerial,
  tenantFixture
} from "../../src/adapters/memory/index.js"
import {
  AuditLog,
  CardIssuer,
  CardRepository,
  EntityId,
  IdentifiersExhausted,
  type InvalidKeyConfiguration,
  KitNo,
  lockCard,
  luhnValid,
  makePan,
  PanDigits,
  SecurityModule,
  StoreError,
  TenantId,
  TenantPolicy,
  Transactor,
  upgradeCard
} from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A, TENANT_B, testLayer } from "../support/builders.js"
import {
  domainCard,
  entryFor,
  failureOf,
  productOf,
  runOn,
  successOf,
  upgradeFixture,
  upgradeTo
} from "../support/kitManager.js"
import { differences, sameState, snapshot, unchangedBy } from "../support/state.js"

const tenant = TenantId.make(TENANT_A)
const manyCards = (n: number) =>
  Array.from({ length: n }, (_, i) => cardFixture(String(4240100000 + i), i + 1, { status: "ACTIVE" }))
const fixture = fixtureOf({ [TENANT_A]: [customerWith("676165", "9876543210", 8642135, manyCards(50))] })

const run = <A, E>(program: Effect.Effect<A, E, never>) => Effect.runPromise(program)

describe("the memory fixture", () => {
  it("keeps a tenant named __proto__ like any other: its keys, its cards and its snapshot", async () => {
    const weird = TenantId.make("__proto__")
    const state = await Effect.runPromise(
      Effect.gen(function* () {
        const card = Option.getOrThrow(
          yield* (yield* CardRepository).findByKitNo(weird, KitNo.make("4240181595"))
        )
        const pan = yield* (yield* SecurityModule).decryptPan(weird, card.kitNo, card.pan.encrypted)
        const snapshot = yield* (yield* MemoryState).snapshot
        return {
          pan: Redacted.value(pan),
          own: Object.hasOwn(snapshot, "__proto__"),
          cards: snapshot[weird]?.cards.length
        }
      }).pipe(
        Effect.provide(
          layer(fixtureFor({ [weird]: tenantFixture([customerFixture("E1", [builtCard("4240181595")])]) }))
        )
      )
    )
    // the builder derives the PAN from the kitNo's last 9 digits
    expect(state).toEqual({ pan: panForSerial(240181595), own: true, cards: 1 })
  })

  const refusal = async (bad: Parameters<typeof testLayer>[0]) => {
    const result = await run(Effect.result(Effect.provide(Effect.void, testLayer(bad))))
    return Result.isFailure(result) && result.failure._tag === "ValidationError" ? result.failure.issues : []
  }

  it("refuses a LOCKED card without the status it was locked from", async () => {
    const issues = await refusal(
      fixtureOf({
        [TENANT_A]: [customerWith("E1", "9876543210", 1, [cardFixture("K1", 1, { status: "LOCKED" })])]
      })
    )
    expect(issues).toEqual([
      {
        path: `fixture.tenants.${TENANT_A}.customers.0.accounts.0.cards.0.lockedFrom`,
        message: "must be given exactly when status is LOCKED"
      }
    ])
  })

  it("refuses a kitNo twice in one tenant, but not across tenants", async () => {
    const twice = customerWith("E1", "9876543210", 1, [cardFixture("K1", 1), cardFixture("K1", 2)])
    expect((await refusal(fixtureOf({ [TENANT_A]: [twice] })))[0]?.message).toBe(
      "must be unique in the tenant"
    )
    const once = customerWith("E1", "9876543210", 1, [cardFixture("K1", 1)])
    expect(await refusal(fixtureOf({ [TENANT_A]: [once], [TENANT_B]: [once] }))).toEqual([])
  })

  it("refuses a bad tenant id, a bad key and a bad PAN, naming each", async () => {
    const issues = await refusal({
      tenants: {
        "bad tenant": {},
        [TENANT_A]: {
          keys: { cardNumber: "abcd" },
          customers: [
            customerWith("E1", "9876543210", 1, [cardFixture("K1", 1, { pan: "4111111111111112" })])
          ]
        }
      }
    })
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        "fixture.tenants.bad tenant",
        `fixture.tenants.${TENANT_A}.customers.0.accounts.0.cards.0.pan`,
        `fixture.tenants.${TENANT_A}.keys.cardNumber`
      ].sort()
    )
  })

  it("seeds the security module with the fixture's keys, and policies with strict defaults", async () => {
    const key = "00112233445566778899aabbccddeeff"
    const pan = makePan(PanDigits.make("6080400000000077"))
    const [hash, policy, missing] = await run(
      Effect.gen(function* () {
        const security = yield* SecurityModule
        const policies = yield* TenantPolicy
        return [
          yield* security.cardNumberHash(tenant, pan),
          yield* policies.policyOf(TenantId.make(TENANT_B)),
          yield* Effect.result(security.cardNumberHash(TenantId.make(TENANT_B), pan))
        ] as const
      }).pipe(
        // the layer itself, not testLayer: no storage key is added to tenant B
        Effect.provide(layer({ tenants: { [TENANT_A]: { keys: { cardNumber: key } }, [TENANT_B]: {} } }))
      )
    )
    expect(hash).toBe(createHmac("sha256", Buffer.from(key, "hex")).update("6080400000000077").digest("hex"))
    expect(policy).toEqual({
      migrationInTransition: false,
      allowTrivialPins: false,
      pinTryLimit: 3,
      idempotencyRetentionHours: 24
    })
    expect(Result.isFailure(missing) && missing.failure.code).toBe("TENANT_KEY_MISSING")
  })

  it("takes a purpose's keys as one hex key (id 1) or a list of { id, hex }, the active one first", async () => {
    const [older, active] = ["a1".repeat(32), "a2".repeat(32)]
    const card = { kitNo: KitNo.make("K1"), pan: makePan(PanDigits.make("6080400000000077")) }
    const pin = Redacted.make("4821")
    const made = await run(
      Effect.flatMap(SecurityModule, (security) =>
        Effect.all([
          security.makeVerifier(tenant, card, pin),
          security.makeVerifier(TenantId.make(TENANT_B), card, pin)
        ])
      ).pipe(
        Effect.provide(
          testLayer({
            tenants: {
              [TENANT_A]: {
                keys: {
                  pinStore: [
                    { id: "2026", hex: active },
                    { id: "2025", hex: older }
                  ]
                }
              },
              [TENANT_B]: { keys: { pinStore: older.replaceAll("a1", "b1") } }
            }
          })
        )
      )
    )
    expect(made.map((v) => v.keyId)).toEqual(["2026", "1"])
    expect(Redacted.value(made[0]!.mac)).toBe(
      createHmac("sha256", Buffer.from(active, "hex")).update("K1:6080400000000077:4821").digest("hex")
    )
  })

  it("refuses a key that serves two purposes or two tenants, naming the second, and never its bytes", async () => {
    const key = "c3".repeat(32)
    const result = await run(
      Effect.result(
        Effect.provide(
          Effect.void,
          testLayer({
            tenants: {
              [TENANT_A]: { keys: { setPin: key, pinStore: key } },
              [TENANT_B]: { keys: { cardNumber: key } }
            }
          })
        )
      )
    )
    if (Result.isSuccess(result)) throw new Error("the layer was built")
    const error = result.failure as InvalidKeyConfiguration
    expect(error._tag).toBe("InvalidKeyConfiguration")
    expect(error.issues.map((i) => i.path)).toEqual([
      `${TENANT_A}.pinStore.0.hex`,
      `${TENANT_B}.cardNumber.0.hex`
    ])
    expect(JSON.stringify(error)).not.toContain(key)
  })
})

describe("transactions", () => {
  it("apply concurrent card operations on many cards without losing one", async () => {
    const statuses = await run(
      Effect.gen(function* () {
        yield* Effect.forEach(manyCards(50), (c) => lockCard(TENANT_A, { kitNo: c.kitNo }), {
          concurrency: "unbounded"
        })
        const cards = yield* Effect.flatMap(CardRepository, (r) => r.findByAccount(tenant, 8642135 as never))
        return cards.map((c) => c.status)
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(statuses).toEqual(Array(50).fill("LOCKED"))
  })

  it("leave no trace when interrupted", async () => {
    const found = await run(
      Effect.gen(function* () {
        const before = yield* snapshot
        const locked = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          (yield* Transactor).withTransaction(
            Effect.andThen(
              lockCard(TENANT_A, { kitNo: "4240100000" }),
              Deferred.succeed(locked, undefined)
            ).pipe(Effect.andThen(Effect.never))
          )
        )
        // interrupted after its write, not before it
        yield* Deferred.await(locked)
        yield* Fiber.interrupt(fiber)
        const card = yield* Effect.flatMap(CardRepository, (r) =>
          r.findByKitNo(tenant, KitNo.make("4240100000"))
        )
        return { changed: differences(before, yield* snapshot), status: Option.map(card, (c) => c.status) }
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(found).toEqual({ changed: [], status: Option.some("ACTIVE") })
  })

  it("fail a write chosen by the fault plan with a retryable StoreError, storing nothing", async () => {
    const outcome = await run(
      unchangedBy(lockCard(TENANT_A, { kitNo: "4240100000" })).pipe(
        Effect.provide(testLayer(fixture, { failWrite: ({ operation }) => operation === "AuditLog.append" }))
      )
    )
    expect(outcome.result).toEqual(
      Result.fail(new StoreError({ operation: "AuditLog.append", retryable: true }))
    )
    expect(outcome.unchanged).toBe(true)
  })

  it("keep their writes from every read outside them until they commit", async () => {
    const seen = await run(
      Effect.gen(function* () {
        const cards = yield* CardRepository
        const audit = yield* AuditLog
        const transactor = yield* Transactor
        const kitNo = KitNo.make("4240100000")
        const statusOutside = Effect.map(
          cards.findByKitNo(tenant, kitNo),
          Option.map((c) => c.status)
        )
        const before = yield* snapshot
        const written = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          transactor.withTransaction(
            Effect.gen(function* () {
              yield* lockCard(TENANT_A, { kitNo })
              const inside = Option.map(yield* cards.findByKitNo(tenant, kitNo), (c) => c.status)
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(release)
              return inside
            })
          )
        )
        yield* Deferred.await(written)
        const outside = {
          status: yield* statusOutside,
          forUpdate: Option.map(yield* cards.findByKitNoForUpdate(tenant, kitNo), (c) => c.status),
          trail: yield* audit.findBySubject(tenant, kitNo),
          changed: differences(before, yield* snapshot)
        }
        yield* Deferred.succeed(release, undefined)
        const inside = yield* Fiber.join(fiber)
        const after = {
          status: yield* statusOutside,
          trail: (yield* audit.findBySubject(tenant, kitNo)).map((e) => e.action),
          changed: differences(before, yield* snapshot)
        }
        return { inside, outside, after }
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(seen.inside).toEqual(Option.some("LOCKED"))
    expect(seen.outside).toEqual({
      status: Option.some("ACTIVE"),
      forUpdate: Option.some("ACTIVE"),
      trail: [],
      changed: []
    })
    expect(seen.after).toEqual({
      status: Option.some("LOCKED"),
      trail: ["LOCK"],
      changed: [`${TENANT_A}.cards`, `${TENANT_A}.auditEvents`]
    })
  })
})

describe("the memory state", () => {
  it("gives snapshots that are copies: the same state after a refused call, the old state kept after a write", async () => {
    const out = await run(
      Effect.gen(function* () {
        const start = yield* snapshot
        const refused = yield* Effect.result(lockCard(TENANT_A, { kitNo: "missing" }))
        const afterRefusal = yield* snapshot
        yield* lockCard(TENANT_A, { kitNo: "4240100000" })
        return { refused, start, afterRefusal, afterLock: yield* snapshot }
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(Result.isFailure(out.refused)).toBe(true)
    expect(sameState(out.start, out.afterRefusal)).toBe(true)
    expect(differences(out.start, out.afterLock)).toEqual([`${TENANT_A}.cards`, `${TENANT_A}.auditEvents`])
    const statusIn = (state: typeof out.start) =>
      state[TENANT_A]?.cards.find((c) => c.kitNo === "4240100000")?.status
    expect([statusIn(out.start), statusIn(out.afterLock)]).toEqual(["ACTIVE", "LOCKED"])
  })

  it("tells two PANs apart, which a deep equality of plain objects does not", async () => {
    const [one, other] = await Promise.all(
      [1, 2].map((serial) =>
        run(
          snapshot.pipe(
            Effect.provide(
              testLayer(
                fixtureOf({ [TENANT_A]: [customerWith("E1", "9876543210", 1, [cardFixture("K1", serial)])] })
              )
            )
          )
        )
      )
    )
    expect(differences(one!, other!)).toEqual([`${TENANT_A}.cards`])
  })
})

describe("the memory layer", () => {
  type Loose = {
    tenants: Record<
      string,
      { customers: Array<{ accounts: Array<{ cards: Array<Record<string, unknown>> }> }>; nextKitNo?: number }
    >
  }

  it("decodes its fixture when called: changing the fixture afterwards changes no store built from it", async () => {
    const raw = structuredClone(fixture) as unknown as Loose
    const built = layer(withStorageKeys(raw as unknown as MemoryFixture))
    const cards = raw.tenants[TENANT_A]!.customers[0]!.accounts[0]!.cards
    cards[0]!.status = "BLOCKED"
    cards.push(cardFixture("4240199999", 999))
    // a fixture that no longer decodes: a layer that decoded it now would fail to build
    cards[1]!.pan = "4111111111111112"
    raw.tenants[TENANT_B] = { customers: [] }
    const read = Effect.gen(function* () {
      const repo = yield* CardRepository
      return {
        first: Option.map(yield* repo.findByKitNo(tenant, KitNo.make("4240100000")), (c) => c.status),
        added: Option.isSome(yield* repo.findByKitNo(tenant, KitNo.make("4240199999"))),
        tenants: Object.keys(yield* snapshot)
      }
    })
    // each build starts from the rows decoded when `layer` was called
    for (let build = 0; build < 2; build++) {
      expect(await run(Effect.provide(read, built))).toEqual({
        first: Option.some("ACTIVE"),
        added: false,
        tenants: [TENANT_A]
      })
    }
  })

  it("gives each build a store of its own", async () => {
    const built = layer(withStorageKeys(fixture))
    const statusOf = Effect.map(
      Effect.flatMap(CardRepository, (r) => r.findByKitNo(tenant, KitNo.make("4240100000"))),
      Option.map((c) => c.status)
    )
    expect(
      await run(Effect.provide(Effect.andThen(lockCard(TENANT_A, { kitNo: "4240100000" }), statusOf), built))
    ).toEqual(Option.some("LOCKED"))
    expect(await run(Effect.provide(statusOf, built))).toEqual(Option.some("ACTIVE"))
  })
})

describe("the memory card issuer", () => {
  it("issues unique, Luhn-valid PANs on the BIN, skipping taken kitNos and PANs", async () => {
    const issued = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const transactor = yield* Transactor
        return yield* Effect.forEach(Array.from({ length: 200 }), () =>
          transactor.withTransaction(issuer.issue(tenant, "652150"))
        )
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    const pans = issued.map((i) => Redacted.value(i.pan))
    expect(new Set(pans).size).toBe(200)
    expect(new Set(issued.map((i) => i.kitNo)).size).toBe(200)
    expect(pans.every((p) => p.startsWith("652150") && p.length === 16 && luhnValid(p))).toBe(true)
  })

  it("forgets an identity issued in a transaction that failed", async () => {
    const [first, second] = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const transactor = yield* Transactor
        const failed = yield* Effect.result(
          transactor.withTransaction(Effect.andThen(issuer.issue(tenant, "652150"), Effect.fail("boom")))
        )
        expect(Result.isFailure(failed)).toBe(true)
        return [yield* issuer.issue(tenant, "652150"), yield* issuer.issue(tenant, "652150")] as const
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(first.kitNo).toBe(KitNo.make("4240200000"))
    expect(second.kitNo).toBe(KitNo.make("4240200001"))
  })

  it("draws PANs that the kitNo and the masked number do not give away", async () => {
    const issued = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const transactor = yield* Transactor
        return yield* Effect.forEach(Array.from({ length: 100 }), () =>
          transactor.withTransaction(issuer.issue(tenant, "608040"))
        )
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    const derivable = issued.filter(({ kitNo, pan }) =>
      Redacted.value(pan).slice(6, 15).endsWith(kitNo.slice(-9))
    )
    expect(derivable).toEqual([])
    // the hidden digits vary: not a counter in disguise
    expect(new Set(issued.map(({ pan }) => Redacted.value(pan).slice(6, 12))).size).toBeGreaterThan(90)
  })

  it("gives two issues in one transaction two identities", async () => {
    const [a, b] = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        return yield* (yield* Transactor).withTransaction(
          Effect.all([issuer.issue(tenant, "608040"), issuer.issue(tenant, "608040")])
        )
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(a.kitNo).not.toBe(b.kitNo)
    expect(Redacted.value(a.pan)).not.toBe(Redacted.value(b.pan))
  })

  it("skips the serials that stored cards hold, committed or inserted in the same transaction", async () => {
    const held = fixtureOf({
      [TENANT_A]: [
        customerWith("676165", "9876543210", 8642135, [
          cardFixture("4240200000", 1),
          cardFixture("4240200002", 2)
        ])
      ]
    })
    const kitNos = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const cards = yield* CardRepository
        return yield* (yield* Transactor).withTransaction(
          Effect.gen(function* () {
            const first = yield* issuer.issue(tenant, "608040")
            yield* cards.insertAll(tenant, [
              domainCard("4240200003", 3, { entityId: EntityId.make("676165") })
            ])
            const second = yield* issuer.issue(tenant, "608040")
            return [first.kitNo, second.kitNo]
          })
        )
      }).pipe(Effect.provide(testLayer(held)))
    )
    expect(kitNos).toEqual(["4240200001", "4240200004"])
  })

  it("starts at the tenant's nextKitNo, and probes from there", async () => {
    const from = (nextKitNo: number) => ({
      tenants: {
        [TENANT_A]: {
          customers: [
            customerWith("676165", "9876543210", 8642135, [cardFixture("8", 1), cardFixture("9", 2)])
          ],
          nextKitNo
        },
        [TENANT_B]: {}
      }
    })
    const issue = (t: string) =>
      Effect.flatMap(CardIssuer, (issuer) => issuer.issue(TenantId.make(t), "608040"))
    const kitNos = await run(
      Effect.map(Effect.all([issue(TENANT_A), issue(TENANT_A), issue(TENANT_A), issue(TENANT_B)]), (ids) =>
        ids.map((i) => i.kitNo)
      ).pipe(Effect.provide(testLayer(from(7))))
    )
    // another tenant's serials are its own
    expect(kitNos).toEqual(["7", "10", "11", "4240200000"])
  })

  const lastSerial: MemoryFixture = {
    tenants: {
      [TENANT_A]: {
        customers: [customerWith("676165", "9876543210", 8642135, [cardFixture("4240100000", 1)])],
        nextKitNo: Number.MAX_SAFE_INTEGER
      }
    }
  }

  it("issues every PAN of a BIN with room for ten, then refuses with IdentifiersExhausted", async () => {
    // a 14-digit prefix leaves one digit before the check digit: ten PANs in all
    const prefix = "60804012345678"
    const out = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        return yield* (yield* Transactor)
          .withTransaction(
            Effect.gen(function* () {
              const issued = yield* Effect.forEach(Array.from({ length: 10 }), () =>
                issuer.issue(tenant, prefix)
              )
              const refused = yield* Effect.flip(issuer.issue(tenant, prefix))
              return { pans: issued.map((i) => Redacted.value(i.pan)), refused }
            })
          )
          .pipe(Effect.catchTag("IdentifiersExhausted", (e) => Effect.succeed({ pans: [], refused: e })))
      }).pipe(Effect.provide(testLayer(fixture)))
    )
    expect(new Set(out.pans).size).toBe(10)
    for (const pan of out.pans) expect(pan.startsWith(prefix)).toBe(true)
    expect(out.refused).toMatchObject({
      _tag: "IdentifiersExhausted",
      code: "IDENTIFIERS_EXHAUSTED",
      identifier: "pan"
    })
  })

  it("issues kitNo 2^53 − 1 once, then refuses with IdentifiersExhausted, storing nothing", async () => {
    const out = await run(
      Effect.gen(function* () {
        const issuer = yield* CardIssuer
        const last = yield* issuer.issue(tenant, "608040")
        const next = yield* unchangedBy(issuer.issue(tenant, "608040"))
        const again = yield* Effect.result(issuer.issue(tenant, "608040"))
        return { last, next, again }
      }).pipe(Effect.provide(testLayer(lastSerial)))
    )
    expect(out.last.kitNo).toBe(String(Number.MAX_SAFE_INTEGER))
    for (const refused of [out.next.result, out.again]) {
      const error = failureOf(refused)
      expect(error).toBeInstanceOf(IdentifiersExhausted)
      expect(error).toMatchObject({ code: "IDENTIFIERS_EXHAUSTED", identifier: "kitNo" })
    }
    expect(out.next.unchanged).toBe(true)
  })

  it("lets upgradeCard refuse with IDENTIFIERS_EXHAUSTED, changing nothing, when one kitNo is left for two cards", async () => {
    const fixture = upgradeFixture({}, { nextKitNo: Number.MAX_SAFE_INTEGER })
    const both = upgradeTo(entryFor(productOf("GOLD", "PHYSICAL")), entryFor(productOf("GOLD", "VIRTUAL")))
    const one = upgradeTo(entryFor(productOf("GOLD", "PHYSICAL")))
    const { outcome } = await runOn(
      fixture,
      Effect.gen(function* () {
        const refused = yield* unchangedBy(upgradeCard(TENANT_A, both))
        // the refused call's first issue was rolled back with it: the last kitNo is still free
        const upgraded = yield* upgradeCard(TENANT_A, one)
        return { refused, upgraded }
      })
    )
    const { refused, upgraded } = successOf(outcome)
    expect(failureOf(refused.result).code).toBe("IDENTIFIERS_EXHAUSTED")
    expect(differences(refused.before, refused.after)).toEqual([])
    expect(upgraded.kitInfo.map((k) => k.kitNo)).toEqual([String(Number.MAX_SAFE_INTEGER)])
  })
})
