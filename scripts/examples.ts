/**
 * The examples of the docs: every ```ts block of README.md and docs/embedding.md, with the ```text
 * block that follows it (before the next ```ts block) as what it must print.
 *
 * `test/examples.test.ts` runs them against the sources; `scripts/check-package.sh` runs them against
 * the packed package from a scratch project: `tsx scripts/examples.ts <scratch dir>` writes each one
 * there, runs it with this Node and compares what it prints.
 */
import { spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const exampleDocs = ["README.md", "docs/embedding.md"] as const

export interface Example {
  /** `README.md#2`: the doc and the block's number in it, from 1. */
  readonly name: string
  readonly code: string
  /** What it must print, line by line; undefined when the doc shows no output for it. */
  readonly expected: string | undefined
}

const fence = /^```(\w*)\n([\s\S]*?)^```$/gm

export const examplesOf = (doc: string, markdown: string): ReadonlyArray<Example> => {
  const examples: Array<{ name: string; code: string; expected: string | undefined }> = []
  for (const match of markdown.matchAll(fence)) {
    const [, language, body = ""] = match
    if (language === "ts")
      examples.push({ name: `${doc}#${examples.length + 1}`, code: body, expected: undefined })
    else if (language === "text" && examples.length > 0 && examples.at(-1)!.expected === undefined)
      examples.at(-1)!.expected = body.replace(/\n$/, "")
  }
  return examples
}

export const readExamples = (root: string): ReadonlyArray<Example> =>
  exampleDocs.flatMap((doc) => examplesOf(doc, readFileSync(join(root, doc), "utf8")))

/** The example's file name: `docs/embedding.md#2` → `docs_embedding.md-2.mts`. */
export const fileNameOf = (example: Example): string =>
  `${example.name.replace("#", "-").replaceAll("/", "_")}.mts`

const runInScratch = (scratch: string): number => {
  const root = fileURLToPath(new URL("..", import.meta.url))
  let failures = 0
  for (const example of readExamples(root)) {
    const file = join(scratch, fileNameOf(example))
    writeFileSync(file, example.code)
    const run = spawnSync(process.execPath, ["--no-warnings", file], { cwd: scratch, encoding: "utf8" })
    const printed = run.stdout.replace(/\n$/, "")
    const ok = run.status === 0 && (example.expected === undefined || printed === example.expected)
    console.log(`example ${ok ? "ok  " : "FAIL"} ${example.name}`)
    if (!ok) {
      failures++
      console.log(`--- expected\n${example.expected}\n--- printed\n${printed}\n--- stderr\n${run.stderr}`)
    }
  }
  return failures
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const scratch = process.argv[2]
  if (scratch === undefined) throw new Error("usage: tsx scripts/examples.ts <scratch project dir>")
  process.exitCode = runInScratch(scratch) === 0 ? 0 : 1
}
