/**
 * DOMAIN.md §9 for every use case: a card number a caller sends, in any field, as the tenant or as an
 * unknown key, and however it is written (plain, in groups split by spaces, dots, no-break spaces,
 * slashes, dashes, underscores, or a mix), never comes back in clear: not in the error (its JSON, its
 * message, `String(error)`), not in the result, not in an audit event written or stored, not in a log
 * line. The rest of each request is valid against the fixture, so the refusals deep in a use case
 * (not found, branch mismatch, no such product, range mismatch…) are reached, not only validation.
 *
 * "In clear" is judged on the digits: the text with every character that is neither a digit nor a
 * letter taken out must hold no 12 consecutive digits of the card number.
 */
import { inspect } from "node:util"
import { Cause, Effect, Exit, Option } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type MemoryFixture, type MemoryPorts, MemoryState } from "../../src/adapters/memory/index.js"
import { luhnCheckDigit } from "../../src/domain/ground/Pan.js"
import {
  activateCard,
  blockCard,
  cancelCardOrder,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  unlockCard,
  updateToken,
  upgradeCard,
  verifyPin
} from "../../src/index.js"
import { cardFixture, customerWith, TENANT_A } from "../support/builders.js"
import { kitManagerTenant, orderFixture, SEED_000_REQUEST, upgradeFixture } from "../support/kitManager.js"
import { ACCOUNT, bank, OLD, request as replacementRequest } from "../support/replacement.js"
import {
  KIT,
  observe,
  PIN,
  type PinFixtureOptions,
  pinFixture,
  runOn,
  request as setPinRequest
} from "../support/setPin.js"
import { TUR, tokenFixture, tokenFixtureOf, requestFor as tokenRequest } from "../support/tokens.js"

// ---- the card number and how it is written ------------------------------------------------------

/**
 * A Luhn-valid card number of 12–19 digits (ISO/IEC 7812-1), no leading zero. Its digits are drawn
 * without bias: a number of a dozen zeros would be found in any timestamp (`00:00:00.000+00:00`).
 */
const cardDigits = fc
  .integer({ min: 11, max: 18 })
  .chain((n) => fc.noBias(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })))
  .map((digits) => {
    const body = (digits[0] === 0 ? [4, ...digits.slice(1)] : digits).join("")
    return body + luhnCheckDigit(body)
  })

/** What people put between digit groups: 1 to 3 characters, no letter, no digit. */
const SEPARATORS = [" ", "  ", "   ", ".", "\u00a0", "\u202f", "\u2007", "/", "-", "_", " - ", " / ", "._"]

interface Probe {
  /** The card number. */
  readonly digits: string
  /** The card number as sent. */
  readonly written: string
}

const interleave = (digits: string, separators: ReadonlyArray<string>): string =>
  [...digits].map((digit, i) => digit + (separators[i] ?? "")).join("")

/** The card number plain, in groups of 4 split by one separator, or with any separator (or none) in any gap. */
const probe: fc.Arbitrary<Probe> = cardDigits.chain((digits) =>
  fc
    .oneof(
      fc.constant(digits),
      fc
        .constantFrom(...SEPARATORS)
        .map((separator) => digits.replace(/[0-9]{4}(?=[0-9])/g, `$&${separator}`)),
      fc
        .array(fc.constantFrom("", ...SEPARATORS), {
          minLength: digits.length - 1,
          maxLength: digits.length - 1
        })
        .map((separators) => interleave(digits, separators))
    )
    .map((written) => ({ digits, written }))
)

/** The first 12-digit window of the card number that `text` shows once its separators are taken out. */
const shownWindow = (text: string, digits: string): string | undefined => {
  const flat = text.replace(/[^0-9\p{L}]/gu, "")
  for (let i = 0; i + 12 <= digits.length; i++) {
    const window = digits.slice(i, i + 12)
    if (flat.includes(window)) return window
  }
  return undefined
}

// ---- the use cases, each with a fixture its request is valid against ---------------------------

type Path = ReadonlyArray<string | number>

interface Field {
  readonly path: Path
  /** The card number in a form this field's format accepts, to reach the use case's own checks. */
  readonly fit?: (probe: Probe) => unknown
  /** Fields of the base request to leave out when this one is set (the other selectors). */
  readonly without?: ReadonlyArray<string>
}

