/** A small seeded generator (mulberry32): the same seed gives the same stream on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/**
 * Seeded stratified split: each class is shuffled and `testShare` of it (rounded half-up) goes to the test rows.
 * Row indices come back sorted.
 */
export function stratifiedSplit(
  target: Uint8Array,
  testShare: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let r = 0; r < target.length; r++) if (target[r] === cls) rows.push(r);
    shuffle(rows, random);
    const testCount = Math.floor(rows.length * testShare + 0.5);
    for (let k = 0; k < rows.length; k++) (k < testCount ? test : train).push(rows[k]!);
  }
  return {
    train: Int32Array.from(train.sort((a, b) => a - b)),
    test: Int32Array.from(test.sort((a, b) => a - b)),
  };
}
