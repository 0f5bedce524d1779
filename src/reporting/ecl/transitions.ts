import { invariant } from '../../money/index.js';

/**
 * The states of the monthly Markov chain the PD term structures come from: the live delinquency buckets
 * M0–M3 (0, 1–30, 31–60, 61–90 DPD), default `D` (more than 90 DPD or written off, absorbing: the IFRS 9
 * §B5.5.37 presumption, and no cure is counted) and closed `C` (settled, absorbing).
 */
export const MARKOV_STATES = ['M0', 'M1', 'M2', 'M3', 'D', 'C'] as const;
export type MarkovState = (typeof MARKOV_STATES)[number];
export const LIVE_STATES = ['M0', 'M1', 'M2', 'M3'] as const;
export type LiveState = (typeof LIVE_STATES)[number];
const D = 4;
const C = 5;

export function stateIndex(state: MarkovState): number {
  return MARKOV_STATES.indexOf(state);
}

/** The chain's state of a loan whose delinquency bucket is `bucket` (M0…M7). */
export function markovStateOfBucket(bucket: string): MarkovState {
  const m = /^M(\d)$/.exec(bucket);
  invariant(m !== null, () => `unknown delinquency bucket ${bucket}`);
  const n = Number(m[1]);
  return n >= 4 ? 'D' : (`M${n}` as LiveState);
}

/** One loan's states at consecutive month ends (null: not on the book at that month end), by segment. */
export interface MonthEndPath {
  readonly segment: string;
  readonly states: readonly (MarkovState | null)[];
}

export interface TransitionMatrix {
  readonly segment: string;
  /** counts[from][to]: loans in `from` at one month end and in `to` at the next. */
  readonly counts: readonly (readonly number[])[];
  /** probabilities[from][to]; every row sums to 1. */
  readonly probabilities: readonly (readonly number[])[];
  /** Where each row came from: the segment's own counts, the pooled book's, or the conservative default. */
  readonly rowSource: readonly ('segment' | 'pooled' | 'default' | 'absorbing')[];
}

export interface TransitionSettings {
  /** A segment's row with fewer observations than this takes the pooled book's row. */
  readonly rowObservations_min: number;
}

export const DEFAULT_TRANSITION_SETTINGS: TransitionSettings = Object.freeze({ rowObservations_min: 30 });

/** The segment name of the whole book's matrix. */
export const POOLED_SEGMENT = '*';

function emptyCounts(): number[][] {
  return MARKOV_STATES.map(() => MARKOV_STATES.map(() => 0));
}

function countPaths(paths: readonly MonthEndPath[]): {
  pooled: number[][];
  bySegment: Map<string, number[][]>;
} {
  const pooled = emptyCounts();
  const bySegment = new Map<string, number[][]>();
  for (const path of paths) {
    let counts = bySegment.get(path.segment);
    if (counts === undefined) {
      counts = emptyCounts();
      bySegment.set(path.segment, counts);
    }
    for (let m = 0; m + 1 < path.states.length; m += 1) {
      const from = path.states[m];
      const to = path.states[m + 1];
      if (from === null || from === undefined || to === null || to === undefined) continue;
      const i = stateIndex(from);
      if (i >= D) continue;
      const j = stateIndex(to);
      (counts[i] as number[])[j] = ((counts[i] as number[])[j] as number) + 1;
      (pooled[i] as number[])[j] = ((pooled[i] as number[])[j] as number) + 1;
    }
  }
  return { pooled, bySegment };
}

function rowTotal(row: readonly number[]): number {
  return row.reduce((a, b) => a + b, 0);
}

function matrixOf(
  segment: string,
  counts: number[][],
  pooled: number[][] | null,
  settings: TransitionSettings,
): TransitionMatrix {
  const probabilities: number[][] = [];
  const rowSource: TransitionMatrix['rowSource'][number][] = [];
  for (let i = 0; i < MARKOV_STATES.length; i += 1) {
    const own = counts[i] as number[];
    if (i >= D) {
      probabilities.push(MARKOV_STATES.map((_, j) => (j === i ? 1 : 0)));
      rowSource.push('absorbing');
      continue;
    }
    let row = own;
    let source: 'segment' | 'pooled' | 'default' = 'segment';
    if (rowTotal(own) < settings.rowObservations_min && pooled !== null) {
      row = pooled[i] as number[];
      source = 'pooled';
    }
    const total = rowTotal(row);
    if (total === 0) {
      // Nothing observed: the conservative assumption that the loan rolls one bucket worse each month.
      probabilities.push(MARKOV_STATES.map((_, j) => (j === i + 1 ? 1 : 0)));
      rowSource.push('default');
      continue;
    }
    probabilities.push(row.map((n) => n / total));
    rowSource.push(source);
  }
  return { segment, counts, probabilities, rowSource };
}

/**
 * Monthly transition matrices per segment (count-weighted: each loan-month is one observation) and the
 * pooled book's. A segment's sparse row (fewer than `rowObservations_min` observations) is the pooled
 * row; a row never observed anywhere rolls one bucket worse.
 */
