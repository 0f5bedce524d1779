/**
 * Validation and monitoring measures. "Risk" arrays hold a value that grows with the chance of bad (the
 * probability of bad); a score (higher = better) is turned into risk by negating it.
 */

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
