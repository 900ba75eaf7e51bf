/**
 * DOMAIN.md §9 for every use case: a card number a caller sends, in any field, as the tenant or as an
 * unknown key, and however it is written (plain or in groups; split by spaces of any kind and number,
 * dots, slashes, dashes, underscores, zero-width characters, long runs of them, or a mix; in ASCII,
 * full-width or Arabic-Indic digits, or a mix), never comes back in clear: not in the error (its JSON,
 * its message, `String(error)`), not in the result, not in an audit event written or stored, not in a
 * log line. The rest of each request is valid against the fixture, so the refusals deep in a use case
 * (not found, branch mismatch, no such product, range mismatch…) are reached, not only validation.
 *
 * "In clear" is judged on the digits as a person reads them (`readAs`): a mask shows at most the
 * first 6 and the last 4 digits of the number, so no text may show 7 of its digits in a row.
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
  AT,
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
 * without bias (a number of many zeros would be found in any timestamp, `00:00:00.000+00:00`), and
 * each use case keeps only those that share no 7 digits in a row with what it shows anyway
 * (`backgroundOf`).
 */
const cardDigits = fc
  .integer({ min: 11, max: 18 })
  .chain((n) => fc.noBias(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })))
  .map((digits) => {
    const body = (digits[0] === 0 ? [4, ...digits.slice(1)] : digits).join("")
    return body + luhnCheckDigit(body)
  })

/** How a digit may be written: ASCII, full-width (U+FF10–FF19) or Arabic-Indic (U+0660–0669). */
const SCRIPT_ZEROS = [0x30, 0xff10, 0x660]

const inScript = (zero: number, digit: string) => String.fromCodePoint(zero + Number(digit))

/**
 * What people put between digit groups, or what slips in when they paste: spaces of every kind, tabs,
 * punctuation, dashes, zero-width characters. No letter and no digit, even once NFKC-normalised.
 */
const SEPARATORS = [
  " ",
  "\u00a0",
  "\u202f",
  "\u2007",
  "\u3000",
  "\t",
  ".",
  "/",
  "-",
  "_",
  ",",
  "*",
  "\u2013",
  "\u200b",
  "\u2060",
  "\ufeff"
]

/** What stands between two digits: nothing, a few separators of any kind, or a long run of one. */
const gap: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 6 }).map((s) => s.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...SEPARATORS), fc.integer({ min: 4, max: 64 }))
      .map(([separator, n]) => separator.repeat(n))
  }
)

interface Probe {
  /** The card number. */
  readonly digits: string
  /** The card number as sent. */
  readonly written: string
}

const interleave = (digits: ReadonlyArray<string>, gaps: ReadonlyArray<string>): string =>
  digits.map((digit, i) => digit + (i < digits.length - 1 ? (gaps[i] ?? "") : "")).join("")

/**
 * The card number with its digits in one script or each in any, plain, in groups of 4 split by one
 * gap, or with any gap in each place.
 */
const probe: fc.Arbitrary<Probe> = cardDigits.chain((digits) =>
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...SCRIPT_ZEROS).map((zero) => [...digits].map((d) => inScript(zero, d))),
        fc.tuple(...[...digits].map((d) => fc.constantFrom(...SCRIPT_ZEROS).map((zero) => inScript(zero, d))))
      ),
      fc.oneof(
        fc.constant([]),
        gap.map((g) => [...digits].map((_, i) => (i % 4 === 3 ? g : ""))),
        fc.array(gap, { minLength: digits.length - 1, maxLength: digits.length - 1 })
      )
    )
    .map(([written, gaps]) => ({ digits, written: interleave(written, gaps) }))
)

/**
 * The text as a person reads its digits: NFKC-normalised (full-width digits become ASCII),
 * Arabic-Indic digits read as ASCII, and every character that is neither a letter nor a digit taken
 * out, so that no separator, however long or invisible, hides a digit sequence.
 */
const readAs = (text: string): string =>
  text
    .normalize("NFKC")
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[^\p{L}\p{Nd}]/gu, "")

/** The one form in which a mask may show the card number: its first 6 digits, `X`s, its last 4. */
const maskOf = (digits: string) => digits.slice(0, 6) + "X".repeat(digits.length - 10) + digits.slice(-4)

/**
 * The first window of 7 consecutive digits of the card number that `text` shows once read as a person
 * reads it (`readAs`). A mask shows at most the first 6 digits and the last 4, with a hidden one
 * between, so any 7 consecutive digits of the number are a leak. The mask itself is taken out first,
 * so that digits the text happens to hold next to it are not read as one with its first 6 or last 4.
 */
