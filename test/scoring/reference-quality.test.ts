import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SEED, type ModelKind, scoreModel, trainModel } from '../../src/scoring/artifact.js';
import { auc } from '../../src/scoring/metrics.js';
import { selectRows, targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

/**
 * Reference test AUCs on 20 seeded stratified 70/30 splits of each shared data set, computed once by
 * scripts/scoring-reference.py (scikit-learn 1.2.1 and xgboost 1.7.4 from Debian) and committed with the split's
 * test rows, so that this test compares on the very same rows without calling Python.
 */
interface ReferenceSplit {
  readonly seed: number;
  readonly testRows: string;
  readonly binnedLogistic: number;
  readonly xgboost: number;
  readonly xgboostSameParameters: number;
}
const reference = JSON.parse(readFileSync(new URL('./reference-quality.json', import.meta.url), 'utf8')) as {
  files: Record<string, { rows: number; splits: ReferenceSplit[] }>;
};

/** Test rows from the fixture's hex mask (4 rows per digit, most significant bit first). */
function testRowsOf(hex: string, rows: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) if ((Number.parseInt(hex[r >> 2]!, 16) >> (3 - (r & 3))) & 1) out.push(r);
  return out;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) =>
  Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));

/**
 * What each default model must reach: the mean test AUC over the 20 splits against the reference recipe's mean
 * (`slack` below it at most): the scorecard the reference − 0.005, the boosted model the reference itself.
 */
const CASES = [
  {
    file: 'german_credit.csv',
    target: 'Class',
    bad: 'Bad',
    kind: 'scorecard',
    against: 'binnedLogistic',
    slack: 0.005,
  },
  {
    file: 'credit_data.csv',
    target: 'Status',
    bad: 'bad',
    kind: 'scorecard',
    against: 'binnedLogistic',
    slack: 0.005,
  },
  { file: 'german_credit.csv', target: 'Class', bad: 'Bad', kind: 'gbm', against: 'xgboost', slack: 0 },
  { file: 'credit_data.csv', target: 'Status', bad: 'bad', kind: 'gbm', against: 'xgboost', slack: 0 },
] as const satisfies readonly {
  file: string;
  target: string;
  bad: string;
  kind: ModelKind;
  against: keyof Omit<ReferenceSplit, 'seed' | 'testRows'>;
  slack: number;
}[];

describe('default models against the reference recipes over 20 seeded 70/30 splits', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.kind} mean test AUC at least the ${c.against} reference's − ${c.slack}`, async () => {
      const data = await loadFixture(c.file, c.target);
      const y = targetFromColumn(data, c.target, c.bad);
      const x = withoutColumns(data, new Set([c.target]));
      const { rows, splits } = reference.files[c.file]!;
      expect(rows).toBe(y.length);
      expect(splits).toHaveLength(20);
      const ours: number[] = [];
      const theirs: number[] = [];
      for (const split of splits) {
        const test = testRowsOf(split.testRows, y.length);
        expect(test.length).toBe(Math.ceil(y.length * 0.3));
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
        ours.push(
          auc(
            scoreModel(model, selectRows(x, test), 0).probabilityBad,
            Uint8Array.from(test, (r) => y[r]!),
          ),
        );
        theirs.push(split[c.against]);
      }
      const gaps = ours.map((o, i) => o - theirs[i]!);
      console.info(
        `${c.file} ${c.kind}: mean test AUC ${mean(ours).toFixed(4)} (sd ${sd(ours).toFixed(4)}), ` +
          `${c.against} ${mean(theirs).toFixed(4)} (sd ${sd(theirs).toFixed(4)}), ` +
          `difference ${mean(gaps).toFixed(4)} (sd ${sd(gaps).toFixed(4)})`,
      );
      expect(mean(ours)).toBeGreaterThanOrEqual(mean(theirs) - c.slack);
    });
  }
});
