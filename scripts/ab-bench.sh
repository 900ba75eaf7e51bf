#!/usr/bin/env bash
# A/B benchmark: the working tree (B, "new") against an older commit (A, "old", default 88dddce).
#
#   scripts/ab-bench.sh [COMMIT] [ROUNDS]      e.g. scripts/ab-bench.sh 88dddce 7
#   AB_MODE=bundle scripts/ab-bench.sh …       the same, on bundles
#
# AB_MODE=tsx (the default) runs the TypeScript sources through tsx, as `npm run bench` does (tsx
# compiles each module and turns source maps on). AB_MODE=bundle first bundles the driver with the
# library and effect into one ES module per tree with esbuild (as tsup builds dist/, the form a host
# runs), then runs those with node.
#
# The old commit is checked out into a temporary git worktree under /tmp (removed on exit; nothing
# in this repository's checkout changes). Its node_modules is a symlink to this one when the lock
# file is the same, else `npm ci` runs there. The one driver bench/ab.ts, which uses only APIs both
# trees have (`layer(fixture)` of src/adapters/memory/index.ts and the use cases of src/index.ts), is
# copied into the old tree, and run from each tree with `npm exec -- tsx`, ALTERNATING: old, new,
# old, new, … ROUNDS times each (default 5). Each run prints three figures: lock+unlock µs per use
# case, manageAllCards at 1e5 cards µs per card, replaceCard µs per call, each as wall-clock and as
# the process's CPU time (steadier on a shared machine). At the end: each round, the medians and
# new/old for each figure; the guard (new/old ≤ 1.3, AB_GUARD to change it) is judged on the
# wall-clock medians, and the exit status is 2 when it is broken.
#
#   AB_FIGURES="pin" scripts/ab-bench.sh 7459108 9
#
# AB_FIGURES names the driver's figures to run instead of the three guarded ones (its arguments):
# `pin` is setPin and verifyPin of one card on `layer(fixture)`, plus, in a tree with card-lifecycle/node,
# the same with `NodeSecurityModule` in the memory layer's module's place (setPinNode, verifyPinNode,
# compared with the old tree's setPin and verifyPin). `envelope` is one Set PIN V2 envelope opened and
# one sealed with the portable crypto: through the memory layer's SecurityModule in a tree that has the
# port, by decryptPinBlock and encryptPinBlock with the key's bytes in a tree before it (as its setPin
# opened envelopes). The guard applies to every figure both trees measure under the same name.
set -euo pipefail

COMMIT="${1:-88dddce}"
ROUNDS="${2:-5}"
GUARD="${AB_GUARD:-1.3}"
MODE="${AB_MODE:-tsx}"
read -r -a FIGURES <<<"${AB_FIGURES:-}"
NEW="$(cd "$(dirname "$0")/.." && pwd)"
OLD="$(mktemp -d /tmp/ab-bench.XXXXXX)"
RESULTS="$OLD.results"

cleanup() {
  # the symlink first: nothing may reach this tree's node_modules through it
  if [ -L "$OLD/node_modules" ]; then rm -f "$OLD/node_modules"; fi
  git -C "$NEW" worktree remove --force "$OLD" 2>/dev/null || rm -rf "$OLD"
  git -C "$NEW" worktree prune
  rm -f "$RESULTS" "$RESULTS".old.mjs "$RESULTS".new.mjs
}
trap cleanup EXIT

rmdir "$OLD"
git -C "$NEW" worktree add --detach --quiet "$OLD" "$COMMIT"
if git -C "$NEW" diff --quiet "$COMMIT" -- package-lock.json; then
  ln -s "$NEW/node_modules" "$OLD/node_modules"
  deps="node_modules symlinked (package-lock.json same as $COMMIT)"
else
  (cd "$OLD" && npm ci --no-audit --no-fund --silent)
  deps="npm ci (package-lock.json differs from $COMMIT)"
fi
mkdir -p "$OLD/bench"
cp "$NEW/bench/ab.ts" "$OLD/bench/ab.ts"

echo "A/B: old = $COMMIT ($(git -C "$OLD" log -1 --format='%h %s'))"
echo "     new = working tree of $NEW: HEAD $(git -C "$NEW" log -1 --format='%h %s' | cut -c1-80)," \
  "$(git -C "$NEW" status --porcelain -- src | wc -l) uncommitted file(s) in src/"
if [ "$MODE" = bundle ]; then
  (cd "$OLD" && "$NEW/node_modules/.bin/esbuild" bench/ab.ts --bundle --platform=node --format=esm --log-level=warning --outfile="$RESULTS.old.mjs")
  (cd "$NEW" && "$NEW/node_modules/.bin/esbuild" bench/ab.ts --bundle --platform=node --format=esm --log-level=warning --outfile="$RESULTS.new.mjs")
