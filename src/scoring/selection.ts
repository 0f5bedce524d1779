import { chiSquareQuantileUnimodal } from './binning/index.js';
import { ScoringError } from './errors.js';
import { cholesky, choleskyInverse } from './linalg.js';
import { fitLogistic, type LogisticFit, type LogisticOptions } from './logistic.js';
import { seededRandom } from './random.js';

export type Stepwise = 'forward' | 'backward' | 'none';
export type Criterion = 'aic' | 'bic';

export interface SelectionOptions {
  /** Features whose IV is below this are dropped (0.02 is the usual "not predictive" line)… */
  readonly ivMin: number;
  /**
   * …unless the IV is beyond doubt on this many rows (default true): its chi-square statistic, about
   * IV · bads · goods / rows, passes the chi-square one-in-a-million point for the bins − 1 degrees of freedom. On
   * small data this never overrules the floor; on large data a weak but certain feature is kept.
   */
  readonly ivSignificantKept: boolean;
  /** Of two WoE columns correlated beyond this (absolute Pearson), the one with lower IV is dropped. */
  readonly correlationMax: number;
  /** Features are dropped, highest VIF first, until every VIF is at most this. */
  readonly vifMax: number;
  readonly stepwise: Stepwise;
  readonly criterion: Criterion;
  /** Drop features whose coefficient has the wrong sign (negative for bad-oriented WoE), one at a time. */
  readonly dropWrongSign: boolean;
  /** Stepwise search runs on a seeded stratified sample of at most this many rows (the final fit uses all). */
  readonly stepwiseRowsMax: number;
}

export const DEFAULT_SELECTION_OPTIONS: SelectionOptions = {
  ivMin: 0.01,
  ivSignificantKept: true,
  correlationMax: 0.7,
  vifMax: 10,
  stepwise: 'none',
  criterion: 'aic',
  dropWrongSign: true,
  stepwiseRowsMax: 100_000,
};

export interface FeatureDecision {
  readonly feature: string;
  readonly iv: number;
  readonly kept: boolean;
  /** Why the feature was kept or dropped, in words. */
  readonly reason: string;
}

export interface SelectionResult {
  readonly selected: string[];
  readonly decisions: FeatureDecision[];
  readonly fit: LogisticFit;
}

export interface Candidate {
  readonly name: string;
  readonly iv: number;
  /** The feature's WoE per row. */
  readonly woe: Float64Array;
}

function isConstant(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Variance inflation factors: the diagonal of the inverse correlation matrix. Infinity when it is singular. */
export function varianceInflation(columns: readonly Float64Array[]): number[] {
  return vifFrom(columns.length, (i, j) => correlation(columns[i]!, columns[j]!));
}

function vifFrom(p: number, corr: (i: number, j: number) => number): number[] {
  const r = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    r[i * p + i] = 1;
    for (let j = 0; j < i; j++) {
      const c = corr(i, j);
      r[i * p + j] = c;
      r[j * p + i] = c;
    }
  }
  const l = cholesky(r, p);
  if (!l) return Array.from({ length: p }, () => Number.POSITIVE_INFINITY);
  const inv = choleskyInverse(l, p);
  return Array.from({ length: p }, (_, i) => inv[i * p + i]!);
}

/** Each pair's correlation is computed once (an O(rows) pass), however often the filters ask for it. */
class CorrelationCache {
  private readonly known = new Map<string, number>();
  get(a: Candidate, b: Candidate): number {
    const key = a.name < b.name ? `${a.name}\u0000${b.name}` : `${b.name}\u0000${a.name}`;
    let c = this.known.get(key);
    if (c === undefined) {
      c = correlation(a.woe, b.woe);
      this.known.set(key, c);
    }
    return c;
  }
  vif(set: readonly Candidate[]): number[] {
    return vifFrom(set.length, (i, j) => this.get(set[i]!, set[j]!));
  }
}

/** Candidates fitted exactly at each forward step (the best by score statistic). */
export const FORWARD_TRIALS_PER_STEP = 4;

/**
 * Score statistic U²/V of adding each candidate to the current fit: U = xᵀ(y − μ),
 * V = xᵀWx − (XᵀWx)ᵀ(XᵀWX)⁻¹(XᵀWx), with X the current design (intercept first) and W = μ(1 − μ).
 */
