import { createHmac } from "node:crypto"
import { inspect } from "node:util"
import { Cause, ConfigProvider, Context, Effect, Exit, Layer, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { keyConfigurationConfig, NobleSecurityModule } from "../../src/adapters/memory/index.js"
import { makePan, PanDigits, SecurityModule, TenantId } from "../../src/index.js"
import { securityModuleContract } from "../../src/testing/index.js"

securityModuleContract("NobleSecurityModule", NobleSecurityModule.layer)

const TENANT = TenantId.make("ACME_BANK")
const PAN = makePan(PanDigits.make("6080400000000077"))
const CARD_NUMBER_KEY = "5c".repeat(32)
const SET_PIN_KEY = "a7".repeat(16)
const keysJson = JSON.stringify({
  [TENANT]: {
    cardNumber: [{ id: "2026-07", hex: CARD_NUMBER_KEY }],
    setPin: [{ id: "1", hex: SET_PIN_KEY }]
  }
})
const expectedHash = createHmac("sha256", Buffer.from(CARD_NUMBER_KEY, "hex"))
  .update("6080400000000077")
  .digest("hex")

const hashWith = (layer: Layer.Layer<SecurityModule, unknown>) =>
  Effect.runPromiseExit(
    Effect.provide(
      Effect.flatMap(SecurityModule, (module) => module.cardNumberHash(TENANT, PAN)),
      layer
    )
  )
const withProvider = (provider: ConfigProvider.ConfigProvider, name?: string) =>
  NobleSecurityModule.layerConfig(name).pipe(Layer.provide(ConfigProvider.layer(provider)))

describe("the portable module's keys from Effect's Config", () => {
  it("are read from CARD_LIFECYCLE_KEYS as JSON, each hex Redacted as soon as it is parsed", async () => {
    const provider = ConfigProvider.fromUnknown({ CARD_LIFECYCLE_KEYS: keysJson })
    const config = await Effect.runPromise(keyConfigurationConfig().parse(provider))
    const hex = config[TENANT]?.cardNumber?.[0]?.hex
    expect(Redacted.isRedacted(hex)).toBe(true)
    expect(inspect(config, { depth: null })).not.toContain(CARD_NUMBER_KEY)
    expect(await hashWith(withProvider(provider))).toEqual(Exit.succeed(expectedHash))
  })

  it("are read from another variable when named, from the environment as well", async () => {
    const provider = ConfigProvider.fromEnv({ env: { BANK_KEYS: keysJson } })
    expect(await hashWith(withProvider(provider, "BANK_KEYS"))).toEqual(Exit.succeed(expectedHash))
  })

  it("fail with a ConfigError naming the variable, and repeating none of its text, when it is not JSON", async () => {
    // the key in single quotes: JSON.parse's own message quotes the text around the mistake
    const broken = keysJson.replace(`"${CARD_NUMBER_KEY}"`, `'${CARD_NUMBER_KEY}'`)
    expect(() => JSON.parse(broken)).toThrow(CARD_NUMBER_KEY.slice(0, 8))
    const exit = await hashWith(withProvider(ConfigProvider.fromUnknown({ CARD_LIFECYCLE_KEYS: broken })))
    if (Exit.isSuccess(exit)) throw new Error("the layer was built")
    const text = Cause.pretty(exit.cause)
    expect(text).toContain("CARD_LIFECYCLE_KEYS must be the JSON of a key configuration")
    expect(text).not.toContain(CARD_NUMBER_KEY.slice(0, 8))
    expect(text).not.toContain(SET_PIN_KEY)
  })

  it("fail with a ConfigError when the variable is missing", async () => {
    const exit = await hashWith(withProvider(ConfigProvider.fromUnknown({})))
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toMatchObject({ _tag: "ConfigError" })
  })

  it("are checked like any configuration: one key under two purposes is InvalidKeyConfiguration", async () => {
    const reused = JSON.stringify({
      [TENANT]: { cardNumber: [{ id: "1", hex: SET_PIN_KEY }], setPin: [{ id: "1", hex: SET_PIN_KEY }] }
    })
    const exit = await hashWith(withProvider(ConfigProvider.fromUnknown({ CARD_LIFECYCLE_KEYS: reused })))
    if (Exit.isSuccess(exit)) throw new Error("the layer was built")
    expect(Cause.squash(exit.cause)).toMatchObject({
      _tag: "InvalidKeyConfiguration",
      issues: [{ path: `${TENANT}.setPin.0.hex` }]
    })
    expect(Cause.pretty(exit.cause)).not.toContain(SET_PIN_KEY)
  })
})

describe("the portable module's keys", () => {
  it("are taken Redacted too, and give what the same hex in clear gives", async () => {
    const layer = NobleSecurityModule.layer({
      [TENANT]: { cardNumber: [{ id: "1", hex: Redacted.make(CARD_NUMBER_KEY.toUpperCase()) }] }
    })
    expect(await hashWith(layer)).toEqual(Exit.succeed(expectedHash))
  })

  it("are zeroed when the layer's scope closes: a call after that dies, it never answers with another key", async () => {
    const context = await Effect.runPromise(
      Effect.scoped(
        Layer.build(
          NobleSecurityModule.layer({ [TENANT]: { cardNumber: [{ id: "1", hex: CARD_NUMBER_KEY }] } })
        )
      )
    )
    const exit = await Effect.runPromiseExit(Context.get(context, SecurityModule).cardNumberHash(TENANT, PAN))
    expect(Exit.hasDies(exit)).toBe(true)
  })
})