const shownWindow = (text: string, digits: string): string | undefined => {
  const pieces = readAs(text).split(maskOf(digits))
  for (let i = 0; i + 7 <= digits.length; i++) {
    const window = digits.slice(i, i + 7)
    if (pieces.some((piece) => piece.includes(window))) return window
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
    base: { kitNo: KIT, pin: PIN },
    fields: [
      { path: ["kitNo"], fit: digitsOnly },
      { path: ["pin"], fit: digitsOnly }
    ],
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
const NINETEEN = luhn("622126739104852736")

const ascii = (digits: string) => [...digits]
const fullWidth = (digits: string) => [...digits].map((d) => inScript(0xff10, d))
const arabicIndic = (digits: string) => [...digits].map((d) => inScript(0x660, d))

/**
 * Card numbers of 12, 16 and 19 digits: plain, in groups of 4 split by 4 spaces, with mixed
 * separators, full-width with zero-width spaces between, Arabic-Indic with a long run of spaces.
 */
const EXAMPLES: ReadonlyArray<Probe> = [
  { digits: TWELVE, written: TWELVE },
  { digits: SIXTEEN, written: SIXTEEN.replace(/[0-9]{4}(?=[0-9])/g, "$&    ") },
  {
    digits: NINETEEN,
    written: interleave(ascii(NINETEEN), ["\u00a0", "", ".", "/", "", " - ", "_", "\u202f", "  ", "\u2060"])
  },
  { digits: SIXTEEN, written: interleave(fullWidth(SIXTEEN), Array(15).fill("\u200b")) },
  { digits: TWELVE, written: interleave(arabicIndic(TWELVE), ["", "", "", " ".repeat(40), "\ufeff"]) }
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

// ---- what a run shows -----------------------------------------------------------------------------

/** The field that holds a ciphertext: its hex digits are random, and no digit of it is the number's. */
const CIPHERTEXT = "encryptedCardNumber"

interface Shown {
  /** `success`, or the tag of the error. */
  readonly outcome: string
  /** The error (its JSON, message, `String`, `inspect`), the result, the audit events, the log lines. */
  readonly texts: ReadonlyArray<string>
}

/** Runs the use case on a fresh store over the fixture and returns every text it shows. */
const show = async (useCase: UseCase, fixture: MemoryFixture, tenant: string, request: unknown) => {
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
  const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
  // the card the request named: its identifier as the seed's response and its events' subject
  const issued = issuedId(useCase, request, exit)
  const ciphertexts: Array<string> = []
  const named = (key: string, value: unknown) => {
    if (key === CIPHERTEXT && typeof value === "string") ciphertexts.push(value)
    return issued !== undefined && (key === "subject" || key === "NewLoyaltyCard") && String(value) === issued
      ? "(the new card)"
      : value
  }
  const texts = [
    ...(error === undefined ? [] : [JSON.stringify(error), String(error), inspect(error, { depth: 10 })]),
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
  return {
    outcome: Exit.isSuccess(exit) ? "success" : String((error as { _tag?: unknown })._tag),
    texts: texts.map((text) => ciphertexts.reduce((t, c) => t.replaceAll(c, "(ciphertext)"), text))
  } satisfies Shown
}

/**
 * The digits a use case shows whatever the card number: those of its fixtures and base request, and
 * of every text it shows for the base request, each world in turn, read as `readAs` reads them.
 */
const backgroundOf = async (useCase: UseCase): Promise<string> => {
  const shown = await Promise.all(
    useCase.fixtures.map((fixture) => show(useCase, fixture, TENANT_A, useCase.base))
  )
  return [
    JSON.stringify(useCase.fixtures),
    JSON.stringify(useCase.base),
    AT,
    ...shown.flatMap((s) => s.texts)
  ]
    .map(readAs)
    .join("|")
}

const windowsOf = (digits: string) =>
  Array.from({ length: digits.length - 6 }, (_, i) => digits.slice(i, i + 7))

// ---- the law ------------------------------------------------------------------------------------

describe("no card number a caller sends comes back in clear (DOMAIN.md §9)", () => {
  for (const useCase of useCases) {
    it(`${useCase.name}: not in its error, result, audit events or log lines`, async () => {
      // a window of the number that the use case shows anyway would be read as a leak: the numbers
      // drawn share no 7 digits in a row with what it shows for its base request
      const background = await backgroundOf(useCase)
      const apart = (p: Probe) => windowsOf(p.digits).every((window) => !background.includes(window))
      for (const example of EXAMPLES) {
        const shared = windowsOf(example.digits).filter((window) => background.includes(window))
        expect(shared, example.digits).toEqual([])
      }
      const outcomes = new Set<string>()
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...useCase.fixtures),
          fc.constantFrom(...everyPlacement(useCase)),
          probe.filter(apart),
          async (fixture, placement, p) => {
            const { tenant, request } = callFor(useCase, placement, p)
            const { outcome, texts } = await show(useCase, fixture, tenant, request)
            outcomes.add(outcome)
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
