/**
 * `npm run bench`: every benchmark of the library, in one process, printing figures and ratios.
 * `npm run bench -- lifecycle pin` runs only the named ones.
 */
import { benchDecode } from "./decode.js"
import { line, ratio, us } from "./harness.js"
import { benchHttp } from "./http.js"
import { benchLifecycle } from "./lifecycle.js"
import { benchManageAllCards } from "./manageAllCards.js"
import { benchPin } from "./pin.js"
import { benchPostgres } from "./postgres.js"
import { benchReplaceCard } from "./replaceCard.js"
import { benchSecurityModule } from "./securityModule.js"
import { benchSetPin } from "./setPin.js"

const benchEnvelope = async () => {
  console.log("\nSet PIN V2 envelope end to end, against node:crypto in the same run")
  const results = await benchPin()
  for (const figure of results) {
    const ours = results.find((r) => r.name === figure.against)
    line(
      figure.name,
      ours ? `${us(figure.usPerOp)}   ours ÷ this ${ratio(ours.usPerOp, figure.usPerOp)}` : us(figure.usPerOp)
    )
  }
  line("target", "within 4× of node:crypto")
}

const benchmarks: Record<string, () => Promise<void>> = {
  lifecycle: benchLifecycle,
  manageAllCards: benchManageAllCards,
  replaceCard: benchReplaceCard,
  pin: benchEnvelope,
  setPin: benchSetPin,
  decode: benchDecode,
  securityModule: benchSecurityModule,
  postgres: benchPostgres,
  http: benchHttp
}

const main = async () => {
  const chosen = process.argv.slice(2)
  // a benchmark may run part of itself in a child process (BENCH_CHILD): the banner is the parent's
  if (process.env.BENCH_CHILD === undefined)
    console.log(`card-lifecycle benchmarks — node ${process.version}, ${process.platform}/${process.arch}`)
  for (const [name, run] of Object.entries(benchmarks)) {
    if (chosen.length === 0 || chosen.includes(name)) await run()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
