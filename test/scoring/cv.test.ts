import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseGridPoint,
  crossValidate,
  foldRows,
  pairedGain,
  stratifiedFolds,
} from '../../src/scoring/cv.js';
import { ScoringError } from '../../src/scoring/errors.js';
import { auc, aucDeLong, ks, ksBootstrap } from '../../src/scoring/metrics.js';

/** DeLong's variance straight from its definition: placements by comparing every (bad, good) pair. */
function deLongBruteForce(risk: number[], y: number[]): { auc: number; se: number } {
  const bad = risk.filter((_, i) => y[i] === 1);
  const good = risk.filter((_, i) => y[i] === 0);
  const psi = (x: number, z: number) => (x > z ? 1 : x === z ? 0.5 : 0);
  const v10 = bad.map((x) => good.reduce((a, z) => a + psi(x, z), 0) / good.length);
  const v01 = good.map((z) => bad.reduce((a, x) => a + psi(x, z), 0) / bad.length);
  const area = v10.reduce((a, b) => a + b, 0) / bad.length;
  const s = (v: number[]) => v.reduce((a, b) => a + (b - area) ** 2, 0) / (v.length - 1);
  return { auc: area, se: Math.sqrt(s(v10) / bad.length + s(v01) / good.length) };
}

describe('DeLong standard error of the AUC', () => {
  it('gives the hand-computed value on a four-row example', () => {
    // Bads 0.8 and 0.6, goods 0.7 and 0.2: placements of the bads 1 and 0.5, of the goods 0.5 and 1, AUC 0.75;
    // variance 0.125 / 2 + 0.125 / 2 = 0.125.
    const r = aucDeLong([0.8, 0.7, 0.6, 0.2], [1, 0, 1, 0]);
    expect(r.auc).toBe(0.75);
    expect(r.standardError).toBeCloseTo(Math.sqrt(0.125), 14);
  });

  it('equals the pairwise definition, ties included, and its AUC equals auc()', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 4, maxLength: 60 }),
        (rows) => {
          const risk = rows.map((r) => r[0]);
          const y = rows.map((r) => (r[1] ? 1 : 0));
          fc.pre(y.filter((v) => v === 1).length >= 2 && y.filter((v) => v === 0).length >= 2);
          const fast = aucDeLong(risk, y);
          const slow = deLongBruteForce(risk, y);
          expect(fast.auc).toBeCloseTo(slow.auc, 12);
          expect(fast.auc).toBeCloseTo(auc(risk, y), 12);
          expect(fast.standardError).toBeCloseTo(slow.se, 12);
        },
      ),
    );
  });

  it('is NaN when a class is missing', () => {
    expect(aucDeLong([1, 2], [0, 0]).standardError).toBeNaN();
  });
});

describe('KS with a seeded stratified bootstrap', () => {
  const risk = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 400) / 400);
  const y = risk.map((r, i) => (r + ((i * 31) % 17) / 40 > 0.6 ? 1 : 0));

  it('keeps the sample KS, repeats by seed and changes with it', () => {
    const a = ksBootstrap(risk, y, 100, 7);
    expect(a.ks).toBe(ks(risk, y));
    expect(ksBootstrap(risk, y, 100, 7)).toEqual(a);
    expect(ksBootstrap(risk, y, 100, 8).standardError).not.toBe(a.standardError);
    expect(a.standardError).toBeGreaterThan(0);
    expect(a.standardError).toBeLessThan(0.1);
    expect(a.interval[0]).toBeLessThanOrEqual(a.interval[1]);
  });

  it('has no spread when every resample is the sample (one bad, one good, separated)', () => {
    const r = ksBootstrap([0.9, 0.1], [1, 0], 20, 1);
    expect(r.ks).toBe(1);
    expect(r.standardError).toBe(0);
  });
});

