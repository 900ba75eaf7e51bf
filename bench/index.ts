/**
 * `npm run bench`: every benchmark of the library, in one process, printing figures and ratios.
 */
import { benchLifecycle } from "./lifecycle.js"

const main = async () => {
  console.log(`card-lifecycle benchmarks — node ${process.version}, ${process.platform}/${process.arch}`)
  await benchLifecycle()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
