import { informationValue } from '../woe.js';

/** Monotonic trend of the event (bad) rate across the bins, in the order of the pre-bins. */
export type Trend = 'auto' | 'ascending' | 'descending' | 'peak' | 'valley' | 'none';
export type ResolvedTrend = Exclude<Trend, 'auto'>;

export interface MergeConstraints {
  /** Fewest rows a bin may hold (from the minimum bin share of all training rows). */
  readonly minRowsPerBin: number;
  /** Fewest bads (events) a bin may hold. */
  readonly minBadsPerBin: number;
  readonly maxBins: number;
  readonly trend: ResolvedTrend;
}

export interface MergeResult {
  /** Group boundaries as pre-bin indices: group j covers pre-bins [starts[j], starts[j+1]). */
  readonly starts: number[];
  readonly iv: number;
}

/**
 * Exact optimal merge of contiguous pre-bins: maximises the total IV (which adds up over bins) subject to the
 * constraints, by dynamic programming over (groups used, start of last group, end of last group, phase).
 * The trend constraint links only neighbouring groups, so the state "last group" is enough for exactness.
 * Cost O(maxBins · m³) for m pre-bins. Returns undefined when no partition meets the constraints.
 */
export function optimalMerge(
  goods: readonly number[],
  bads: readonly number[],
  totalGoods: number,
  totalBads: number,
  c: MergeConstraints,
): MergeResult | undefined {
  const m = goods.length;
  if (m === 0) return undefined;
  const pg = new Float64Array(m + 1);
  const pb = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    pg[i + 1] = pg[i]! + goods[i]!;
    pb[i + 1] = pb[i]! + bads[i]!;
  }
  const idx = (s: number, e: number) => s * (m + 1) + e;
  const size = (m + 1) * (m + 1);
  const groupIv = new Float64Array(size);
  const rate = new Float64Array(size);
  const feasible = new Uint8Array(size);
  for (let s = 0; s < m; s++) {
    for (let e = s + 1; e <= m; e++) {
      const g = pg[e]! - pg[s]!;
      const b = pb[e]! - pb[s]!;
      const k = idx(s, e);
      groupIv[k] = informationValue(g, b, totalGoods, totalBads);
      rate[k] = g + b > 0 ? b / (g + b) : 0;
      feasible[k] = g + b >= c.minRowsPerBin && b >= c.minBadsPerBin ? 1 : 0;
    }
  }
  // phase 0: still rising (ascending, or the rising part of a peak / the falling part of a valley); 1: after the turn.
  const phases = c.trend === 'peak' || c.trend === 'valley' ? 2 : 1;
  const K = Math.max(1, Math.min(c.maxBins, m));
  const NEG = Number.NEGATIVE_INFINITY;
  // best[phase][k][s][e] flattened; back-pointers store the previous group's start and phase.
  const stride = size;
  const best = new Float64Array(phases * K * stride).fill(NEG);
  const prevStart = new Int32Array(phases * K * stride).fill(-1);
  const prevPhase = new Int8Array(phases * K * stride);
  const at = (p: number, k: number, s: number, e: number) => (p * K + k) * stride + idx(s, e);

  const allowed = (prevRate: number, nextRate: number, phase: number): number => {
    // Returns the phase after the step, or -1 if the step breaks the trend.
    switch (c.trend) {
      case 'none':
        return 0;
      case 'ascending':
        return nextRate > prevRate ? 0 : -1;
      case 'descending':
        return nextRate < prevRate ? 0 : -1;
      case 'peak':
        if (phase === 0) return nextRate > prevRate ? 0 : nextRate < prevRate ? 1 : -1;
        return nextRate < prevRate ? 1 : -1;
      case 'valley':
        if (phase === 0) return nextRate < prevRate ? 0 : nextRate > prevRate ? 1 : -1;
        return nextRate > prevRate ? 1 : -1;
    }
  };

  for (let e = 1; e <= m; e++) {
    if (feasible[idx(0, e)]) best[at(0, 0, 0, e)] = groupIv[idx(0, e)]!;
  }
  for (let k = 1; k < K; k++) {
    for (let s = 1; s < m; s++) {
      for (let e = s + 1; e <= m; e++) {
        const cur = idx(s, e);
        if (!feasible[cur]) continue;
        for (let p = 0; p < phases; p++) {
          for (let ps = 0; ps < s; ps++) {
            const prevValue = best[at(p, k - 1, ps, s)]!;
            if (prevValue === NEG) continue;
            const np = allowed(rate[idx(ps, s)]!, rate[cur]!, p);
            if (np < 0) continue;
            const value = prevValue + groupIv[cur]!;
            const target = at(np, k, s, e);
            if (value > best[target]!) {
              best[target] = value;
              prevStart[target] = ps;
              prevPhase[target] = p;
            }
          }
        }
      }
    }
  }
  let bestValue = NEG;
  let bestState: [number, number, number] | undefined;
  for (let p = 0; p < phases; p++) {
    for (let k = 0; k < K; k++) {
      for (let s = 0; s < m; s++) {
        const v = best[at(p, k, s, m)]!;
        // Prefer fewer bins on ties (a tolerance keeps float noise from adding bins).
        if (v > bestValue + 1e-12) {
          bestValue = v;
          bestState = [p, k, s];
        }
      }
    }
  }
  if (!bestState) return undefined;
  const starts: number[] = [];
  let [p, k, s] = bestState;
  let e = m;
  while (k >= 0) {
    starts.push(s);
    if (k === 0) break;
    const t = at(p, k, s, e);
    const ps = prevStart[t]!;
    const pp = prevPhase[t]!;
    e = s;
    s = ps;
    p = pp;
    k--;
  }
  starts.reverse();
  return { starts, iv: bestValue };
}
