/**
 * What the global setup (globalSetup.ts) hands the tests through `project.provide` / `inject`.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL (superuser `postgres`) of this run's throw-away server; undefined where there is none. */
    readonly pgUrl: string | undefined
    /** Why there is no server when `pgUrl` is undefined (printed once by the global setup); else undefined. */
    readonly pgSkipReason: string | undefined
  }
}

export {}
