import { defineConfig } from "tsup"

export default defineConfig({
  entry: {
    index: "src/index.ts",
    memory: "src/adapters/memory/index.ts",
    // the security module on node:crypto: the one entry that imports node:*
    node: "src/adapters/node/index.ts",
    // every port on PostgreSQL, through effect/sql and @effect/sql-pg (an optional peer dependency)
    postgres: "src/adapters/postgres/index.ts",
    // the reference HTTP service, on @effect/platform-node (an optional peer dependency) and node:http
    http: "src/adapters/http/index.ts",
    // for hosts' tests; imports vitest and fast-check, which the other entries never do
    testing: "src/testing/index.ts"
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  platform: "node",
  // dependencies and peer dependencies are resolved by the host, never bundled
  skipNodeModulesBundle: true,
  // one copy of each module for all entries, in CJS as in ESM: a class imported through
  // `card-lifecycle`, `card-lifecycle/memory`, `card-lifecycle/node` and `card-lifecycle/testing` is
  // the same class
  splitting: true
})
