/**
 * card-lifecycle/node's keys: each imported once into a KeyObject and the decoded bytes wiped, dropped
 * when the layer's scope closes, read from Effect's Config as the portable module reads them, refused
 * by the same rules with the same issues as the portable module, and never shown in any output.
 */
import { createHmac } from "node:crypto"
import { inspect } from "node:util"
import { bytesToHex } from "@noble/hashes/utils.js"
import { Cause, ConfigProvider, Context, Effect, Exit, Layer, Redacted, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { keyRing } from "../../src/adapters/keys/KeyRing.js"
import { NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { type KeyConfiguration, NodeSecurityModule } from "../../src/adapters/node/index.js"
import { importKeys } from "../../src/adapters/node/KeyObjects.js"
import { SecurityModule } from "../../src/ports/SecurityModule.js"
import { flipBit, pinArb } from "../crypto/support.js"
import {
  holder,
  KIT,
  keyBytes,
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

const built = (layer: Layer.Layer<SecurityModule, unknown>) =>
  Effect.provide(
    Effect.gen(function* () {
      return yield* SecurityModule
    }),
    layer
  )
const hashWith = (layer: Layer.Layer<SecurityModule, unknown>) =>
  Effect.runPromiseExit(
    Effect.provide(
      Effect.flatMap(SecurityModule, (m) => m.cardNumberHash(TENANT_A, pan(PAN))),
      layer
    )
  )

describe("the keys as KeyObjects", () => {
  const config: KeyConfiguration = {
    [TENANT_A]: {
      setPin: [
        { id: "2026", hex: keyHex("new", 16) },
        { id: "2025", hex: Redacted.make(keyHex("old").toUpperCase()) }
      ],
      panStore: [{ id: "1", hex: keyHex("pan", 24) }]
    },
    [TENANT_B]: { cardNumber: [{ id: "1", hex: keyHex("hash") }] }
  }

  it("are imported once per key, secret, of the key's length and cipher, and the ring's bytes are wiped", () => {
    const ring = Result.getOrThrow(keyRing(config))
    const keys = importKeys(config, ring)
    const rows = (tenant: string, purpose: "setPin" | "panStore" | "cardNumber") =>
      keys
        .get(tenant)
        ?.get(purpose)
        ?.all.map((k) => [k.id, k.secret.type, k.secret.symmetricKeySize, k.cipher, k.secret.export()])
    expect(rows(TENANT_A, "setPin")).toEqual([
      ["2026", "secret", 16, "aes-128-gcm", Buffer.from(keyBytes("new", 16))],
      ["2025", "secret", 32, "aes-256-gcm", Buffer.from(keyBytes("old"))]
    ])
    expect(rows(TENANT_A, "panStore")).toEqual([
      ["1", "secret", 24, "aes-192-gcm", Buffer.from(keyBytes("pan", 24))]
    ])
    expect(rows(TENANT_B, "cardNumber")?.map((row) => row.slice(0, 3))).toEqual([["1", "secret", 32]])
    expect(keys.get(TENANT_A)?.get("setPin")?.active.id).toBe("2026")
    for (const [tenant, purpose] of [
      [TENANT_A, "setPin"],
      [TENANT_A, "panStore"],
      [TENANT_B, "cardNumber"]
    ] as const)
      for (const { key } of ring.keysOf(tenant, purpose)!) expect(() => Redacted.value(key)).toThrow()
  })

  it("are dropped when the layer's scope closes: a call after that dies, it never answers", async () => {
    let whileOpen = ""
    const module = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const opened = Context.get(yield* Layer.build(NodeSecurityModule.layer(config)), SecurityModule)
          whileOpen = yield* opened.cardNumberHash(TENANT_B, pan(PAN))
          return opened
        })
      )
    )
    expect(whileOpen).toBe(createHmac("sha256", keyBytes("hash")).update(PAN).digest("hex"))
    const after: ReadonlyArray<Effect.Effect<unknown, unknown>> = [
      module.cardNumberHash(TENANT_B, pan(PAN)),
      module.sealPinBlock(TENANT_A, pin("4821"), pan(PAN)),
      module.decryptPan(TENANT_A, KIT, { keyId: keyId("1"), ciphertext: "" })
    ]
    for (const call of after) expect(Exit.hasDies(await Effect.runPromiseExit(call))).toBe(true)
  })
})

describe("the keys from Effect's Config", () => {
  const hex = keyHex("config")
  const json = JSON.stringify({ [TENANT_A]: { cardNumber: [{ id: "1", hex }] } })
  const expected = createHmac("sha256", Buffer.from(hex, "hex")).update(PAN).digest("hex")
  const from = (provider: ConfigProvider.ConfigProvider, name?: string) =>
    NodeSecurityModule.layerConfig(name).pipe(Layer.provide(ConfigProvider.layer(provider)))

  it("are read from CARD_LIFECYCLE_KEYS, or from the variable named, as the portable module reads them", async () => {
    expect(await hashWith(from(ConfigProvider.fromUnknown({ CARD_LIFECYCLE_KEYS: json })))).toEqual(
      Exit.succeed(expected)
    )
    expect(await hashWith(from(ConfigProvider.fromEnv({ env: { BANK_KEYS: json } }), "BANK_KEYS"))).toEqual(
      Exit.succeed(expected)
    )
  })

  it("fail with a ConfigError when the variable is missing or not JSON, showing none of its text", async () => {
    const missing = await hashWith(from(ConfigProvider.fromUnknown({})))
    expect(Exit.isFailure(missing) && Cause.squash(missing.cause)).toMatchObject({ _tag: "ConfigError" })
    const broken = await hashWith(
      from(ConfigProvider.fromUnknown({ CARD_LIFECYCLE_KEYS: json.replace(`"${hex}"`, `'${hex}'`) }))
    )
    if (Exit.isSuccess(broken)) throw new Error("the layer was built")
    expect(Cause.pretty(broken.cause)).toContain(
      "CARD_LIFECYCLE_KEYS must be the JSON of a key configuration"
    )
    expect(Cause.pretty(broken.cause)).not.toContain(hex.slice(0, 8))
  })
})

