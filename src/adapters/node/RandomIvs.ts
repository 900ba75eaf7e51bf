import { randomFillSync } from "node:crypto"

// One `randomBytes(16)` call costs 4.5-7 µs on Node 22 (2 vCPU AMD EPYC), more than the AES-GCM
// seal itself; a slice of a 16 KiB pool filled by one call costs 0.1 µs or less (docs/benchmarks.md,
// "card-lifecycle/node"). Pooling is sound for IVs: they are public, written in clear beside the
// ciphertext; what GCM needs is that none repeats under a key, and every slice is handed out once.
const POOL_BYTES = 16 * 1024

/** Random IVs drawn from a pool that the CSPRNG refills when it runs out. */
export interface RandomIvs {
  /**
   * `n` fresh random bytes, a view into the pool: use them at once (they are copied into the
   * envelope and the cipher), before the next call.
   */
  readonly next: (n: number) => Uint8Array
}

export const randomIvs = (): RandomIvs => {
  const pool = Buffer.alloc(POOL_BYTES)
  let at = POOL_BYTES
  return {
    next: (n) => {
      if (at + n > POOL_BYTES) {
        randomFillSync(pool)
        at = 0
      }
      const iv = pool.subarray(at, at + n)
      at += n
      return iv
    }
  }
}