interface UseCase {
  readonly name: string
  readonly run: (tenant: string, request: unknown) => Effect.Effect<unknown, unknown, MemoryPorts>
  /** The worlds the request is valid against (a card in each status…). */
  readonly fixtures: ReadonlyArray<MemoryFixture>
  readonly base: Readonly<Record<string, unknown>>
  readonly fields: ReadonlyArray<Field>
  /** The outcomes (`success` or an error's tag) the runs must meet, so that the deep refusals are tested. */
  readonly reached: ReadonlyArray<string>
  /**
   * The identifier a request gives the card it creates, when it creates one: that card's own name from
   * then on, answered by the seed's response and the subject of its audit events.
   */
  readonly issues?: Path
}

const digitsOnly = (p: Probe) => p.digits
const AUDIT = { reason: "customer called", changer: "agent-7", channel: "IVR" }
const auditFields: ReadonlyArray<Field> = [{ path: ["reason"] }, { path: ["changer"] }, { path: ["channel"] }]

const STATUSES: ReadonlyArray<PinFixtureOptions["card"]> = [
  { status: "ASSIGNED" },
  { status: "ACTIVE" },
  { status: "LOCKED", lockedFrom: "ACTIVE" },
  { status: "BLOCKED" }
]

const cardStatusCase = (name: string, run: UseCase["run"]): UseCase => ({
  name,
  run,
  fixtures: STATUSES.map((card) => pinFixture(card === undefined ? {} : { card })),
  base: { kitNo: KIT, ...AUDIT },
  fields: [{ path: ["kitNo"], fit: digitsOnly }, ...auditFields],
  reached: ["success", "CardNotFound", "ValidationError"]
})

const ORDER = "ORD4240181652"

const useCases: ReadonlyArray<UseCase> = [
  cardStatusCase("activateCard", activateCard),
  cardStatusCase("lockCard", lockCard),
  cardStatusCase("unlockCard", unlockCard),
  cardStatusCase("blockCard", blockCard),
  {
    name: "manageAllCards",
    run: manageAllCards,
    fixtures: [pinFixture({ card: { status: "ACTIVE" } })],
    base: { entityId: "req11", operation: "BLOCK", ...AUDIT },
    fields: [
      { path: ["mobileNo"], fit: digitsOnly },
      { path: ["entityId"], fit: digitsOnly },
      { path: ["operation"] },
      ...auditFields
    ],
    reached: ["success", "CustomerNotFound", "ValidationError"]
  },
  {
    name: "upgradeCard",
    run: upgradeCard,
    fixtures: [upgradeFixture()],
    base: { ...SEED_000_REQUEST, ...AUDIT },
    fields: [
      { path: ["entityId"], fit: digitsOnly },
      { path: ["kitNo"], fit: digitsOnly },
      { path: ["deliveryAddress"] },
      { path: ["kitInfo", 0, "aliasName"] },
      { path: ["kitInfo", 0, "cardType"] },
      { path: ["kitInfo", 0, "plasticCode"], fit: digitsOnly },
      { path: ["kitInfo", 0, "tierType"], fit: digitsOnly },
      ...auditFields
    ],
    reached: ["success", "CardNotFound", "ProductNotFound", "ValidationError"]
  },
  {
    name: "cancelCardOrder",
    run: cancelCardOrder,
    fixtures: [
      {
        tenants: {
          [TENANT_A]: kitManagerTenant(
            [customerWith("req11", "9876543210", 8642135, [cardFixture(KIT, 7)])],
            {
              orders: [orderFixture(ORDER, KIT)]
            }
          )
        }
      }
    ],
    base: { orderId: ORDER, branchId: "BR001", ...AUDIT },
    fields: [{ path: ["orderId"], fit: digitsOnly }, { path: ["branchId"], fit: digitsOnly }, ...auditFields],
    reached: ["success", "CardOrderNotFound", "OrderBranchMismatch", "ValidationError"]
  },
  {
    name: "replaceCard",
    run: replaceCard,
    fixtures: [bank()],
    base: replacementRequest(ACCOUNT, OLD, { changer: "agent-7", channel: "IVR" }),
    fields: [
      { path: ["correlationId"], fit: digitsOnly },
      { path: ["oldLoyaltyId"], fit: digitsOnly },
      { path: ["status"] },
      { path: ["newLoyaltyId"], fit: digitsOnly },
      { path: ["changer"] },
      { path: ["channel"] }
    ],
    reached: ["success", "AccountNotFound", "CardReplacementRefused", "ValidationError"],
    issues: ["newLoyaltyId"]
  },
  {
    name: "setPin",
    run: setPin,
    fixtures: [pinFixture()],
    base: setPinRequest(),
    fields: [
      { path: ["kitNo"], fit: digitsOnly },
      { path: ["pinBlock"] },
      { path: ["expiryDate"] },
      { path: ["channel"] },
      { path: ["changer"] }
    ],
    reached: ["success", "CardNotFound", "InvalidPinBlock", "ValidationError"]
  },
  {
    name: "verifyPin",
    run: verifyPin,
    fixtures: [pinFixture()],
    base: { kitNo: KIT, pin: PIN, channel: "IVR" },
    fields: [{ path: ["kitNo"], fit: digitsOnly }, { path: ["pin"], fit: digitsOnly }, { path: ["channel"] }],
    reached: ["success", "ValidationError"]
  },
  {
    name: "updateToken",
    run: updateToken,
    fixtures: [tokenFixtureOf({ [TENANT_A]: [tokenFixture(TUR)] })],
    base: tokenRequest(),
    fields: [
      // a reference is 48 letters and digits: the card number, then letters
      { path: ["tokenUniqueReference"], fit: (p) => p.digits.padEnd(48, "A") },
      { path: ["currentAccountPan"], fit: digitsOnly, without: ["tokenUniqueReference"] },
      { path: ["cardholderId"], fit: digitsOnly, without: ["tokenUniqueReference"] },
      { path: ["newAccountPan"], fit: digitsOnly },
      { path: ["expirationDate"] },
      { path: ["accountPanSequenceNumber"] },
      {
        path: ["issuerProductConfigurationId"],
        without: ["newAccountPan", "expirationDate", "accountPanSequenceNumber"]
      },
      { path: ["updateWalletProviderIndicator"] },
      { path: ["commentText"] },
      { path: ["auditInfo", "userId"] },
      { path: ["auditInfo", "userName"] },
      { path: ["auditInfo", "organization"] },
      { path: ["auditInfo", "phone"] }
    ],
    reached: ["success", "TokenNotFound", "AccountRangeMismatch", "ValidationError"]
  }
]

