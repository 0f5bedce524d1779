import type { ArchetypeTrace } from './run.js';
import { addTotals, emptyTotals, ROLL_RANKS, type Totals } from './totals.js';

/**
 * The strategy lab's report: per strategy, each figure's mean over the replications with a 95 % interval, the
 * figures over time, roll rates and vintage curves, losses by industry, the difference between two strategies
 * (paired by replication: both strategies meet the same borrowers and the same shocks) and the archetypes'
 * months. Pure: the same totals give the same report, byte for byte.
 */

export const REPORT_FORMAT = 'lendguard.simulation.report';

export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export const METRICS = [
  'approvalRate',
  'disbursed_fen',
  'losses_fen',
  'recovered_fen',
  'lossRate',
  'nplRatioEnd',
  'dpd30RatioEnd',
  'dpd90RatioEnd',
  'eclEnd_fen',
  'interest_fen',
  'penalty_fen',
  'collectionCost_fen',
  'cashIn_fen',
  'negativeReportBorrowers',
  'monthsOverdue',
  'lawsuits',
  'letters',
  'agencyPlacements',
  'complaints',
  'holidays',
  'plans',
  'promisesKeptShare',
  'drawsRefused',
] as const;
export type Metric = (typeof METRICS)[number];

export interface StrategyResult {
  readonly name: string;
  readonly metrics: Record<Metric, Interval>;
  /** Month by month, mean over replications. */
  readonly overTime: {
    readonly nplRatio: number[];
    readonly dpd30Ratio: number[];
    readonly ecl_fen: number[];
    readonly outstanding_fen: number[];
    readonly cashIn_fen: number[];
    readonly writtenOff_fen: number[];
  };
  /** Monthly roll rates over the run: M0→M1, M1→M2, M2→M3, M3→M4. */
  readonly rollRates: Record<string, number>;
  /** Share of each vintage's lines ever 30+ days past due by months on book (cumulative). */
  readonly vintages: number[][];
  /** Losses and defaults (principal ever 90+) as shares of disbursed principal, by industry, over all replications. */
  readonly byIndustry: Record<
    string,
    { approvals: number; disbursed_fen: number; lossRate: number; defaultRate: number }
  >;
}

export interface SimulationReport {
  readonly format: typeof REPORT_FORMAT;
  readonly formatVersion: 1;
  readonly run: {
    readonly population: string;
    readonly scenario: string;
    readonly borrowers: number;
    readonly months: number;
    readonly seed: number;
    readonly replications: number;
    readonly startDate: string;
  };
  readonly strategies: readonly StrategyResult[];
  readonly difference: {
    readonly a: string;
    readonly b: string;
    readonly metrics: Record<Metric, Interval>;
  } | null;
  readonly archetypes: Readonly<Record<string, readonly ArchetypeTrace[]>>;
}

const sum = (a: readonly number[]) => a.reduce((x, y) => x + y, 0);
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Two-sided 95 % Student t quantiles by degrees of freedom (1–30; the normal beyond). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function interval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = n === 0 ? 0 : sum(values) / n;
  if (n < 2) return { mean: round(mean), low: round(mean), high: round(mean) };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean: round(mean), low: round(mean - half), high: round(mean + half) };
}

function metricsOf(t: Totals): Record<Metric, number> {
  const s = t.series;
  const last = t.months - 1;
  const disbursed = sum(s.disbursed_fen);
  const losses = sum(s.writtenOff_fen) - sum(s.recovered_fen);
  const kept = sum(s.promisesKept);
  return {
    approvalRate: ratio(sum(s.approvals), sum(s.applications)),
    disbursed_fen: disbursed,
    losses_fen: losses,
    recovered_fen: sum(s.recovered_fen),
    lossRate: ratio(losses, disbursed),
    nplRatioEnd: ratio(s.npl_fen[last]!, s.outstanding_fen[last]!),
    dpd30RatioEnd: ratio(s.dpd30_fen[last]!, s.outstanding_fen[last]!),
    dpd90RatioEnd: ratio(s.dpd90_fen[last]!, s.outstanding_fen[last]!),
    eclEnd_fen: s.ecl_fen[last]!,
    interest_fen: sum(s.interest_fen),
    penalty_fen: sum(s.penalty_fen),
    collectionCost_fen: sum(s.collectionCost_fen),
    cashIn_fen: sum(s.cashIn_fen),
    negativeReportBorrowers: sum(s.negativeReportBorrowers),
    monthsOverdue: sum(s.pastDueBorrowers),
    lawsuits: sum(s.lawsuits),
    letters: sum(s.letters),
    agencyPlacements: sum(s.agencyPlacements),
    complaints: sum(s.complaints),
    holidays: sum(s.holidays),
    plans: sum(s.plans),
    promisesKeptShare: ratio(kept, kept + sum(s.promisesBroken)),
    drawsRefused: sum(s.drawsRefused),
  };
}

