/**
 * Model-based: random sequences of activate / lock / unlock / block over several cards of two
 * tenants (sharing kitNos) against a model far simpler than the system: a map from card to status;
 * on the memory adapter, and on PostgreSQL.
 */
import { Effect, ManagedRuntime, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MemoryFixture } from "../../src/adapters/memory/MemoryFixture.js"
import {
  AuditLog,
  activateCard,
  blockCard,
  CardRepository,
  EntityId,
  lockCard,
  TenantId,
  type Transactor,
  unlockCard
} from "../../src/index.js"
import { withStorageKeys } from "../../src/testing/contract/support.js"
import { cardFixture, customerWith, fixtureOf, TENANT_A, TENANT_B, testRuntime } from "../support/builders.js"
import { commandsReplay } from "../support/fastCheckReplay.js"
import { describePostgres } from "../support/postgres/database.js"
import { seededPostgres } from "../support/postgres/seeded.js"

type Status = "ASSIGNED" | "ACTIVE" | "LOCKED" | "BLOCKED"
interface ModelCard {
  status: Status
  lockedFrom?: "ASSIGNED" | "ACTIVE"
  changes: number
}
type Model = Map<string, ModelCard>
type Needed = CardRepository | AuditLog | Transactor
/** A store under test: runs a program on it, and is disposed of after the run. */
interface Store {
  readonly runPromise: <A, E>(program: Effect.Effect<A, E, Needed>) => Promise<A>
  readonly dispose: () => Promise<void>
}
interface Real {
  readonly rt: Store
}

const TENANTS = [TENANT_A, TENANT_B] as const
const KITS = ["4240181001", "4240181002", "4240181003"] as const
const ENTITY = "676165"
const useCases = { ACTIVATE: activateCard, LOCK: lockCard, UNLOCK: unlockCard, BLOCK: blockCard }
type Operation = keyof typeof useCases

/** The model's own reading of DOMAIN.md §2, independent of the library's table. */
const next = (card: ModelCard, op: Operation): Status | undefined => {
  switch (op) {
    case "ACTIVATE":
      return card.status === "ASSIGNED" ? "ACTIVE" : undefined
    case "LOCK":
      return card.status === "ASSIGNED" || card.status === "ACTIVE" ? "LOCKED" : undefined
    case "UNLOCK":
      return card.status === "LOCKED" ? card.lockedFrom : undefined
    case "BLOCK":
      return card.status === "BLOCKED" ? undefined : "BLOCKED"
  }
}

class OperationCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly op: Operation,
    readonly tenant: string,
    readonly kitNo: string
  ) {}
  check = () => true
  async run(model: Model, real: Real) {
    const card = model.get(`${this.tenant}/${this.kitNo}`)!
    const expected = next(card, this.op)
    const result = await real.rt.runPromise(
      Effect.result(useCases[this.op](this.tenant, { kitNo: this.kitNo }))
    )
    if (expected === undefined) {
      expect(Result.isFailure(result) && result.failure._tag).toBe("InvalidStatusTransition")
      expect(Result.isFailure(result) && "status" in result.failure && result.failure.status).toBe(
        card.status
      )
    } else {
      expect(Result.isSuccess(result) && result.success).toMatchObject({
        previousStatus: card.status,
        currentStatus: expected
      })
      if (expected === "LOCKED") card.lockedFrom = card.status as "ASSIGNED" | "ACTIVE"
      else delete card.lockedFrom
      card.status = expected
      card.changes++
    }
    await assertSameAsModel(model, real)
  }
  toString = () => `${this.op}(${this.tenant}, ${this.kitNo})`
}

/** Every card of both tenants has the model's status, and one audit event per change. */
const assertSameAsModel = async (model: Model, real: Real) => {
  for (const tenant of TENANTS) {
    const [cards, trails] = await real.rt.runPromise(
      Effect.gen(function* () {
        const repo = yield* CardRepository
        const log = yield* AuditLog
        const cards = yield* repo.findByCustomer(TenantId.make(tenant), EntityId.make(ENTITY))
        const trails = yield* Effect.forEach(KITS, (kit) => log.findBySubject(TenantId.make(tenant), kit))
        return [cards, trails] as const
      })
    )
    expect(cards.map((c) => [c.kitNo, c.status])).toEqual(
      KITS.map((kit) => [kit, model.get(`${tenant}/${kit}`)!.status])
    )
    expect(trails.map((t) => t.length)).toEqual(KITS.map((kit) => model.get(`${tenant}/${kit}`)!.changes))
  }
}

const command = fc
  .tuple(
    fc.constantFrom<Operation>("ACTIVATE", "LOCK", "UNLOCK", "BLOCK"),
    fc.constantFrom(...TENANTS),
    fc.constantFrom(...KITS)
  )
  .map(([op, tenant, kit]) => new OperationCommand(op, tenant, kit))

const initialStatuses = fc.array(fc.constantFrom<"ASSIGNED" | "ACTIVE">("ASSIGNED", "ACTIVE"), {
  minLength: TENANTS.length * KITS.length,
  maxLength: TENANTS.length * KITS.length
})

/**
 * The model-based property on the store `makeStore` builds for each run's fixture, `numRuns` runs.
 */
const agreesWithTheModel = (makeStore: (fixture: MemoryFixture) => Store, numRuns: number) =>
  fc.assert(
    fc.asyncProperty(
      initialStatuses,
      fc.commands([command], { maxCommands: 30, ...commandsReplay }),
      async (statuses, commands) => {
        const model: Model = new Map()
        const fixture = fixtureOf(
          Object.fromEntries(
            TENANTS.map((tenant, t) => [
              tenant,
              [
                customerWith(
                  ENTITY,
                  "9876543210",
                  8642135,
                  KITS.map((kit, k) => {
                    const status = statuses[t * KITS.length + k]!
                    model.set(`${tenant}/${kit}`, { status, changes: 0 })
                    // the same kitNo and PAN in both tenants: only the tenant tells them apart
                    return cardFixture(kit, k + 1, { status })
                  })
                )
              ]
            ])
          )
        )
        const rt = makeStore(fixture)
        try {
          await fc.asyncModelRun(() => ({ model, real: { rt } }), commands)
        } finally {
          await rt.dispose()
        }
      }
    ),
    { numRuns }
  )

describe("the card lifecycle against a model", () => {
  it("agrees with the model on every random sequence of operations", async () => {
    await agreesWithTheModel(testRuntime, 200)
  })
})

describePostgres("the card lifecycle against a model, on PostgreSQL", () => {
  it("agrees with the model on every random sequence of operations (fewer runs: a database each)", async () => {
    await agreesWithTheModel(
      (fixture) => ManagedRuntime.make(seededPostgres(withStorageKeys(fixture), 2)),
      15
    )
  })
})
