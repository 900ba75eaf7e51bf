import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One throw-away PostgreSQL server per run, for the PostgreSQL adapter's tests.
    globalSetup: ["test/support/postgres/globalSetup.ts"],
    testTimeout: 60_000
  }
})
