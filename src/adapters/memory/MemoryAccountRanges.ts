import { Array as Arr, Effect, Layer, Option } from "effect"
import { accountRangeContains } from "../../domain/token/AccountRange.js"
import { AccountRanges } from "../../ports/AccountRanges.js"
import { MemoryDatabase } from "./MemoryDatabase.js"
import * as Table from "./Table.js"

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
            Option.getOrElse(Table.get(t.accountRanges, tenant, ""), () => []),
            (range) => accountRangeContains(range, pan)
          )
        )
    })
  )
)
