/**
 * Stratified k-fold cross-validation: folds that keep the bad rate, and the out-of-fold AUC of any training
 * recipe. Pure and seeded: the same target, k and seed give the same folds on every platform.
 */
import { counted } from '../money/index.js';
import { ScoringError } from './errors.js';
import { auc } from './metrics.js';
import { seededRandom } from './random.js';

/** Most folds a cross-validation may ask for. */
export const CV_FOLDS_MAX = 20;
/** Folds used by tuning when none are given. */
export const DEFAULT_CV_FOLDS = 5;

/**
 * Fold (0..k−1) of every row. Each class is shuffled by the seed and dealt round-robin, the bads continuing where
 * the goods stopped, so every fold holds within one row as many bads, as many goods and as many rows as any other.
 */
export function stratifiedFolds(target: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2 || k > CV_FOLDS_MAX)
    throw new ScoringError(
      'INVALID_OPTION',
      `cross-validation folds is ${k}; give a whole number in 2..${CV_FOLDS_MAX}`,
    );
  const n = target.length;
  let bads = 0;
  for (let i = 0; i < n; i++) bads += target[i] ? 1 : 0;
  if (bads < k || n - bads < k)
    throw new ScoringError(
      'INVALID_OPTION',
      `${k}-fold cross-validation needs at least ${k} bads and ${k} goods; the data has ${counted(bads, 'bad')} and ${counted(n - bads, 'good')}`,
    );
  const random = seededRandom(seed);
  const fold = new Int32Array(n);
  let dealt = 0;
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if ((target[i] ? 1 : 0) === cls) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
    }
    for (const r of rows) fold[r] = dealt++ % k;
  }
  return fold;
}

/** Training and held-out rows (ascending) of fold `f`. */
export function foldRows(folds: Int32Array, f: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.length; i++) (folds[i] === f ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

export interface CrossValidatedAuc {
  readonly folds: number;
  readonly seed: number;
  /** Held-out AUC of each fold, in fold order. */
  readonly foldAuc: number[];
  readonly meanAuc: number;
  /** Standard error of the mean fold AUC: sd of the fold AUCs / √k (folds share rows, so this is a rough guide). */
  readonly standardError: number;
  /** AUC of all out-of-fold predictions pooled. */
  readonly pooledAuc: number;
}

/** Summary of fold AUCs and pooled out-of-fold risk. */
export function summariseFolds(
  foldAuc: readonly number[],
  outOfFoldRisk: ArrayLike<number>,
  target: ArrayLike<number>,
  seed: number,
): CrossValidatedAuc {
  const k = foldAuc.length;
  const mean = foldAuc.reduce((a, b) => a + b, 0) / k;
  const sd = k > 1 ? Math.sqrt(foldAuc.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1)) : Number.NaN;
  return {
    folds: k,
    seed,
    foldAuc: [...foldAuc],
    meanAuc: mean,
    standardError: sd / Math.sqrt(k),
    pooledAuc: auc(outOfFoldRisk, target),
  };
}

/**
 * Cross-validated AUC of a recipe: `fitAndScore(train, test)` trains on the rows `train` and returns the risk
 * (probability of bad) of the rows `test`, in their order.
 */
export function crossValidate(
  target: Uint8Array,
  k: number,
  seed: number,
  fitAndScore: (train: Int32Array, test: Int32Array) => ArrayLike<number>,
): CrossValidatedAuc {
  const folds = stratifiedFolds(target, k, seed);
  const risk = new Float64Array(target.length);
  const foldAuc: number[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = foldRows(folds, f);
    const scored = fitAndScore(train, test);
    for (let i = 0; i < test.length; i++) risk[test[i]!] = scored[i]!;
    foldAuc.push(
      auc(
        scored,
        Uint8Array.from(test, (r) => target[r]!),
      ),
    );
  }
  return summariseFolds(foldAuc, risk, target, seed);
}

/**
 * A grid point must beat the first point (the defaults) by more than this many standard errors of the paired
 * fold differences to be chosen: with dozens of points, the best mean alone is mostly the luckiest one.
 */
export const TUNING_GAIN_STANDARD_ERRORS = 2;

/** Mean and standard error of the fold-by-fold differences a − b (the same folds for both). */
export function pairedGain(
  a: readonly number[],
  b: readonly number[],
): { mean: number; standardError: number } {
  const k = a.length;
  const d = a.map((x, i) => x - b[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / k;
  const sd = k > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1)) : Number.NaN;
  return { mean, standardError: sd / Math.sqrt(k) };
}

/**
 * Index of the chosen grid point: the one with the highest mean fold AUC (ties to the earlier point) if it beats
 * point 0 by more than `TUNING_GAIN_STANDARD_ERRORS` paired standard errors, else point 0.
 */
export function chooseGridPoint(foldAuc: readonly (readonly number[])[]): {
  index: number;
  best: number;
  gain: { mean: number; standardError: number };
} {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  let best = 0;
  for (let s = 1; s < foldAuc.length; s++) if (mean(foldAuc[s]!) > mean(foldAuc[best]!) + 1e-12) best = s;
  const gain = pairedGain(foldAuc[best]!, foldAuc[0]!);
  const clear = best !== 0 && gain.mean > TUNING_GAIN_STANDARD_ERRORS * gain.standardError;
  return { index: clear ? best : 0, best, gain };
}
