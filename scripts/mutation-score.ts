/**
 * The mutation score per folder of the last `npm run mutation` (reports/mutation/mutation.json), as
 * Stryker counts it: detected (killed or timed out) over detected plus undetected (survived or not
 * covered); ignored mutants are left out of both and counted apart. Exits 1 when src/domain or
 * src/crypto is under 90 %.
 */
import { readFileSync } from "node:fs"

const REPORT = "reports/mutation/mutation.json"
const THRESHOLD = 90
const GATED = ["src/domain", "src/crypto"]

interface Report {
  readonly files: Record<string, { readonly mutants: ReadonlyArray<{ readonly status: string }> }>
}

const report = JSON.parse(readFileSync(REPORT, "utf8")) as Report
const tally = new Map<string, Record<string, number>>()
const add = (folder: string, status: string) => {
  const counts = tally.get(folder) ?? {}
  counts[status] = (counts[status] ?? 0) + 1
  tally.set(folder, counts)
}
for (const [file, { mutants }] of Object.entries(report.files)) {
  const path = file.replace(/^.*?(?=src\/)/, "")
  const parts = path.split("/")
  for (const status of mutants.map((m) => m.status)) {
    add(parts.slice(0, 2).join("/"), status)
    if (parts.length > 3) add(parts.slice(0, 3).join("/"), status)
  }
}

const scoreOf = (c: Record<string, number>) => {
  const detected = (c.Killed ?? 0) + (c.Timeout ?? 0)
  const undetected = (c.Survived ?? 0) + (c.NoCoverage ?? 0)
  return {
    detected,
    undetected,
    score: detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected)
  }
}

console.log("folder                         score   killed  survived  no cov.  ignored")
let failed = false
for (const folder of [...tally.keys()].sort()) {
  const counts = tally.get(folder)!
  const { detected, score } = scoreOf(counts)
  const gated = GATED.includes(folder)
  if (gated && score < THRESHOLD) failed = true
  console.log(
    `${(gated ? folder : `  ${folder}`).padEnd(30)} ${score.toFixed(2).padStart(6)} % ${String(detected).padStart(7)} ${String(counts.Survived ?? 0).padStart(9)} ${String(counts.NoCoverage ?? 0).padStart(8)} ${String(counts.Ignored ?? 0).padStart(8)}`
  )
}
if (failed) {
  console.error(`mutation score under ${THRESHOLD} % in ${GATED.join(" or ")}`)
  process.exit(1)
}
