/**
 * A small seeded generator (mulberry32), uniform in [0, 1): the same sequence for the same seed, so
 * demo data is the same city on every machine and a randomised test can be run again as it failed.
 * Not for anything secret (use node:crypto).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
