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

/** The format of totals written down (a partition of a run split across machines, decision 0909). */
export const TOTALS_FORMAT = 'lendguard.simulation.totals';

/**
 * Totals as JSON text, exactly: every figure is a whole number (fen or a count) within the safe integer range,
 * written as such; industries in sorted order, so the same totals give the same text. A figure that is not a
 * safe whole number is a fault of the run, refused here rather than written rounded.
 */
export function totalsToText(t: Totals): string {
  const check = (where: string, xs: readonly number[]) => {
    xs.forEach((x, i) => {
      if (!Number.isSafeInteger(x))
        throw new Error(`assertion: totals ${where}[${i}] is ${x}, not a whole number`);
    });
    return xs;
  };
  const series: Record<string, readonly number[]> = {};
  for (const s of SERIES) series[s] = check(s, t.series[s]);
  const byIndustry: Record<string, IndustryTotals> = {};
  for (const k of Object.keys(t.byIndustry).sort()) {
    const v = t.byIndustry[k]!;
    check(`byIndustry.${k}`, [
      v.applications,
      v.approvals,
      v.disbursed_fen,
      v.writtenOff_fen,
      v.defaulted_fen,
    ]);
    byIndustry[k] = {
      applications: v.applications,
      approvals: v.approvals,
      disbursed_fen: v.disbursed_fen,
      writtenOff_fen: v.writtenOff_fen,
      defaulted_fen: v.defaulted_fen,
    };
  }
  return JSON.stringify({
    format: TOTALS_FORMAT,
    formatVersion: 1,
    months: t.months,
    applicationMonths: t.applicationMonths,
    series,
    rolls: check('rolls', t.rolls),
    vintageLines: check('vintageLines', t.vintageLines),
    vintageEver30: check('vintageEver30', t.vintageEver30),
    byIndustry,
  });
}

/** Reads totals written by totalsToText, checking every length and figure; a mismatch throws. */
export function totalsFromText(text: string, months: number, applicationMonths: number): Totals {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new Error(`totals text: ${what}`);
  };
  if (raw.format !== TOTALS_FORMAT || raw.formatVersion !== 1)
    fail('not lendguard.simulation.totals version 1');
  if (raw.months !== months || raw.applicationMonths !== applicationMonths)
    fail(
      `for ${String(raw.months)} months and ${String(raw.applicationMonths)} application months, expected ${months} and ${applicationMonths}`,
    );
  const t = emptyTotals(months, applicationMonths);
  const ints = (where: string, x: unknown, length: number): number[] => {
    if (!Array.isArray(x) || x.length !== length) return fail(`${where} is not a list of ${length}`);
    for (const v of x) if (!Number.isSafeInteger(v)) fail(`${where} holds ${String(v)}, not a whole number`);
    return x as number[];
  };
  const series = raw.series as Record<string, unknown> | undefined;
  if (typeof series !== 'object' || series === null) fail('no series');
  for (const s of SERIES) t.series[s].splice(0, months, ...ints(s, series![s], months));
  t.rolls.splice(0, t.rolls.length, ...ints('rolls', raw.rolls, t.rolls.length));
  t.vintageLines.splice(
    0,
    t.vintageLines.length,
    ...ints('vintageLines', raw.vintageLines, t.vintageLines.length),
  );
  t.vintageEver30.splice(
    0,
    t.vintageEver30.length,
    ...ints('vintageEver30', raw.vintageEver30, t.vintageEver30.length),
  );
  const byIndustry = raw.byIndustry as Record<string, Record<string, unknown>> | undefined;
  if (typeof byIndustry !== 'object' || byIndustry === null) fail('no byIndustry');
  for (const [k, v] of Object.entries(byIndustry!)) {
    const [applications, approvals, disbursed_fen, writtenOff_fen, defaulted_fen] = ints(
      `byIndustry.${k}`,
      [v.applications, v.approvals, v.disbursed_fen, v.writtenOff_fen, v.defaulted_fen],
      5,
    );
    t.byIndustry[k] = {
      applications: applications!,
      approvals: approvals!,
      disbursed_fen: disbursed_fen!,
      writtenOff_fen: writtenOff_fen!,
      defaulted_fen: defaulted_fen!,
    };
  }
  return t;
}
