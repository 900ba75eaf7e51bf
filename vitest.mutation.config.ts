import { defineConfig } from "vitest/config"

/**
 * The tests StrykerJS runs against each mutant of src/domain and src/crypto (`npm run mutation`):
 * every suite that runs in process on the memory adapter. The PostgreSQL suites (no server is
 * started: they skip), the HTTP service and the examples' code blocks are left out; they exercise
 * the same domain code through slower adapters, and `npm test` runs them.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // FC_SEED and FC_PATH replay a failed property (docs/testing.md)
    setupFiles: ["test/support/fastCheckReplay.ts"],
    exclude: ["test/http/**", "test/adapters/postgres/**", "test/examples.test.ts"],
    isolate: false,
    // a property that fails stops at its first counterexample, unshrunk (test/support/fastCheckReplay.ts)
    env: { FC_END_ON_FAILURE: "1" },
    testTimeout: 60_000
  }
})