const K1 = keyHex("one")
const issuesOf = async (layer: Layer.Layer<SecurityModule, unknown>) => {
  const exit = await Effect.runPromiseExit(built(layer))
  if (Exit.isSuccess(exit)) throw new Error("the module accepted the configuration")
  return Cause.squash(exit.cause) as {
    _tag: string
    issues: ReadonlyArray<{ path: string; message: string }>
  }
}

describe("a key configuration refused", () => {
  // the shared suite checks purposes, empty lists, ids, hex lengths and separation; these are the rest
  const cases: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
    ["a configuration that is no object", [], [""]],
    [
      "a tenant id with a space, named by its position",
      { ACME: {}, "4111111111111111 BANK": {} },
      ["<tenant #1>"]
    ],
    ["a tenant that is no object", { ACME: [] }, ["ACME"]],
    ["a list that is no list", { ACME: { setPin: { id: "k", hex: K1 } } }, ["ACME.setPin"]],
    ["an entry that is no object", { ACME: { setPin: [K1] } }, ["ACME.setPin.0"]],
    [
      "a key id of 65 characters",
      { ACME: { setPin: [{ id: "k".repeat(65), hex: K1 }] } },
      ["ACME.setPin.0.id"]
    ],
    [
      "hex with an odd digit, a 0x prefix, a space, 33 bytes, or no string",
      {
        ACME: {
          setPin: [
            { id: "a", hex: `${K1}0` },
            { id: "b", hex: `0x${K1.slice(2)}` },
            { id: "c", hex: ` ${K1}` },
            { id: "d", hex: `${K1}00` },
            { id: "e", hex: 1 }
          ]
        }
      },
      ["a", "b", "c", "d", "e"].map((_, i) => `ACME.setPin.${i}.hex`)
    ],
    [
      "one key twice in a list, under two ids, once Redacted",
      {
        ACME: {
          setPin: [
            { id: "a", hex: K1 },
            { id: "b", hex: Redacted.make(K1) }
          ]
        }
      },
      ["ACME.setPin.1.hex"]
    ]
  ]

  it.each(cases)(
    "%s: the same issues as the portable module, naming paths, never bytes",
    async (_, config, paths) => {
      const node = await issuesOf(NodeSecurityModule.layer(config as KeyConfiguration))
      expect(node._tag).toBe("InvalidKeyConfiguration")
      expect(node.issues.map((issue) => issue.path)).toEqual(paths)
      expect(node).toEqual(await issuesOf(NobleSecurityModule.layer(config as KeyConfiguration)))
      for (const text of [String(node), JSON.stringify(node), inspect(node, { depth: null })]) {
        expect(text.toLowerCase()).not.toContain(K1.slice(2, 34))
        expect(text).not.toContain("4111111111111111")
      }
    }
  )
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
 * failure of its operations, and the `Redacted` values it returns, each as `String`, `JSON.stringify`,
 * `util.inspect` and (for a failure) `Cause.pretty`. Ciphertexts and hashes are left out: they depend
 * on the secrets by design.
 */
const outputs = (s: Secrets): ReadonlyArray<string> => {
  const [setPinKey, pinStoreKey, cardNumberKey, panStoreKey] = s.keys.map(bytesToHex) as [
    string,
    string,
    string,
    string
  ]
  const module = moduleOf(
    NodeSecurityModule.layer({
      [TENANT_A]: {
        setPin: [{ id: "setPin-1", hex: Redacted.make(setPinKey) }],
        pinStore: [{ id: "pinStore-1", hex: pinStoreKey }],
        cardNumber: [{ id: "cardNumber-1", hex: cardNumberKey }],
        panStore: [{ id: "panStore-1", hex: panStoreKey }]
      }
    })
  )
  const envelope = run(module.sealPinBlock(TENANT_A, pin(s.pin), pan(s.pan)))
  const encrypted = run(module.encryptPan(TENANT_A, KIT, pan(s.pan)))
  const card = holder(s.pan)
  const refused = (config: KeyConfiguration) => Effect.runSyncExit(built(NodeSecurityModule.layer(config)))
  const exits: ReadonlyArray<Exit.Exit<unknown, unknown>> = [
    refused({
      [TENANT_A]: { setPin: [{ id: "a", hex: setPinKey }], pinStore: [{ id: "b", hex: setPinKey }] }
    }),
    refused({ [TENANT_A]: { setPin: [{ id: "a", hex: `${setPinKey}0` }] } }),
    refused({ [TENANT_A]: { setPin: [{ id: "a", hex: setPinKey.slice(2) }] } }),
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
    Effect.runSyncExit(module.decryptPan(TENANT_A, KIT, encrypted)),
    Effect.runSyncExit(
      module.decryptPan(TENANT_A, KIT, { ...encrypted, ciphertext: flipBit(encrypted.ciphertext, 7) })
    ),
    Effect.runSyncExit(module.decryptPan(TENANT_A, KIT, { ...encrypted, keyId: keyId("gone") })),
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
