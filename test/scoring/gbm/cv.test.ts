import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/scoring/dataset.js';
import {
  crossValidateGbmMatrix,
  GbmError,
  refitRounds,
  SeededRandom,
  trainGbmMatrix,
} from '../../../src/scoring/gbm/index.js';
import { GBM_GRID, GBM_TUNE_ROWS_MAX, tuneChallenger } from '../../../src/scoring/gbm/tune.js';

function credit(rows: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const a = new Float64Array(rows);
  const b = new Float64Array(rows);
  const c = new Float64Array(rows);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    a[r] = random.next();
    b[r] = random.next() < 0.05 ? Number.NaN : random.next();
    c[r] = random.next();
    const margin = -1 + 2.5 * a[r]! - (Number.isNaN(b[r]!) ? 0 : 1.5 * b[r]!);
    y[r] = random.next() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
  }
  return { columns: [a, b, c], y };
}

describe('k-fold early stopping', () => {
  const { columns, y } = credit(1500, 3);

  it('refits on all rows with the mean best round scaled up by k / (k − 1)', () => {
    const options = { trees: 300, learningRate: 0.1, earlyStoppingRounds: 20, cvFolds: 4 };
    const model = trainGbmMatrix(columns, y, options, 9);
    const best = model.foldBestRounds!;
    expect(best).toHaveLength(4);
    for (const b of best) expect(b).toBeGreaterThanOrEqual(1);
    const mean = best.reduce((s, b) => s + b, 0) / 4;
    expect(model.trees.length).toBe(refitRounds(mean, 1 / 4, 300));
    expect(model.validationLogLoss.length).toBeGreaterThan(0);
    // The folds come from the seed: the same seed gives the same model, another seed another one.
    expect(JSON.stringify(trainGbmMatrix(columns, y, options, 9))).toBe(JSON.stringify(model));
    expect(trainGbmMatrix(columns, y, options, 10).foldBestRounds).not.toEqual(best);
  });

  it('reports a held-out AUC per fold, well above chance on learnable data', () => {
    const cv = crossValidateGbmMatrix(
      columns,
      y,
      { trees: 200, learningRate: 0.1, earlyStoppingRounds: 20 },
      3,
      1,
      ['a', 'b', 'c'],
    );
    expect(cv.foldAuc).toHaveLength(3);
    for (const auc of cv.foldAuc) {
      expect(auc).toBeGreaterThan(0.6);
      expect(auc).toBeLessThan(1);
    }
  });

  it('refuses folds out of range and folds without a refit', () => {
    expect(() => trainGbmMatrix(columns, y, { cvFolds: 1 }, 1)).toThrowError(GbmError);
    expect(() => trainGbmMatrix(columns, y, { cvFolds: 3, refit: false }, 1)).toThrowError(
      /leave refit true/,
    );
    expect(() =>
      crossValidateGbmMatrix(columns, y, { earlyStoppingRounds: 0 }, 3, 1, ['a', 'b', 'c']),
    ).toThrowError(/earlyStoppingRounds > 0/);
  });
});

describe('boosted grid search', () => {
  const { columns, y } = credit(600, 4);
  const data: Dataset = {
    rowCount: 600,
    columns: columns.map((values, i) => ({
      kind: 'numeric' as const,
      name: `x${i}`,
      values,
      specialValues: [],
    })),
  };

  it('searches the stated grid, keeps fixed options and records why', () => {
    const fast = { trees: 60, earlyStoppingRounds: 10 };
    const tuned = tuneChallenger(data, y, { ...fast, maxDepth: 2 }, new Set(['maxDepth']), 3, 5);
    expect(tuned.tuning.searched).toBe(true);
    // depth fixed by the caller: learning rate × min child weight = 4 points.
    expect(tuned.tuning.results).toHaveLength(GBM_GRID.learningRate.length * GBM_GRID.minChildWeight.length);
    for (const r of tuned.tuning.results) expect(r.setting.maxDepth).toBe(2);
    const best = Math.max(...tuned.tuning.results.map((r) => r.meanAuc));
    expect(tuned.tuning.results[0]!.meanAuc).toBe(best);
    // The best point, or the first grid point (depth 2 fixed, learning rate 0.05, weight 1) when not clearly better.
    expect([
      tuned.tuning.results[0]!.setting,
      { maxDepth: 2, learningRate: 0.05, minChildWeight: 1 },
    ]).toContainEqual(tuned.tuning.chosen);
    expect(tuned.options).toMatchObject({ ...tuned.tuning.chosen, cvFolds: 3, trees: 60 });
    expect(tuned.tuning.reasons[0]).toMatch(/3-fold stratified cross-validation \(seed 5\) over 4 settings/);
    expect(
      JSON.stringify(tuneChallenger(data, y, { ...fast, maxDepth: 2 }, new Set(['maxDepth']), 3, 5)),
    ).toBe(JSON.stringify(tuned));
  });

  it(`keeps the defaults without a search above ${GBM_TUNE_ROWS_MAX} rows`, () => {
    const big: Dataset = { ...data, rowCount: GBM_TUNE_ROWS_MAX + 1 };
    const tuned = tuneChallenger(big, y, {}, new Set(), 5, 1);
    expect(tuned.tuning.searched).toBe(false);
    expect(tuned.tuning.chosen).toEqual({ maxDepth: 3, learningRate: 0.05, minChildWeight: 1 });
    expect(tuned.options).toMatchObject({ cvFolds: 5 });
  });
});
