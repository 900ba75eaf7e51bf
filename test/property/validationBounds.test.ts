/**
 * The law of a ValidationError's size (docs/errors.md): whatever a request holds, the error lists its
 * broken field rules first, then its unknown keys, at most 20 issues in all, and one last issue
 * counting the rest; so its JSON stays under a bound that does not depend on the request.
 */
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskDigitRuns } from "../../src/domain/ground/Masking.js"
import { MAX_REPORTED_ISSUES } from "../../src/domain/ground/Validation.js"
import {
  cancelCardOrder,
  lockCard,
  manageAllCards,
  replaceCard,
  setPin,
  updateToken,
  upgradeCard,
  type ValidationError,
  verifyPin
} from "../../src/index.js"
import { TENANT_A, testLayer } from "../support/builders.js"
import { SEED_000_REQUEST } from "../support/kitManager.js"
import { request as replacementRequest } from "../support/replacement.js"
import { request as setPinRequest } from "../support/setPin.js"
import { AUDIT_INFO, minimal } from "../support/tokens.js"

type UseCase = (tenant: string, request: unknown) => Effect.Effect<unknown, unknown, never>

/** A use case, a request it accepts as far as decoding goes, and fields that each break one rule. */
interface Shape {
  readonly name: string
  readonly useCase: UseCase
  readonly valid: Record<string, unknown>
  /** Each a dotted path and a value that breaks the field's rule, giving one issue at that path. */
  readonly bad: ReadonlyArray<readonly [path: string, value: unknown]>
}

const audit = [
  ["reason", ""],
  ["changer", ""],
  ["channel", "FAX"]
] as const

const shapes: ReadonlyArray<Shape> = [
  {
    name: "lockCard",
    useCase: lockCard as UseCase,
    valid: { kitNo: "4240181652" },
    bad: [["kitNo", "42-40"], ...audit]
  },
  {
    name: "manageAllCards",
    useCase: manageAllCards as UseCase,
    valid: { entityId: "req11", operation: "LOCK" },
    bad: [["mobileNo", "12"], ["entityId", ""], ["operation", "FREEZE"], ...audit]
  },
  {
    name: "upgradeCard",
    useCase: upgradeCard as UseCase,
    valid: SEED_000_REQUEST,
    bad: [
      ["entityId", ""],
      ["kitNo", ""],
      ["deliveryAddress", "HOME"],
      ["kitInfo.0.aliasName", ""],
      ["kitInfo.0.cardType", "PLASTIC"],
      ["kitInfo.0.plasticCode", ""],
      ["kitInfo.0.tierType", ""],
      ...audit
    ]
  },
  {
    name: "cancelCardOrder",
    useCase: cancelCardOrder as UseCase,
    valid: { orderId: "ORD4240181595", branchId: "BR001" },
    bad: [["orderId", ""], ["branchId", ""], ...audit]
  },
  {
    name: "replaceCard",
    useCase: replaceCard as UseCase,
    valid: replacementRequest(8642135, 1),
    bad: audit.slice(1)
  },
  {
    name: "setPin",
    useCase: setPin as UseCase,
    valid: setPinRequest(),
    bad: [
      ["kitNo", ""],
      ["pinBlock", 1234],
      ["expiryDate", "1399"],
      ["channel", "FAX"],
      ["changer", ""]
    ]
  },
  {
    name: "verifyPin",
    useCase: verifyPin as UseCase,
    valid: { kitNo: "4240181652", pin: "4821" },
    bad: [
      ["kitNo", ""],
      ["pin", "12"]
    ]
  },
  {
    name: "updateToken",
    useCase: updateToken as UseCase,
    valid: { ...minimal, auditInfo: AUDIT_INFO },
    bad: [
      ["tokenUniqueReference", "x"],
      ["expirationDate", "1399"],
      ["updateWalletProviderIndicator", "2"],
      ["commentText", "\u0000"],
      ["auditInfo.userId", ""],
      ["auditInfo.userName", ""],
      ["auditInfo.organization", ""],
      ["auditInfo.phone", "x"]
    ]
  }
]

