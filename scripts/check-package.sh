#!/usr/bin/env bash
# Packs the library and uses the tarball from a scratch project, through `import` and `require`,
# for both entries: proves the `exports` map, the CJS and ESM builds, and that dist/ resolves its
# dependencies from the host's node_modules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node="$root/node_modules/.bin/node"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)"
effect_version="$("$node" -p "require('$root/node_modules/effect/package.json').version")"
cd "$scratch"
echo '{ "name": "scratch", "private": true }' > package.json
npm install --silent --no-audit --no-fund "./$tarball" "effect@$effect_version" >/dev/null

cat > esm.mjs <<'JS'
import { Effect } from "effect"
import { blockCard, lockCard, ValidationError } from "card-lifecycle"
import { layer } from "card-lifecycle/memory"
const ports = layer({ tenants: { ACME_BANK: { customers: [{ entityId: "676165", mobileNo: "9876543210",
  branchId: "BR001", accounts: [{ accountNo: 8642135, cards: [{ kitNo: "4240181595", pan: "6080400000056384",
  productId: "2001_PHYSICAL", tierType: "CLASSIC", cardType: "PHYSICAL",
  expDate: "2029-07-31T00:00:00.000+00:00", status: "ACTIVE" }] }] }] } } })
const program = Effect.gen(function* () {
  yield* lockCard("ACME_BANK", { kitNo: "4240181595", channel: "MOBILE", changer: "customer" })
  return yield* blockCard("ACME_BANK", { kitNo: "4240181595", reason: "FRAUD_SUSPECTED" })
})
const result = await Effect.runPromise(Effect.provide(program, ports))
if (result.currentStatus !== "BLOCKED" || result.cardNumber !== "608040XXXXXX6384") throw new Error(JSON.stringify(result))
const refused = await Effect.runPromise(Effect.flip(lockCard("bad tenant", {})))
if (!(refused instanceof ValidationError)) throw new Error("expected a ValidationError")
console.log("import:  ok", JSON.stringify(result))
JS

cat > cjs.cjs <<'JS'
const { Effect } = require("effect")
const { activateCard, ValidationError } = require("card-lifecycle")
const { layer } = require("card-lifecycle/memory")
const ports = layer({ tenants: { ACME_BANK: { customers: [{ entityId: "676165", mobileNo: "9876543210",
  branchId: "BR001", accounts: [{ accountNo: 8642135, cards: [{ kitNo: "4240181595", pan: "6080400000056384",
  productId: "2001_PHYSICAL", tierType: "CLASSIC", cardType: "PHYSICAL",
  expDate: "2029-07-31T00:00:00.000+00:00" }] }] }] } } })
Effect.runPromise(Effect.provide(activateCard("ACME_BANK", { kitNo: "4240181595" }), ports)).then((result) => {
  if (result.currentStatus !== "ACTIVE") throw new Error(JSON.stringify(result))
  return Effect.runPromise(Effect.flip(Effect.provide(activateCard("ACME_BANK", { kitNo: "x y" }), ports)))
}).then((error) => {
  if (!(error instanceof ValidationError)) throw new Error("expected a ValidationError")
  console.log("require: ok")
})
JS

cat > types.mts <<'TS'
import type { ManagedCard } from "card-lifecycle"
import type { MemoryPorts } from "card-lifecycle/memory"
export type Check = [ManagedCard, MemoryPorts]
TS

"$node" esm.mjs
"$node" cjs.cjs
"$node" "$root/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck types.mts
echo "types:   ok"
echo "packed:  $(tar -tzf "$tarball" | sed 's#^package/##' | grep -v '^dist/' | tr '\n' ' ')+ dist/ ($(tar -tzf "$tarball" | grep -c '^package/dist/') files)"
