import { BUCKETS } from '../../ledger/index.js';
import { type Day, parseDate } from '../../money/index.js';
import {
  flowRates,
  monthKeyOfDay,
  ROLL_TARGETS,
  ratioText,
  type TransitionGroup,
  transitionOfGroups,
  type VintageBadGroup,
  type VintageCohortGroup,
  vintageReportOf,
  vintageTotalsOfGroups,
} from '../../reporting/index.js';
import { eclByMonth, LAB_PRODUCT, labMonthEnd } from './ecl.js';
import type { ArchetypeTrace } from './run.js';
import type { LabEcl } from './strategy.js';
import { addTotals, emptyTotals, ROLL_FROM, ROLL_TO, type Totals } from './totals.js';

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
  'hardshipApplications',
  'incomeVerified',
  'lostContacts',
  'monthsLostContact',
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
  /**
   * Monthly roll rates over the run, M0→M1 … M3→M4, from the reporting core's roll-rate matrix by balance: the
   * share of a bucket's balance at a month end that is in a worse bucket at the next, all months summed.
   */
  readonly rollRates: Record<string, number>;
  /**
   * Vintage curves by the reporting core's vintage report, one per draw month of the run (empty when nothing
   * was drawn): M2+ (30+ days) outstanding principal ÷ the cohort's disbursed principal by months on book.
   */
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

function metricsOf(t: Totals, ecl: readonly number[]): Record<Metric, number> {
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
    eclEnd_fen: ecl[last] ?? 0,
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
    hardshipApplications: sum(s.hardshipApplications),
    incomeVerified: sum(s.incomeVerified),
    lostContacts: sum(s.lostContacts),
    monthsLostContact: sum(s.lostContactBorrowers),
  };
}

function meanSeries(reps: readonly Totals[], f: (t: Totals, m: number) => number): number[] {
  const months = reps[0]?.months ?? 0;
  return Array.from({ length: months }, (_, m) =>
    round(sum(reps.map((t) => f(t, m))) / Math.max(1, reps.length)),
  );
}

/** The month-end buckets' transitions of the whole run as the reporting core's store groups, summed over months. */
function runTransitionGroups(t: Totals): TransitionGroup[] {
  const groups: TransitionGroup[] = [];
  for (let f = 0; f < ROLL_FROM; f += 1)
    for (let to = 0; to < ROLL_TO; to += 1) {
      let loans = 0;
      let balance = 0;
      for (let m = 0; m < t.months; m += 1) {
        loans += t.rollLoans[(m * ROLL_FROM + f) * ROLL_TO + to]!;
        balance += t.rollBalance_fen[(m * ROLL_FROM + f) * ROLL_TO + to]!;
      }
      let entered = 0;
      // The flow rate's numerator belongs to the move one bucket up.
      if (to === f + 1 && to < ROLL_FROM)
        for (let m = 0; m < t.months; m += 1) entered += t.rollEntered_fen[m * ROLL_FROM + to]!;
      if (loans === 0) continue;
      groups.push({
        from: BUCKETS[f]!,
        to: ROLL_TARGETS[to]!,
        loans,
        balanceMinor: BigInt(balance),
        enteredBalanceMinor: BigInt(entered),
      });
    }
  return groups;
}

/**
 * Monthly roll rates over the run (迁徙率, M0→M1 … M3→M4): in the reporting core's roll-rate matrix by balance
 * (its Transition, every month's transitions summed), the share of the balance in Mi at a month end that is in
 * a worse bucket at the next. A loan that left the book (settled or written off) is `out`, not worse.
 */
export function rollRates(t: Totals, startDay: Day = parseDate('2027-01-01')): Record<string, number> {
  const transition = transitionOfGroups(
    labMonthEnd(startDay, 1),
    labMonthEnd(startDay, t.months),
    runTransitionGroups(t),
  );
  const out: Record<string, number> = {};
  for (let i = 0; i < 4; i += 1) {
    const row = transition.balanceMinor[BUCKETS[i]!];
    let all = 0n;
    let worse = 0n;
    ROLL_TARGETS.forEach((to, j) => {
      all += row[to];
      if (j > i && to !== 'out') worse += row[to];
    });
    out[`M${i}→M${i + 1}`] = round(Number(ratioText(worse, all) ?? 0));
  }
  return out;
}

/**
 * Flow rates over the run (滚动率, M0→M1 … M3→M4) by the reporting core's flowRates: the balance that moved
 * exactly one bucket up ÷ the balance in the bucket the month end before.
 */
export function flowRatesOfRun(t: Totals, startDay: Day = parseDate('2027-01-01')): Record<string, number> {
  const rates = flowRates(
    transitionOfGroups(labMonthEnd(startDay, 1), labMonthEnd(startDay, t.months), runTransitionGroups(t)),
  );
  const out: Record<string, number> = {};
  for (let i = 0; i < 4; i += 1) out[`M${i}→M${i + 1}`] = round(Number(rates[`M${i}-M${i + 1}`] ?? 0));
  return out;
}

/**
 * Vintage curves from the reporting core's vintage report (its `vintage-m2` table, the `all` segment): one per
 * draw month of the run, the M2+ balance ÷ disbursed at each month end from the draw month's own (MOB0).
 */
