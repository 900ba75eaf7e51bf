/**
 * A key configuration read from Effect's `Config`: the JSON of a `KeyConfiguration` in one secret
 * variable.
 *
 * @since 0.1.0
 */
import { Config, ConfigProvider, Effect, Redacted } from "effect"
import type { KeyConfiguration } from "./KeyConfiguration.js"

/**
 * The variable a module reads its keys from unless told otherwise.
 *
 * @category constants
 */
export const DEFAULT_KEYS_VARIABLE = "CARD_LIFECYCLE_KEYS"

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/** Every `hex` of the parsed JSON `Redacted` at once; the shape itself is the module's to check. */
const redactHex = (parsed: unknown): unknown => {
  if (!isRecord(parsed)) return parsed
  for (const purposes of Object.values(parsed))
    if (isRecord(purposes))
      for (const entries of Object.values(purposes))
        if (Array.isArray(entries))
          for (const entry of entries)
            if (isRecord(entry) && typeof entry.hex === "string")
              entry.hex = Redacted.make(entry.hex, { label: "key" })
  return parsed
}

/**
 * The key configuration in the secret variable `name` (`CARD_LIFECYCLE_KEYS` by default), read with
 * `Config.Redacted` and parsed as JSON: `{ "<tenant>": { "<purpose>": [{ "id": "…", "hex": "…" }] } }`,
 * each `hex` `Redacted` as soon as it is parsed. Text that is not JSON fails with a `ConfigError`
 * that names the variable and repeats none of its text; the configuration's rules are checked by the
 * module that takes it (`InvalidKeyConfiguration`).
 *
 * @category constructors
 */
export const keyConfigurationConfig = (
  name: string = DEFAULT_KEYS_VARIABLE
): Config.Config<KeyConfiguration> =>
  Config.Redacted(name).pipe(
    Config.mapEffect((text) =>
      Effect.try({
        // JSON.parse's own error quotes the text around a mistake: it is dropped, never shown
        try: () => redactHex(JSON.parse(Redacted.value(text))) as KeyConfiguration,
        catch: () =>
          new Config.ConfigError(
            new ConfigProvider.SourceError({ message: `${name} must be the JSON of a key configuration` })
          )
      })
    )
  )
