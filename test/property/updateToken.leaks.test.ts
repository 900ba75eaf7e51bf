/**
 * DOMAIN.md §9 for the token update: no error, result or audit event shows a clear PAN, wherever a
 * caller puts one (a PAN field, the cardholderId, an unknown key of the request or of its
 * auditInfo, the auditInfo's userId) and however it is written (digits, groups split by spaces or
 * dashes, a JSON number).
 */
import { inspect } from "node:util"
import { Effect, Exit, Option } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { AuditLog, TenantId, updateToken } from "../../src/index.js"
import { Arbitraries } from "../../src/testing/index.js"
import { TENANT_A } from "../support/builders.js"
import {
  AUDIT_INFO,
  CARDHOLDER,
  RANGE,
  runTokens,
  tokenFixture,
  tokenFixtureOf,
  turFor
} from "../support/tokens.js"

/** PANs of 9–19 digits in the example account range (prefix 541234). */
const panInRange = Arbitraries.accountPan({ range: RANGE })

/** What was sent, and the digits no output may hold. */
interface Probe {
  readonly digits: string
  readonly sent: unknown
}

/** A PAN as a person writes it: its digits, or groups of 4 split by spaces or by dashes. */
const written = fc
  .tuple(panInRange, fc.constantFrom("", " ", "-"))
  .map(
    ([digits, separator]): Probe => ({ digits, sent: digits.replace(/[0-9]{4}(?=[0-9])/g, `$&${separator}`) })
  )

/** A card number where any text may go (a cardholderId, a key): written, spoiled, or a number. */
const cardNumber: fc.Arbitrary<Probe> = fc.oneof(
  written,
  panInRange.map((digits) => ({ digits, sent: `${digits}X` })),
  panInRange.map((pan) => pan.padEnd(20, "9")).map((digits) => ({ digits, sent: digits })),
  // a JSON number holds every integer of up to 15 digits exactly; a longer one would be rounded,
  // and the check would look for digits that were never sent
  panInRange.filter((digits) => digits.length <= 15).map((digits) => ({ digits, sent: Number(digits) }))
)

/** In a PAN field, also a PAN one digit short of the rule. */
const panFieldValue = fc.oneof(
  cardNumber,
  panInRange.map((pan) => pan.slice(0, 8)).map((digits) => ({ digits, sent: digits }))
)

const ROUTES = [
  "currentAccountPan",
  "newAccountPan",
  "cardholderId",
  "requestKey",
  "auditInfoKey",
  "auditInfoUserId"
] as const
type Route = (typeof ROUTES)[number]

const isCardholderId = (sent: unknown): sent is string =>
  typeof sent === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(sent)

const requestFor = (route: Route, probe: Probe, change: object, storedPan: string, found: boolean) => {
  const one = { tokenUniqueReference: turFor(1), ...change, auditInfo: AUDIT_INFO }
  switch (route) {
    case "currentAccountPan":
      return { currentAccountPan: found ? storedPan : probe.sent, ...change, auditInfo: AUDIT_INFO }
    case "newAccountPan":
      return { ...one, newAccountPan: probe.sent }
    case "cardholderId":
      return { cardholderId: probe.sent, ...change, auditInfo: AUDIT_INFO }
    case "requestKey":
      return { ...one, [String(probe.sent)]: "x" }
    case "auditInfoKey":
      return { ...one, auditInfo: { ...AUDIT_INFO, [String(probe.sent)]: "x" } }
    // the userId is the audit events' changer
    case "auditInfoUserId":
      return { ...one, auditInfo: { ...AUDIT_INFO, userId: probe.sent } }
  }
}

describe("no clear PAN in what the token update shows", () => {
  it("validation errors, refusals, results and audit events never hold one", async () => {
    const outcomes = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.array(panInRange, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...ROUTES),
        cardNumber,
        panFieldValue,
        fc.option(panInRange, { nil: undefined }),
        // the stored tokens are found: by their first PAN, or as the cardholder the probe names
        fc.boolean(),
        async (storedPans, route, text, panValue, next, found) => {
          const probe = route === "currentAccountPan" || route === "newAccountPan" ? panValue : text
          const holder =
            found && route === "cardholderId" && isCardholderId(probe.sent) ? probe.sent : CARDHOLDER
          const stored = storedPans.map((pan, i) =>
            tokenFixture(turFor(i + 1), { accountPan: pan, cardholderId: holder })
          )
          const change = next === undefined ? { expirationDate: "1215" } : { newAccountPan: next }
          const request = requestFor(route, probe, change, storedPans[0] as string, found)
          const { exit, events } = await runTokens(
            tokenFixtureOf({ [TENANT_A]: stored }, [RANGE]),
            Effect.gen(function* () {
              const exit = yield* Effect.exit(updateToken(TENANT_A, request))
              const log = yield* AuditLog
              const events = yield* Effect.forEach(stored, (t) =>
                log.findBySubject(TenantId.make(TENANT_A), t.tokenUniqueReference)
              )
              return { exit, events: events.flat() }
            })
          )
          const outcome = Exit.isSuccess(exit)
            ? exit.value
            : Option.getOrUndefined(Exit.findErrorOption(exit))
          const tag = Exit.isSuccess(exit) ? "success" : (outcome as { _tag: string })._tag
          outcomes.set(tag, (outcomes.get(tag) ?? 0) + 1)
          const shown = [
            JSON.stringify(outcome),
            String(outcome),
            inspect(outcome, { depth: 10 }),
            outcome instanceof Error ? outcome.message : "",
            JSON.stringify(events)
          ].join("\n")
          // a PAN split by spaces or dashes is still that PAN
          const flat = shown.replace(/[ -]/g, "")
          for (const digits of [...storedPans, probe.digits, next]) {
            if (digits !== undefined) expect(flat).not.toContain(digits)
          }
        }
      ),
      { numRuns: 400 }
    )
    // every kind of answer that could echo caller text was met
    for (const tag of ["success", "ValidationError", "TokenNotFound", "CardholderHasSeveralPans"]) {
      expect(outcomes.get(tag) ?? 0, tag).toBeGreaterThan(0)
    }
  })
})
