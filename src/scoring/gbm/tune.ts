/**
 * Depth, learning rate and minimum child weight of the boosted model chosen by stratified k-fold CV on small
 * data; fixed defaults above `GBM_TUNE_ROWS_MAX` rows. See docs/gbm.md and decision 0130.
 */
import { chooseGridPoint, TUNING_GAIN_STANDARD_ERRORS } from '../cv.js';
import type { Dataset, Target } from '../dataset.js';
import { crossValidateGbmMatrix } from './booster.js';
import { encodeColumns, learnEncodings } from './encoding.js';
import { resolveGbmOptions } from './options.js';
import type { GbmExecution, GbmOptions } from './types.js';

/**
 * Above this many training rows the grid is not searched: the defaults hold (depth 3, learning rate 0.05, minimum
 * child weight 1), since large data gains little from the search and pays k · 12 boosted fits for it.
 */
export const GBM_TUNE_ROWS_MAX = 50_000;

/** The stated grid, each dimension's first value the default: 3 · 2 · 2 = 12 points. */
export const GBM_GRID = {
  maxDepth: [3, 2, 4],
  learningRate: [0.05, 0.1],
  minChildWeight: [1, 5],
} as const;

export interface GbmSetting {
  readonly maxDepth: number;
  readonly learningRate: number;
  readonly minChildWeight: number;
}

export interface GbmTuning {
  readonly method: string;
  readonly folds: number;
  readonly seed: number;
  /** False when the data was above `GBM_TUNE_ROWS_MAX` rows and the defaults were kept without a search. */
  readonly searched: boolean;
  readonly grid: typeof GBM_GRID;
  readonly chosen: GbmSetting;
  /** Every grid point searched, best first: mean held-out AUC at each fold's best round, and the best rounds. */
  readonly results: { setting: GbmSetting; meanAuc: number; meanBestRounds: number }[];
  readonly reasons: string[];
}

function text(s: GbmSetting): string {
  return `depth ${s.maxDepth}, learning rate ${s.learningRate}, min child weight ${s.minChildWeight}`;
}

/**
 * Chooses the grid point with the highest mean held-out AUC over `folds` stratified folds (seeded), each fold
 * early-stopped on its held-out rows. Options the caller fixed (in `fixed`) are not searched.
 */
export function tuneChallenger(
  data: Dataset,
  target: Target,
  options: Partial<GbmOptions>,
  fixed: ReadonlySet<keyof GbmSetting>,
  folds: number,
  seed: number,
  execution: GbmExecution = {},
): { options: Partial<GbmOptions>; tuning: GbmTuning } {
  const resolved = resolveGbmOptions(options);
  const dimension = <K extends keyof GbmSetting>(key: K): readonly GbmSetting[K][] =>
    fixed.has(key) ? [resolved[key]] : GBM_GRID[key];
  const defaults: GbmSetting = {
    maxDepth: resolved.maxDepth,
    learningRate: resolved.learningRate,
    minChildWeight: resolved.minChildWeight,
  };
  const tuned = (s: GbmSetting) => ({ ...options, ...s, cvFolds: folds });
  if (data.rowCount > GBM_TUNE_ROWS_MAX) {
    return {
      options: tuned(defaults),
      tuning: {
        method: 'none: above the size limit, fixed defaults; rounds by k-fold early stopping',
        folds,
        seed,
        searched: false,
        grid: GBM_GRID,
        chosen: defaults,
        results: [],
        reasons: [
          `${data.rowCount} rows is above ${GBM_TUNE_ROWS_MAX}: kept ${text(defaults)} without a search`,
        ],
      },
    };
  }
  const features = learnEncodings(data, target);
  const { columns } = encodeColumns(features, data);
  const names = features.map((f) => f.name);
  const results: GbmTuning['results'] = [];
  const foldAuc: number[][] = [];
  for (const maxDepth of dimension('maxDepth'))
    for (const learningRate of dimension('learningRate'))
      for (const minChildWeight of dimension('minChildWeight')) {
        const setting = { maxDepth, learningRate, minChildWeight };
        const cv = crossValidateGbmMatrix(columns, target, tuned(setting), folds, seed, names, execution);
        foldAuc.push(cv.foldAuc);
        results.push({
          setting,
          meanAuc: cv.foldAuc.reduce((a, b) => a + b, 0) / folds,
          meanBestRounds: cv.bestRounds.reduce((a, b) => a + b, 0) / folds,
        });
      }
  // The best mean AUC, but only if it clearly beats the defaults fold by fold (the folds are the same for all).
  const pick = chooseGridPoint(foldAuc);
  const chosen = results[pick.index]!;
  const top = results[pick.best]!;
  const first = results[0]!;
  const sorted = [...results].sort((a, b) => b.meanAuc - a.meanAuc);
  return {
    options: tuned(chosen.setting),
    tuning: {
      method:
        'stratified k-fold cross-validation with early stopping per fold; highest mean held-out AUC if it ' +
        'clearly beats the first grid point',
      folds,
      seed,
      searched: true,
      grid: GBM_GRID,
      chosen: chosen.setting,
      results: sorted,
      reasons: [
        `${folds}-fold stratified cross-validation (seed ${seed}) over ${results.length} settings, each fold ` +
          'early-stopped on its held-out rows; the highest mean held-out AUC is taken only if it beats the ' +
          `first grid point by more than ${TUNING_GAIN_STANDARD_ERRORS} standard errors of the fold-by-fold differences`,
        `best: ${text(top.setting)} — mean AUC ${top.meanAuc.toFixed(4)}, ${pick.gain.mean >= 0 ? '+' : ''}` +
          `${pick.gain.mean.toFixed(4)} ± ${pick.gain.standardError.toFixed(4)} over the first point`,
        `first grid point: ${text(first.setting)} — mean AUC ${first.meanAuc.toFixed(4)}, mean best round ${first.meanBestRounds.toFixed(1)}`,
        `chosen: ${text(chosen.setting)}${pick.index === 0 && pick.best !== 0 ? ' (the best did not beat the first point clearly)' : ''}`,
      ],
    },
  };
}
