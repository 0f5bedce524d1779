/**
 * Validation and monitoring measures. "Risk" arrays hold a value that grows with the chance of bad (the
 * probability of bad); a score (higher = better) is turned into risk by negating it.
 */

import { seededRandom } from './random.js';

/** Area under the ROC curve, ties counted half (Mann–Whitney). */
export function auc(risk: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[a]! - risk[b]!);
  let bads = 0;
  let rankSumBads = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && risk[order[j + 1]!]! === risk[order[i]!]!) j++;
    const midRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (target[order[k]!]) {
        bads++;
        rankSumBads += midRank;
      }
    }
    i = j + 1;
  }
  const goods = n - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  return (rankSumBads - (bads * (bads + 1)) / 2) / (bads * goods);
}

export function gini(areaUnderCurve: number): number {
  return 2 * areaUnderCurve - 1;
}

export interface RocPoint {
  readonly falsePositiveRate: number;
  readonly truePositiveRate: number;
}

/** ROC points from the riskiest row down, one per distinct risk value, plus (0,0). */
export function rocCurve(risk: ArrayLike<number>, target: ArrayLike<number>): RocPoint[] {
  const n = target.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[b]! - risk[a]!);
  let bads = 0;
  for (let i = 0; i < n; i++) bads += target[i]! ? 1 : 0;
  const goods = n - bads;
  const points: RocPoint[] = [{ falsePositiveRate: 0, truePositiveRate: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    if (target[order[k]!]) tp++;
    else fp++;
    if (k + 1 === n || risk[order[k + 1]!]! !== risk[order[k]!]!) {
      points.push({ falsePositiveRate: goods ? fp / goods : 0, truePositiveRate: bads ? tp / bads : 0 });
    }
  }
  return points;
}

/** Kolmogorov–Smirnov statistic: the largest gap between the cumulative bad and good shares over the ranking. */
export function ks(risk: ArrayLike<number>, target: ArrayLike<number>): number {
  let best = 0;
  for (const p of rocCurve(risk, target)) best = Math.max(best, p.truePositiveRate - p.falsePositiveRate);
  return best;
}

export function brier(probabilityBad: ArrayLike<number>, target: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < target.length; i++) {
    const d = probabilityBad[i]! - target[i]!;
    s += d * d;
  }
  return target.length ? s / target.length : Number.NaN;
}

export interface Band {
  readonly band: number;
  readonly scoreMin: number;
  readonly scoreMax: number;
  readonly rows: number;
  readonly bads: number;
  readonly badRate: number;
  /** Share of all bads found in this band and all riskier bands. */
  readonly cumulativeBadShare: number;
  readonly cumulativeGoodShare: number;
  /** Bad rate of this band and all riskier ones, over the overall bad rate. */
  readonly cumulativeLift: number;
  readonly lift: number;
  readonly meanProbabilityBad: number;
}

/**
 * Gains, lift and calibration by score band: rows ranked from the lowest score (riskiest) up and cut into
 * `bandCount` bands of near-equal size (rows with the same score stay together).
 */
export function scoreBands(
  score: ArrayLike<number>,
  probabilityBad: ArrayLike<number>,
  target: ArrayLike<number>,
  bandCount = 10,
): Band[] {
  const n = target.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let totalBads = 0;
  for (let i = 0; i < n; i++) totalBads += target[i]! ? 1 : 0;
  const totalGoods = n - totalBads;
  const overall = n ? totalBads / n : 0;
  const bands: Band[] = [];
  let start = 0;
  let cumBads = 0;
  let cumRows = 0;
  for (let b = 0; b < bandCount && start < n; b++) {
    let end = Math.max(start + 1, Math.round(((b + 1) * n) / bandCount));
    while (end < n && score[order[end]!]! === score[order[end - 1]!]!) end++;
    if (b === bandCount - 1) end = n;
    let bads = 0;
    let p = 0;
    for (let k = start; k < end; k++) {
      bads += target[order[k]!]! ? 1 : 0;
      p += probabilityBad[order[k]!]!;
    }
    const rows = end - start;
    cumBads += bads;
    cumRows += rows;
    bands.push({
      band: b + 1,
      scoreMin: score[order[start]!]!,
      scoreMax: score[order[end - 1]!]!,
      rows,
      bads,
      badRate: bads / rows,
      cumulativeBadShare: totalBads ? cumBads / totalBads : 0,
      cumulativeGoodShare: totalGoods ? (cumRows - cumBads) / totalGoods : 0,
      cumulativeLift: overall ? cumBads / cumRows / overall : 0,
      lift: overall ? bads / rows / overall : 0,
      meanProbabilityBad: p / rows,
    });
    start = end;
  }
  return bands;
}

/** Count added to every bucket of both samples in PSI so that an empty bucket gives a finite term. */
export const PSI_PSEUDO_COUNT = 0.5;

export type PsiBand = 'stable' | 'moderate shift' | 'significant shift';

/** The usual bands: below 0.1 stable, 0.1 up to 0.25 moderate, 0.25 and above significant. */
export function psiBand(psi: number): PsiBand {
  return psi < 0.1 ? 'stable' : psi < 0.25 ? 'moderate shift' : 'significant shift';
}

/** Population stability index between bucket counts of the expected and the actual sample. */
export function psiFromCounts(expected: readonly number[], actual: readonly number[]): number {
  const k = expected.length;
  const e = expected.reduce((a, b) => a + b, 0) + PSI_PSEUDO_COUNT * k;
  const a = actual.reduce((x, y) => x + y, 0) + PSI_PSEUDO_COUNT * k;
  let psi = 0;
  for (let i = 0; i < k; i++) {
    const pe = (expected[i]! + PSI_PSEUDO_COUNT) / e;
    const pa = (actual[i]! + PSI_PSEUDO_COUNT) / a;
    psi += (pa - pe) * Math.log(pa / pe);
  }
  return psi;
}

