/**
 * card-lifecycle/node's key configuration, checked when the layer is built (every rule refused by
 * its path, never by its bytes), and the law that no key, PIN or PAN shows in anything the module
 * returns or fails with.
 */
import { inspect } from "node:util"
import { bytesToHex } from "@noble/hashes/utils.js"
import { Cause, Effect, Exit, Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { InvalidKeyConfiguration, type KeyConfiguration, layer } from "../../src/adapters/node/index.js"
import { SecurityModule } from "../../src/ports/SecurityModule.js"
import { flipBit, pinArb } from "../crypto/support.js"
import {
  failure,
  holder,
  keyHex,
  keyId,
  luhnPanArb,
  moduleOf,
  PAN,
  pan,
  pin,
  run,
  TENANT_A,
  TENANT_B
} from "../support/securityModule.js"

const built = (config: KeyConfiguration) =>
  Effect.provide(
    Effect.gen(function* () {
      return yield* SecurityModule
    }),
    layer(config)
  )

const refusal = (config: unknown) => failure(built(config as KeyConfiguration))

const K1 = keyHex("one")
const K2 = keyHex("two")
const K3 = keyHex("three", 16)

describe("the key configuration", () => {
  it("builds with every purpose, Redacted or plain hex of 16, 24 or 32 bytes, in either case, the same ids across tenants and purposes", () => {
    const module = moduleOf(
      layer({
        [TENANT_A]: {
          setPin: [{ id: "k", hex: Redacted.make(K1.toUpperCase()) }],
          pinStore: [{ id: "k", hex: keyHex("p", 24) }],
          cardNumber: [{ id: "k", hex: K3 }],
          panStore: [{ id: "k", hex: K2 }]
        },
        [TENANT_B]: { setPin: [{ id: "k", hex: keyHex("b") }] }
      })
    )
    const envelope = run(module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)))
    expect(Redacted.value(run(module.openPinBlock(TENANT_A, envelope, pan(PAN))))).toBe("4821")
  })

  const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
    ["a configuration that is no object", [], "(configuration)", "must be an object"],
    ["a tenant id with a space", { "ACME BANK": {} }, "ACME BANK", "must be a tenant id"],
    ["a tenant that is no object", { ACME: [] }, "ACME", "must be a tenant id"],
    [
      "an unknown purpose",
      { ACME: { setpin: [{ id: "k", hex: K1 }] } },
      "ACME.setpin",
      "is not a key purpose"
    ],
    ["an empty list", { ACME: { setPin: [] } }, "ACME.setPin", "must be a non-empty list"],
    [
      "a list that is no list",
      { ACME: { setPin: { id: "k", hex: K1 } } },
      "ACME.setPin",
      "must be a non-empty list"
    ],
    [
      "an entry that is no object",
      { ACME: { setPin: [K1] } },
      "ACME.setPin[0]",
      "must be an object { id, hex }"
    ],
    [
      "a key id with a space",
      { ACME: { setPin: [{ id: "key 1", hex: K1 }] } },
      "ACME.setPin[0].id",
      "must be 1-64"
    ],
    [
      "a key id of 65 characters",
      { ACME: { setPin: [{ id: "k".repeat(65), hex: K1 }] } },
      "ACME.setPin[0].id",
      "must be 1-64"
    ],
    [
      "one id twice in a tenant and purpose",
      {
        ACME: {
          setPin: [
            { id: "k", hex: K1 },
            { id: "k", hex: K2 }
          ]
        }
      },
      "ACME.setPin[1].id",
      "must be unique"
    ],
    [
      "an odd number of hex digits",
      { ACME: { setPin: [{ id: "k", hex: `${K1}0` }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "15 bytes",
      { ACME: { setPin: [{ id: "k", hex: K3.slice(2) }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "20 bytes",
      { ACME: { setPin: [{ id: "k", hex: K1.slice(0, 40) }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "33 bytes",
      { ACME: { setPin: [{ id: "k", hex: `${K1}00` }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "a non-hex digit",
      { ACME: { setPin: [{ id: "k", hex: `${K1.slice(1)}g` }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "a 0x prefix",
      { ACME: { setPin: [{ id: "k", hex: `0x${K1.slice(2)}` }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "a space",
      { ACME: { setPin: [{ id: "k", hex: ` ${K1}` }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "hex that is no string",
      { ACME: { setPin: [{ id: "k", hex: 1 }] } },
      "ACME.setPin[0].hex",
      "must be 16, 24 or 32 bytes"
    ],
    [
      "one key for two purposes",
      { ACME: { setPin: [{ id: "a", hex: K1 }], pinStore: [{ id: "b", hex: K1 }] } },
      "ACME.pinStore[0].hex",
      "must not hold the same bytes as ACME.setPin[0].hex"
    ],
    [
      "one key for two tenants, written in another case",
      { ACME: { setPin: [{ id: "a", hex: K1 }] }, OTHER: { setPin: [{ id: "a", hex: K1.toUpperCase() }] } },
      "OTHER.setPin[0].hex",
      "must not hold the same bytes as ACME.setPin[0].hex"
    ],
    [
      "one key twice in a list, under two ids",
      {
        ACME: {
          setPin: [
            { id: "a", hex: K1 },
            { id: "b", hex: Redacted.make(K1) }
          ]
        }
      },
      "ACME.setPin[1].hex",
      "must not hold the same bytes as ACME.setPin[0].hex"
    ]
  ]

  it.each(cases)("refuses %s, naming the path and the rule, never the bytes", (_, config, path, rule) => {
    const refused = refusal(config)
    expect(refused).toBeInstanceOf(InvalidKeyConfiguration)
    expect(refused).toMatchObject({
      _tag: "InvalidKeyConfiguration",
      code: "INVALID_KEY_CONFIGURATION",
      path
    })
    expect((refused as InvalidKeyConfiguration).rule).toContain(rule)
    expect((refused as InvalidKeyConfiguration).message).toBe(
      `${path}: ${(refused as InvalidKeyConfiguration).rule}`
    )
    for (const text of [String(refused), JSON.stringify(refused), inspect(refused)])
      for (const key of [K1, K2, K3, K1.slice(2), K1.slice(0, 40)])
        expect(text.toLowerCase()).not.toContain(key)
  })
})

/** One tenant's keys, PIN and PAN: the secrets of a run. */
interface Secrets {
  readonly keys: ReadonlyArray<Uint8Array>
  readonly pin: string
  readonly pan: string
}

const secretsArb: fc.Arbitrary<Secrets> = fc.record({
  keys: fc.constantFrom(16, 24, 32).chain((n) =>
    fc.uniqueArray(fc.uint8Array({ minLength: n, maxLength: n }), {
      minLength: 4,
      maxLength: 4,
      selector: (key) => bytesToHex(key)
    })
  ),
  pin: pinArb,
  pan: luhnPanArb
})

/**
 * Everything the module gives back that may not depend on a secret: its refusals at build, every
 * failure and defect of its operations, and the `Redacted` values it returns, each as `String`,
 * `JSON.stringify`, `util.inspect` and (for a failure) `Cause.pretty`. Ciphertexts and hashes are
 * left out: they depend on the secrets by design.
 */
const outputs = (s: Secrets): ReadonlyArray<string> => {
  const [setPinKey, pinStoreKey, cardNumberKey, panStoreKey] = s.keys.map(bytesToHex) as [
    string,
    string,
    string,
    string
  ]
  const module = moduleOf(
    layer({
      [TENANT_A]: {
        setPin: [{ id: "setPin-1", hex: Redacted.make(setPinKey) }],
        pinStore: [{ id: "pinStore-1", hex: pinStoreKey }],
        cardNumber: [{ id: "cardNumber-1", hex: cardNumberKey }],
        panStore: [{ id: "panStore-1", hex: panStoreKey }]
      }
    })
  )
  const envelope = run(module.sealPinBlock(TENANT_A, pin(s.pin), pan(s.pan)))
  const encrypted = run(module.encryptPan(TENANT_A, pan(s.pan)))
  const card = holder(s.pan)
  const exits: ReadonlyArray<Exit.Exit<unknown, unknown>> = [
    Effect.runSyncExit(
      built({
        [TENANT_A]: { setPin: [{ id: "a", hex: setPinKey }], pinStore: [{ id: "b", hex: setPinKey }] }
      })
    ),
    Effect.runSyncExit(built({ [TENANT_A]: { setPin: [{ id: "a", hex: `${setPinKey}0` }] } })),
    Effect.runSyncExit(built({ [TENANT_A]: { setPin: [{ id: "a", hex: setPinKey.slice(2) }] } })),
    Effect.runSyncExit(module.openPinBlock(TENANT_A, envelope, pan(s.pan))),
    Effect.runSyncExit(module.openPinBlock(TENANT_A, flipBit(envelope, 200), pan(s.pan))),
    Effect.runSyncExit(module.openPinBlock(TENANT_A, envelope, pan(`${s.pan.slice(0, -1)}A`))),
    Effect.runSyncExit(module.openPinBlock(TENANT_B, envelope, pan(s.pan))),
    Effect.runSyncExit(module.sealPinBlock(TENANT_A, pin(`${s.pin}A`), pan(s.pan))),
    Effect.runSyncExit(module.sealPinBlock(TENANT_A, pin(s.pin), pan(`${s.pan.slice(0, -1)}A`))),
    Effect.runSyncExit(module.makeVerifier(TENANT_A, card, pin(s.pin))),
    Effect.runSyncExit(
      module.checkVerifier(TENANT_A, card, pin(s.pin), {
        keyId: keyId("gone"),
        mac: Redacted.make(setPinKey)
      })
    ),
    Effect.runSyncExit(module.decryptPan(TENANT_A, encrypted)),
    Effect.runSyncExit(
      module.decryptPan(TENANT_A, { ...encrypted, ciphertext: flipBit(encrypted.ciphertext, 7) })
    ),
    Effect.runSyncExit(module.decryptPan(TENANT_A, { ...encrypted, keyId: keyId("gone") })),
    Effect.runSyncExit(module.cardNumberHash(TENANT_B, pan(s.pan)))
  ]
  return exits.flatMap((exit) => [
    String(exit),
    JSON.stringify(exit),
    inspect(exit, { depth: 8 }),
    ...(Exit.isFailure(exit) ? [Cause.pretty(exit.cause)] : [])
  ])
}

describe("no secret in any output", () => {
  it("no key, PIN or PAN shows, and the outputs of two runs with other secrets are the same texts", () => {
    fc.assert(
      fc.property(secretsArb, secretsArb, (first, second) => {
        const texts = outputs(first)
        for (const text of texts) {
          for (const key of first.keys) {
            expect(text.toLowerCase()).not.toContain(bytesToHex(key))
            expect(text).not.toContain(Buffer.from(key).toString("base64"))
          }
          expect(text).not.toContain(first.pan.slice(0, -1))
        }
        // no output can depend on the PIN, the PAN or the keys when it is the same for all of them
        expect(outputs(second)).toEqual(texts)
      }),
      { numRuns: 30 }
    )
  })
})
