import { defineConfig } from "tsup"

export default defineConfig({
  entry: {
    index: "src/index.ts",
    memory: "src/adapters/memory/index.ts"
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node22",
  platform: "node",
  // dependencies and peer dependencies are resolved by the host, never bundled
  skipNodeModulesBundle: true,
  // one copy of each module for both entries, in CJS as in ESM: a class imported through
  // `card-lifecycle` and `card-lifecycle/memory` is the same class
  splitting: true
})
