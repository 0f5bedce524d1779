/**
 * Bin refinement of a WoE scorecard: after selection, the logistic regression is refitted with, besides one
 * coefficient per feature on its WoE, a log-odds adjustment per bin held near zero by an L2 penalty. A bin's
 * contribution to the log-odds is coefficient · WoE + adjustment, so a card can weigh a bin of one feature against
 * a bin of another where the single coefficient cannot (a bin of `Price` given `Amount`), while the penalty keeps
 * every bin close to the WoE line unless the data clearly says otherwise. The penalty is chosen by stratified
 * k-fold cross-validation (held-out deviance) on small data, fixed above a stated size (decision 0530).
 *
 * The design matrix is never built: every column (intercept, WoE columns, bin indicators) is a function of the
 * rows' bins, so the information matrix is assembled from the weighted counts of bin pairs — O(rows · features²)
 * per Newton step whatever the number of bins.
 */
import { foldRows, stratifiedFolds } from './cv.js';
import { cholesky, choleskyInverse, choleskySolve } from './linalg.js';

export interface RefineOptions {
  /** Penalties tried (deviance + l2 · Σ adjustment²); an empty list turns refinement off. */
  readonly l2Grid: readonly number[];
  /** Folds of the cross-validation that chooses the penalty. */
  readonly folds: number;
  /** Above this many training rows the penalty is `l2Large` without a search. */
  readonly searchRowsMax: number;
  readonly l2Large: number;
  /** Smallest deviance gain, per row, the refinement must show over the plain card to be kept. */
  readonly gainPerRowMin: number;
}

export const DEFAULT_REFINE_OPTIONS: RefineOptions = {
  l2Grid: [3, 10, 30, 100],
  folds: 5,
  searchRowsMax: 50_000,
  l2Large: 30,
  gainPerRowMin: 0,
};

/** One feature as the refinement sees it: each row's bin and each bin's WoE. */
export interface RefineFeature {
  readonly bins: Int32Array;
  readonly woe: readonly number[];
  /**
   * Bins (indices, in order) whose contributions must follow the binning's trend, and its direction: 1 when the
   * bad rate rises along them (contributions non-decreasing), −1 when it falls, 0 for no constraint (peak, valley
   * or none). Missing and special bins are free.
   */
  readonly ordered: readonly number[];
  readonly direction: 1 | -1 | 0;
}

