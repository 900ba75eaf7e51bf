import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { errorTableMarkdown } from "../src/domain/ErrorModel.js"
import { mermaidStateDiagram } from "../src/index.js"

describe("docs/card-lifecycle.md", () => {
  it("holds the state diagram generated from the transition table", () => {
    const doc = readFileSync(new URL("../docs/card-lifecycle.md", import.meta.url), "utf8")
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(doc)?.[1]
    expect(block).toBe(mermaidStateDiagram())
  })
})

describe("docs/errors.md", () => {
  it("holds the error table generated from the code's table", () => {
    const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8")
    const block = /<!-- error-table:start -->\n([\s\S]*?)\n<!-- error-table:end -->/.exec(doc)?.[1]
    expect(block).toBe(errorTableMarkdown())
  })
})
