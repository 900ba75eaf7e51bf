/**
 * Replaying a failed property: fast-check prints `{ seed: …, path: "…" }` with each counterexample;
 * `FC_SEED=… FC_PATH=… npx vitest run <file> -t "<test>"` runs that test on exactly that case again
 * (docs/testing.md). A model-based test also prints its commands' `replayPath`, which it reads from
 * FC_REPLAY_PATH (`commandsReplay`). Without FC_SEED, nothing changes: every run draws a new seed.
 */
import fc from "fast-check"

// Under mutation testing (vitest.mutation.config.ts): a failure is reported as found, not shrunk
// first; a mutant is killed by the first counterexample, and shrinking it would only cost time.
if (process.env.FC_END_ON_FAILURE === "1")
  fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true })

const seed = process.env.FC_SEED
if (seed !== undefined && seed !== "") {
  const path = process.env.FC_PATH
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    seed: Number(seed),
    ...(path === undefined || path === "" ? {} : { path, endOnFailure: true })
  })
}

const replayPath = process.env.FC_REPLAY_PATH

/** What a model-based test adds to the constraints of `fc.commands`: FC_REPLAY_PATH, when replaying. */
export const commandsReplay: { readonly replayPath?: string } =
  replayPath === undefined || replayPath === "" ? {} : { replayPath }
