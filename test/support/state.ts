/**
 * The memory store's committed state, for tests that check what a call stored, or that it stored
 * nothing: two snapshots are compared with `Equal.equals`, which sees inside `Redacted` values (a
 * deep equality of plain objects does not).
 */
import { Effect, Equal } from "effect"
import { type MemorySnapshot, MemoryState } from "../../src/adapters/memory/index.js"

/** Every tenant's committed state. */
export const snapshot: Effect.Effect<MemorySnapshot, never, MemoryState> = Effect.flatMap(
  MemoryState,
  (state) => state.snapshot
)

/** The `tenant.part` names where two snapshots differ; empty when they are equal. */
export const differences = (before: MemorySnapshot, after: MemorySnapshot): Array<string> => {
  const found: Array<string> = []
  for (const tenant of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[tenant]
    const b = after[tenant]
    if (a === undefined || b === undefined) {
      found.push(tenant)
      continue
    }
    for (const part of Object.keys(a) as Array<keyof typeof a>)
      if (!Equal.equals(a[part], b[part])) found.push(`${tenant}.${part}`)
  }
  return found
}

/** Whether two snapshots hold the same state, redacted values included. */
export const sameState = (before: MemorySnapshot, after: MemorySnapshot): boolean =>
  differences(before, after).length === 0

/** Runs `program` and tells whether the committed state is the same after it as before. */
export const unchangedBy = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const before = yield* snapshot
    const result = yield* Effect.result(program)
    const after = yield* snapshot
    return { result, unchanged: sameState(before, after), before, after }
  })
