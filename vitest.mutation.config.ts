import { defineConfig } from "vitest/config"

/**
 * The tests StrykerJS runs against each mutant of src/domain and src/crypto (`npm run mutation`):
 * every suite that runs in process on the memory adapter. The PostgreSQL suites (no server is
 * started: they skip), the HTTP service, the examples and the docs' code blocks are left out; they
 * exercise the same domain code through slower adapters, and `npm test` runs them.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // FC_SEED and FC_PATH replay a failed property (docs/testing.md)
    setupFiles: ["test/support/fastCheckReplay.ts"],
    exclude: ["test/http/**", "test/adapters/postgres/**", "test/examples.test.ts", "test/docs.test.ts"],
    isolate: false,
    testTimeout: 60_000
  }
})