export interface RefinedFit {
  readonly intercept: number;
  readonly coefficients: number[];
  /** Per feature, per bin: the log-odds adjustment added to coefficient · WoE. */
  readonly adjustments: number[][];
  /** Standard errors of intercept and coefficients from the penalised information matrix. */
  readonly standardErrors: number[];
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface RefinementRecord {
  readonly method: string;
  /** The penalty used; null when the plain card (no adjustments) was kept. */
  readonly l2: number | null;
  readonly folds: number | null;
  readonly seed: number | null;
  /** Mean held-out deviance per row of each penalty tried (null = the plain card), in grid order. */
  readonly results: { l2: number | null; heldOutDeviancePerRow: number }[];
  readonly reason: string;
}

const ITERATIONS_MAX = 50;
const TOLERANCE = 1e-10;
/** Looser for the folds' fits, which only compare penalties by held-out deviance. */
const TOLERANCE_FOLDS = 1e-8;

/**
 * Penalised Newton fit of intercept, one coefficient per feature and per-bin adjustments (penalty `l2`, or none at
 * all with `l2 === null`: then only intercept and coefficients are fitted). Rows are given by `rows` (all when
 * undefined). Starts from `start` (intercept, coefficients).
 */
export function fitRefined(
  features: readonly RefineFeature[],
  y: Uint8Array,
  l2: number | null,
  start: { intercept: number; coefficients: readonly number[] },
  rows?: Int32Array,
  hessianOnce = false,
  shared?: { hessian?: Float64Array },
): RefinedFit {
  const p = features.length;
  const offsets: number[] = [];
  let total = 0;
  for (const f of features) {
    offsets.push(total);
    total += f.woe.length;
  }
  const withBins = l2 !== null;
  const q = 1 + p + (withBins ? total : 0);
  const n = rows ? rows.length : y.length;
  const rowAt = (k: number) => (rows ? rows[k]! : k);
  // Global bin index of each (row, feature), row-major.
  const g = new Int32Array(n * p);
  for (let k = 0; k < n; k++) {
    const r = rowAt(k);
    for (let j = 0; j < p; j++) g[k * p + j] = offsets[j]! + features[j]!.bins[r]!;
  }
  const woeOf = new Float64Array(total);
  const featureOf = new Int32Array(total);
  features.forEach((f, j) => {
    f.woe.forEach((w, b) => {
      woeOf[offsets[j]! + b] = w;
      featureOf[offsets[j]! + b] = j;
    });
  });
  const theta = new Float64Array(q);
  theta[0] = start.intercept;
  for (let j = 0; j < p; j++) theta[1 + j] = start.coefficients[j]!;
  // Contribution of each global bin under theta.
  const contribution = (t: Float64Array, out: Float64Array) => {
    for (let b = 0; b < total; b++)
      out[b] = t[1 + featureOf[b]!]! * woeOf[b]! + (withBins ? t[1 + p + b]! : 0);
  };
  const binValue = new Float64Array(total);
  const eta = new Float64Array(n);
  const computeEta = (t: Float64Array) => {
    contribution(t, binValue);
    for (let k = 0; k < n; k++) {
      let e = t[0]!;
      for (let j = 0; j < p; j++) e += binValue[g[k * p + j]!]!;
      eta[k] = e;
    }
  };
  const penalty = (t: Float64Array) => {
    if (!withBins) return 0;
    let s = 0;
    for (let b = 0; b < total; b++) s += t[1 + p + b]! ** 2;
    return l2 * s;
  };
  const deviance = () => {
    let d = 0;
    for (let k = 0; k < n; k++) {
      const e = eta[k]!;
      // −2 log-likelihood, stable for large |eta|.
      const soft = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
      d += 2 * (soft - (y[rowAt(k)]! ? e : 0));
    }
    return d;
  };
  computeEta(theta);
  let objective = deviance() + penalty(theta);
  const pairs = new Float64Array(total * total);
  const binWeight = new Float64Array(total);
  const binResidual = new Float64Array(total);
  const hessian = new Float64Array(q * q);
  const gradient = new Float64Array(q);
  let converged = false;
  let iterations = 0;
  let factor: Float64Array | undefined;
  const trial = new Float64Array(q);
  for (iterations = 1; iterations <= ITERATIONS_MAX; iterations++) {
    // With `hessianOnce`, the information matrix of the first step serves every later one (only the gradient is
    // recomputed): slower convergence per step, but each step is O(rows · features) instead of O(rows · features²).
    // The fits of one fold start from the same point, so with `hessianOnce` they share that point's matrix
    // (before the penalty, which is each fit's own): it is counted from the rows once per fold.
    const reuse = hessianOnce && iterations === 1 && withBins && shared?.hessian !== undefined;
    const rebuild = (!hessianOnce || iterations === 1) && !reuse;
    if (rebuild) {
      pairs.fill(0);
      binWeight.fill(0);
    }
    binResidual.fill(0);
    let sumW = 0;
    let sumR = 0;
    for (let k = 0; k < n; k++) {
      const mu = 1 / (1 + Math.exp(-eta[k]!));
      const r = y[rowAt(k)]! - mu;
      sumR += r;
      const base = k * p;
      if (!rebuild) {
        for (let j = 0; j < p; j++) binResidual[g[base + j]!]! += r;
        continue;
      }
      const w = mu * (1 - mu);
      sumW += w;
      for (let j = 0; j < p; j++) {
        const a = g[base + j]!;
        binWeight[a]! += w;
        binResidual[a]! += r;
        const rowOffset = a * total;
        for (let l = 0; l < j; l++) pairs[rowOffset + g[base + l]!]! += w;
      }
    }
    gradient.fill(0);
    gradient[0] = sumR;
    for (let a = 0; a < total; a++) {
      const ra = binResidual[a]!;
      if (ra === 0) continue;
      gradient[1 + featureOf[a]!]! += ra * woeOf[a]!;
      if (withBins) gradient[1 + p + a]! += ra;
    }
    if (withBins) for (let b = 0; b < total; b++) gradient[1 + p + b]! -= l2 * theta[1 + p + b]!;
    if (reuse) {
      hessian.set(shared!.hessian!);
      for (let b = 0; b < total; b++) hessian[(1 + p + b) * q + 1 + p + b]! += l2!;
      factor = cholesky(hessian, q);
    }
    if (rebuild) {
      // Each global bin's design vector: WoE in its feature's column, 1 in its own column (with bins), so each
      // weighted count of a bin or a pair of bins adds to at most four cells (twice for the mirror image).
      hessian.fill(0);
      hessian[0] = sumW;
      for (let a = 0; a < total; a++) {
        const wa = binWeight[a]!;
        if (wa === 0) continue;
        const ca = 1 + featureOf[a]!;
        const va = woeOf[a]!;
        hessian[ca]! += wa * va;
        hessian[ca * q]! += wa * va;
        hessian[ca * q + ca]! += wa * va * va;
        if (withBins) {
          const ba = 1 + p + a;
          hessian[ba]! += wa;
          hessian[ba * q]! += wa;
          hessian[ba * q + ba]! += wa;
          hessian[ca * q + ba]! += wa * va;
          hessian[ba * q + ca]! += wa * va;
        }
      }
      // Pairs of bins of different features (pairs[a·total + b] holds the pair once, b of an earlier feature).
      for (let a = 0; a < total; a++) {
        const rowOffset = a * total;
        const ca = 1 + featureOf[a]!;
        const va = woeOf[a]!;
        const ba = 1 + p + a;
        for (let b = 0; b < total; b++) {
          const w = pairs[rowOffset + b]!;
          if (w === 0) continue;
          const cb = 1 + featureOf[b]!;
          const vb = woeOf[b]!;
          const wvv = w * va * vb;
          hessian[ca * q + cb]! += wvv;
          hessian[cb * q + ca]! += wvv;
          if (withBins) {
            const bb = 1 + p + b;
            hessian[ba * q + bb]! += w;
            hessian[bb * q + ba]! += w;
            hessian[ca * q + bb]! += w * va;
            hessian[bb * q + ca]! += w * va;
            hessian[ba * q + cb]! += w * vb;
            hessian[cb * q + ba]! += w * vb;
          }
        }
      }
      if (hessianOnce && withBins && shared) shared.hessian = Float64Array.from(hessian);
      if (withBins)
        for (let b = 0; b < total; b++) {
          const c = 1 + p + b;
          hessian[c * q + c]! += l2;
        }
      factor = cholesky(hessian, q);
    }
    if (!factor) break;
    const step = choleskySolve(factor, q, gradient);
    let scale = 1;
    let accepted = false;
    let newObjective = objective;
    for (let h = 0; h < 30; h++) {
      for (let c = 0; c < q; c++) trial[c] = theta[c]! + scale * step[c]!;
      computeEta(trial);
      newObjective = deviance() + penalty(trial);
      if (newObjective <= objective + 1e-12 * Math.abs(objective)) {
        accepted = true;
        break;
      }
      scale /= 2;
    }
    if (!accepted) {
      computeEta(theta);
      converged = true;
      break;
    }
    theta.set(trial);
    const change = Math.abs(objective - newObjective) / (Math.abs(newObjective) + 0.1);
    objective = newObjective;
    if (change < (hessianOnce ? TOLERANCE_FOLDS : TOLERANCE)) {
      converged = true;
      break;
    }
  }
  // Standard errors only for a fit that is kept (the folds' fits are compared by deviance alone).
  const inverse = factor && !hessianOnce ? choleskyInverse(factor, q) : undefined;
  const standardErrors = Array.from({ length: 1 + p }, (_, c) =>
    inverse ? Math.sqrt(Math.max(0, inverse[c * q + c]!)) : Number.NaN,
  );
  return {
    intercept: theta[0]!,
    coefficients: Array.from(theta.subarray(1, 1 + p)),
    adjustments: features.map((f, j) =>
      f.woe.map((_, b) => (withBins ? theta[1 + p + offsets[j]! + b]! : 0)),
    ),
    standardErrors,
    deviance: deviance(),
    iterations: Math.min(iterations, ITERATIONS_MAX),
    converged,
  };
}

/**
 * Keeps every feature's points running the way of its binning's trend: where the refined contributions
 * (coefficient · WoE + adjustment) of the ordered bins break it, adjacent violators are pooled to their row-weighted
 * mean (isotonic regression), and the adjustments are set to match. The row-weighted mean contribution of each
 * feature is unchanged, so the intercept still fits.
 */
export function keepTrend(
  features: readonly RefineFeature[],
  fit: RefinedFit,
  y: Uint8Array,
  rows?: Int32Array,
): RefinedFit {
  const adjustments = fit.adjustments.map((a, j) => {
    const f = features[j]!;
    if (f.direction === 0 || f.ordered.length < 2) return a;
    const counts = new Float64Array(f.woe.length);
    if (rows) for (const r of rows) counts[f.bins[r]!]!++;
    else for (let r = 0; r < y.length; r++) counts[f.bins[r]!]!++;
    const value = (b: number) => f.direction * (fit.coefficients[j]! * f.woe[b]! + a[b]!);
    // Pool adjacent violators over the ordered bins, on direction-signed values (so the aim is non-decreasing).
    const blocks: { sum: number; weight: number; members: number[] }[] = [];
    for (const b of f.ordered) {
      const w = Math.max(counts[b]!, 1e-9);
      blocks.push({ sum: value(b) * w, weight: w, members: [b] });
      while (blocks.length > 1) {
        const last = blocks[blocks.length - 1]!;
        const prev = blocks[blocks.length - 2]!;
        if (prev.sum / prev.weight <= last.sum / last.weight) break;
        prev.sum += last.sum;
        prev.weight += last.weight;
        prev.members.push(...last.members);
        blocks.pop();
      }
    }
    const out = [...a];
    for (const block of blocks) {
      if (block.members.length === 1) continue;
      const pooled = (f.direction * block.sum) / block.weight;
      for (const b of block.members) out[b] = pooled - fit.coefficients[j]! * f.woe[b]!;
    }
    return out;
  });
  return { ...fit, adjustments };
}

function heldOutDeviance(
  features: readonly RefineFeature[],
  y: Uint8Array,
  fit: RefinedFit,
  rows: Int32Array,
): number {
  let d = 0;
  for (const r of rows) {
    let e = fit.intercept;
    features.forEach((f, j) => {
      const b = f.bins[r]!;
      e += fit.coefficients[j]! * f.woe[b]! + fit.adjustments[j]![b]!;
    });
    const soft = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    d += 2 * (soft - (y[r]! ? e : 0));
  }
  return d;
}

/**
 * Refines a fitted card: chooses the penalty (or none) and fits on all rows. `start` is the plain card's fit. The
 * WoE and bins stay those learnt on all training rows; the folds only choose how far the bins may leave the WoE
 * line.
 */
export function refineCard(
  features: readonly RefineFeature[],
  y: Uint8Array,
  start: { intercept: number; coefficients: readonly number[] },
  options: RefineOptions,
  seed: number,
): { fit: RefinedFit | undefined; record: RefinementRecord } {
  const n = y.length;
  if (options.l2Grid.length === 0 || features.length === 0)
    return {
      fit: undefined,
      record: {
        method: 'none',
        l2: null,
        folds: null,
        seed: null,
        results: [],
        reason: options.l2Grid.length === 0 ? 'bin refinement turned off' : 'no feature selected',
      },
    };
  if (n > options.searchRowsMax) {
    const fit = keepTrend(features, fitRefined(features, y, options.l2Large, start), y);
    return {
      fit,
      record: {
        method: 'fixed penalty',
        l2: options.l2Large,
        folds: null,
        seed: null,
        results: [],
        reason:
          `${n} training rows, more than ${options.searchRowsMax}: the penalty is the fixed ${options.l2Large} ` +
          '(with this many rows the data outweighs any penalty of the grid)',
      },
    };
  }
  const grid: (number | null)[] = [null, ...options.l2Grid];
  const folds = stratifiedFolds(y, options.folds, seed);
  const sums = grid.map(() => 0);
  for (let f = 0; f < options.folds; f++) {
    const { train, test } = foldRows(folds, f);
    const shared: { hessian?: Float64Array } = {};
    grid.forEach((l2, k) => {
      // The folds only compare penalties: the information matrix of the first step serves every step.
      const fit = keepTrend(features, fitRefined(features, y, l2, start, train, true, shared), y, train);
      sums[k]! += heldOutDeviance(features, y, fit, test);
    });
  }
  const results = grid.map((l2, k) => ({ l2, heldOutDeviancePerRow: sums[k]! / n }));
  let best = 0;
  for (let k = 1; k < grid.length; k++)
    if (results[k]!.heldOutDeviancePerRow < results[best]!.heldOutDeviancePerRow - options.gainPerRowMin)
      best = k;
  const l2 = grid[best]!;
  const plain = results[0]!.heldOutDeviancePerRow;
  const chosen = results[best]!.heldOutDeviancePerRow;
  const record: RefinementRecord = {
    method: `${options.folds}-fold stratified cross-validation, held-out deviance`,
    l2,
    folds: options.folds,
    seed,
    results,
    reason:
      l2 === null
        ? `no penalty of the grid lowered the held-out deviance of the plain card (${plain.toFixed(4)} per row)`
        : `penalty ${l2} had the lowest held-out deviance, ${chosen.toFixed(4)} per row against the plain card's ${plain.toFixed(4)}`,
  };
  return {
    fit: l2 === null ? undefined : keepTrend(features, fitRefined(features, y, l2, start), y),
    record,
  };
}
