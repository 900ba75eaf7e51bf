/**
 * The two in-process security modules, over the same keys: what one makes, the other opens, checks and
 * decrypts, both ways, with the same answers to the byte. A host moves from one module to the other
 * without re-making a stored value.
 */
import { Effect, Exit, Redacted } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { NodeSecurityModule } from "../../src/adapters/node/index.js"
import { pinArb } from "../crypto/support.js"
import {
  holder,
  KEY_SIZES,
  luhnPanArb,
  type Module,
  moduleOf,
  pan,
  pin,
  run,
  TENANT_A,
  twoTenants
} from "../support/securityModule.js"

const pairs = KEY_SIZES.map((bytes) => {
  const config = twoTenants(bytes)
  return {
    bytes,
    noble: moduleOf(NobleSecurityModule.layer(config)),
    node: moduleOf(NodeSecurityModule.layer(config))
  }
})

it("values made by either module open, check and decrypt with the other, the hash and the verifier's MAC the same bytes", () => {
  const kitNoArb = fc.stringMatching(/^[A-Za-z0-9]{1,32}$/)
  fc.assert(
    fc.property(
      fc.constantFrom(...pairs),
      pinArb,
      luhnPanArb,
      kitNoArb,
      ({ noble, node }, p, digits, kitNo) => {
        const card = holder(digits, kitNo)
        const made = (by: Module) => ({
          envelope: run(by.sealPinBlock(TENANT_A, pin(p), pan(digits))),
          verifier: run(by.makeVerifier(TENANT_A, card, pin(p))),
          hash: run(by.cardNumberHash(TENANT_A, pan(digits))),
          encrypted: run(by.encryptPan(TENANT_A, card.kitNo, pan(digits)))
        })
        const used = (by: Module, values: ReturnType<typeof made>) => [
          Redacted.value(run(by.openPinBlock(TENANT_A, values.envelope, pan(digits)))),
          run(by.checkVerifier(TENANT_A, card, pin(p), values.verifier)),
          Redacted.value(run(by.decryptPan(TENANT_A, card.kitNo, values.encrypted)))
        ]
        const fromNode = made(node)
        const fromNoble = made(noble)
        expect(used(noble, fromNode)).toEqual([p, true, digits])
        expect(used(node, fromNoble)).toEqual([p, true, digits])
        expect(fromNode.hash).toBe(fromNoble.hash)
        expect(fromNode.verifier.keyId).toBe(fromNoble.verifier.keyId)
        expect(Redacted.value(fromNode.verifier.mac)).toBe(Redacted.value(fromNoble.verifier.mac))
        expect(fromNode.encrypted.keyId).toBe(fromNoble.encrypted.keyId)
      }
    ),
    { numRuns: 200 }
  )
})

/** An edit of an envelope's text: one character replaced, dropped or added, or the text cut or grown. */
const editArb = fc.oneof(
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    char: fc.constantFrom(..."AQgw09+/=-_ \n.%")
  }),
  fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), char: fc.constantFrom(..."A=+/-_ ") }),
  fc.record({ kind: fc.constant("url" as const) }),
  fc.record({ kind: fc.constant("unpad" as const) })
)
type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never
const edited = (text: string, edit: Edit): string => {
  switch (edit.kind) {
    case "replace": {
      const at = edit.at % text.length
      return text.slice(0, at) + edit.char + text.slice(at + 1)
    }
    case "drop": {
      const at = edit.at % text.length
      return text.slice(0, at) + text.slice(at + 1)
    }
    case "insert": {
      const at = edit.at % (text.length + 1)
      return text.slice(0, at) + edit.char + text.slice(at)
    }
    case "url":
      return text.replaceAll("+", "-").replaceAll("/", "_")
    case "unpad":
      return text.replace(/=+$/, "")
  }
}

it("both modules open exactly the same envelope texts: an edited envelope is refused by both, or opened by both", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...pairs),
      pinArb,
      luhnPanArb,
      fc.array(editArb, { minLength: 1, maxLength: 3 }),
      ({ noble, node }, p, digits, edits) => {
        const text = edits.reduce(edited, run(node.sealPinBlock(TENANT_A, pin(p), pan(digits))))
        const opened = (by: Module) => {
          const exit = Effect.runSyncExit(by.openPinBlock(TENANT_A, text, pan(digits)))
          return Exit.isSuccess(exit) ? Redacted.value(exit.value) : "refused"
        }
        expect(opened(node)).toBe(opened(noble))
      }
    ),
    { numRuns: 2_000 }
  )
})
