/**
 * The dependency rule of docs/architecture.md, checked by `npm run lint` (`depcruise src`).
 * @type {import("dependency-cruiser").IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "No module imports itself back through others, type-only imports included.",
      from: {},
      to: { circular: true }
    },
    {
      name: "core-imports-no-adapter",
      severity: "error",
      comment: "The domain, the ports and crypto never import an adapter.",
      from: { path: "^src/(domain|ports|crypto)/" },
      to: { path: "^src/adapters/" }
    },
    {
      name: "public-surface-imports-no-adapter",
      severity: "error",
      comment:
        "The public surface never imports an adapter, but for the types of the in-process modules' key configuration (next rule).",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/adapters/", pathNot: "^src/adapters/keys/KeyConfiguration\\.ts$" }
    },
    {
      name: "public-surface-imports-key-configuration-types-only",
      severity: "error",
      comment:
        "The public surface re-exports KeyConfiguration and KeyEntry type-only: no adapter code is loaded with card-lifecycle.",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/adapters/keys/KeyConfiguration\\.ts$", dependencyTypesNot: ["type-only"] }
    },
    {
      name: "core-imports-no-node",
      severity: "error",
      comment:
        "The domain, the ports and crypto never import node:* (time from Clock, randomness from ports).",
      from: { path: "^src/(domain|ports|crypto)/" },
      to: { dependencyTypes: ["core"] }
    },
    {
      name: "node-only-in-the-node-adapter",
      severity: "error",
      comment:
        "Outside card-lifecycle/testing, only the node:crypto security module (src/adapters/node) and the HTTP service on node:http (src/adapters/http/index.ts) import node:*: every other entry runs wherever effect runs.",
      from: { path: "^src/", pathNot: "^src/(adapters/node/|testing/|adapters/http/index\\.ts$)" },
      to: { dependencyTypes: ["core"] }
    },
    {
      name: "crypto-imports-noble-and-effect-only",
      severity: "error",
      comment: "crypto is pure: @noble/* and effect, and its own modules.",
      from: { path: "^src/crypto/" },
      to: { pathNot: ["^src/crypto/", "node_modules/(@noble/[^/]+|effect)/"] }
    },
    {
      name: "portable-security-module-imports-no-node",
      severity: "error",
      comment:
        "The portable security module and the key ring it holds run wherever JavaScript runs: no node:*.",
      from: { path: "^src/adapters/(noble|keys)/" },
      to: { dependencyTypes: ["core"] }
    },
    {
      name: "ground-imports-no-feature",
      severity: "error",
      comment:
        "The ground modules (identifiers, PANs and masking, validation, store errors, audit events) import nothing else of the domain.",
      from: { path: "^src/domain/ground/" },
      to: { path: "^src/(domain/(?!ground/)|ports/)" }
    },
    {
      name: "models-import-no-feature",
      severity: "error",
      comment: "The shared models (card, customer, product) never import a feature.",
      from: { path: "^src/domain/(card|customer|product)/" },
      to: { path: "^src/domain/(kit|replacement|pin|token)/" }
    },
    {
      name: "features-import-no-other-feature",
      severity: "error",
      comment:
        "A feature (kit, replacement, pin, token) imports the ground, the models and the error model, never another feature.",
      from: { path: "^src/domain/(kit|replacement|pin|token)/" },
      to: { path: "^src/domain/(kit|replacement|pin|token)/", pathNot: "^src/domain/$1/" }
    },
    {
      name: "ports-declare-shapes",
      severity: "error",
      comment: "Ports declare shapes over domain types: they never import an adapter or the test support.",
      from: { path: "^src/ports/" },
      to: { path: "^src/(adapters|testing)/" }
    },
    {
      name: "nothing-imports-testing-but-tests",
      severity: "error",
      comment: "card-lifecycle/testing is for hosts' tests; the library itself never imports it.",
      from: { path: "^src/(?!testing/)" },
      to: { path: "^src/testing/" }
    },
    {
      name: "test-tools-only-in-testing",
      severity: "error",
      comment:
        "vitest and fast-check are optional peer dependencies, for card-lifecycle/testing alone: no other module imports them.",
      from: { path: "^src/(?!testing/)" },
      to: { path: "node_modules/(vitest|@vitest/[^/]+|@effect/vitest|fast-check)/" }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js"]
    },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