/** `request` with `value` at the dotted `path`, every object and array on the way copied. */
const setAt = (request: unknown, path: ReadonlyArray<string>, value: unknown): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return value
  const copy = (Array.isArray(request) ? [...request] : { ...(request as object) }) as Record<string, unknown>
  copy[head] = setAt(copy[head], rest, value)
  return copy
}

const errorOf = async (useCase: UseCase, request: unknown): Promise<ValidationError> => {
  const result = await Effect.runPromise(
    Effect.provide(Effect.result(useCase(TENANT_A, request)), testLayer({ tenants: {} }))
  )
  if (Result.isSuccess(result)) throw new Error("expected a refusal")
  return result.failure as ValidationError
}

const UNKNOWN_KEY = "Expected no excess property"

/** A shape, some of its bad fields, and keys none of its requests has (long ones and digit runs too). */
const badRequest = fc.constantFrom(...shapes).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    bad: fc.subarray([...shape.bad]),
    // as many unknown keys as the whole range asks for: fast-check's arrays are short by default
    unknown: fc
      .integer({ min: 0, max: 45 })
      .chain((n) =>
        fc.uniqueArray(
          fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.stringMatching(/^[0-9]{9,40}$/)),
          { minLength: n, maxLength: n }
        )
      )
  })
)

describe("a ValidationError's size", () => {
  it(`lists at most ${MAX_REPORTED_ISSUES} issues, field rules first, and counts the rest exactly`, async () => {
    await fc.assert(
      fc.asyncProperty(badRequest, async ({ shape, bad, unknown }) => {
        const extra = unknown.filter((key) => !(key in shape.valid) && key !== "__proto__")
        let request: unknown = shape.valid
        for (const [path, value] of bad) request = setAt(request, path.split("."), value)
        request = { ...(request as object), ...Object.fromEntries(extra.map((key) => [key, null])) }
        const total = bad.length + extra.length
        fc.pre(total > 0)

        const error = await errorOf(shape.useCase, request)
        expect(error._tag).toBe("ValidationError")
        const listed = Math.min(total, MAX_REPORTED_ISSUES)
        const rest = total - listed
        expect(error.issues).toHaveLength(rest > 0 ? listed + 1 : listed)
        // the field rules first, each once, then the unknown keys
        expect(new Set(error.issues.slice(0, bad.length).map((i) => i.path))).toEqual(
          new Set(bad.map(([path]) => path))
        )
        expect(error.issues.slice(bad.length, listed).every((i) => i.message === UNKNOWN_KEY)).toBe(true)
        if (rest > 0)
          expect(error.issues[listed]).toEqual({
            path: "",
            message: `and ${rest} more ${rest === 1 ? "issue" : "issues"}`
          })
        expect(JSON.stringify(error).length).toBeLessThan(8 * 1024)
      }),
      { numRuns: 300 }
    )
  })

  it("shows an unknown key cut after 32 characters, masked as masking the whole key would mask it", async () => {
    // the model: the key masked whole by the one masking rule (runs of 9 or more digits), then the
    // first 32 characters kept; masking only what is shown would split a run at the cut and show
    // digits the whole run hides
    const model = (key: string) => {
      const masked = maskDigitRuns(key, 9)
      return masked.length <= 32 ? masked : `${masked.slice(0, 32)}…`
    }
    // digit runs with or without a space or dash between each two digits, placed anywhere around
    // the cut by padding
    const run = fc
      .tuple(
        fc.array(fc.constantFrom(..."0123456789"), { minLength: 1, maxLength: 20 }),
        fc.constantFrom("", " ", "-")
      )
      .map(([digits, separator]) => digits.join(separator))
    const piece = fc.oneof(
      run,
      fc.integer({ min: 0, max: 40 }).map((n) => "x".repeat(n)),
      fc.constantFrom(" ", "-", "--", "  "),
      fc.string({ maxLength: 8 })
    )
    const key = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(""))
    await fc.assert(
      fc.asyncProperty(
        key.filter((k) => k !== "" && k !== "kitNo" && k !== "__proto__"),
        async (unknownKey) => {
          const error = await errorOf(lockCard as UseCase, { kitNo: "4240181652", [unknownKey]: null })
          expect(error.issues).toEqual([{ path: model(unknownKey), message: UNKNOWN_KEY }])
        }
      ),
      { numRuns: 500 }
    )
  })
})
