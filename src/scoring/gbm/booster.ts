import { type BinnedMatrix, binMatrix, learnCuts } from './binning.js';
import { GbmError, gbmAssert } from './errors.js';
import { type HistogramBuilder, SerialHistograms } from './histogram.js';
import { computeGradients } from './kernels.js';
import { resolveGbmOptions } from './options.js';
import { SeededRandom } from './random.js';
import { defaultThreadCount, TrainingThreads } from './threads.js';
import { type BinnedTree, type GrowSettings, growTree, routeBinned, TreeWorkspace } from './tree.js';
import type { GbmExecution, GbmMatrixModel, GbmOptions, GbmTree } from './types.js';
import { WasmHistograms } from './wasm-histogram.js';

/** Most threads a training may ask for. */
export const THREADS_MAX = 256;

/** Hessian floor per row: keeps covers and leaf weights finite when probabilities saturate. */
export const ROW_HESSIAN_MIN = 1e-16;
/** Probabilities are kept this far from 0 and 1 inside log-loss and the starting score. */
export const PROBABILITY_EPSILON = 1e-15;
/** A validation log-loss must improve by more than this to count as better (guards rounding noise). */
export const EARLY_STOP_TOLERANCE = 1e-12;
/** Bad rate of the starting score is kept inside [this, 1 - this]. */
const BASE_RATE_MIN = 1e-6;

export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}

function logLoss(y: Uint8Array, margin: Float64Array, rows: Uint32Array): number {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const p = Math.min(Math.max(sigmoid(margin[r]!), PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
    total -= y[r] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return rows.length === 0 ? 0 : total / rows.length;
}

/** Stratified, seeded split of row indices: roughly `share` of each class goes to validation. */
export function stratifiedSplit(
  y: Uint8Array,
  share: number,
  random: SeededRandom,
): { train: Uint32Array; validation: Uint32Array } {
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let r = 0; r < y.length; r++) if (y[r] === label) members.push(r);
    const shuffled = Uint32Array.from(members);
    random.shuffle(shuffled);
    const held = Math.round(shuffled.length * share);
    for (let i = 0; i < shuffled.length; i++) (i < held ? validation : train).push(shuffled[i]!);
  }
  return {
    train: Uint32Array.from(train).sort(),
    validation: Uint32Array.from(validation).sort(),
  };
}

interface BoostRun {
  readonly trees: BinnedTree[];
  readonly baseScore: number;
  /** After every round with `trainingLossEachRound`, else only after the last. */
  readonly trainingLogLoss: number[];
  readonly validationLogLoss: number[];
  /** Rounds that gave the best validation log-loss (all rounds without validation). */
  readonly bestRounds: number;
}

