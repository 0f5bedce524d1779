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
  /** Hardship applications (困难申请) recorded on open cases. */
  'hardshipApplications',
  /** Of them, those with income evidence recorded as the case's verified income. */
  'incomeVerified',
  /** Cases marked lost contact (失联) in the month. */
  'lostContacts',
  /** Borrowers whose open case is marked lost contact at the month end. */
  'lostContactBorrowers',
  /** Case refreshes that read a behaviour score (the borrower's line scored at the month before). */
  'scoredCases',
] as const;
export type Series = (typeof SERIES)[number];

/** Buckets of the month-end rows (M0…M7) and where a loan can be a month later: a bucket or out of the book. */
export const ROLL_FROM = 8;
export const ROLL_TO = 9;
/** The chain states of the ECL's transition counts (MARKOV_STATES: M0–M3, D, C). */
export const CHAIN_STATES = 6;

export interface IndustryTotals {
  applications: number;
  approvals: number;
  disbursed_fen: number;
  writtenOff_fen: number;
  defaulted_fen: number;
}

/**
 * What the reporting core reads of the book's month-end rows (the lab's month m: each borrower's month end),
 * summed as the product's store sums them, so that parts add up: roll-rate groups, vintage groups, the ECL
 * chain's transition counts, the exposures by the parameters their ECL depends on, and the workouts.
 */
export interface Totals {
  readonly months: number;
  readonly applicationMonths: number;
  readonly series: Record<Series, number[]>;
  /** Loans in bucket f at month end m − 1 and in bucket (or out, 8) t at m: [(m * ROLL_FROM + f) * ROLL_TO + t]. */
  readonly rollLoans: number[];
  /** Their outstanding principal at month end m − 1, same index. */
  readonly rollBalance_fen: number[];
  /** Outstanding principal at month end m of the loans that moved one bucket up into bucket b: [m * ROLL_FROM + b]. */
  readonly rollEntered_fen: number[];
  /** Loans drawn in month m, their principal, and those of them seen as first-payment defaults (FPD30). */
  readonly cohortLoans: number[];
  readonly cohortDisbursed_fen: number[];
  readonly cohortFpd30: number[];
  /** Outstanding principal of month c's loans at month end c + k at or past threshold i (VINTAGE_THRESHOLDS): [(c * months + k) * 2 + i]. */
  readonly vintageBad_fen: number[];
  /** By segment, loans in chain state f at month end m − 1 and in t at m (f live): [(m * CHAIN_STATES + f) * CHAIN_STATES + t]. */
  readonly chain: Record<string, number[]>;
  /**
   * By exposure key (kind, segment, bucket, stage, the PD's horizon, rate, occupation, industry): the balance
   * (a loan's gross receivable, a line's undrawn limit) at each month end.
   */
  readonly exposures: Map<string, number[]>;
  /** Workouts, one after another: default day, EAD at default, annual rate in millionths, n, then n × (day, amount). */
  readonly workouts: number[];
  readonly byIndustry: Record<string, IndustryTotals>;
}

/**
 * `n` zeros in an array whose elements are kept as doubles from the start. A sum of fen outgrows the engine's
 * small integers (2^30) part way through a run; an array of small integers then changes its representation, and
 * every compiled function that adds into such arrays is thrown away and compiled again (about a second each time
 * for the borrower's simulation, several times a run). The values are the same whole numbers either way.
 */
export function zeros(n: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < n; i += 1) x.push(0.5);
  return x.fill(0);
}

export function emptyTotals(months: number, applicationMonths: number): Totals {
  const series = {} as Record<Series, number[]>;
  for (const s of SERIES) series[s] = zeros(months);
  return {
    months,
    applicationMonths,
    series,
    rollLoans: zeros(months * ROLL_FROM * ROLL_TO),
    rollBalance_fen: zeros(months * ROLL_FROM * ROLL_TO),
    rollEntered_fen: zeros(months * ROLL_FROM),
    cohortLoans: zeros(months),
    cohortDisbursed_fen: zeros(months),
    cohortFpd30: zeros(months),
    vintageBad_fen: zeros(months * months * 2),
    chain: {},
    exposures: new Map(),
    workouts: [],
    byIndustry: {},
  };
}

/** The array kept under `key` of a record, made of `length` zeros the first time. */
export function keyed(record: Record<string, number[]>, key: string, length: number): number[] {
  let x = record[key];
  if (x === undefined) {
    x = zeros(length);
    record[key] = x;
  }
  return x;
}

/** The array kept under `key` of a map, made of `length` zeros the first time. */
export function keptIn(map: Map<string, number[]>, key: string, length: number): number[] {
  let x = map.get(key);
  if (x === undefined) {
    x = zeros(length);
    map.set(key, x);
  }
  return x;
}

