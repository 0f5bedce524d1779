import { describe, expect, it } from 'vitest';
import { learnCuts, SeededRandom, trainGbmMatrix } from '../../../src/scoring/gbm/index.js';

function syntheticMatrix(
  rows: number,
  features: number,
  seed: number,
): { columns: Float64Array[]; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const columns = Array.from({ length: features }, () =>
    Float64Array.from({ length: rows }, () => (random.next() < 0.1 ? Number.NaN : random.next())),
  );
  const y = Uint8Array.from({ length: rows }, (_, r) => {
    const a = columns[0]![r]!;
    const b = columns[1]![r]!;
    const risk = (Number.isNaN(a) ? 0.7 : a) * 0.6 + (Number.isNaN(b) ? 0.2 : b * b) * 0.4;
    return random.next() < risk ? 1 : 0;
  });
  return { columns, y };
}

describe('tree growth', () => {
  it('splits every node on the best split of the rows that reach it (subtraction and partition agree)', () => {
    const { columns, y } = syntheticMatrix(3000, 4, 21);
    const l2 = 1;
    const minChildWeight = 1;
    const model = trainGbmMatrix(
      columns,
      y,
      { trees: 1, maxDepth: 4, subsample: 1, colsampleByTree: 1, earlyStoppingRounds: 0, l2, minChildWeight },
      1,
    );
    const tree = model.trees[0]!;
    const cuts = learnCuts(columns, 255);
    const p = 1 / (1 + Math.exp(-model.baseScore));
    const grad = Float64Array.from(y, (label) => p - label);
    const hess = new Float64Array(y.length).fill(p * (1 - p));
    const reach: number[][] = tree.value.map(() => []);
    for (let r = 0; r < y.length; r++) {
      let node = 0;
      reach[0]!.push(r);
      while (tree.left[node]! >= 0) {
        const v = columns[tree.feature[node]!]![r]!;
        const goLeft = Number.isNaN(v) ? tree.defaultLeft[node]! : v <= tree.threshold[node]!;
        node = goLeft ? tree.left[node]! : tree.right[node]!;
        reach[node]!.push(r);
      }
    }
    let checked = 0;
    for (let node = 0; node < tree.value.length; node++) {
      if (tree.left[node]! < 0) continue;
      const rows = reach[node]!;
      const score = (g: number, h: number) => (g * g) / (h + l2);
      let G = 0;
      let H = 0;
      for (const r of rows) {
        G += grad[r]!;
        H += hess[r]!;
      }
      let best = { gain: -Infinity, feature: -1, threshold: 0 };
      columns.forEach((column, f) => {
        for (const t of [...cuts[f]!, Number.MAX_VALUE]) {
          for (const missingLeft of [true, false]) {
            let gl = 0;
            let hl = 0;
            for (const r of rows) {
              const v = column[r]!;
              if (Number.isNaN(v) ? missingLeft : v <= t) {
                gl += grad[r]!;
                hl += hess[r]!;
              }
            }
            if (hl < minChildWeight || H - hl < minChildWeight) continue;
            const gain = 0.5 * (score(gl, hl) + score(G - gl, H - hl) - score(G, H));
            if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold: t };
          }
        }
      });
      expect(tree.feature[node]).toBe(best.feature);
      expect(tree.threshold[node]).toBe(best.threshold);
      // Cover is the hessian of the rows through the node.
      expect(tree.cover[node]!).toBeCloseTo(H, 9);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('respects the depth and leaf limits', () => {
    const { columns, y } = syntheticMatrix(2000, 5, 22);
    const leavesOf = (tree: { left: readonly number[] }) => tree.left.filter((l) => l < 0).length;
    const deep = trainGbmMatrix(
      columns,
      y,
      { trees: 5, maxDepth: 8, maxLeaves: 5, earlyStoppingRounds: 0, minChildWeight: 0 },
      1,
    );
    for (const tree of deep.trees) expect(leavesOf(tree)).toBeLessThanOrEqual(5);
    expect(Math.max(...deep.trees.map(leavesOf))).toBe(5);
    const shallow = trainGbmMatrix(
      columns,
      y,
      { trees: 5, maxDepth: 2, earlyStoppingRounds: 0, minChildWeight: 0 },
      1,
    );
    for (const tree of shallow.trees) expect(leavesOf(tree)).toBeLessThanOrEqual(4);
  });
});
