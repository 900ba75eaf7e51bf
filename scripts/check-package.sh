#!/usr/bin/env bash
# Packs the library and uses the tarball from a scratch project, through `import` and `require`,
# for the main entry, card-lifecycle/memory, card-lifecycle/node and card-lifecycle/http: proves the `exports` map, the
# CJS and ESM builds, and that dist/ resolves its dependencies from the host's node_modules. Then
# runs, with the scratch project's own vitest, the port contract of card-lifecycle/testing against
# the memory adapter, the security module contract against card-lifecycle/node, and a property over
# its arbitraries, as a host runs them against its adapter; any failing test fails the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node="$root/node_modules/.bin/node"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

tarball="$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)"
version_of() { "$node" -p "require('$root/node_modules/$1/package.json').version"; }
cd "$scratch"
echo '{ "name": "scratch", "private": true }' > package.json
# the versions this repository tests with: effect as a peer, vitest and fast-check as the optional
# peers card-lifecycle/testing needs
npm install --silent --no-audit --no-fund "./$tarball" "effect@$(version_of effect)" \
  "vitest@$(version_of vitest)" "fast-check@$(version_of fast-check)" \
  "@effect/platform-node@$(version_of @effect/platform-node)" >/dev/null

cat > esm.mjs <<'JS'
import { Effect } from "effect"
import { blockCard, lockCard, ValidationError } from "card-lifecycle"
import { layer, randomKeyHex } from "card-lifecycle/memory"
// a tenant with cards needs the keys its PANs are stored under (encrypted and hashed)
const ports = layer({ tenants: { ACME_BANK: { keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() },
  customers: [{ entityId: "676165", mobileNo: "9876543210",
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
const { layer, randomKeyHex } = require("card-lifecycle/memory")
const ports = layer({ tenants: { ACME_BANK: { keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() },
  customers: [{ entityId: "676165", mobileNo: "9876543210",
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

# card-lifecycle/node: one envelope sealed by the node:crypto module, opened by it, by the
# portable decryptPinBlock of the main entry and by the portable module of card-lifecycle/memory
# (the same bytes), and one sealed by encryptPinBlock opened by the module
cat > node-esm.mjs <<'JS'
import { Effect, Redacted } from "effect"
import { decryptPinBlock, encryptPinBlock } from "card-lifecycle"
import { NodeSecurityModule, SecurityModule } from "card-lifecycle/node"
import { NobleSecurityModule } from "card-lifecycle/memory"
const hex = "000102030405060708090a0b0c0d0e0f"
const pan = Redacted.make("6080400000056384")
const program = Effect.gen(function* () {
  const module = yield* SecurityModule
  const envelope = yield* module.sealPinBlock("ACME_BANK", Redacted.make("4821"), pan)
  const opened = yield* module.openPinBlock("ACME_BANK", envelope, pan)
  const portable = yield* decryptPinBlock({ pinBlock: envelope, pan: Redacted.value(pan), key: Buffer.from(hex, "hex") })
  const sealed = yield* encryptPinBlock({ pin: "9157", pan: Redacted.value(pan), key: Buffer.from(hex, "hex") })
  const back = yield* module.openPinBlock("ACME_BANK", sealed, pan)
  return [envelope.length, Redacted.value(opened), Redacted.value(portable), Redacted.value(back)]
})
const config = { ACME_BANK: { setPin: [{ id: "2026-01", hex: Redacted.make(hex) }] } }
const result = await Effect.runPromise(Effect.provide(program, NodeSecurityModule.layer(config)))
if (JSON.stringify(result) !== '[56,"4821","4821","9157"]') throw new Error(JSON.stringify(result))
// the portable module from the same tarball opens the node module's envelope
const portable = Effect.gen(function* () {
  const envelope = yield* Effect.provide(
    Effect.flatMap(SecurityModule, (m) => m.sealPinBlock("ACME_BANK", Redacted.make("2468"), pan)),
    NodeSecurityModule.layer(config)
  )
  return yield* Effect.provide(
    Effect.flatMap(SecurityModule, (m) => m.openPinBlock("ACME_BANK", envelope, pan)),
    NobleSecurityModule.layer(config)
  )
})
const crossed = Redacted.value(await Effect.runPromise(portable))
if (crossed !== "2468") throw new Error(crossed)
console.log("node:    import ok", JSON.stringify(result))
JS

cat > node-cjs.cjs <<'JS'
const { Effect, Redacted } = require("effect")
const { InvalidPinBlock } = require("card-lifecycle")
const { InvalidKeyConfiguration, NodeSecurityModule, SecurityModule } = require("card-lifecycle/node")
const pan = Redacted.make("6080400000056384")
const keys = NodeSecurityModule.layer({ ACME_BANK: { setPin: [{ id: "2026-01", hex: "000102030405060708090a0b0c0d0e0f" }] } })
const program = Effect.gen(function* () {
  const module = yield* SecurityModule
  const envelope = yield* module.sealPinBlock("ACME_BANK", Redacted.make("4821"), pan)
  const opened = yield* module.openPinBlock("ACME_BANK", envelope, pan)
  // another first character: another IV, so the tag no longer matches
  const altered = `${envelope[0] === "A" ? "B" : "A"}${envelope.slice(1)}`
  const refused = yield* Effect.flip(module.openPinBlock("ACME_BANK", altered, pan))
  return { pin: Redacted.value(opened), refused }
})
const short = NodeSecurityModule.layer({ ACME_BANK: { setPin: [{ id: "k", hex: "0001" }] } })
Effect.runPromise(Effect.provide(program, keys)).then(({ pin, refused }) => {
  if (pin !== "4821" || !(refused instanceof InvalidPinBlock)) throw new Error(`${pin} ${refused}`)
  return Effect.runPromise(Effect.flip(Effect.provide(Effect.gen(function* () { return yield* SecurityModule }), short)))
}).then((error) => {
  if (!(error instanceof InvalidKeyConfiguration) || error.issues[0]?.path !== "ACME_BANK.setPin.0.hex") throw new Error(String(error))
  console.log("node:    require ok")
})
JS

# card-lifecycle/http: the service on a free port over the memory adapter, one call of each kind
cat > http-esm.mjs <<'JS'
import { Effect, Layer, Logger, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import * as Http from "card-lifecycle/http"
import { layer, randomKeyHex } from "card-lifecycle/memory"
const ports = layer({ tenants: { ACME_BANK: { keys: { panStore: randomKeyHex(), cardNumber: randomKeyHex() },
  customers: [{ entityId: "676165", mobileNo: "9876543210", branchId: "BR001", accounts: [{ accountNo: 8642135,
  cards: [{ kitNo: "4240181595", pan: "6080400000056384", productId: "2001_PHYSICAL", tierType: "CLASSIC",
  cardType: "PHYSICAL", expDate: "2029-07-31T00:00:00.000+00:00", status: "ACTIVE" }] }] }] } } })
const runtime = ManagedRuntime.make(Http.layer({ port: 0 }).pipe(Layer.provide(ports), Layer.provide(Logger.layer([]))))
const base = await runtime.runPromise(HttpServer.addressFormattedWith((address) => Effect.succeed(address)))
const post = (path, body, headers = {}) => fetch(base + path, { method: "POST", body,
  headers: { tenant: "ACME_BANK", "content-type": "application/json", ...headers } })
const locked = await (await post("/v1/kit-manager/lockCard", '{"kitNo":"4240181595"}')).json()
if (locked.result?.currentStatus !== "LOCKED") throw new Error(JSON.stringify(locked))
const bad = await post("/v1/kit-manager/lockCard", "{")
if (bad.status !== 400 || (await bad.json()).exception.code !== "MALFORMED_BODY") throw new Error("expected MALFORMED_BODY")
const openapi = await (await fetch(base + Http.OPENAPI_PATH)).json()
const docs = await fetch(base + Http.DOCS_PATH)
if (openapi.openapi !== "3.1.0" || docs.status !== 200) throw new Error("no OpenAPI document or reference page")
await runtime.dispose()
console.log("http:    import ok", JSON.stringify(locked.result))
JS

cat > http-cjs.cjs <<'JS'
const Http = require("card-lifecycle/http")
if (Http.statusOf(new Http.PayloadTooLarge({ maxBytes: Http.MAX_BODY_BYTES })) !== 413) throw new Error("413")
if (Http.familyOf("/v1/client/users/1/cards") !== "loyalty") throw new Error("family")
console.log("http:    require ok")
JS

cat > types.mts <<'TS'
import type { ManagedCard } from "card-lifecycle"
import type { MemoryPorts } from "card-lifecycle/memory"
import type { KeyConfiguration } from "card-lifecycle/node"
import { Arbitraries, type MakeLayer, type Ports } from "card-lifecycle/testing"
export type Check = [ManagedCard, MemoryPorts, MakeLayer, Ports, KeyConfiguration]
export const cards = Arbitraries.customerFixtures({ maxCustomers: 2 })
TS

cat > vitest.config.mjs <<'JS'
export default { test: { include: ["*.test.mjs"], testTimeout: 60_000 } }
JS

cat > contract.test.mjs <<'JS'
import { Effect } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import { layer, MemoryState } from "card-lifecycle/memory"
import { NodeSecurityModule } from "card-lifecycle/node"
import { Arbitraries, atRestContract, portsContract, securityModuleContract } from "card-lifecycle/testing"

portsContract("memory adapter from the tarball", (fixture) => layer(fixture))
atRestContract(
  "memory adapter from the tarball",
  (fixture) => layer(fixture),
  Effect.flatMap(MemoryState, (state) => state.storedRows)
)
securityModuleContract("node:crypto module from the tarball", (config) => NodeSecurityModule.layer(config))

it("stores every tenant and card of a fixture from Arbitraries.fixture", async () => {
  await fc.assert(
    fc.asyncProperty(Arbitraries.fixture(), async (fixture) => {
      const state = await Effect.runPromise(
        Effect.provide(Effect.flatMap(MemoryState, (s) => s.snapshot), layer(fixture))
      )
      for (const [tenant, { customers = [] }] of Object.entries(fixture.tenants)) {
        const cards = customers.flatMap((c) => (c.accounts ?? []).flatMap((a) => a.cards ?? []))
        expect(state[tenant].cards.map((c) => c.kitNo).sort()).toEqual(cards.map((c) => c.kitNo).sort())
      }
    }),
    { numRuns: 50 }
  )
})
JS

"$node" esm.mjs
"$node" cjs.cjs
"$node" node-esm.mjs
"$node" node-cjs.cjs
"$node" http-esm.mjs
"$node" http-cjs.cjs
"$node" "$root/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck types.mts
echo "types:   ok"
NO_COLOR=1 "$node" node_modules/vitest/vitest.mjs run > vitest.log 2>&1 || { cat vitest.log; exit 1; }
echo "vitest:  $(sed -E 's/\x1b\[[0-9;]*m//g' vitest.log | grep -E '^ *(Test Files|Tests) ' | sed -E 's/^ +//; s/ +/ /g' | paste -sd ';' -)"
# the examples of README.md and docs/embedding.md, as written, against the installed tarball
"$node" "$root/node_modules/tsx/dist/cli.mjs" "$root/scripts/examples.ts" "$scratch"
echo "packed:  $(tar -tzf "$tarball" | sed 's#^package/##' | grep -v '^dist/' | tr '\n' ' ')+ dist/ ($(tar -tzf "$tarball" | grep -c '^package/dist/') files)"