/** Boosts up to `rounds` trees on the training rows, scoring the validation rows after each round. */
function boost(
  matrix: BinnedMatrix,
  y: Uint8Array,
  trainRows: Uint32Array,
  validationRows: Uint32Array | null,
  rounds: number,
  options: GbmOptions,
  settings: GrowSettings,
  random: SeededRandom,
  threads: number,
): BoostRun {
  let bad = 0;
  for (let i = 0; i < trainRows.length; i++) bad += y[trainRows[i]!]!;
  const rate = Math.min(Math.max(bad / trainRows.length, BASE_RATE_MIN), 1 - BASE_RATE_MIN);
  const baseScore = Math.log(rate / (1 - rate));
  const n = matrix.rowCount;
  // Margins, gradients (with the hessian beside each), labels and rows live in memory shared with threads.
  const margin = new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT)).fill(baseScore);
  // On one thread the histograms are built by the WebAssembly loop, which reads the gradients in its memory.
  const wasm = threads <= 1 ? WasmHistograms.forMatrix(matrix) : null;
  const gradHess =
    wasm?.gradHess ?? new Float64Array(new SharedArrayBuffer(2 * n * Float64Array.BYTES_PER_ELEMENT));
  const workspace = new TreeWorkspace(trainRows.length, matrix.histogramSlots);
  const sharedY = new Uint8Array(new SharedArrayBuffer(n));
  sharedY.set(y);
  const sharedTrainRows = new Uint32Array(
    new SharedArrayBuffer(trainRows.length * Uint32Array.BYTES_PER_ELEMENT),
  );
  sharedTrainRows.set(trainRows);
  const pool = wasm
    ? null
    : TrainingThreads.start(
        {
          matrix,
          gradHess,
          rows: workspace.rows,
          margin,
          y: sharedY,
          trainRows: sharedTrainRows,
          hessianMin: ROW_HESSIAN_MIN,
        },
        threads,
      );
  const histograms: HistogramBuilder = pool ?? wasm ?? new SerialHistograms(matrix);
  try {
    const featureCount = matrix.featureCount;
    const allFeatures = new Int32Array(featureCount);
    for (let f = 0; f < featureCount; f++) allFeatures[f] = f;
    const featuresPerTree = Math.max(1, Math.round(options.colsampleByTree * featureCount));
    const trees: BinnedTree[] = [];
    const trainingLogLoss: number[] = [];
    const validationLogLoss: number[] = [];
    let bestLoss = Infinity;
    let bestRounds = 0;
    for (let round = 0; round < rounds; round++) {
      if (options.trainingLossEachRound) {
        // Gradients of the current margins, and on the way the log-loss the previous round left behind.
        let loss = 0;
        for (let i = 0; i < trainRows.length; i++) {
          const r = trainRows[i]!;
          const p = 1 / (1 + Math.exp(-margin[r]!));
          const label = y[r]!;
          gradHess[2 * r] = p - label;
          gradHess[2 * r + 1] = Math.max(p * (1 - p), ROW_HESSIAN_MIN);
          loss -= Math.log(
            Math.min(Math.max(label === 1 ? p : 1 - p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON),
          );
        }
        if (round > 0) trainingLogLoss.push(loss / trainRows.length);
      } else if (pool) pool.gradients();
      else computeGradients(gradHess, margin, y, trainRows, 0, trainRows.length, ROW_HESSIAN_MIN);
      let sampled = 0;
      if (options.subsample < 1) {
        for (let i = 0; i < trainRows.length; i++) {
          if (random.next() < options.subsample) workspace.rows[sampled++] = trainRows[i]!;
        }
      }
      if (sampled === 0) {
        workspace.rows.set(trainRows);
        sampled = trainRows.length;
      }
      let features = allFeatures;
      if (featuresPerTree < featureCount) {
        const order = Int32Array.from(allFeatures);
        for (let i = 0; i < featuresPerTree; i++) {
          const j = i + random.below(featureCount - i);
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
        features = order.subarray(0, featuresPerTree).sort();
      }
      const tree = growTree(matrix, gradHess, workspace, sampled, features, settings, histograms);
      trees.push(tree);
      if (sampled === trainRows.length) {
        // Every training row grew the tree, so each leaf already knows its rows: no need to route them again.
        const rows = workspace.rows;
        for (const leaf of tree.leaves) {
          const value = tree.value[leaf.node]!;
          for (let i = leaf.start; i < leaf.end; i++) margin[rows[i]!]! += value;
        }
      } else applyTree(tree, matrix, margin, trainRows);
      if (validationRows) {
        applyTree(tree, matrix, margin, validationRows);
        const loss = logLoss(y, margin, validationRows);
        validationLogLoss.push(loss);
        if (loss < bestLoss - EARLY_STOP_TOLERANCE) {
          bestLoss = loss;
          bestRounds = round + 1;
        } else if (options.earlyStoppingRounds > 0 && round + 1 - bestRounds >= options.earlyStoppingRounds)
          break;
      } else bestRounds = round + 1;
    }
    trainingLogLoss.push(logLoss(y, margin, trainRows));
    return { trees, baseScore, trainingLogLoss, validationLogLoss, bestRounds: Math.max(1, bestRounds) };
  } finally {
    pool?.close();
  }
}

function applyTree(tree: BinnedTree, matrix: BinnedMatrix, margin: Float64Array, rows: Uint32Array): void {
  const { codes, rowStride } = matrix;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    margin[r]! += tree.value[routeBinned(tree, codes, r * rowStride)]!;
  }
}

/** Log-loss of the first trees of a run on some rows of the matrix. */
function trainingLossOf(
  trees: readonly BinnedTree[],
  baseScore: number,
  matrix: BinnedMatrix,
  y: Uint8Array,
  rows: Uint32Array,
): number {
  const margin = new Float64Array(matrix.rowCount).fill(baseScore);
  for (const tree of trees) applyTree(tree, matrix, margin, rows);
  return logLoss(y, margin, rows);
}