/** The whole-number arrays of totals, by name, added element by element. */
const ARRAYS = [
  'rollLoans',
  'rollBalance_fen',
  'rollEntered_fen',
  'cohortLoans',
  'cohortDisbursed_fen',
  'cohortFpd30',
  'vintageBad_fen',
] as const;

export function industryOf(t: Totals, industry: string): IndustryTotals {
  let x = t.byIndustry[industry];
  if (x === undefined) {
    // Made with fractions and then zeroed, so that the fields hold doubles from the start (see zeros).
    const y = {
      applications: 0.5,
      approvals: 0.5,
      disbursed_fen: 0.5,
      writtenOff_fen: 0.5,
      defaulted_fen: 0.5,
    };
    y.applications = 0;
    y.approvals = 0;
    y.disbursed_fen = 0;
    y.writtenOff_fen = 0;
    y.defaulted_fen = 0;
    x = y;
    t.byIndustry[industry] = x;
  }
  return x;
}

/** Adds `b` into `a` (element by element; workouts appended, so parts are added in borrower order). */
export function addTotals(a: Totals, b: Totals): Totals {
  for (const s of SERIES) for (let i = 0; i < a.months; i += 1) a.series[s][i]! += b.series[s][i]!;
  for (const k of ARRAYS) {
    const x = a[k];
    const y = b[k];
    for (let i = 0; i < x.length; i += 1) x[i]! += y[i]!;
  }
  for (const [k, v] of Object.entries(b.chain)) {
    const x = keyed(a.chain, k, v.length);
    for (let i = 0; i < v.length; i += 1) x[i]! += v[i]!;
  }
  for (const [k, v] of b.exposures) {
    const x = keptIn(a.exposures, k, v.length);
    for (let i = 0; i < v.length; i += 1) x[i]! += v[i]!;
  }
  for (const w of b.workouts) a.workouts.push(w);
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
 * Totals as JSON text, exactly: every figure is a whole number (fen, a count or a day) within the safe integer
 * range, written as such; keyed records in sorted order, so the same totals give the same text. A figure that
 * is not a safe whole number is a fault of the run, refused here rather than written rounded.
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
  const arrays: Record<string, readonly number[]> = {};
  for (const k of ARRAYS) arrays[k] = check(k, t[k]);
  const sorted = (name: string, r: Record<string, number[]>) => {
    const out: Record<string, readonly number[]> = {};
    for (const k of Object.keys(r).sort()) out[k] = check(`${name}.${k}`, r[k]!);
    return out;
  };
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
    formatVersion: 2,
    months: t.months,
    applicationMonths: t.applicationMonths,
    series,
    ...arrays,
    chain: sorted('chain', t.chain),
    exposures: sorted('exposures', Object.fromEntries(t.exposures)),
    workouts: check('workouts', t.workouts),
    byIndustry,
  });
}

/** Reads totals written by totalsToText, checking every length and figure; a mismatch throws. */
export function totalsFromText(text: string, months: number, applicationMonths: number): Totals {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new Error(`totals text: ${what}`);
  };
  if (raw.format !== TOTALS_FORMAT || raw.formatVersion !== 2)
    fail('not lendguard.simulation.totals version 2');
  if (raw.months !== months || raw.applicationMonths !== applicationMonths)
    fail(
      `for ${String(raw.months)} months and ${String(raw.applicationMonths)} application months, expected ${months} and ${applicationMonths}`,
    );
  const t = emptyTotals(months, applicationMonths);
  const ints = (where: string, x: unknown, length: number | null): number[] => {
    if (!Array.isArray(x) || (length !== null && x.length !== length))
      return fail(`${where} is not a list of ${length ?? 'numbers'}`);
    for (const v of x) if (!Number.isSafeInteger(v)) fail(`${where} holds ${String(v)}, not a whole number`);
    return x as number[];
  };
  const series = raw.series as Record<string, unknown> | undefined;
  if (typeof series !== 'object' || series === null) fail('no series');
  for (const s of SERIES) t.series[s].splice(0, months, ...ints(s, series![s], months));
  for (const k of ARRAYS) {
    const x = ints(k, raw[k], t[k].length);
    for (let i = 0; i < x.length; i += 1) t[k][i] = x[i]!;
  }
  for (const [name, length] of [
    ['chain', months * CHAIN_STATES * CHAIN_STATES],
    ['exposures', months],
  ] as const) {
    const r = raw[name] as Record<string, unknown> | undefined;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) fail(`no ${name}`);
    for (const [k, v] of Object.entries(r!)) {
      const x = [...ints(`${name}.${k}`, v, length)];
      if (name === 'chain') t.chain[k] = x;
      else t.exposures.set(k, x);
    }
  }
  for (const w of ints('workouts', raw.workouts, null)) t.workouts.push(w);
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
