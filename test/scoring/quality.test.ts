import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SEED, type ModelKind, scoreModel, trainModel } from '../../src/scoring/artifact.js';
import type { Dataset } from '../../src/scoring/dataset.js';
import { fitLogistic, predictLogistic } from '../../src/scoring/logistic.js';
import { auc } from '../../src/scoring/metrics.js';
import { stratifiedSplit } from '../../src/scoring/random.js';
import { scoreScorecard, trainScorecard } from '../../src/scoring/scorecard.js';
import { selectRows, targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

/**
 * The reference recipe of the shared data's README, rebuilt here so that it runs on the very same split:
 * numeric columns median-imputed and standardised, categoricals one-hot encoded (missing as a level of its own),
 * L2-penalised logistic regression with scikit-learn's default strength (C = 1, i.e. penalty ½‖β‖²).
 */
function referenceLogisticAuc(train: Dataset, yTrain: Uint8Array, test: Dataset, yTest: Uint8Array): number {
  const design = (d: Dataset, spec: ((d: Dataset) => Float64Array)[]) => spec.map((f) => f(d));
  const spec: ((d: Dataset) => Float64Array)[] = [];
  train.columns.forEach((column, index) => {
    if (column.kind === 'numeric') {
      const seen = Float64Array.from(column.values.filter((v) => !Number.isNaN(v))).sort();
      const mid = seen.length / 2;
      const median = seen.length % 2 ? seen[Math.floor(mid)]! : (seen[mid - 1]! + seen[mid]!) / 2;
      const filled = column.values.map((v) => (Number.isNaN(v) ? median : v));
      const mean = filled.reduce((a, b) => a + b, 0) / filled.length;
      const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / filled.length) || 1;
      spec.push((d) => {
        const c = d.columns[index]!;
        if (c.kind !== 'numeric') throw new Error('column kinds differ');
        return c.values.map((v) => ((Number.isNaN(v) ? median : v) - mean) / sd);
      });
    } else {
      const levels = new Set<number>(column.codes);
      for (const level of levels) {
        const text = level < 0 ? undefined : column.levels[level];
        spec.push((d) => {
          const c = d.columns[index]!;
          if (c.kind !== 'categorical') throw new Error('column kinds differ');
          return Float64Array.from(c.codes, (code) =>
            (code < 0 ? undefined : c.levels[code]) === text ? 1 : 0,
          );
        });
      }
    }
  });
  const xs = design(train, spec);
  const fit = fitLogistic(
    xs,
    xs.map((_, i) => `x${i}`),
    yTrain,
    { l2: 1 },
  );
  return auc(predictLogistic(fit, design(test, spec)), yTest);
}

const SPLIT_SEEDS = [1, 2, 3, 4, 5];
const TEST_SHARE = 0.3;
/** The scorecard may trail the reference logistic regression by at most this much test AUC on any split. */
const AUC_SLACK = 0.01;

const cases = [
  { file: 'german_credit.csv', target: 'Class', bad: 'Bad' },
  { file: 'credit_data.csv', target: 'Status', bad: 'bad' },
] as const;

describe('scorecard quality on held-out data (seeded stratified 70/30 splits)', () => {
  for (const c of cases) {
    it(`${c.file}: test AUC at least the reference logistic regression's − ${AUC_SLACK} on every split`, async () => {
      const data = await loadFixture(c.file, c.target);
      const y = targetFromColumn(data, c.target, c.bad);
      const x = withoutColumns(data, new Set([c.target]));
      const lines: string[] = [];
      let sumOurs = 0;
      let sumReference = 0;
      for (const seed of SPLIT_SEEDS) {
        const { train, test } = stratifiedSplit(y, TEST_SHARE, seed);
        const xTrain = selectRows(x, train);
        const xTest = selectRows(x, test);
        const yTrain = Uint8Array.from(train, (r) => y[r]!);
        const yTest = Uint8Array.from(test, (r) => y[r]!);
        const card = trainScorecard(xTrain, yTrain, {}, seed);
        const ours = auc(scoreScorecard(card, xTest, 0).probabilityBad, yTest);
        const reference = referenceLogisticAuc(xTrain, yTrain, xTest, yTest);
        lines.push(`seed ${seed}: scorecard ${ours.toFixed(4)} reference ${reference.toFixed(4)}`);
        sumOurs += ours;
        sumReference += reference;
        expect(ours, lines.join('\n')).toBeGreaterThanOrEqual(reference - AUC_SLACK);
      }
      const mean = sumOurs / SPLIT_SEEDS.length;
      // Printed so that a run shows the figures, not only a pass.
      console.info(
        `${c.file}\n${lines.join('\n')}\nmean scorecard ${mean.toFixed(4)}, reference ${(sumReference / SPLIT_SEEDS.length).toFixed(4)}`,
      );
      expect(mean).toBeGreaterThanOrEqual(sumReference / SPLIT_SEEDS.length - AUC_SLACK / 2);
    });
  }
});

/**
 * Test rows of the split behind the shared data README's figures (scikit-learn train_test_split, test_size 0.3,
 * random_state 42, stratified), stored once so that the comparison runs on the same rows without Python.
 */
const referenceSplits = JSON.parse(
  readFileSync(new URL('./gbm/reference-splits.json', import.meta.url), 'utf8'),
) as { files: Record<string, { test: number[] }> };

/** The README's reference test AUCs and how far below each the toolkit may score (the quality clause). */
const README_FIGURES = [
  { ...cases[0], kind: 'scorecard', reference: 0.796, slack: 0.01 },
  { ...cases[1], kind: 'scorecard', reference: 0.844, slack: 0.01 },
  { ...cases[0], kind: 'gbm', reference: 0.79, slack: 0.005 },
  { ...cases[1], kind: 'gbm', reference: 0.851, slack: 0.005 },
] as const satisfies readonly { kind: ModelKind; reference: number; slack: number }[];

describe('README figures on the reference split, trained as `score train` does by default', () => {
  for (const c of README_FIGURES) {
    const bar = c.reference - c.slack;
    it(`${c.file}: ${c.kind} test AUC at least ${bar.toFixed(3)} (reference ${c.reference} − ${c.slack})`, async () => {
      const data = await loadFixture(c.file, c.target);
      const y = targetFromColumn(data, c.target, c.bad);
      const x = withoutColumns(data, new Set([c.target]));
      const test = referenceSplits.files[c.file]!.test;
      // scikit-learn rounds the test share up.
      expect(test.length).toBe(Math.ceil(y.length * TEST_SHARE));
      const held = new Set(test);
      const train = [...y.keys()].filter((r) => !held.has(r));
      const model = trainModel(
        selectRows(x, train),
        Uint8Array.from(train, (r) => y[r]!),
        {
          kind: c.kind,
          target: { column: c.target, badValue: c.bad },
          excluded: [],
          seed: DEFAULT_TRAINING_SEED,
        },
      );
      const ours = auc(
        scoreModel(model, selectRows(x, test), 0).probabilityBad,
        Uint8Array.from(test, (r) => y[r]!),
      );
      console.info(
        `${c.file} ${c.kind} on the reference split: test AUC ${ours.toFixed(4)} (bar ${bar.toFixed(3)})`,
      );
      expect(ours).toBeGreaterThanOrEqual(bar);
    });
  }
});