/** Turns bin thresholds into value thresholds so that the model scores raw values without the bins. */
function toValueTree(tree: BinnedTree, cuts: readonly Float64Array[]): GbmTree {
  const threshold = tree.feature.map((f, node) => {
    if (f < 0) return 0;
    const featureCuts = cuts[f]!;
    const bin = tree.binThreshold[node]!;
    // All value bins on the left: every finite value goes left, missing goes right.
    return bin > featureCuts.length ? Number.MAX_VALUE : featureCuts[bin - 1]!;
  });
  return {
    feature: tree.feature.slice(),
    threshold,
    defaultLeft: tree.defaultLeft.slice(),
    left: tree.left.slice(),
    right: tree.right.slice(),
    value: tree.value.slice(),
    cover: tree.cover.slice(),
  };
}

/** Threads to train with: the number asked for, or one per core for 0 or none. */
function resolveThreads(execution: GbmExecution): number {
  const asked = execution.nthread ?? 0;
  if (!Number.isInteger(asked) || asked < 0 || asked > THREADS_MAX) {
    throw new GbmError(
      'GBM_INVALID_OPTION',
      `nthread is ${asked}; give a whole number in [0, ${THREADS_MAX}] (0 = one per core)`,
    );
  }
  return asked === 0 ? defaultThreadCount() : asked;
}

/** Rounds kept when refitting on all rows after early stopping chose `bestRounds` on the training share. */
export function refitRounds(bestRounds: number, validationShare: number, maxRounds: number): number {
  return Math.min(maxRounds, Math.max(1, Math.round(bestRounds / (1 - validationShare))));
}

/**
 * Trains histogram gradient boosting for binary log-loss on numeric columns (NaN = missing).
 * `featureNames` name the columns for monotone constraints and for the model (default f0, f1, …).
 */
