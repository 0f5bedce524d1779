/**
 * The boosted challenger model: histogram gradient boosting for binary log-loss with exact TreeSHAP reason
 * codes. See docs/gbm.md.
 */
import { counted } from '../../money/index.js';
import type { Dataset, ReasonCode, Target } from '../dataset.js';
import { predictMargin, sigmoid, trainGbmMatrix } from './booster.js';
import { encodeColumns, learnEncodings, valueText } from './encoding.js';
import { GbmError } from './errors.js';
import { validateGbmModel } from './model.js';
import { TreeShapWorkspace, treeDepth, treeExpectedValue } from './treeshap.js';
import type { GbmExecution, GbmMatrixModel, GbmModelBody, GbmOptions, GbmTree } from './types.js';

export { binMatrix, binOf, findCuts, learnCuts, MISSING_BIN } from './binning.js';
export {
  crossValidateGbmMatrix,
  type FoldRounds,
  predictMargin,
  refitRounds,
  sigmoid,
  stratifiedFoldsOf,
  stratifiedSplit,
  THREADS_MAX,
  trainGbmMatrix,
} from './booster.js';
export { GbmError, type GbmErrorCode } from './errors.js';
export { buildHistogram, planHistogram, SerialHistograms } from './histogram.js';
export { validateGbmModel } from './model.js';
export { BINS_PER_FEATURE_MAX, GBM_DEFAULTS, resolveGbmOptions } from './options.js';
export { SeededRandom } from './random.js';
export {
  defaultThreadCount,
  PARALLEL_ROWS_MIN,
  THREAD_JOB_STALL_MAX_MS,
  TrainingThreadStalledError,
  TrainingThreads,
} from './threads.js';
export { findBestSplit, growTree, leafWeight, TreeWorkspace } from './tree.js';
export { TreeShapWorkspace, treeExpectedValue } from './treeshap.js';
export { GBM_GRID, GBM_TUNE_ROWS_MAX, type GbmSetting, type GbmTuning, tuneChallenger } from './tune.js';
export type {
  GbmExecution,
  GbmFeatureEncoding,
  GbmMatrixModel,
  GbmModelBody,
  GbmOptions,
  GbmTree,
  MonotoneDirection,
} from './types.js';
export { WasmHistograms } from './wasm-histogram.js';

/** Trains the challenger on every column of `data` (1 = bad in `target`). Same inputs and seed, same model. */
export function trainChallenger(
  data: Dataset,
  target: Target,
  options: Partial<GbmOptions>,
  seed: number,
  execution: GbmExecution = {},
): GbmModelBody {
  if (data.rowCount === 0 || data.columns.length === 0) {
    throw new GbmError(
      'GBM_EMPTY_DATA',
      `the data has ${counted(data.rowCount, 'row')} and ${counted(data.columns.length, 'column')}; give rows and feature columns`,
    );
  }
  const features = learnEncodings(data, target);
  const { columns } = encodeColumns(features, data);
  const fitted = trainGbmMatrix(
    columns,
    target,
    options,
    seed,
    features.map((f) => f.name),
    execution,
  );
  return {
    format: 'lendguard.gbm',
    formatVersion: 1,
    features,
    baseScore: fitted.baseScore,
    trees: fitted.trees,
    options: fitted.options,
    bestIteration: fitted.bestIteration,
    trainingLogLoss: fitted.trainingLogLoss,
    validationLogLoss: fitted.validationLogLoss,
    ...(fitted.foldBestRounds ? { foldBestRounds: fitted.foldBestRounds } : {}),
  };
}

/** SHAP values of every row: `values[row * featureCount + feature]`, plus the shared expected value. */
export interface ShapResult {
  readonly featureCount: number;
  readonly values: Float64Array;
  /** Base score plus each tree's cover-weighted mean: margin = expectedValue + Σ values of the row. */
  readonly expectedValue: number;
}

/** Exact TreeSHAP contributions (log-odds) of a model on raw numeric columns. */
export function shapValues(
  model: Pick<GbmMatrixModel, 'baseScore' | 'trees'>,
  columns: readonly Float64Array[],
): ShapResult {
  const featureCount = columns.length;
  const rowCount = featureCount === 0 ? 0 : columns[0]!.length;
  const trees: readonly GbmTree[] = model.trees;
  let deepest = 0;
  let expectedValue = model.baseScore;
  for (const tree of trees) {
    deepest = Math.max(deepest, treeDepth(tree));
    expectedValue += treeExpectedValue(tree);
  }
  const workspace = new TreeShapWorkspace(deepest);
  const values = new Float64Array(rowCount * featureCount);
  for (let r = 0; r < rowCount; r++) {
    const phi = values.subarray(r * featureCount, (r + 1) * featureCount);
    for (const tree of trees) workspace.explain(tree, columns, r, phi);
  }
  return { featureCount, values, expectedValue };
}

/**
 * Probability of bad for every row, and per row the `reasonCount` features that pushed it most towards bad
 * (largest positive TreeSHAP contribution first; features that pushed towards good are never reasons).
 * Columns are found by name; other columns and their order do not matter.
 */
export function scoreChallenger(
  model: GbmModelBody,
  data: Dataset,
  reasonCount: number,
): { probabilityBad: Float64Array; reasons: ReasonCode[][] } {
  validateGbmModel(model);
  if (!Number.isInteger(reasonCount) || reasonCount < 0) {
    throw new GbmError(
      'GBM_INVALID_OPTION',
      `reason count is ${reasonCount}; give a whole number of at least 0`,
    );
  }
  const { columns, sources } = encodeColumns(model.features, data);
  const margin = predictMargin(model, columns);
  const probabilityBad = new Float64Array(margin.length);
  for (let r = 0; r < margin.length; r++) probabilityBad[r] = sigmoid(margin[r]!);
  const reasons: ReasonCode[][] = [];
  if (reasonCount === 0) {
    for (let r = 0; r < margin.length; r++) reasons.push([]);
    return { probabilityBad, reasons };
  }
  const shap = shapValues(model, columns);
  const featureCount = shap.featureCount;
  const order = new Int32Array(featureCount);
  for (let r = 0; r < margin.length; r++) {
    const base = r * featureCount;
    for (let f = 0; f < featureCount; f++) order[f] = f;
    // Largest contribution first; equal contributions in feature order, so reasons are deterministic.
    order.sort((a, b) => shap.values[base + b]! - shap.values[base + a]! || a - b);
    const row: ReasonCode[] = [];
    for (let k = 0; k < featureCount && row.length < reasonCount; k++) {
      const f = order[k]!;
      const contribution = shap.values[base + f]!;
      if (!(contribution > 0)) break;
      row.push({ feature: model.features[f]!.name, value: valueText(sources[f]!, r), contribution });
    }
    reasons.push(row);
  }
  return { probabilityBad, reasons };
}