describe('stratified k-fold', () => {
  it('deals every row to one fold, each fold within one row of the others in bads, goods and rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 20, maxLength: 300 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer(),
        (labels, k, seed) => {
          const y = Uint8Array.from(labels, (b) => (b ? 1 : 0));
          const bads = y.reduce((a, b) => a + b, 0);
          fc.pre(bads >= k && y.length - bads >= k);
          const folds = stratifiedFolds(y, k, seed);
          const badsIn = new Array<number>(k).fill(0);
          const goodsIn = new Array<number>(k).fill(0);
          for (let i = 0; i < y.length; i++) {
            const f = folds[i]!;
            expect(f >= 0 && f < k).toBe(true);
            (y[i] ? badsIn : goodsIn)[f]!++;
          }
          const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
          expect(spread(badsIn)).toBeLessThanOrEqual(1);
          expect(spread(goodsIn)).toBeLessThanOrEqual(1);
          expect(spread(badsIn.map((b, f) => b + goodsIn[f]!))).toBeLessThanOrEqual(1);
          expect(stratifiedFolds(y, k, seed)).toEqual(folds);
          let held = 0;
          for (let f = 0; f < k; f++) {
            const { train, test } = foldRows(folds, f);
            expect(train.length + test.length).toBe(y.length);
            held += test.length;
          }
          expect(held).toBe(y.length);
        },
      ),
    );
  });

  it('refuses too few folds or too few rows of a class', () => {
    expect(() => stratifiedFolds(Uint8Array.from([0, 1, 0, 1]), 1, 0)).toThrow(ScoringError);
    expect(() => stratifiedFolds(Uint8Array.from([0, 0, 0, 1]), 2, 0)).toThrow(/at least 2 bads/);
    // The counts found are said in the singular for one.
    expect(() => stratifiedFolds(Uint8Array.from([0, 0, 0, 1]), 2, 0)).toThrow(
      /the data has 1 bad and 3 goods$/,
    );
    expect(() => stratifiedFolds(Uint8Array.from([1, 1, 1, 0]), 2, 0)).toThrow(
      /the data has 3 bads and 1 good$/,
    );
  });

  it('scores every row once out of fold: a perfect recipe gives AUC 1 on every fold', () => {
    const y = Uint8Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const seen = new Set<number>();
    const cv = crossValidate(y, 5, 3, (train, test) => {
      for (const r of test) {
        expect(seen.has(r)).toBe(false);
        seen.add(r);
      }
      expect(train.length + test.length).toBe(50);
      return Float64Array.from(test, (r) => y[r]!);
    });
    expect(seen.size).toBe(50);
    expect(cv.foldAuc).toEqual([1, 1, 1, 1, 1]);
    expect(cv.meanAuc).toBe(1);
    expect(cv.pooledAuc).toBe(1);
    expect(cv.standardError).toBe(0);
  });
});

describe('choice of a grid point', () => {
  it('takes the best mean only when it beats the first point by more than two paired standard errors', () => {
    // Point 1 wins every fold by 0.01 (paired SE 0): clear.
    expect(
      chooseGridPoint([
        [0.8, 0.7, 0.75],
        [0.81, 0.71, 0.76],
      ]).index,
    ).toBe(1);
    // Point 1 has the better mean, but the fold differences (+0.03, −0.02, +0.02) are noise: keep point 0.
    const noisy = chooseGridPoint([
      [0.8, 0.7, 0.75],
      [0.83, 0.68, 0.77],
    ]);
    expect(noisy.best).toBe(1);
    expect(noisy.index).toBe(0);
    expect(noisy.gain.mean).toBeCloseTo(0.01, 12);
    expect(pairedGain([1, 2, 3], [0, 0, 0])).toEqual({ mean: 2, standardError: 1 / Math.sqrt(3) });
    expect(
      chooseGridPoint([
        [0.8, 0.7],
        [0.7, 0.6],
      ]).index,
    ).toBe(0);
  });
});