function scoreStatistics(
  current: readonly Float64Array[],
  candidates: readonly Float64Array[],
  y: Uint8Array,
  fit: LogisticFit,
): number[] {
  const n = y.length;
  const q = current.length + 1;
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = fit.intercept;
    for (let j = 0; j < current.length; j++) eta += fit.coefficients[j]! * current[j]![i]!;
    mu[i] = 1 / (1 + Math.exp(-eta));
  }
  const col = (j: number, i: number) => (j === 0 ? 1 : current[j - 1]![i]!);
  const h = new Float64Array(q * q);
  for (let i = 0; i < n; i++) {
    const w = mu[i]! * (1 - mu[i]!);
    for (let a = 0; a < q; a++) {
      const wa = w * col(a, i);
      for (let b = 0; b <= a; b++) h[a * q + b]! += wa * col(b, i);
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) h[b * q + a] = h[a * q + b]!;
  const l = cholesky(h, q);
  if (!l) return candidates.map(() => 0);
  const inv = choleskyInverse(l, q);
  return candidates.map((x) => {
    let u = 0;
    let xwx = 0;
    const xwX = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      const w = mu[i]! * (1 - mu[i]!);
      const xi = x[i]!;
      u += xi * (y[i]! - mu[i]!);
      xwx += w * xi * xi;
      for (let a = 0; a < q; a++) xwX[a]! += w * xi * col(a, i);
    }
    let quad = 0;
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) quad += xwX[a]! * inv[a * q + b]! * xwX[b]!;
    const v = xwx - quad;
    return v > 1e-12 * Math.max(1, xwx) ? (u * u) / v : 0;
  });
}

function criterionOf(fit: LogisticFit, c: Criterion): number {
  return c === 'aic' ? fit.aic : fit.bic;
}

function stratifiedSample(y: Uint8Array, rowsMax: number, seed: number): Int32Array | undefined {
  if (y.length <= rowsMax) return undefined;
  const random = seededRandom(seed);
  const share = rowsMax / y.length;
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (random() < share) rows.push(i);
  return Int32Array.from(rows);
}

/**
 * Chooses features for the scorecard: IV threshold, then correlation and VIF filters (keeping the higher IV),
 * then stepwise search by AIC or BIC, then removal of wrong-sign coefficients; every feature gets a reason.
 */