function meanSeries(reps: readonly Totals[], f: (t: Totals, m: number) => number): number[] {
  const months = reps[0]?.months ?? 0;
  return Array.from({ length: months }, (_, m) =>
    round(sum(reps.map((t) => f(t, m))) / Math.max(1, reps.length)),
  );
}

/** Roll rate from rank i to i+1: loan-months moving on, over loan-months in rank i at a month end. */
export function rollRates(t: Totals): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < 4; i += 1) {
    let from = 0;
    for (let j = 0; j < ROLL_RANKS; j += 1) from += t.rolls[i * ROLL_RANKS + j]!;
    let worse = 0;
    for (let j = i + 1; j < ROLL_RANKS; j += 1) worse += t.rolls[i * ROLL_RANKS + j]!;
    out[`M${i}→M${i + 1}`] = round(ratio(worse, from));
  }
  return out;
}

/** Cumulative share of each vintage's lines ever 30+ days past due, by months on book. */
export function vintageCurves(t: Totals): number[][] {
  return Array.from({ length: t.applicationMonths }, (_, a) => {
    let cum = 0;
    const lines = t.vintageLines[a]!;
    return Array.from({ length: t.months - a }, (_, k) => {
      cum += t.vintageEver30[a * t.months + k]!;
      return round(ratio(cum, lines));
    });
  });
}

function merged(reps: readonly Totals[]): Totals {
  const first = reps[0]!;
  const out = emptyTotals(first.months, first.applicationMonths);
  for (const r of reps) addTotals(out, r);
  return out;
}

/** A strategy's result from its replications' totals (replication order). */
export function strategyResult(name: string, reps: readonly Totals[]): StrategyResult {
  const per = reps.map(metricsOf);
  const metrics = {} as Record<Metric, Interval>;
  for (const k of METRICS) metrics[k] = interval(per.map((p) => p[k]));
  const all = merged(reps);
  const byIndustry: StrategyResult['byIndustry'] = {};
  for (const k of Object.keys(all.byIndustry).sort()) {
    const v = all.byIndustry[k]!;
    byIndustry[k] = {
      approvals: v.approvals,
      disbursed_fen: v.disbursed_fen,
      lossRate: round(ratio(v.writtenOff_fen, v.disbursed_fen)),
      defaultRate: round(ratio(v.defaulted_fen, v.disbursed_fen)),
    };
  }
  return {
    name,
    metrics,
    overTime: {
      nplRatio: meanSeries(reps, (t, m) => ratio(t.series.npl_fen[m]!, t.series.outstanding_fen[m]!)),
      dpd30Ratio: meanSeries(reps, (t, m) => ratio(t.series.dpd30_fen[m]!, t.series.outstanding_fen[m]!)),
      ecl_fen: meanSeries(reps, (t, m) => t.series.ecl_fen[m]!),
      outstanding_fen: meanSeries(reps, (t, m) => t.series.outstanding_fen[m]!),
      cashIn_fen: meanSeries(reps, (t, m) => t.series.cashIn_fen[m]!),
      writtenOff_fen: meanSeries(reps, (t, m) => t.series.writtenOff_fen[m]!),
    },
    rollRates: rollRates(all),
    vintages: vintageCurves(all),
    byIndustry,
  };
}

/** A − B for each figure, paired by replication. */
export function difference(a: readonly Totals[], b: readonly Totals[]): Record<Metric, Interval> {
  const pa = a.map(metricsOf);
  const pb = b.map(metricsOf);
  const out = {} as Record<Metric, Interval>;
  for (const k of METRICS) out[k] = interval(pa.map((x, i) => x[k] - pb[i]![k]));
  return out;
}

export function buildReport(
  run: SimulationReport['run'],
  results: readonly { name: string; reps: readonly Totals[]; archetypes: readonly ArchetypeTrace[] }[],
): SimulationReport {
  const [a, b] = results;
  return {
    format: REPORT_FORMAT,
    formatVersion: 1,
    run,
    strategies: results.map((r) => strategyResult(r.name, r.reps)),
    difference:
      a !== undefined && b !== undefined
        ? { a: a.name, b: b.name, metrics: difference(a.reps, b.reps) }
        : null,
    archetypes: Object.fromEntries(results.map((r) => [r.name, r.archetypes])),
  };
}
