/**
 * The data of `npm run bench -- http` (bench/http.ts): the memory fixture the service's child process
 * serves (bench/httpServer.ts), and the ids the load generator sends, shared by both processes.
 */
import { cardFixture, customerFixture, fixture, tenantFixture } from "../src/adapters/memory/index.js"

export const TENANT = "ACME_BANK"

/** How many cards, customers and accounts the service's fixture holds. */
export interface FixtureSize {
  /** lockCard: `lockSlots` customers of `LOCK_CARDS_PER_SLOT` ACTIVE cards, one per connection. */
  readonly lockSlots: number
  /** manageAllKits: `bulkSlots` customers of `BULK_CARDS` ACTIVE cards, one per connection. */
  readonly bulkSlots: number
  /** upgradeCard: `upgrades` customers of one ACTIVE CLASSIC PHYSICAL card each. */
  readonly upgrades: number
}

export const LOCK_CARDS_PER_SLOT = 50
export const BULK_CARDS = 100

/** The kitNo of card `card` of lock slot `slot`. */
export const lockKitNo = (slot: number, card: number) =>
  String(4_100_000_000 + slot * LOCK_CARDS_PER_SLOT + card)
/** The entityId of bulk slot `slot`. */
export const bulkEntityId = (slot: number) => `B${slot}`
/** The entityId and kitNo of upgrade `n`. */
export const upgradeEntityId = (n: number) => `U${n}`
export const upgradeKitNo = (n: number) => String(4_300_000_000 + n)

/** The fixture of a `service` run: every customer on an account of its own. */
export const httpFixture = (size: FixtureSize) => {
  let account = 100_000
  const customer = (entityId: string, kitNos: ReadonlyArray<string>) =>
    customerFixture(
      entityId,
      kitNos.map((kitNo) =>
        cardFixture(kitNo, { status: "ACTIVE", tierType: "CLASSIC", cardType: "PHYSICAL" })
      ),
      { accountNo: account, mobileNo: `9${String(account++).padStart(9, "0")}` }
    )
  return fixture({
    [TENANT]: tenantFixture([
      ...Array.from({ length: size.lockSlots }, (_, slot) =>
        customer(
          `L${slot}`,
          Array.from({ length: LOCK_CARDS_PER_SLOT }, (_, card) => lockKitNo(slot, card))
        )
      ),
      ...Array.from({ length: size.bulkSlots }, (_, slot) =>
        customer(
          bulkEntityId(slot),
          Array.from({ length: BULK_CARDS }, (_, card) => String(4_200_000_000 + slot * BULK_CARDS + card))
        )
      ),
      ...Array.from({ length: size.upgrades }, (_, n) => customer(upgradeEntityId(n), [upgradeKitNo(n)]))
    ])
  })
}