export function trainGbmMatrix(
  columns: readonly Float64Array[],
  y: Uint8Array,
  partialOptions: Partial<GbmOptions>,
  seed: number,
  featureNames?: readonly string[],
  execution: GbmExecution = {},
): GbmMatrixModel {
  const options = resolveGbmOptions(partialOptions);
  const threads = resolveThreads(execution);
  const names = featureNames ?? columns.map((_, i) => `f${i}`);
  if (names.length !== columns.length) {
    throw new GbmError(
      'GBM_INVALID_OPTION',
      `${names.length} feature names for ${columns.length} columns; give one name per column`,
    );
  }
  if (columns.length === 0) throw new GbmError('GBM_EMPTY_DATA', 'no feature columns; give at least one');
  const n = y.length;
  for (const [i, column] of columns.entries()) {
    if (column.length !== n) {
      throw new GbmError(
        'GBM_INVALID_TARGET',
        `column ${names[i]} has ${column.length} rows but the target has ${n}; give one target per row`,
      );
    }
  }
  let bad = 0;
  for (let r = 0; r < n; r++) {
    const label = y[r]!;
    if (label !== 0 && label !== 1) {
      throw new GbmError(
        'GBM_INVALID_TARGET',
        `target of row ${r} is ${label}; give 1 for bad and 0 for good`,
      );
    }
    bad += label;
  }
  if (bad === 0 || bad === n) {
    throw new GbmError(
      'GBM_INVALID_TARGET',
      `the target has ${bad} bad rows of ${n}; training needs both good and bad rows`,
    );
  }
  for (const name of Object.keys(options.monotone)) {
    if (!names.includes(name)) {
      throw new GbmError(
        'GBM_INVALID_OPTION',
        `monotone constraint names ${name}, which is not a feature; use one of the feature names`,
      );
    }
  }
  const monotone = new Int8Array(names.map((name) => options.monotone[name] ?? 0));
  const settings: GrowSettings = {
    maxDepth: options.maxDepth,
    maxLeaves: options.maxLeaves,
    l2: options.l2,
    minChildWeight: options.minChildWeight,
    minSplitGain: options.minSplitGain,
    learningRate: options.learningRate,
    monotone,
  };
  const cuts = learnCuts(columns, options.maxBins);
  const matrix = binMatrix(columns, cuts);
  const random = new SeededRandom(seed);
  const allRows = new Uint32Array(n);
  for (let r = 0; r < n; r++) allRows[r] = r;
  let run: BoostRun;
  let validationLogLoss: number[] = [];
  let foldBestRounds: number[] | undefined;
  const cvFolds = options.cvFolds ?? 0;
  if (options.earlyStoppingRounds > 0 && cvFolds >= 2) {
    const cv = crossValidateRounds(matrix, y, cvFolds, options, settings, random, threads);
    foldBestRounds = cv.bestRounds;
    validationLogLoss = cv.meanValidationLogLoss;
    const meanBest = cv.bestRounds.reduce((a, b) => a + b, 0) / cvFolds;
    // Each fold trained on (k − 1) / k of the rows: scale the round count up to all rows, as the refit does.
    const rounds = refitRounds(meanBest, 1 / cvFolds, options.trees);
    run = boost(matrix, y, allRows, null, rounds, options, settings, random, threads);
  } else if (options.earlyStoppingRounds > 0) {
    const split = stratifiedSplit(y, options.validationShare, random);
    if (split.validation.length === 0 || split.train.length === 0) {
      throw new GbmError(
        'GBM_EMPTY_DATA',
        `too few rows (${n}) to hold out ${options.validationShare} for early stopping; give more rows or set earlyStoppingRounds to 0`,
      );
    }
    const stopped = boost(
      matrix,
      y,
      split.train,
      split.validation,
      options.trees,
      options,
      settings,
      random,
      threads,
    );
    validationLogLoss = stopped.validationLogLoss;
    if (options.refit) {
      const rounds = refitRounds(stopped.bestRounds, options.validationShare, options.trees);
      run = boost(matrix, y, allRows, null, rounds, options, settings, random, threads);
    } else {
      const trees = stopped.trees.slice(0, stopped.bestRounds);
      const trainingLogLoss = options.trainingLossEachRound
        ? stopped.trainingLogLoss.slice(0, stopped.bestRounds)
        : [trainingLossOf(trees, stopped.baseScore, matrix, y, split.train)];
      run = { ...stopped, trees, trainingLogLoss };
    }
  } else run = boost(matrix, y, allRows, null, options.trees, options, settings, random, threads);
  const trees = run.trees.map((tree) => toValueTree(tree, cuts));
  gbmAssert(trees.length >= 1, 'at least one tree is kept');
  return {
    featureNames: names.slice(),
    baseScore: run.baseScore,
    trees,
    bestIteration: trees.length,
    trainingLogLoss: run.trainingLogLoss,
    validationLogLoss,
    options,
    ...(foldBestRounds ? { foldBestRounds } : {}),
  };
}

/** Stratified, seeded fold (0..k−1) of every row, dealt round-robin per class after a shuffle. */
export function stratifiedFoldsOf(y: Uint8Array, k: number, random: SeededRandom): Int32Array {
  const fold = new Int32Array(y.length);
  let dealt = 0;
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let r = 0; r < y.length; r++) if (y[r] === label) members.push(r);
    const shuffled = Uint32Array.from(members);
    random.shuffle(shuffled);
    for (const r of shuffled) fold[r] = dealt++ % k;
  }
  return fold;
}

export interface FoldRounds {
  /** Rounds with the best held-out log-loss, per fold. */
  readonly bestRounds: number[];
  /** Held-out AUC of each fold's model cut at its best round. */
  readonly foldAuc: number[];
  /** Mean held-out log-loss per round over the folds, as long as every fold ran. */
  readonly meanValidationLogLoss: number[];
}

/**
 * k-fold early stopping: boosts on k − 1 folds and watches the held-out fold, for each fold in turn, all from
 * one seeded stream (so the result does not depend on the thread count).
 */
