import { Array as Arr, Effect, HashMap, Layer, Option } from "effect"
import { accountRangeContains } from "../../domain/token/AccountRange.js"
import { AccountRanges } from "../../ports/AccountRanges.js"
import { MemoryDatabase } from "./MemoryDatabase.js"

/**
 * The tenant's account-range table from the fixture (`accountRanges`); a lookup scans it.
 *
 * @category layers
 */
export const MemoryAccountRanges = Layer.effect(
  AccountRanges,
  Effect.map(MemoryDatabase, (db) =>
    AccountRanges.of({
      findRange: (tenant, pan) =>
        db.read((t) =>
          Arr.findFirst(
            Option.getOrElse(HashMap.get(t.accountRanges, tenant), () => []),
            (range) => accountRangeContains(range, pan)
          )
        )
    })
  )
)
