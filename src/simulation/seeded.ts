/**
 * Seeded draws for synthetic data (the demo book, its people and applications, the reliability tests and
 * the benchmarks). Everything comes from the seed: the same seed gives the same draws.
 */

/** mulberry32: a small seeded generator, enough for synthetic data (not for anything secret). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** An id in the project's shape (prefix, 28 hex digits) drawn from the generator. */
export function seededId(prefix: string, rand: () => number): string {
  let hex = '';
  while (hex.length < 28)
    hex += Math.floor(rand() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return `${prefix}_${hex.slice(0, 28)}`;
}