export function selectFeatures(
  candidates: readonly Candidate[],
  y: Uint8Array,
  options: Partial<SelectionOptions> = {},
  logistic: Partial<LogisticOptions> = {},
  seed = 0,
): SelectionResult {
  const o = { ...DEFAULT_SELECTION_OPTIONS, ...options };
  const decisions = new Map<string, FeatureDecision>();
  const drop = (c: Candidate, reason: string) =>
    decisions.set(c.name, { feature: c.name, iv: c.iv, kept: false, reason });
  const byIv = [...candidates].sort((a, b) => b.iv - a.iv || a.name.localeCompare(b.name));
  let bads = 0;
  for (let i = 0; i < y.length; i++) bads += y[i]!;
  const ivScale = y.length > 0 ? (bads * (y.length - bads)) / y.length : 0;
  const significance = new Map<string, string>();
  let pool: Candidate[] = [];
  for (const c of byIv) {
    if (isConstant(c.woe)) drop(c, 'a single WoE value after binning: it cannot separate goods from bads');
    else if (c.iv < o.ivMin) {
      const df = Math.max(1, new Set(c.woe).size - 1);
      const statistic = c.iv * ivScale;
      const bar = chiSquareQuantileUnimodal(df);
      if (o.ivSignificantKept && statistic > bar) {
        significance.set(
          c.name,
          `IV ${c.iv.toFixed(4)} below the minimum ${o.ivMin} but beyond doubt on ${y.length} rows ` +
            `(chi-square about ${statistic.toFixed(1)} > ${bar.toFixed(1)}, ${df} df, one in a million)`,
        );
        pool.push(c);
      } else drop(c, `IV ${c.iv.toFixed(4)} below the minimum ${o.ivMin}`);
    } else pool.push(c);
  }
  const correlations = new CorrelationCache();
  const kept: Candidate[] = [];
  for (const c of pool) {
    const twin = kept.find((k) => Math.abs(correlations.get(k, c)) > o.correlationMax);
    if (twin) {
      const r = correlations.get(twin, c);
      drop(c, `WoE correlation ${r.toFixed(3)} with ${twin.name} (higher IV) exceeds ${o.correlationMax}`);
    } else kept.push(c);
  }
  // Forward VIF screen in IV order: a feature enters only if its VIF against those already in stays within the
  // bound. This also removes exact collinearity (e.g. a full set of one-hot dummies), where VIFs are infinite.
  pool = [];
  for (const c of kept) {
    const vif = correlations.vif([...pool, c]);
    const own = vif[vif.length - 1]!;
    if (own > o.vifMax)
      drop(
        c,
        `VIF ${Number.isFinite(own) ? own.toFixed(2) : 'infinite'} against higher-IV features exceeds ${o.vifMax}`,
      );
    else pool.push(c);
  }
  for (;;) {
    if (pool.length < 2) break;
    const vif = correlations.vif(pool);
    let worst = 0;
    for (let i = 1; i < vif.length; i++) if (vif[i]! > vif[worst]!) worst = i;
    if (!(vif[worst]! > o.vifMax)) break;
    drop(pool[worst]!, `VIF ${vif[worst]!.toFixed(2)} exceeds ${o.vifMax}`);
    pool.splice(worst, 1);
  }

  const sample = o.stepwise === 'none' ? undefined : stratifiedSample(y, o.stepwiseRowsMax, seed);
  const sampled = (v: Float64Array) => (sample ? Float64Array.from(sample, (r) => v[r]!) : v);
  const ys = sample ? Uint8Array.from(sample, (r) => y[r]!) : y;
  const columnsOf = (set: readonly Candidate[]) => set.map((c) => sampled(c.woe));
  const fitOn = (set: readonly Candidate[]) =>
    fitLogistic(
      columnsOf(set),
      set.map((c) => c.name),
      ys,
      logistic,
    );

  let chosen: Candidate[];
  const stepNotes = new Map<string, string>();
  if (o.stepwise === 'forward') {
    chosen = [];
    let current = fitOn(chosen);
    const remaining = [...pool];
    while (remaining.length > 0) {
      // Rank candidates by the score (Rao) statistic at the current fit, fit the most promising exactly and take
      // the one that lowers the criterion most.
      const stats = scoreStatistics(columnsOf(chosen), columnsOf(remaining), ys, current);
      const order = remaining.map((_, i) => i).sort((a, b) => stats[b]! - stats[a]!);
      let bestFit: LogisticFit | undefined;
      let bestIndex = -1;
      for (const i of order.slice(0, FORWARD_TRIALS_PER_STEP)) {
        const f = fitOn([...chosen, remaining[i]!]);
        if (!bestFit || criterionOf(f, o.criterion) < criterionOf(bestFit, o.criterion)) {
          bestFit = f;
          bestIndex = i;
        }
      }
      if (!bestFit || criterionOf(bestFit, o.criterion) >= criterionOf(current, o.criterion)) break;
      const added = remaining.splice(bestIndex, 1)[0]!;
      stepNotes.set(
        added.name,
        `entered at forward step ${chosen.length + 1}: ${o.criterion.toUpperCase()} ${criterionOf(current, o.criterion).toFixed(2)} → ${criterionOf(bestFit, o.criterion).toFixed(2)}`,
      );
      chosen.push(added);
      current = bestFit;
    }
    for (const c of remaining)
      drop(c, `forward stepwise: adding it would not lower ${o.criterion.toUpperCase()}`);
  } else if (o.stepwise === 'backward') {
    chosen = [...pool];
    let current = fitOn(chosen);
    for (;;) {
      let bestFit: LogisticFit | undefined;
      let bestIndex = -1;
      for (let i = 0; i < chosen.length; i++) {
        const f = fitOn(chosen.filter((_, j) => j !== i));
        if (!bestFit || criterionOf(f, o.criterion) < criterionOf(bestFit, o.criterion)) {
          bestFit = f;
          bestIndex = i;
        }
      }
      if (!bestFit || criterionOf(bestFit, o.criterion) >= criterionOf(current, o.criterion)) break;
      const removed = chosen.splice(bestIndex, 1)[0]!;
      drop(
        removed,
        `backward stepwise: removing it lowered ${o.criterion.toUpperCase()} to ${criterionOf(bestFit, o.criterion).toFixed(2)}`,
      );
      current = bestFit;
    }
  } else {
    chosen = [...pool];
  }

  let fit = fitLogistic(
    chosen.map((c) => c.woe),
    chosen.map((c) => c.name),
    y,
    logistic,
  );
  while (o.dropWrongSign && chosen.length > 0) {
    let worst = -1;
    for (let j = 0; j < fit.coefficients.length; j++) {
      if (fit.coefficients[j]! < 0 && (worst < 0 || fit.zValues[j + 1]! < fit.zValues[worst + 1]!)) worst = j;
    }
    if (worst < 0) break;
    const removed = chosen.splice(worst, 1)[0]!;
    drop(
      removed,
      `wrong-sign coefficient ${fit.coefficients[worst]!.toFixed(4)} (bad-oriented WoE needs a positive one; ` +
        'usually collinearity with kept features): dropped so that its points do not run the wrong way',
    );
    fit = fitLogistic(
      chosen.map((c) => c.woe),
      chosen.map((c) => c.name),
      y,
      logistic,
    );
  }
  chosen.forEach((c, j) => {
    const p = fit.pValues[j + 1]!;
    const filters = significance.has(c.name)
      ? `${significance.get(c.name)}; passed the correlation and VIF filters`
      : 'passed the IV, correlation and VIF filters';
    const how = stepNotes.get(c.name) ?? (o.stepwise === 'none' ? filters : 'kept by backward stepwise');
    decisions.set(c.name, {
      feature: c.name,
      iv: c.iv,
      kept: true,
      reason: `${how}; coefficient ${fit.coefficients[j]!.toFixed(4)}, p-value ${p.toPrecision(3)}`,
    });
  });
  if (!o.dropWrongSign) {
    fit.coefficients.forEach((b, j) => {
      if (b < 0)
        fit.warnings.push(
          `feature ${fit.names[j]} has a wrong-sign (negative) WoE coefficient ${b.toFixed(4)}`,
        );
    });
  }
  if (chosen.length === 0 && candidates.length > 0) {
    fit.warnings.push('no feature passed selection: the model is the intercept alone');
  }
  if (candidates.length === 0) throw new ScoringError('NO_FEATURES', 'no feature columns to select from');
  const ordered = byIv.map((c) => decisions.get(c.name)!).filter((d) => d !== undefined);
  return { selected: chosen.map((c) => c.name), decisions: ordered, fit };
}
