import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binMatrix,
  binOf,
  buildHistogram,
  findBestSplit,
  findCuts,
  learnCuts,
  MISSING_BIN,
} from '../../../src/scoring/gbm/index.js';

const valueArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map((v) => v / 4) },
);

describe('histogram binning', () => {
  it('gives every distinct value its own bin when there are few, and missing the bin 0', () => {
    const values = Float64Array.from([3, 1, Number.NaN, 2, 2, 5, 1]);
    const cuts = findCuts(values, 254);
    expect([...cuts]).toEqual([1.5, 2.5, 4]);
    expect([...values].map((v) => binOf(cuts, v))).toEqual([3, 1, MISSING_BIN, 2, 2, 4, 1]);
  });

  it('keeps bins within the limit, ordered, and consistent with value thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(Number.NaN), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 2, max: 40 }),
        (list, valueBinsMax) => {
          const values = Float64Array.from(list);
          const cuts = findCuts(values, valueBinsMax);
          expect(cuts.length).toBeLessThanOrEqual(valueBinsMax - 1);
          for (let i = 1; i < cuts.length; i++) expect(cuts[i]!).toBeGreaterThan(cuts[i - 1]!);
          for (const v of values) {
            const bin = binOf(cuts, v);
            if (Number.isNaN(v)) {
              expect(bin).toBe(MISSING_BIN);
              continue;
            }
            expect(bin).toBeGreaterThanOrEqual(1);
            expect(bin).toBeLessThanOrEqual(cuts.length + 1);
            // A split after bin b sends a value left exactly when value <= cuts[b-1].
            for (let b = 1; b <= cuts.length; b++) expect(bin <= b).toBe(v <= cuts[b - 1]!);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('spreads many distinct values into roughly equal-count bins', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const cuts = findCuts(values, 10);
    expect(cuts.length).toBe(9);
    const counts = new Array(11).fill(0);
    for (const v of values) counts[binOf(cuts, v)]++;
    for (let b = 1; b <= 10; b++) expect(Math.abs(counts[b] - 1000)).toBeLessThanOrEqual(1);
  });
});

/** Gradients and hessians side by side, as the trainer keeps them. */
function interleave(grad: Float64Array, hess: Float64Array): Float64Array {
  const out = new Float64Array(2 * grad.length);
  for (let r = 0; r < grad.length; r++) {
    out[2 * r] = grad[r]!;
    out[2 * r + 1] = hess[r]!;
  }
  return out;
}

interface Candidate {
  gain: number;
}

/** Best gain by trying every feature, cut and missing side directly on the rows. */
function bruteForceBestGain(
  columns: Float64Array[],
  cuts: Float64Array[],
  grad: Float64Array,
  hess: Float64Array,
  l2: number,
  minChildWeight: number,
): Candidate | null {
  const score = (g: number, h: number) => (g * g) / (h + l2);
  let G = 0;
  let H = 0;
  for (let r = 0; r < grad.length; r++) {
    G += grad[r]!;
    H += hess[r]!;
  }
  let best: Candidate | null = null;
  columns.forEach((column, f) => {
    const thresholds = [...cuts[f]!, Number.POSITIVE_INFINITY];
    for (const t of thresholds) {
      for (const missingLeft of [true, false]) {
        let gl = 0;
        let hl = 0;
        for (let r = 0; r < column.length; r++) {
          const v = column[r]!;
          if (Number.isNaN(v) ? missingLeft : v <= t) {
            gl += grad[r]!;
            hl += hess[r]!;
          }
        }
        const hr = H - hl;
        if (hl < Math.max(minChildWeight, 1e-6) || hr < Math.max(minChildWeight, 1e-6)) continue;
        const gain = 0.5 * (score(gl, hl) + score(G - gl, hr) - score(G, H));
        if (gain > 0 && (best === null || gain > best.gain)) best = { gain };
      }
    }
  });
  return best;
}

describe('split finding', () => {
  it('computes the L2-regularised second-order gain of a hand-checked split', () => {
    // Feature 0 separates rows {0,1} (gradient -1 each) from {2,3} (gradient +1 each), hessian 0.25 each.
    const columns = [Float64Array.from([1, 1, 2, 2])];
    const matrix = binMatrix(columns, learnCuts(columns, 255));
    const grad = Float64Array.from([-1, -1, 1, 1]);
    const hess = Float64Array.from([0.25, 0.25, 0.25, 0.25]);
    const histogram = new Float64Array(matrix.histogramSlots * 2);
    const rows = Uint32Array.from([0, 1, 2, 3]);
    buildHistogram(histogram, matrix, Int32Array.from([0]), rows, 0, 4, interleave(grad, hess));
    const settings = {
      maxDepth: 3,
      maxLeaves: 0,
      l2: 1,
      minChildWeight: 0,
      minSplitGain: 0,
      learningRate: 0.1,
      monotone: new Int8Array(1),
    };
    const split = findBestSplit(histogram, matrix, Int32Array.from([0]), 0, 1, -Infinity, Infinity, settings);
    // ½[(−2)²/(0.5+1) + 2²/(0.5+1) − 0²/(1+1)] = 4/1.5
    expect(split?.gain).toBeCloseTo(4 / 1.5, 12);
    expect(split?.leftWeight).toBeCloseTo(2 / 1.5, 12);
    expect(split?.rightWeight).toBeCloseTo(-2 / 1.5, 12);
    // A minimum child weight above each side's hessian forbids the split.
    expect(
      findBestSplit(histogram, matrix, Int32Array.from([0]), 0, 1, -Infinity, Infinity, {
        ...settings,
        minChildWeight: 0.6,
      }),
    ).toBeNull();
    // A split gain floor above the gain forbids it too.
    expect(
      findBestSplit(histogram, matrix, Int32Array.from([0]), 0, 1, -Infinity, Infinity, {
        ...settings,
        minSplitGain: 3,
      }),
    ).toBeNull();
  });

  it('finds the same best gain as trying every split on the rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 60 }).chain((n) =>
          fc.record({
            columns: fc.array(fc.array(valueArb, { minLength: n, maxLength: n }), {
              minLength: 1,
              maxLength: 3,
            }),
            grad: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            hess: fc.array(fc.double({ min: 0.01, max: 0.25, noNaN: true }), { minLength: n, maxLength: n }),
            l2: fc.double({ min: 0, max: 5, noNaN: true }),
            minChildWeight: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
        ),
        ({ columns: raw, grad: g, hess: h, l2, minChildWeight }) => {
          const columns = raw.map((c) => Float64Array.from(c));
          const grad = Float64Array.from(g);
          const hess = Float64Array.from(h);
          const cuts = learnCuts(columns, 255);
          const matrix = binMatrix(columns, cuts);
          const features = Int32Array.from(columns.keys());
          const rows = Uint32Array.from(grad.keys());
          const histogram = new Float64Array(matrix.histogramSlots * 2);
          buildHistogram(histogram, matrix, features, rows, 0, rows.length, interleave(grad, hess));
          const G = grad.reduce((a, b) => a + b, 0);
          const H = hess.reduce((a, b) => a + b, 0);
          const settings = {
            maxDepth: 3,
            maxLeaves: 0,
            l2,
            minChildWeight,
            minSplitGain: 0,
            learningRate: 0.1,
            monotone: new Int8Array(columns.length),
          };
          const found = findBestSplit(histogram, matrix, features, G, H, -Infinity, Infinity, settings);
          const expected = bruteForceBestGain(columns, cuts, grad, hess, l2, minChildWeight);
          if (expected === null || expected.gain < 1e-9) {
            expect(found === null || found.gain < 1e-9).toBe(true);
          } else {
            expect(found).not.toBeNull();
            expect(found!.gain).toBeCloseTo(expected.gain, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