export function estimateTransitions(
  paths: readonly MonthEndPath[],
  settings: TransitionSettings = DEFAULT_TRANSITION_SETTINGS,
): { pooled: TransitionMatrix; bySegment: ReadonlyMap<string, TransitionMatrix> } {
  const { pooled, bySegment } = countPaths(paths);
  return matricesOf(pooled, bySegment, settings);
}

/**
 * The matrices from transitions already counted, by segment: `counts[from][to]` over MARKOV_STATES, each a
 * loan in `from` at one month end and in `to` at the next (from a live state only), as countPaths counts
 * them over paths. The pooled book's counts are the segments' sum. The same matrices as estimateTransitions
 * gives from the paths behind the counts.
 */
export function estimateTransitionsOfCounts(
  bySegment: ReadonlyMap<string, readonly (readonly number[])[]>,
  settings: TransitionSettings = DEFAULT_TRANSITION_SETTINGS,
): { pooled: TransitionMatrix; bySegment: ReadonlyMap<string, TransitionMatrix> } {
  const pooled = emptyCounts();
  const own = new Map<string, number[][]>();
  for (const [segment, counts] of bySegment) {
    invariant(
      counts.length === MARKOV_STATES.length && counts.every((r) => r.length === MARKOV_STATES.length),
      'transition counts are a square of the chain states',
    );
    const copy = counts.map((r) => [...r]);
    copy.forEach((row, i) => {
      row.forEach((n, j) => {
        invariant(Number.isSafeInteger(n) && n >= 0, 'transition counts are whole numbers ≥ 0');
        if (i >= D) row[j] = 0;
        (pooled[i] as number[])[j] = ((pooled[i] as number[])[j] as number) + (row[j] as number);
      });
    });
    own.set(segment, copy);
  }
  return matricesOf(pooled, own, settings);
}

function matricesOf(
  pooled: number[][],
  bySegment: ReadonlyMap<string, number[][]>,
  settings: TransitionSettings,
): { pooled: TransitionMatrix; bySegment: ReadonlyMap<string, TransitionMatrix> } {
  const pooledMatrix = matrixOf(POOLED_SEGMENT, pooled, null, { rowObservations_min: 1 });
  const out = new Map<string, TransitionMatrix>();
  for (const segment of [...bySegment.keys()].sort()) {
    out.set(segment, matrixOf(segment, bySegment.get(segment) as number[][], pooled, settings));
  }
  return { pooled: pooledMatrix, bySegment: out };
}

/**
 * Cumulative PD after 1…months months from `start`: the default state's probability in e_start · Pᵗ. Index 0
 * is month 0 (0, or 1 when the loan is already in default).
 */
export function cumulativePd(matrix: TransitionMatrix, start: MarkovState, months: number): number[] {
  invariant(Number.isInteger(months) && months >= 0, 'months must be a whole number ≥ 0');
  let v: number[] = MARKOV_STATES.map((s) => (s === start ? 1 : 0));
  const out = [v[D] as number];
  for (let t = 1; t <= months; t += 1) {
    const next = MARKOV_STATES.map(() => 0);
    for (let i = 0; i < v.length; i += 1) {
      const p = v[i] as number;
      if (p === 0) continue;
      const row = matrix.probabilities[i] as readonly number[];
      for (let j = 0; j < row.length; j += 1) next[j] = (next[j] as number) + p * (row[j] as number);
    }
    v = next;
    out.push(v[D] as number);
  }
  return out;
}

/** The state distribution after `months` months from `start` (for the cash-in projection). */
export function stateDistribution(matrix: TransitionMatrix, start: MarkovState, months: number): number[] {
  let v: number[] = MARKOV_STATES.map((s) => (s === start ? 1 : 0));
  for (let t = 1; t <= months; t += 1) {
    const next = MARKOV_STATES.map(() => 0);
    for (let i = 0; i < v.length; i += 1) {
      const row = matrix.probabilities[i] as readonly number[];
      for (let j = 0; j < row.length; j += 1)
        next[j] = (next[j] as number) + (v[i] as number) * (row[j] as number);
    }
    v = next;
  }
  return v;
}

/**
 * The PD over `horizonMonths`, each month's marginal default discounted to the reporting date at the monthly
 * rate annualRate / 12: Σₜ (cumₜ − cumₜ₋₁) / (1 + r/12)ᵗ.
 */
export function discountedPd(
  cumulative: readonly number[],
  horizonMonths: number,
  annualRate: number,
): number {
  invariant(horizonMonths < cumulative.length, 'the term structure is shorter than the horizon');
  const monthly = 1 + annualRate / 12;
  let sum = 0;
  let factor = 1;
  for (let t = 1; t <= horizonMonths; t += 1) {
    factor /= monthly;
    sum += ((cumulative[t] as number) - (cumulative[t - 1] as number)) * factor;
  }
  return sum;
}

export const CLOSED_STATE_INDEX = C;
export const DEFAULT_STATE_INDEX = D;
