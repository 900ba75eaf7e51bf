/**
 * The two in-process security modules, over the same keys: what one makes, the other opens, checks and
 * decrypts, both ways, with the same answers to the byte. A host moves from one module to the other
 * without re-making a stored value.
 */
import { Redacted } from "effect"
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
