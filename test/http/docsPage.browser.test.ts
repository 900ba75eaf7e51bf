/**
 * The API reference page (`/v1/docs`) in a real browser: headless Chromium opens it on the service
 * in-process and finds every operation of the OpenAPI document listed, with no request to another
 * host and nothing refused by the page's content security policy (its scripts allowed by hash).
 *
 * Chromium is the system's (/usr/bin/chromium, /usr/bin/chromium-browser, or $CHROMIUM_PATH first);
 * .ci/run installs it where it is missing. Without it the suite is skipped, saying so in its name.
 */
import { existsSync } from "node:fs"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Http from "../../src/adapters/http/index.js"
import { memoryDemo, type Service, startService } from "./support.js"

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (path): path is string => path !== undefined && path !== ""
)
const executablePath = candidates.find((path) => existsSync(path))

/** Flags this machine needs: root (no sandbox), no GPU, and a browser that calls nowhere by itself. */
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const

interface Operation {
  readonly method: string
  readonly path: string
  readonly operationId: string | undefined
  readonly summary: string | undefined
}

interface OpenApiDocument {
  readonly paths: Record<string, Partial<Record<string, { operationId?: string; summary?: string }>>>
}

const operationsOf = (document: OpenApiDocument): ReadonlyArray<Operation> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method]
      return operation === undefined
        ? []
        : [{ method: method.toUpperCase(), path, operationId: operation.operationId, summary: operation.summary }]
    })
  )

/** Scalar titles an operation by its summary, or by its path when it has none. */
const titleOf = (operation: Operation): string => operation.summary ?? operation.path

/** What the page showed and did while it was open. */
interface Visit {
  readonly requests: ReadonlyArray<string>
  readonly console: ReadonlyArray<string>
  readonly pageErrors: ReadonlyArray<string>
  readonly violations: ReadonlyArray<string>
  /** The text of the sidebar's entries and of the operations' headings. */
  readonly listed: ReadonlyArray<string>
  readonly contentSecurityPolicy: string | undefined
}

// Runs in the page before its own scripts (Playwright injects it, the page's policy does not apply):
// keeps every violation the policy reports, as "directive blocked-uri".
const recordViolations = `
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.effectiveDirective + " " + event.blockedURI);
  });
`

const visitDocs = async (page: Page, service: Service, expectedTitles: ReadonlyArray<string>): Promise<Visit> => {
  const requests: Array<string> = []
  const consoleLines: Array<string> = []
  const pageErrors: Array<string> = []
  page.on("request", (request) => requests.push(request.url()))
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`))
  page.on("pageerror", (error) => pageErrors.push(error.message))
  await page.addInitScript(recordViolations)
  const response = await page.goto(service.base + Http.DOCS_PATH, { waitUntil: "load" })
  expect(response?.status()).toBe(200)
  // Rendered: the sidebar lists the last operation of the document (Scalar lists them in order).
  await page
    .getByText(expectedTitles.at(-1)!, { exact: true })
    .first()
    .waitFor({ state: "attached", timeout: 30_000 })
  const listed = await page
    .locator("aside, nav, [class*='sidebar'], h1, h2, h3, h4")
    .evaluateAll((elements) => elements.map((element) => element.textContent ?? ""))
  return {
    requests,
    console: consoleLines,
    pageErrors,
    violations: (await page.evaluate("window.__violations")) as ReadonlyArray<string>,
    listed,
    contentSecurityPolicy: (await response!.allHeaders())["content-security-policy"]
  }
}

const suite = executablePath === undefined ? describe.skip : describe
const suiteName =
  executablePath === undefined
    ? `API reference page in Chromium (skipped: no Chromium at ${candidates.join(", ")}; .ci/run installs it)`
    : `API reference page in Chromium (${executablePath})`

suite(suiteName, () => {
  let service: Service
  let browser: Browser

  beforeAll(async () => {
    service = await startService(memoryDemo())
    browser = await chromium.launch({ executablePath: executablePath!, args: chromiumArgs })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await service?.close()
  }, 60_000)

  it("lists every operation of the OpenAPI document, loads nothing from elsewhere, breaks no policy", async () => {
    const document = (await (await fetch(service.base + Http.OPENAPI_PATH)).json()) as OpenApiDocument
    const operations = operationsOf(document)
    expect(operations).toHaveLength(11)

    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const visit = await visitDocs(page, service, operations.map(titleOf))

      // Every operation is on the page, under its title (the path: the operations have no summary),
      // and the page names its method next to it.
      const text = visit.listed.join("\n")
      const pageText = await page.locator("body").innerText()
      for (const operation of operations) {
        expect(text, `${operation.method} ${operation.path}`).toContain(titleOf(operation))
        expect(pageText).toMatch(new RegExp(`${operation.method}\\s+${escapeRegExp(operation.path)}`, "i"))
      }

      // Only the service itself: no CDN, fonts, telemetry or proxy.
      const origin = new URL(service.base).origin
      const elsewhere = visit.requests.filter(
        (url) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin
      )
      expect(elsewhere).toEqual([])

      // The scripts run under a hash-based policy, and nothing is refused by it.
      expect(visit.contentSecurityPolicy).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+={0,2}'/)
      expect(visit.contentSecurityPolicy).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(visit.violations).toEqual([])
      expect(visit.console.filter((line) => /Content[- ]Security[- ]Policy/i.test(line))).toEqual([])
      expect(visit.pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)
})

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
