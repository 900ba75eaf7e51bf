/**
 * Every example of README.md and docs/embedding.md runs against the sources and prints what the doc
 * says it prints, so the docs cannot rot. (scripts/check-package.sh runs them again against the
 * packed package.)
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { format } from "node:util"
import { describe, expect, it, vi } from "vitest"
import { fileNameOf, readExamples } from "../scripts/examples.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const scratch = join(root, "test", ".examples")

// the package's entry points, as the sources
const entries: Record<string, string> = {
  "card-lifecycle": join(root, "src/index.ts"),
  "card-lifecycle/memory": join(root, "src/adapters/memory/index.ts"),
  "card-lifecycle/testing": join(root, "src/testing/index.ts")
}

const againstSources = (code: string) =>
  code.replace(/from "(card-lifecycle(?:\/[a-z]+)?)"/g, (whole, entry: string) =>
    entry in entries ? `from ${JSON.stringify(entries[entry])}` : whole
  )

describe("the docs' examples", () => {
  const examples = readExamples(root)

  it("are there: the README has its journey", () => {
    expect(examples.filter((e) => e.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(2)
  })

  for (const example of examples) {
    it(`${example.name} runs and prints what the doc shows`, async () => {
      mkdirSync(scratch, { recursive: true })
      const file = join(scratch, fileNameOf(example).replace(/\.mts$/, ".ts"))
      writeFileSync(file, againstSources(example.code))
      const printed: Array<string> = []
      const log = vi.spyOn(console, "log").mockImplementation((...args) => {
        printed.push(format(...args))
      })
      try {
        await import(file)
      } finally {
        log.mockRestore()
      }
      if (example.expected !== undefined) expect(printed.join("\n")).toBe(example.expected)
    })
  }
})

describe("npm run scenario", () => {
  it("runs the demo scenario to its audit trail, on the demo fixture", async () => {
    const lines: Array<string> = []
    const log = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
      lines.push(format(...args))
    })
    try {
      await import("../examples/scenario.js")
      // the scenario runs when imported; wait for its last line
      await vi.waitFor(() => expect(lines.join("\n")).toMatch(/BLOCK\s+608040XXXXXX6384/), {
        timeout: 10_000
      })
    } finally {
      log.mockRestore()
    }
    expect(lines.join("\n")).toContain("Audit trail")
  })
})
