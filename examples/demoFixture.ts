/**
 * One customer with one card: the data of `npm run scenario` and of the single-card benchmarks.
 */
import { type MemoryFixture, randomKeyHex } from "../src/adapters/memory/index.js"

export const DEMO_TENANT = "ACME_BANK"
export const DEMO_KIT_NO = "4240181595"
/** Luhn-valid, on seed 000's BIN, masked `608040XXXXXX6384` as in the seed. */
export const DEMO_PAN = "6080400000056384"

type TenantExtras = Omit<MemoryFixture["tenants"][string], "customers">

/** The demo tenant, its card in `status`, with extras (keys, policy) beside the customer. */
export const demoFixture = (
  status: "ASSIGNED" | "ACTIVE" = "ASSIGNED",
  extras: TenantExtras = {}
): MemoryFixture => ({
  tenants: {
    [DEMO_TENANT]: {
      ...extras,
      // the keys that protect the stored PAN (encrypted and hashed), fresh unless the extras give them
      keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex(), ...extras.keys },
      customers: [
        {
          entityId: "676165",
          mobileNo: "9876543210",
          branchId: "BR001",
          accounts: [
            {
              accountNo: 8642135,
              cards: [
                {
                  kitNo: DEMO_KIT_NO,
                  pan: DEMO_PAN,
                  productId: "2001_PHYSICAL",
                  tierType: "CLASSIC",
                  cardType: "PHYSICAL",
                  expDate: "2029-07-31T00:00:00.000+00:00",
                  status
                }
              ]
            }
          ]
        }
      ]
    }
  }
})
