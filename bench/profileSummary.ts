/**
 * Sums V8 CPU profiles (`node --cpu-prof`, or bench/ab.ts with AB_PROFILE) into the functions and
 * files where the time goes: self time (the function's own code) and total time (with its callees).
 *
 *   npm exec -- tsx bench/profileSummary.ts [--top N] [--match TEXT] a.cpuprofile [b.cpuprofile …]
 *
 * --match keeps, in the total-time table, the functions whose name or file contains TEXT.
 */
import { readFileSync } from "node:fs"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}
interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name)
  if (at === -1) return fallback
  const [value] = args.splice(at, 2).slice(1)
  return value ?? fallback
}
const top = Number(option("--top", "30"))
const match = option("--match", "")
const files = args

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "~/")
    .replace(/^\/tmp\/[^/]+\//, "")
    .replace(/^\/work\/main\//, "")
const keyOf = ({ functionName, url, lineNumber }: CallFrame) =>
  url === ""
    ? `(${functionName || "anonymous"})`
    : `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`
const fileOf = ({ url, functionName }: CallFrame) => (url === "" ? `(${functionName})` : shortUrl(url))

const self = new Map<string, number>()
const total = new Map<string, number>()
const byFile = new Map<string, number>()
let all = 0
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  for (let i = 0; i < profile.samples.length; i++) {
    // the delta before a sample is the time it stands for
    const dt = profile.timeDeltas[i + 1] ?? 0
    const node = nodes.get(profile.samples[i]!)!
    all += dt
    const key = keyOf(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + dt)
    byFile.set(fileOf(node.callFrame), (byFile.get(fileOf(node.callFrame)) ?? 0) + dt)
    // every function on the stack once, however often it recurs
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(nodes.get(id)!.callFrame)
      if (seen.has(k)) continue
      seen.add(k)
      total.set(k, (total.get(k) ?? 0) + dt)
    }
  }
}

const print = (title: string, map: Map<string, number>, filter: (key: string) => boolean = () => true) => {
  console.log(`\n${title}`)
  for (const [key, us] of [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(
      `${((100 * us) / all).toFixed(1).padStart(6)} % ${(us / 1000).toFixed(1).padStart(9)} ms  ${key}`
    )
}

console.log(`${files.length} profile(s), ${(all / 1000).toFixed(1)} ms sampled`)
print("self time by file", byFile)
print("self time by function", self)
print(
  `total time by function${match ? ` (matching ${match})` : ""}`,
  total,
  (k) => !k.startsWith("(") && (match === "" || k.includes(match))
)
