import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreChallenger, trainChallenger } from '../../../src/scoring/gbm/index.js';
import { loadFixture, rocAuc, stratifiedRows, takeRows } from './fixture-data.js';

/**
 * Test rows of the split behind the reference figures (xgboost hist, 300 trees, depth 3, eta 0.05): a seeded
 * (random_state 42) stratified 70/30 split made by scikit-learn, stored so the comparison is on the same rows.
 */
const referenceSplits = JSON.parse(
  readFileSync(new URL('./reference-splits.json', import.meta.url), 'utf8'),
) as {
  files: Record<string, { test: number[] }>;
};

const CASES = [
  { file: 'german_credit.csv', target: 'Class', bad: 'Bad', referenceAuc: 0.79 },
  { file: 'credit_data.csv', target: 'Status', bad: 'bad', referenceAuc: 0.851 },
] as const;

/** How far below the reference boosting the challenger may score. */
const AUC_SLACK = 0.005;

function evaluate(
  file: string,
  target: string,
  bad: string,
  train: number[],
  test: number[],
  seed: number,
): number {
  const { data, y } = loadFixture(file, target, bad);
  const model = trainChallenger(
    takeRows(data, train),
    Uint8Array.from(train, (r) => y[r]!),
    {},
    seed,
  );
  const { probabilityBad } = scoreChallenger(model, takeRows(data, test), 0);
  return rocAuc(
    probabilityBad,
    Uint8Array.from(test, (r) => y[r]!),
  );
}

describe('challenger quality on real credit data (default options)', () => {
  for (const { file, target, bad, referenceAuc } of CASES) {
    it(`${file}: test AUC at least the reference boosting's minus ${AUC_SLACK}`, () => {
      const testRows = referenceSplits.files[file]!.test;
      const held = new Set(testRows);
      const { y } = loadFixture(file, target, bad);
      const trainRows = [...y.keys()].filter((r) => !held.has(r));
      // scikit-learn rounds the test share up.
      expect(testRows.length).toBe(Math.ceil(y.length * 0.3));
      for (const seed of [1, 2, 3]) {
        expect(evaluate(file, target, bad, trainRows, testRows, seed)).toBeGreaterThanOrEqual(
          referenceAuc - AUC_SLACK,
        );
      }
    });
  }

  it('credit_data.csv: stays strong across other seeded stratified splits', () => {
    const { y } = loadFixture('credit_data.csv', 'Status', 'bad');
    const aucs = [101, 102, 103].map((seed) => {
      const { train, test } = stratifiedRows(y, 0.7, seed);
      return evaluate('credit_data.csv', 'Status', 'bad', train, test, seed);
    });
    // Measured 0.83–0.86 on such splits; logistic regression reaches about 0.82–0.84.
    for (const auc of aucs) expect(auc).toBeGreaterThan(0.82);
  });
});