// ---- where the card number goes -----------------------------------------------------------------

type Placement =
  | { readonly to: "field"; readonly field: Field; readonly fitted: boolean }
  | { readonly to: "every field"; readonly fitted: boolean }
  | { readonly to: "tenant"; readonly fitted: boolean }
  | { readonly to: "unknown key" }

/** Every placement of the card number in a request of the use case. */
const everyPlacement = (useCase: UseCase): ReadonlyArray<Placement> => [
  ...useCase.fields.flatMap(
    (field): ReadonlyArray<Placement> => [
      { to: "field", field, fitted: false },
      ...(field.fit === undefined ? [] : [{ to: "field", field, fitted: true } as const])
    ]
  ),
  { to: "every field", fitted: false },
  { to: "every field", fitted: true },
  { to: "tenant", fitted: false },
  { to: "tenant", fitted: true },
  { to: "unknown key" }
]

const luhn = (body: string) => body + luhnCheckDigit(body)
const TWELVE = luhn("37828224631")
const SIXTEEN = luhn("455673758689985")
const NINETEEN = luhn("622126498765432101")

/** Card numbers of 12, 16 and 19 digits: plain, in groups of 4 split by spaces, and with mixed separators. */
const EXAMPLES: ReadonlyArray<Probe> = [
  { digits: TWELVE, written: TWELVE },
  { digits: SIXTEEN, written: SIXTEEN.replace(/[0-9]{4}(?=[0-9])/g, "$& ") },
  {
    digits: NINETEEN,
    written: interleave(NINETEEN, ["\u00a0", "", ".", "/", "", " - ", "_", "\u202f", "  "])
  }
]

const setAt = (value: unknown, path: Path, leaf: unknown): unknown => {
  const [key, ...rest] = path
  if (key === undefined) return leaf
  if (Array.isArray(value)) {
    const copy = [...value]
    copy[key as number] = setAt(copy[key as number], rest, leaf)
    return copy
  }
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}
  return { ...record, [key]: setAt(record[key], rest, leaf) }
}

