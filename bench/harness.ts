/**
 * Timing helpers for `npm run bench`: warm up, then time a fixed number of iterations and report
 * the median of several rounds.
 */
import { Effect, type ManagedRuntime } from "effect"

export interface Figure {
  readonly name: string
  readonly usPerOp: number
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** µs per operation of a synchronous function run `ops` times, median of `rounds`. */
export const timeSync = (ops: number, f: () => void, rounds = 5): number => {
  f()
  const samples: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < ops; i++) f()
    samples.push(((performance.now() - start) * 1000) / ops)
  }
  return median(samples)
}

/** µs per operation of an Effect run `ops` times inside one program, median of `rounds`. */
export const timeEffect = async <R, E>(
  runtime: ManagedRuntime.ManagedRuntime<R, E>,
  ops: number,
  op: Effect.Effect<unknown, unknown, R>,
  rounds = 5
): Promise<number> => {
  const loop = Effect.gen(function* () {
    for (let i = 0; i < ops; i++) yield* op
  })
  await runtime.runPromise(loop) // warm-up
  const samples: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await runtime.runPromise(loop)
    samples.push(((performance.now() - start) * 1000) / ops)
  }
  return median(samples)
}

export const line = (name: string, value: string) => console.log(`  ${name.padEnd(58)} ${value}`)
export const us = (x: number) => `${x.toFixed(2)} µs/op`
export const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`
