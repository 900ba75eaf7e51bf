import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // FC_SEED and FC_PATH replay a failed property (docs/testing.md)
    setupFiles: ["test/support/fastCheckReplay.ts"],
    // One throw-away PostgreSQL server per run, for the PostgreSQL adapter's tests.
    globalSetup: ["test/support/postgres/globalSetup.ts"],
    testTimeout: 60_000
  }
})
