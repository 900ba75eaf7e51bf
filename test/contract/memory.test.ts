import { Effect } from "effect"
import { layer, MemoryState } from "../../src/adapters/memory/index.js"
import { atRestContract, portsContract } from "../../src/testing/index.js"

portsContract("memory adapter", (fixture) => layer(fixture))

atRestContract(
  "memory adapter",
  (fixture) => layer(fixture),
  Effect.flatMap(MemoryState, (state) => state.storedRows)
)
