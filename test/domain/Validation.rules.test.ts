/**
 * Rules of a ValidationError's issues and message (src/domain/ground/Validation.ts, docs/errors.md):
 * paths name the fields of the request itself unless a prefix is given, an issue of the request as a
 * whole has an empty path and is quoted bare, issues are quoted in order separated by `; `, and an
 * unknown key is always reported in Effect's words that the docs quote.
 */
import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { decodeWith, ValidationError } from "../../src/domain/ground/Validation.js"

const schema = Schema.Struct({ kitNo: Schema.String, reason: Schema.String })
const refusal = (decode: (input: unknown) => Effect.Effect<unknown, ValidationError>, input: unknown) =>
  Effect.runSync(Effect.flip(decode(input)))

describe("decodeWith", () => {
  it("names each bad field by its own path when no prefix is given, unknown keys last", () => {
    const error = refusal(decodeWith(schema), { kitNo: 1, chanel: "web", reason: "lost" })
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.issues).toEqual([
      { path: "kitNo", message: "Expected string" },
      { path: "chanel", message: "Expected no excess property" }
    ])
  })

  it("puts the prefix before every path it is given", () => {
    const error = refusal(decodeWith(schema, ["kitInfo", 0]), { kitNo: 1, reason: "lost" })
    expect(error.issues).toEqual([{ path: "kitInfo.0.kitNo", message: "Expected string" }])
  })

  it("quotes every issue in its message, each as `path: rule`, separated by `; `", () => {
    const error = refusal(decodeWith(schema), { kitNo: 1, reason: 2, chanel: "web" })
    expect(error.message).toBe(
      "Invalid request: kitNo: Expected string; reason: Expected string; chanel: Expected no excess property"
    )
  })

  it("quotes an issue of the request as a whole without a path", () => {
    const error = refusal(decodeWith(schema), 5)
    expect(error.issues).toEqual([{ path: "", message: "Expected object" }])
    expect(error.message).toBe("Invalid request: Expected object")
  })

  it("reports an unknown key as `Expected no excess property`, whatever the schema says of its own", () => {
    const annotated = Schema.Struct({ kitNo: Schema.String }).annotate({ messageUnexpectedKey: "go away" })
    const error = refusal(decodeWith(annotated), { kitNo: "4240181595", chanel: "web" })
    expect(error.issues).toEqual([{ path: "chanel", message: "Expected no excess property" }])
  })
})

describe("ValidationError", () => {
  it("quotes issues at the empty path bare and the others after their path, in order", () => {
    const error = new ValidationError({
      issues: [
        { path: "kitNo", message: "must be 1-32 letters or digits" },
        { path: "", message: "and 3 more issues" }
      ]
    })
    expect(error.message).toBe("Invalid request: kitNo: must be 1-32 letters or digits; and 3 more issues")
  })
})