function crossValidateRounds(
  matrix: BinnedMatrix,
  y: Uint8Array,
  k: number,
  options: GbmOptions,
  settings: GrowSettings,
  random: SeededRandom,
  threads: number,
): FoldRounds {
  const fold = stratifiedFoldsOf(y, k, random);
  const bestRounds: number[] = [];
  const foldAuc: number[] = [];
  const curves: number[][] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const held: number[] = [];
    for (let r = 0; r < y.length; r++) (fold[r] === f ? held : train).push(r);
    if (held.length === 0 || train.length === 0) {
      throw new GbmError(
        'GBM_EMPTY_DATA',
        `too few rows (${y.length}) for ${k}-fold early stopping; give more rows or fewer folds`,
      );
    }
    const heldRows = Uint32Array.from(held);
    const run = boost(
      matrix,
      y,
      Uint32Array.from(train),
      heldRows,
      options.trees,
      options,
      settings,
      random,
      threads,
    );
    bestRounds.push(run.bestRounds);
    curves.push(run.validationLogLoss);
    const margin = new Float64Array(matrix.rowCount).fill(run.baseScore);
    for (const tree of run.trees.slice(0, run.bestRounds)) applyTree(tree, matrix, margin, heldRows);
    foldAuc.push(heldOutAuc(margin, y, heldRows));
  }
  const shortest = Math.min(...curves.map((c) => c.length));
  const meanValidationLogLoss: number[] = [];
  for (let round = 0; round < shortest; round++)
    meanValidationLogLoss.push(curves.reduce((a, c) => a + c[round]!, 0) / k);
  return { bestRounds, foldAuc, meanValidationLogLoss };
}

/** AUC (ties half) of the margins of some rows. */
function heldOutAuc(margin: Float64Array, y: Uint8Array, rows: Uint32Array): number {
  const order = Array.from(rows).sort((a, b) => margin[a]! - margin[b]!);
  let bads = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && margin[order[j + 1]!]! === margin[order[i]!]!) j++;
    const mid = (i + j + 2) / 2;
    for (let t = i; t <= j; t++) {
      if (y[order[t]!] === 1) {
        bads++;
        rankSum += mid;
      }
    }
    i = j + 1;
  }
  const goods = order.length - bads;
  return bads && goods ? (rankSum - (bads * (bads + 1)) / 2) / (bads * goods) : Number.NaN;
}

/**
 * Cross-validated round count and held-out AUC of one set of options on numeric columns: what the tuning grid
 * compares. Same inputs and seed, same result.
 */
export function crossValidateGbmMatrix(
  columns: readonly Float64Array[],
  y: Uint8Array,
  partialOptions: Partial<GbmOptions>,
  folds: number,
  seed: number,
  featureNames: readonly string[],
  execution: GbmExecution = {},
): FoldRounds {
  const options = resolveGbmOptions({ ...partialOptions, cvFolds: folds });
  if (options.earlyStoppingRounds === 0) {
    throw new GbmError('GBM_INVALID_OPTION', 'cross-validated early stopping needs earlyStoppingRounds > 0');
  }
  const threads = resolveThreads(execution);
  const monotone = new Int8Array(featureNames.map((name) => options.monotone[name] ?? 0));
  const settings: GrowSettings = {
    maxDepth: options.maxDepth,
    maxLeaves: options.maxLeaves,
    l2: options.l2,
    minChildWeight: options.minChildWeight,
    minSplitGain: options.minSplitGain,
    learningRate: options.learningRate,
    monotone,
  };
  const matrix = binMatrix(columns, learnCuts(columns, options.maxBins));
  return crossValidateRounds(matrix, y, folds, options, settings, new SeededRandom(seed), threads);
}

/** Sum of the trees plus the base score (log-odds of bad) for each row of raw numeric columns. */
export function predictMargin(
  model: Pick<GbmMatrixModel, 'baseScore' | 'trees'>,
  columns: readonly Float64Array[],
): Float64Array {
  const n = columns.length === 0 ? 0 : columns[0]!.length;
  const margin = new Float64Array(n).fill(model.baseScore);
  for (const tree of model.trees) {
    const { feature, threshold, defaultLeft, left, right, value } = tree;
    for (let r = 0; r < n; r++) {
      let node = 0;
      while (left[node]! >= 0) {
        const v = columns[feature[node]!]![r]!;
        const goLeft = Number.isNaN(v) ? defaultLeft[node]! : v <= threshold[node]!;
        node = goLeft ? left[node]! : right[node]!;
      }
      margin[r]! += value[node]!;
    }
  }
  return margin;
}
