/**
 * The demo data of `npm start`: one tenant, `ACME_BANK`, under which every example request of the
 * seeds and of docs/http.md works as written.
 *
 * - seed 000: entity `676165` holds kit `4561789`, CLASSIC (below SILVER), on account `8642135`; the
 *   catalog has SILVER PHYSICAL `2003_PHYSICAL`, plastic code `4566`, on BIN `608040` (RUPAY, DEBIT);
 * - seed 002: mobile `9876543210` (entity `req11`) holds two ACTIVE cards, `4240181652` and
 *   `4240181653` (`608040XXXXXX6954`, `608040XXXXXX6962`, as in the seed's answer);
 * - seed 001: card `4240181595` (ASSIGNED, expiry `0729`) takes a PIN; card order `ORD4240181599`
 *   of branch `BR001` is RECEIVED;
 * - seed 003: account `8642137` holds card `4240181700`; account `8642138` is SUSPENDED (card
 *   `4240181710`) and account `8642139` CLOSED (card `4240181720`), for the table's refusals;
 * - seed 004: token `DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c` on account PAN
 *   `5412345678901234` of cardholder `20000587525`, in account range `541234`.
 *
 * The keys are fixed demo values, so that the Set PIN V2 example of docs/http.md (an envelope
 * sealed under the demo `setPin` key) works as written and a PostgreSQL demo database stays readable
 * across restarts. They protect demo data only: never give them to a real tenant.
 */
import {
  cardFixture,
  customerFixture,
  defaultCatalog,
  defaultTierLadder,
  type MemoryFixture
} from "../src/adapters/memory/index.js"
import { RANGE, TUR, tokenFixture } from "../src/testing/contract/tokenFixture.js"

export const DEMO_TENANT = "ACME_BANK"

/** Demo keys, one per purpose (docs/pin-blocks.md, "Security modules"). Demo data only. */
export const DEMO_KEYS = {
  cardNumber: "6465 6d6f 2d63 6172 642d 6e75 6d62 6572 2d6b 6579 2d30 3030 3030 3030 3030 3031",
  setPin: "6465 6d6f 2d73 6574 2d70 696e 2d6b 6579 2d30 3030 3030 3030 3030 3030 3030 3031",
  pinStore: "6465 6d6f 2d70 696e 2d73 746f 7265 2d6b 6579 2d30 3030 3030 3030 3030 3030 3031",
  panStore: "6465 6d6f 2d70 616e 2d73 746f 7265 2d6b 6579 2d30 3030 3030 3030 3030 3030 3031"
}

const hex = (spaced: string) => spaced.replaceAll(" ", "")

/** The demo keys as a fixture gives them. */
export const demoKeys = () => ({
  cardNumber: hex(DEMO_KEYS.cardNumber),
  setPin: hex(DEMO_KEYS.setPin),
  pinStore: hex(DEMO_KEYS.pinStore),
  panStore: hex(DEMO_KEYS.panStore)
})

/** The card of the Set PIN V2 and verifyPin examples, and its PAN (masked `608040XXXXXX6384`). */
export const PIN_KIT_NO = "4240181595"
export const PIN_CARD_PAN = "6080400000056384"

/**
 * The demo tenant.
 */
export const demoData = (): MemoryFixture => ({
  tenants: {
    [DEMO_TENANT]: {
      keys: demoKeys(),
      products: defaultCatalog,
      tierLadder: defaultTierLadder,
      customers: [
        customerFixture(
          "676165",
          [
            cardFixture("4561789", { pan: "6080400000071789", tierType: "CLASSIC", status: "ACTIVE" }),
            cardFixture(PIN_KIT_NO, { pan: PIN_CARD_PAN, status: "ASSIGNED" }),
            cardFixture("4240181599", { pan: "6080400000071599", status: "ASSIGNED" })
          ],
          { accountNo: 8642135, mobileNo: "9123456780" }
        ),
        customerFixture(
          "req11",
          [
            cardFixture("4240181652", { pan: "6080400000056954" }),
            cardFixture("4240181653", { pan: "6080400000056962" })
          ],
          { accountNo: 8642136, mobileNo: "9876543210" }
        ),
        customerFixture("LY8642137", [cardFixture("4240181700", { pan: "6080400000031700" })], {
          accountNo: 8642137,
          mobileNo: "9123456781"
        }),
        customerFixture("LY8642138", [], {
          mobileNo: "9123456782",
          accounts: [{ accountNo: 8642138, status: "SUSPENDED", cards: [cardFixture("4240181710")] }]
        }),
        customerFixture("LY8642139", [], {
          mobileNo: "9123456783",
          accounts: [{ accountNo: 8642139, status: "CLOSED", cards: [cardFixture("4240181720")] }]
        })
      ],
      orders: [
        {
          orderId: "ORD4240181599",
          kitNo: "4240181599",
          branchId: "BR001",
          createdAt: "2026-11-30T09:00:00.000Z"
        }
      ],
      tokens: [tokenFixture(TUR)],
      accountRanges: [RANGE]
    }
  }
})
