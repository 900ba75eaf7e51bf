/**
 * IVs for AES-GCM drawn from a pool of random bytes that the module's CSPRNG refills when it runs out:
 * what both in-process security modules seal with.
 *
 * @since 0.1.0
 */

// One `randomBytes(16)` call costs 4.5-7 µs on Node 22 (2 vCPU AMD EPYC), more than the AES-GCM
// seal itself; a slice of a 16 KiB pool filled by one call costs 0.1 µs or less (docs/benchmarks.md,
// "card-lifecycle/node"). Pooling is sound for IVs: they are public, written in clear beside the
// ciphertext; what GCM needs is that none repeats under a key, and every slice is handed out once.
const POOL_BYTES = 16 * 1024

/**
 * Random IVs drawn from a pool that the CSPRNG refills when it runs out.
 *
 * @category models
 */
export interface RandomIvs {
  /**
   * `n` fresh random bytes, a view into the pool: use them at once (they are copied into the
   * envelope and the cipher), before the next call.
   */
  readonly next: (n: number) => Uint8Array
}

/**
 * A pool that `fill` (the CSPRNG: node's `randomFillSync`, or the Web Crypto `getRandomValues`)
 * fills whole, on the first draw and whenever the next IV would not fit.
 *
 * @category constructors
 */
export const randomIvs = (fill: (pool: Uint8Array) => unknown): RandomIvs => {
  const pool = new Uint8Array(POOL_BYTES)
  let at = POOL_BYTES
  return {
    next: (n) => {
      if (at + n > POOL_BYTES) {
        fill(pool)
        at = 0
      }
      const iv = pool.subarray(at, at + n)
      at += n
      return iv
    }
  }
}