/** Score buckets for PSI: cut points at the expected sample's deciles (distinct values only). */
export function quantileCuts(values: ArrayLike<number>, buckets = 10): number[] {
  const sorted = Float64Array.from(values).sort();
  const cuts: number[] = [];
  for (let b = 1; b < buckets; b++) {
    const v = sorted[Math.floor((b * sorted.length) / buckets)];
    if (v !== undefined && (cuts.length === 0 || v > cuts[cuts.length - 1]!)) cuts.push(v);
  }
  return cuts;
}

export function bucketCounts(values: ArrayLike<number>, cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}

/** Two-sided 95% normal quantile, used for the intervals printed beside a standard error. */
export const NORMAL_95 = 1.959963984540054;

export interface AucWithError {
  readonly auc: number;
  /** DeLong's standard error of the AUC (NaN when a class has fewer than two rows). */
  readonly standardError: number;
}

/** Mid-ranks (1-based, ties share the mean rank) of `values`. */
function midRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!]! === values[order[i]!]!) j++;
    const mid = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = mid;
    i = j + 1;
  }
  return ranks;
}

/**
 * AUC with DeLong's (1988) standard error, from the placement values in the fast rank form of Sun & Xu (2014):
 * each bad's share of goods ranked below it (ties half), each good's share of bads ranked above it; the variance
 * is var(bad placements) / bads + var(good placements) / goods, both with the n − 1 divisor.
 */
export function aucDeLong(risk: ArrayLike<number>, target: ArrayLike<number>): AucWithError {
  const n = target.length;
  const bad: number[] = [];
  const good: number[] = [];
  for (let i = 0; i < n; i++) (target[i] ? bad : good).push(risk[i]!);
  const m = bad.length;
  const g = good.length;
  if (m === 0 || g === 0) return { auc: Number.NaN, standardError: Number.NaN };
  const all = midRanks(Float64Array.from([...bad, ...good]));
  const rankBad = midRanks(Float64Array.from(bad));
  const rankGood = midRanks(Float64Array.from(good));
  const placeBad = new Float64Array(m);
  const placeGood = new Float64Array(g);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    placeBad[i] = (all[i]! - rankBad[i]!) / g;
    sum += placeBad[i]!;
  }
  for (let j = 0; j < g; j++) placeGood[j] = 1 - (all[m + j]! - rankGood[j]!) / m;
  const area = sum / m;
  const variance = (v: Float64Array) => {
    if (v.length < 2) return Number.NaN;
    let s = 0;
    for (const x of v) s += (x - area) ** 2;
    return s / (v.length - 1);
  };
  return { auc: area, standardError: Math.sqrt(variance(placeBad) / m + variance(placeGood) / g) };
}

/** Resamples of the KS bootstrap unless asked otherwise. */
export const KS_BOOTSTRAP_RESAMPLES = 200;

export interface KsWithError {
  readonly ks: number;
  /** Standard deviation of KS over the bootstrap resamples (NaN with fewer than two resamples). */
  readonly standardError: number;
  /** 2.5% and 97.5% points of the resampled KS values (percentile interval). */
  readonly interval: readonly [number, number];
  readonly resamples: number;
  readonly seed: number;
}

/**
 * KS with a stratified bootstrap standard error: each resample draws the bads with replacement from the bads and
 * the goods from the goods (so the class counts stay those of the sample, as pROC's default), from `seed`.
 * Rows are ranked once; a resample only counts how often each row was drawn, so it costs one pass.
 */
export function ksBootstrap(
  risk: ArrayLike<number>,
  target: ArrayLike<number>,
  resamples = KS_BOOTSTRAP_RESAMPLES,
  seed = 0,
): KsWithError {
  if (!Number.isInteger(resamples) || resamples < 0)
    throw new RangeError(`resamples is ${resamples}; give a whole number of at least 0`);
  const n = target.length;
  const statistic = ks(risk, target);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => risk[b]! - risk[a]!);
  // Position p of the ranking ends a group of equal risk when last[p] is 1.
  const last = new Uint8Array(n);
  for (let p = 0; p < n; p++) last[p] = p + 1 === n || risk[order[p + 1]!]! !== risk[order[p]!]! ? 1 : 0;
  const bads: number[] = [];
  const goods: number[] = [];
  for (let p = 0; p < n; p++) (target[order[p]!] ? bads : goods).push(p);
  const random = seededRandom(seed);
  const weight = new Int32Array(n);
  const values: number[] = [];
  if (bads.length > 0 && goods.length > 0) {
    for (let b = 0; b < resamples; b++) {
      weight.fill(0);
      for (let k = 0; k < bads.length; k++) weight[bads[Math.floor(random() * bads.length)]!]!++;
      for (let k = 0; k < goods.length; k++) weight[goods[Math.floor(random() * goods.length)]!]!++;
      let tp = 0;
      let fp = 0;
      let best = 0;
      for (let p = 0; p < n; p++) {
        if (target[order[p]!]) tp += weight[p]!;
        else fp += weight[p]!;
        if (last[p]) best = Math.max(best, tp / bads.length - fp / goods.length);
      }
      values.push(best);
    }
  }
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd =
    values.length > 1
      ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1))
      : Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
  return { ks: statistic, standardError: sd, interval: [at(0.025), at(0.975)], resamples, seed };
}