export function vintageCurves(t: Totals, startDay: Day = parseDate('2027-01-01')): number[][] {
  const first = monthKeyOfDay(labMonthEnd(startDay, 1));
  const cohorts: VintageCohortGroup[] = [];
  const bad: VintageBadGroup[] = [];
  for (let c = 0; c < t.months; c += 1) {
    cohorts.push({
      segment: LAB_PRODUCT,
      month: first + c,
      loans: t.cohortLoans[c]!,
      disbursedMinor: BigInt(t.cohortDisbursed_fen[c]!),
      fpd30Loans: t.cohortFpd30[c]!,
    });
    for (let k = 0; c + k < t.months; k += 1) {
      const at = (c * t.months + k) * 2;
      bad.push({
        segment: LAB_PRODUCT,
        month: first + c,
        mob: k,
        badMinor: [BigInt(t.vintageBad_fen[at]!), BigInt(t.vintageBad_fen[at + 1]!)],
      });
    }
  }
  const totals = vintageTotalsOfGroups(labMonthEnd(startDay, t.months), cohorts, bad, 'product', t.months);
  const table = vintageReportOf(totals).tables.find((x) => x.name === 'vintage-m2');
  const curves: number[][] = Array.from({ length: t.months }, () => []);
  // The table's rows are the cohorts, in order.
  totals.cohorts.forEach((c, i) => {
    const row = table?.rows[i];
    if (c.segment !== 'all' || row === undefined) return;
    const curve: number[] = [];
    for (let k = 0; c.month + k < first + t.months; k += 1) {
      const v = row[`mob${k}`];
      if (v === null || v === undefined) break;
      curve.push(round(Number(v)));
    }
    curves[c.month - first] = curve;
  });
  return curves;
}

function merged(reps: readonly Totals[]): Totals {
  const first = reps[0]!;
  const out = emptyTotals(first.months, first.applicationMonths);
  for (const r of reps) addTotals(out, r);
  return out;
}

/** A strategy's ECL month by month, per replication (the reporting core's, eclByMonth). */
export function eclOfReplications(reps: readonly Totals[], ecl: LabEcl, startDay: Day): number[][] {
  return reps.map((t) => eclByMonth(t, ecl, startDay));
}

/**
 * A strategy's result from its replications' totals (replication order) and their ECL month by month
 * (eclOfReplications).
 */
export function strategyResult(
  name: string,
  reps: readonly Totals[],
  ecl: readonly (readonly number[])[],
  startDay: Day,
): StrategyResult {
  const per = reps.map((t, i) => metricsOf(t, ecl[i]!));
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
  const months = reps[0]?.months ?? 0;
  return {
    name,
    metrics,
    overTime: {
      nplRatio: meanSeries(reps, (t, m) => ratio(t.series.npl_fen[m]!, t.series.outstanding_fen[m]!)),
      dpd30Ratio: meanSeries(reps, (t, m) => ratio(t.series.dpd30_fen[m]!, t.series.outstanding_fen[m]!)),
      ecl_fen: Array.from({ length: months }, (_, m) =>
        round(sum(ecl.map((e) => e[m]!)) / Math.max(1, ecl.length)),
      ),
      outstanding_fen: meanSeries(reps, (t, m) => t.series.outstanding_fen[m]!),
      cashIn_fen: meanSeries(reps, (t, m) => t.series.cashIn_fen[m]!),
      writtenOff_fen: meanSeries(reps, (t, m) => t.series.writtenOff_fen[m]!),
    },
    rollRates: rollRates(all, startDay),
    vintages: vintageCurves(all, startDay),
    byIndustry,
  };
}

/** A − B for each figure, paired by replication. */
export function difference(
  a: readonly Totals[],
  b: readonly Totals[],
  eclA: readonly (readonly number[])[],
  eclB: readonly (readonly number[])[],
): Record<Metric, Interval> {
  const pa = a.map((t, i) => metricsOf(t, eclA[i]!));
  const pb = b.map((t, i) => metricsOf(t, eclB[i]!));
  const out = {} as Record<Metric, Interval>;
  for (const k of METRICS) out[k] = interval(pa.map((x, i) => x[k] - pb[i]![k]));
  return out;
}

export function buildReport(
  run: SimulationReport['run'],
  results: readonly {
    name: string;
    reps: readonly Totals[];
    archetypes: readonly ArchetypeTrace[];
    /** The strategy's ECL settings (its ResolvedStrategy's). */
    ecl: LabEcl;
  }[],
): SimulationReport {
  const startDay = parseDate(run.startDate, 'startDate');
  const ecls = results.map((r) => eclOfReplications(r.reps, r.ecl, startDay));
  const [a, b] = results;
  return {
    format: REPORT_FORMAT,
    formatVersion: 1,
    run,
    strategies: results.map((r, i) => strategyResult(r.name, r.reps, ecls[i]!, startDay)),
    difference:
      a !== undefined && b !== undefined
        ? { a: a.name, b: b.name, metrics: difference(a.reps, b.reps, ecls[0]!, ecls[1]!) }
        : null,
    archetypes: Object.fromEntries(results.map((r) => [r.name, r.archetypes])),
  };
}
