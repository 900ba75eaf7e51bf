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
  skipNodeModulesBundle: true
})
