/**
 * What a run counts, month by month: whole numbers only (fen and counts), so that totals of parts add up to
 * the same figures in any order — the run gives the same report whatever the number of workers.
 */

export const SERIES = [
  'applications',
  'approvals',
  'disbursed_fen',
  'outstanding_fen',
  'npl_fen',
  'ecl_fen',
  'dpd30_fen',
  'dpd90_fen',
  'interest_fen',
  'penalty_fen',
  'fees_fen',
  'cashIn_fen',
  'collectionCost_fen',
  'writtenOff_fen',
  'defaulted_fen',
  'recovered_fen',
  'lawsuits',
  'complaints',
  'calls',
  'reminders',
  'letters',
  'agencyPlacements',
  'pastDueBorrowers',
  'negativeReportBorrowers',
  'holidays',
  'plans',
  'offersRefusedByRules',
  'offersDeclined',
  'promises',
  'promisesKept',
  'promisesBroken',
  'draws',
  'drawsRefused',
] as const;
export type Series = (typeof SERIES)[number];

/** Ranks of the roll-rate matrix: M0 … M6 by days past due, 7 = written off. */
export const ROLL_RANKS = 8;

export interface IndustryTotals {
  applications: number;
  approvals: number;
  disbursed_fen: number;
  writtenOff_fen: number;
  defaulted_fen: number;
}

export interface Totals {
  readonly months: number;
  readonly applicationMonths: number;
  readonly series: Record<Series, number[]>;
  /** Loan-months moving from rank i at one month end to rank j at the next: rolls[i * ROLL_RANKS + j]. */
  readonly rolls: number[];
  /** Lines opened by application month. */
  readonly vintageLines: number[];
  /** Lines first 30+ days past due, by application month and months on book: [a * months + k]. */
  readonly vintageEver30: number[];
  readonly byIndustry: Record<string, IndustryTotals>;
}

export function emptyTotals(months: number, applicationMonths: number): Totals {
  const series = {} as Record<Series, number[]>;
  for (const s of SERIES) series[s] = new Array<number>(months).fill(0);
  return {
    months,
    applicationMonths,
    series,
    rolls: new Array<number>(ROLL_RANKS * ROLL_RANKS).fill(0),
    vintageLines: new Array<number>(applicationMonths).fill(0),
    vintageEver30: new Array<number>(applicationMonths * months).fill(0),
    byIndustry: {},
  };
}

export function industryOf(t: Totals, industry: string): IndustryTotals {
  let x = t.byIndustry[industry];
  if (x === undefined) {
    x = { applications: 0, approvals: 0, disbursed_fen: 0, writtenOff_fen: 0, defaulted_fen: 0 };
    t.byIndustry[industry] = x;
  }
  return x;
}

/** Adds `b` into `a` (element by element). */
export function addTotals(a: Totals, b: Totals): Totals {
  for (const s of SERIES) for (let i = 0; i < a.months; i += 1) a.series[s][i]! += b.series[s][i]!;
  for (let i = 0; i < a.rolls.length; i += 1) a.rolls[i]! += b.rolls[i]!;
  for (let i = 0; i < a.vintageLines.length; i += 1) a.vintageLines[i]! += b.vintageLines[i]!;
  for (let i = 0; i < a.vintageEver30.length; i += 1) a.vintageEver30[i]! += b.vintageEver30[i]!;
  for (const [k, v] of Object.entries(b.byIndustry)) {
    const x = industryOf(a, k);
    x.applications += v.applications;
    x.approvals += v.approvals;
    x.disbursed_fen += v.disbursed_fen;
    x.writtenOff_fen += v.writtenOff_fen;
    x.defaulted_fen += v.defaulted_fen;
  }
  return a;
}