fi
echo "     $deps; driver bench/ab.ts ($MODE) ${FIGURES[*]:-lifecycle replaceCard manageAllCards}; $ROUNDS rounds, alternating old, new"
echo "     node $(cd "$NEW" && npm exec -- node --version), $(nproc) CPUs, load average:$(uptime | sed 's/.*load average://')"
echo

: >"$RESULTS"
run() { # $1 = old|new, $2 = round
  local dir line
  if [ "$1" = old ]; then dir="$OLD"; else dir="$NEW"; fi
  if [ "$MODE" = bundle ]; then
    line="$(cd "$dir" && "$NEW/node_modules/.bin/node" "$RESULTS.$1.mjs" "${FIGURES[@]}" | grep '^AB ')"
  else
    line="$(cd "$dir" && npm exec --silent -- tsx bench/ab.ts "${FIGURES[@]}" | grep '^AB ')"
  fi
  echo "$1 $2 ${line#AB }" >>"$RESULTS"
  printf 'round %-2s %-3s %s\n' "$2" "$1" "${line#AB }"
}

for ((r = 1; r <= ROUNDS; r++)); do
  run old "$r"
  run new "$r"
done

echo
(cd "$NEW" && npm exec --silent -- node --input-type=module -e '
import { readFileSync } from "node:fs"
const [file, guard] = process.argv.slice(1)
const rows = readFileSync(file, "utf8").trim().split("\n").map((l) => {
  const [tree, round, ...json] = l.split(" ")
  return { tree, round: Number(round), figures: JSON.parse(json.join(" ")) }
})
// [key, label, the key in the old tree when it differs]; only the figures some round measured are shown
const names = [
  ["lifecycle", "lock+unlock, µs per use case"],
  ["manageAllCards", "manageAllCards 1e5, µs per card"],
  ["replaceCard", "replaceCard, µs per call"],
  ["setPin", "setPin, µs per call"],
  ["setPinNode", "setPin, node module (old: setPin)", "setPin"],
  ["verifyPin", "verifyPin, µs per call"],
  ["verifyPinNode", "verifyPin, node module (old: verifyPin)", "verifyPin"],
  ["envelopeOpen", "envelope open, portable, µs per call"],
  ["envelopeSeal", "envelope seal, portable, µs per call"]
].filter(([key]) => rows.some((r) => r.figures[key] !== undefined))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x) => x.toFixed(x < 10 ? 3 : 2)
const pair = (f, key) => (f[key] === undefined ? "—" : `${fmt(f[key])} / ${fmt(f[key + ".cpu"])}`)
console.log("each round, µs (wall / CPU):")
console.log("round  tree  " + names.map(([, label]) => label.padEnd(42)).join("").trimEnd())
for (const r of rows)
  console.log(String(r.round).padEnd(7) + r.tree.padEnd(6) + names.map(([key]) => pair(r.figures, key).padEnd(42)).join("").trimEnd())
console.log()
console.log("medians, µs:")
console.log(
  "figure".padEnd(42) + "old wall".padEnd(10) + "new wall".padEnd(10) + "new/old".padEnd(9) +
  "old CPU".padEnd(10) + "new CPU".padEnd(10) + "new/old".padEnd(9) + "guard: wall new/old ≤ " + guard
)
let ok = true
for (const [key, label, oldKey = key] of names) {
  const of = (tree, k) => {
    const xs = rows.filter((r) => r.tree === tree && r.figures[k] !== undefined).map((r) => r.figures[k])
    return xs.length === 0 ? NaN : median(xs)
  }
  const wall = [of("old", oldKey), of("new", key)]
  const cpu = [of("old", oldKey + ".cpu"), of("new", key + ".cpu")]
  const ratio = wall[1] / wall[0]
  const guarded = oldKey === key && !Number.isNaN(ratio)
  const holds = !guarded || ratio <= Number(guard)
  ok &&= holds
  const num = (x) => (Number.isNaN(x) ? "—" : fmt(x))
  const times = (x) => (Number.isNaN(x) ? "—" : x.toFixed(2) + "×")
  console.log(
    label.padEnd(42) + num(wall[0]).padEnd(10) + num(wall[1]).padEnd(10) + times(ratio).padEnd(9) +
      num(cpu[0]).padEnd(10) + num(cpu[1]).padEnd(10) + times(cpu[1] / cpu[0]).padEnd(9) +
      (guarded ? (holds ? "holds" : "BROKEN") : "—")
  )
}
process.exitCode = ok ? 0 : 2
' "$RESULTS" "$GUARD")
