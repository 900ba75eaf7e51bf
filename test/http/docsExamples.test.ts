/**
 * Every curl command of docs/http.md, run as written (only the port changes) against the service on
 * the demo data of `npm start`, in the doc's order: each answers with the status and the body the doc
 * shows. A new card's PAN, its hash and its expiry date are compared by format: they differ from run
 * to run and day to day.
 */
import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { memoryDemo, type Service, startService } from "./support.js"

const doc = readFileSync(new URL("../../docs/http.md", import.meta.url), "utf8")

interface Example {
  readonly command: string
  readonly status: number
  readonly format: "json" | "xml"
  readonly answer: string
}

/** Each ```sh block of a curl command, with the "Answer (NNN):" and the block after it. */
const examples: ReadonlyArray<Example> = [
  ...doc.matchAll(/```sh\n(curl [^\n]+)\n```\n\nAnswer \((\d{3})\)[^\n]*\n\n```(json|xml)\n([^\n]+)\n```/g)
].map((m) => ({
  command: m[1] ?? "",
  status: Number(m[2]),
  format: m[3] as "json" | "xml",
  answer: m[4] ?? ""
}))

const curl = ["/usr/bin/curl", "/bin/curl", "/usr/local/bin/curl"].find(existsSync)

// what differs from run to run: a new card's PAN (masked), its keyed hash, its expiry date
const formats: Record<string, RegExp> = {
  cardNumber: /^608040X{6}[0-9]{4}$/,
  encryptedCardNumber: /^[0-9a-f]{64}$/,
  expDate: /^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00\.000\+00:00$/
}

const generated = (value: unknown, key = ""): unknown => {
  if (Array.isArray(value)) return value.map((v) => generated(v))
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, generated(v, k)]))
  const format = formats[key]
  return format !== undefined && typeof value === "string" && format.test(value) ? `<${key}>` : value
}

const upgraded = (value: unknown): boolean => JSON.stringify(value).includes('"kitInfo"')

const describeWithCurl = curl === undefined ? describe.skip : describe

describeWithCurl(
  `docs/http.md's curl commands${curl === undefined ? " (skipped: no curl on this machine)" : ""}`,
  () => {
    let service: Service
    beforeAll(async () => {
      service = await startService(memoryDemo())
    })
    afterAll(() => service.close())

    it("are all there: one per endpoint at least", () => {
      // every curl line of the doc has its shown answer, so none is skipped by the pattern above
      expect(examples.length).toBe(doc.match(/^curl /gm)?.length)
      const paths = new Set(
        examples.map((e) => /\/v1\/[^"]+/.exec(e.command)?.[0].replace(/\/users\/\d+\//, "/users/:id/"))
      )
      expect(paths.size).toBe(11)
    })

    it("answer what the doc shows, in its order", async () => {
      for (const example of examples) {
        const command = `${example.command.replace("http://127.0.0.1:8080", service.base)} -w '\\n%{http_code}'`
        const { stdout } = await promisify(execFile)("sh", ["-c", command])
        const lines = stdout.split("\n")
        const status = Number(lines.pop())
        const body = lines.join("\n")
        expect(status, example.command).toBe(example.status)
        if (example.format === "xml") expect(body).toBe(example.answer)
        else {
          const actual = JSON.parse(body)
          const shown = JSON.parse(example.answer)
          // only a new card's fields differ by value; every other field is compared as it is
          expect(upgraded(actual) ? generated(actual) : actual, example.command).toEqual(
            upgraded(shown) ? generated(shown) : shown
          )
        }
      }
    })
  }
)
