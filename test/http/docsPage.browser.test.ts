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

/** An operation of the OpenAPI document, by the name Scalar shows it under. */
interface Operation {
  readonly method: string
  readonly path: string
  /** The operation's summary, or its path when it has none (as the service's operations are). */
  readonly title: string
}

interface OpenApiDocument {
  readonly paths: Record<string, Partial<Record<string, { summary?: string }>>>
}

const operationsOf = (document: OpenApiDocument): ReadonlyArray<Operation> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method]
      return operation === undefined
        ? []
        : [{ method: method.toUpperCase(), path, title: operation.summary ?? path }]
    })
  )

/** A violation of the page's content security policy, as the page reported it. */
interface Violation {
  readonly directive: string
  readonly blockedURI: string
  readonly source: string
}

/** What the page showed and did while it was open. */
interface Visit {
  readonly contentSecurityPolicy: string | undefined
  /** Every request the page made, by URL. */
  readonly requests: ReadonlyArray<string>
  readonly console: ReadonlyArray<string>
  readonly pageErrors: ReadonlyArray<string>
  readonly violations: ReadonlyArray<Violation>
  /** The text of each operation's entry in the sidebar, its spaces collapsed. */
  readonly sidebar: ReadonlyArray<string>
  /** The text of the page's main content (the sidebar aside) as shown. */
  readonly content: string
}

// Runs in the page before its own scripts (Playwright injects it; the page's policy does not apply to
// it): keeps every violation of the policy the page reports.
const recordViolations = `
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push({
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      source: event.sourceFile + ":" + event.lineNumber + ":" + event.columnNumber
    });
  });
`

/** Scalar's sidebar: a link per tag (`#tag/<tag>`) and per operation (`#tag/<tag>/<METHOD><path>`). */
const SIDEBAR_LINK = "[data-sidebar-id] a[href^='#tag/']"

/** The text of the sidebar's operation entries, spaces collapsed. */
const sidebarOperations = async (page: Page): Promise<ReadonlyArray<string>> => {
  const entries: Array<string> = []
  for (const link of await page.locator(SIDEBAR_LINK).all()) {
    if (/^#tag\/[^/]+\/[A-Z]+\//.test((await link.getAttribute("href")) ?? ""))
      entries.push(((await link.textContent()) ?? "").replace(/\s+/g, " ").trim())
  }
  return entries
}

const visitDocs = async (page: Page, base: string, last: Operation): Promise<Visit> => {
  const requests: Array<string> = []
  const consoleLines: Array<string> = []
  const pageErrors: Array<string> = []
  page.on("request", (request) => requests.push(request.url()))
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`))
  page.on("pageerror", (error) => pageErrors.push(error.message))
  await page.addInitScript(recordViolations)
  const response = await page.goto(base + Http.DOCS_PATH, { waitUntil: "load" })
  expect(response?.status()).toBe(200)
  // Rendered: the sidebar lists the document's last operation (Scalar lists them in order).
  await page
    .locator(SIDEBAR_LINK)
    .filter({ hasText: last.title })
    .first()
    .waitFor({ state: "attached", timeout: 20_000 })
    .catch(async (error: unknown) => {
      const violations = JSON.stringify(await page.evaluate("window.__violations"))
      throw new Error(
        `The reference did not render (policy violations: ${violations}; page errors: ${JSON.stringify(pageErrors)})`,
        { cause: error }
      )
    })
  return {
    contentSecurityPolicy: (await response!.allHeaders())["content-security-policy"],
    requests,
    console: consoleLines,
    pageErrors,
    violations: (await page.evaluate("window.__violations")) as ReadonlyArray<Violation>,
    sidebar: await sidebarOperations(page),
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText: the text as shown
    content: await page.locator("main").innerText()
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Zod, inside Scalar, probes once whether it may compile its validators (`Function("")` in a
 * try/catch) and falls back to interpreting them when the policy says no: the page's policy grants no
 * 'unsafe-eval', so this report is expected and harmless. Any other violation fails the test.
 */
const isZodEvalProbe = (violation: Violation): boolean =>
  violation.directive === "script-src" && violation.blockedURI === "eval"

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
    // Playwright gives the browser a fresh profile directory of its own and removes it on close.
    browser = await chromium.launch({ executablePath: executablePath!, args: chromiumArgs })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await service?.close()
  }, 60_000)

  it("lists every operation of the OpenAPI document, under a hash-based policy, loading nothing from elsewhere", async () => {
    const document = (await (await fetch(service.base + Http.OPENAPI_PATH)).json()) as OpenApiDocument
    const operations = operationsOf(document)
    expect(operations).toHaveLength(11)

    const context = await browser.newContext()
    try {
      const visit = await visitDocs(await context.newPage(), service.base, operations.at(-1)!)

      // Every operation has its sidebar entry (its title, then its method) and is named, method then
      // title, in its tag's list of operations.
      expect(visit.sidebar).toHaveLength(operations.length)
      for (const operation of operations) {
        const name = `${operation.method} ${operation.path}`
        expect(
          visit.sidebar.filter(
            (entry) => entry.startsWith(operation.title) && entry.endsWith(operation.method)
          ),
          name
        ).toHaveLength(1)
        expect(visit.content, name).toMatch(
          new RegExp(`${operation.method}\\s+${escapeRegExp(operation.title)}`, "i")
        )
      }

      // Only the service itself: no CDN, fonts, telemetry or proxy.
      const origin = new URL(service.base).origin
      expect(
        visit.requests.filter(
          (url) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin
        )
      ).toEqual([])

      // The scripts ran under a policy that allows them by hash, and nothing else was refused.
      expect(visit.contentSecurityPolicy).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+={0,2}'/)
      expect(visit.contentSecurityPolicy).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(visit.violations.filter((violation) => !isZodEvalProbe(violation))).toEqual([])
      expect(visit.violations.filter(isZodEvalProbe).length).toBeLessThanOrEqual(1)
      expect(visit.console.filter((line) => /Content[- ]Security[- ]Policy/i.test(line))).toEqual([])
      expect(visit.pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 60_000)
})
