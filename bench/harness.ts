/**
 * Timing helpers for `npm run bench`: warm up, then time a fixed number of iterations and report
 * the median of several rounds. A figure and its reference are timed in alternating rounds
 * (`timeAlternating`), so that both see the same load of a shared machine.
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
  await runtime.context() // the layer's build, never timed
  await runtime.runPromise(loop) // warm-up
  const samples: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await runtime.runPromise(loop)
    samples.push(((performance.now() - start) * 1000) / ops)
  }
  return median(samples)
}

/** One round of `ops` runs of `op` inside one program: µs per run. The runtime must be built. */
export const effectRound =
  <R, E>(runtime: ManagedRuntime.ManagedRuntime<R, E>, ops: number, op: Effect.Effect<unknown, unknown, R>) =>
  async (): Promise<number> => {
    const loop = Effect.gen(function* () {
      for (let i = 0; i < ops; i++) yield* op
    })
    const start = performance.now()
    await runtime.runPromise(loop)
    return ((performance.now() - start) * 1000) / ops
  }

/** One round of `ops` calls of `f`: µs per call. */
export const syncRound = (ops: number, f: () => void) => (): number => {
  const start = performance.now()
  for (let i = 0; i < ops; i++) f()
  return ((performance.now() - start) * 1000) / ops
}

/**
 * The medians of `rounds` rounds of `ours` and of `reference`, alternating (ours, reference, ours…)
 * after one warm-up round of each. Each round returns its own µs per operation.
 */
export const timeAlternating = async (
  ours: () => Promise<number> | number,
  reference: () => Promise<number> | number,
  rounds = 5
): Promise<readonly [ours: number, reference: number]> => {
  await ours()
  await reference()
  const a: Array<number> = []
  const b: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    a.push(await ours())
    b.push(await reference())
  }
  return [median(a), median(b)]
}

/** A figure's median over alternating rounds, with the fastest and slowest round. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * Like `timeAlternating`, for any number of figures: one warm-up round of each, then `rounds` rounds
 * in which every figure runs once, in the order given (a, b, c, a, b, c, …).
 */
export const timeAlternatingAll = async (
  figures: ReadonlyArray<() => Promise<number> | number>,
  rounds = 5
): Promise<ReadonlyArray<Spread>> => {
  for (const figure of figures) await figure()
  const samples = figures.map((): Array<number> => [])
  for (let r = 0; r < rounds; r++)
    for (const [i, figure] of figures.entries()) samples[i]!.push(await figure())
  return samples.map((xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) }))
}

export const line = (name: string, value: string) => console.log(`  ${name.padEnd(58)} ${value}`)
export const us = (x: number) => `${x.toFixed(2)} µs/op`
export const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`
/** `median µs/op (min–max)`. */
export const usSpread = (x: Spread) => `${us(x.median)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})`

/** A card as the plain-JavaScript references hold it: the domain's fields, the PAN in clear. */
export interface PlainCard {
  readonly kitNo: string
  readonly entityId: string
  readonly accountNo: number
  readonly productId: string
  readonly tierType: string
  readonly cardType: string
  readonly pan: string
  readonly expDate: string
  readonly status: string
  readonly lockedFrom?: string
}