const valueFor = (field: Field, p: Probe, fitted: boolean) =>
  fitted && field.fit !== undefined ? field.fit(p) : p.written

const callFor = (useCase: UseCase, placement: Placement, p: Probe) => {
  switch (placement.to) {
    case "field": {
      const base = Object.fromEntries(
        Object.entries(useCase.base).filter(([key]) => !placement.field.without?.includes(key))
      )
      const value = valueFor(placement.field, p, placement.fitted)
      return { tenant: TENANT_A, request: setAt(base, placement.field.path, value) }
    }
    case "every field":
      return {
        tenant: TENANT_A,
        request: useCase.fields.reduce<unknown>(
          (request, field) => setAt(request, field.path, valueFor(field, p, placement.fitted)),
          useCase.base
        )
      }
    case "tenant":
      return { tenant: placement.fitted ? p.digits : p.written, request: useCase.base }
    case "unknown key":
      return { tenant: TENANT_A, request: { ...useCase.base, [p.written]: "x" } }
  }
}

/** The identifier the request gives a card it created (see `UseCase.issues`), if it created one. */
const issuedId = (useCase: UseCase, request: unknown, exit: Exit.Exit<unknown, unknown>) => {
  if (useCase.issues === undefined || !Exit.isSuccess(exit)) return undefined
  const value = useCase.issues.reduce<unknown>(
    (at, key) =>
      typeof at === "object" && at !== null ? (at as Record<string | number, unknown>)[key] : undefined,
    request
  )
  return value === undefined ? undefined : String(value)
}

// ---- the law ------------------------------------------------------------------------------------

describe("no card number a caller sends comes back in clear (DOMAIN.md §9)", () => {
  for (const useCase of useCases) {
    it(`${useCase.name}: not in its error, result, audit events or log lines`, async () => {
      const outcomes = new Set<string>()
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...useCase.fixtures),
          fc.constantFrom(...everyPlacement(useCase)),
          probe,
          async (fixture, placement, p) => {
            const { tenant, request } = callFor(useCase, placement, p)
            const seen = await runOn(
              fixture,
              Effect.gen(function* () {
                const observed = yield* observe(useCase.run(tenant, request))
                const stored = Object.values(yield* (yield* MemoryState).snapshot).map((t) => t.auditEvents)
                return { ...observed, stored }
              })
            )
            const { exit } = seen
            if (Exit.isFailure(exit) && Cause.hasDies(exit.cause))
              throw new Error(`${useCase.name} died: ${Cause.pretty(exit.cause)}`)
            const error = Exit.isFailure(exit)
              ? Option.getOrUndefined(Cause.findErrorOption(exit.cause))
              : undefined
            outcomes.add(Exit.isSuccess(exit) ? "success" : String((error as { _tag?: unknown })._tag))
            // the card the request named: its identifier as the seed's response and its events' subject
            const issued = issuedId(useCase, request, exit)
            const named = (key: string, value: unknown) =>
              issued !== undefined &&
              (key === "subject" || key === "NewLoyaltyCard") &&
              String(value) === issued
                ? "(the new card)"
                : value
            const texts = [
              ...(error === undefined
                ? []
                : [JSON.stringify(error), String(error), inspect(error, { depth: 10 })]),
              ...(error instanceof Error ? [error.message] : []),
              ...(Exit.isSuccess(exit) ? [JSON.stringify(exit.value, named)] : []),
              ...(Exit.isSuccess(exit) && issued === undefined ? [inspect(exit.value, { depth: 10 })] : []),
              JSON.stringify(
                seen.appended.map((written) => written.event),
                named
              ),
              JSON.stringify(seen.stored, named),
              ...seen.logs
            ]
            for (const text of texts) {
              expect(
                shownWindow(text, p.digits),
                `${JSON.stringify(placement)} sent ${JSON.stringify(p.written)}\n${text}`
              ).toBeUndefined()
            }
          }
        ),
        {
          numRuns: 150,
          // first every placement in every world with each example, so that every outcome is met
          examples: useCase.fixtures.flatMap((fixture) =>
            everyPlacement(useCase).flatMap((placement) =>
              EXAMPLES.map((p): [MemoryFixture, Placement, Probe] => [fixture, placement, p])
            )
          )
        }
      )
      for (const outcome of useCase.reached) expect([...outcomes], outcome).toContain(outcome)
    })
  }
})
