import type { Bucket } from '../ledger/index.js';
import { type Day, formatDate } from '../money/index.js';
import type { MonthEndLoan } from './month-end.js';
import { formatMonthKey, type MonthKey, monthKeyOfDay } from './months.js';
import type { Report, ReportColumn, ReportTable } from './report.js';
import { addMinor, bucketAtLeast, moneyText, ratioText } from './report-values.js';

/** A drawn loan as a vintage sees it: its cohort (draw month), segments and disbursed principal. */
export interface VintageLoan {
  readonly loanId: string;
  readonly productId: string;
  readonly openedDay: Day;
  readonly disbursedMinor: number;
  /** The channel of the application that opened the loan's credit line; null when there is none (imported). */
  readonly channel?: string | null;
  /** The origination policy version of that application's approving decision; null when there is none. */
  readonly policyVersion?: string | null;
}

/** What a vintage's segments are: the loan's product, its application's channel, or its approving policy. */
export const VINTAGE_GROUPINGS = ['product', 'channel', 'policy'] as const;
export type VintageBy = (typeof VINTAGE_GROUPINGS)[number];
/** The segment of loans without the attribute (loans imported or opened without an application). */
export const VINTAGE_UNKNOWN_SEGMENT = 'unknown';

export function isVintageBy(text: string): text is VintageBy {
  return (VINTAGE_GROUPINGS as readonly string[]).includes(text);
}

/** The loan's segment under a grouping (`unknown` when the loan does not carry the attribute). */
export function vintageSegmentOf(loan: VintageLoan, by: VintageBy): string {
  const value = by === 'product' ? loan.productId : by === 'channel' ? loan.channel : loan.policyVersion;
  return value === null || value === undefined || value === '' ? VINTAGE_UNKNOWN_SEGMENT : value;
}

export type VintageRow = Pick<
  MonthEndLoan,
  'loanId' | 'bucket' | 'daysPastDue' | 'outstandingPrincipalMinor' | 'oldestOverdueInstallment'
>;

/** Draw months a vintage report shows, the report's month the last. */
export const VINTAGE_COHORTS_MAX = 24;
/** Month ends after the draw month by which a monthly loan's first instalment is 30 days overdue (FPD30). */
export const FPD30_MATURE_MONTHS = 2;
/** The thresholds the vintage tables are drawn at: 30+ (M2+) and 90+ (M4+) days past due. */
export const VINTAGE_THRESHOLDS: readonly Bucket[] = ['M2', 'M4'];

export interface VintageInput {
  /** The report's month end. */
  readonly monthEnd: Day;
  /** Loans drawn in the cohorts (settled ones too: they stay in the denominator). */
  readonly loans: readonly VintageLoan[];
  /** Month-end rows by month key, for every month from the oldest cohort to the report's month. */
  readonly months: ReadonlyMap<MonthKey, readonly VintageRow[]>;
  /** The segments besides `all` (default: by product). */
  readonly by?: VintageBy;
}

interface Cohort {
  readonly segment: string;
  readonly month: MonthKey;
  readonly loanIds: ReadonlySet<string>;
  readonly disbursedMinor: bigint;
}

/** Cohorts in report order: the `all` segment first, then the segments by name; draw months oldest first. */
export function cohortOrder(
  a: { readonly segment: string; readonly month: MonthKey },
  b: { readonly segment: string; readonly month: MonthKey },
): number {
  return a.segment === b.segment
    ? a.month - b.month
    : a.segment === 'all'
      ? -1
      : b.segment === 'all'
        ? 1
        : a.segment < b.segment
          ? -1
          : 1;
}

function cohortsOf(input: VintageInput): Cohort[] {
  const last = monthKeyOfDay(input.monthEnd);
  const first = last - VINTAGE_COHORTS_MAX + 1;
  const groups = new Map<string, { segment: string; month: MonthKey; ids: Set<string>; disbursed: bigint }>();
  const add = (segment: string, month: MonthKey, l: VintageLoan) => {
    const key = `${segment}/${month}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { segment, month, ids: new Set(), disbursed: 0n };
      groups.set(key, g);
    }
    g.ids.add(l.loanId);
    g.disbursed = addMinor(g.disbursed, l.disbursedMinor);
  };
  for (const l of input.loans) {
    const month = monthKeyOfDay(l.openedDay);
    if (month < first || month > last) continue;
    add('all', month, l);
    add(vintageSegmentOf(l, input.by ?? 'product'), month, l);
  }
  return [...groups.values()]
    .sort(cohortOrder)
    .map((g) => ({ segment: g.segment, month: g.month, loanIds: g.ids, disbursedMinor: g.disbursed }));
}

/**
 * Vintage (账龄分析, domain.md §3): at months on book k (MOB0 = the draw month's end), the outstanding
 * principal of the cohort's loans at or past a threshold at that month end ÷ the cohort's disbursed principal.
 * The numerators of every cohort, MOB and threshold in one pass over the month-end rows.
 */
interface VintageSums {
  /** `segment/month` → threshold index → balance by MOB. */
  readonly bad: ReadonlyMap<string, bigint[][]>;
  /** Loans ever seen more than 30 days past due with the first instalment the oldest overdue (FPD30). */
  readonly fpd: ReadonlySet<string>;
}

/** Whether a month-end row makes its loan a first-payment default (FPD30): more than 30 DPD, the first instalment the oldest overdue. */
export function isFpd30Row(r: Pick<VintageRow, 'daysPastDue' | 'oldestOverdueInstallment'>): boolean {
  return r.daysPastDue > 30 && r.oldestOverdueInstallment === 1;
}

/** Whether a month-end row's balance counts at the threshold VINTAGE_THRESHOLDS[threshold] (its bucket at or past it). */
export function isVintageBad(r: Pick<VintageRow, 'bucket'>, threshold: number): boolean {
  return bucketAtLeast(r.bucket, VINTAGE_THRESHOLDS[threshold] as Bucket);
}

function vintageSums(input: VintageInput, cohorts: readonly Cohort[]): VintageSums {
  const last = monthKeyOfDay(input.monthEnd);
  const loanCohorts = new Map<string, Cohort[]>();
  for (const c of cohorts) {
    for (const id of c.loanIds) {
      const list = loanCohorts.get(id);
      if (list === undefined) loanCohorts.set(id, [c]);
      else list.push(c);
    }
  }
  const bad = new Map<string, bigint[][]>();
  for (const c of cohorts) {
    bad.set(
      `${c.segment}/${c.month}`,
      VINTAGE_THRESHOLDS.map(() => Array.from({ length: last - c.month + 1 }, () => 0n)),
    );
  }
  const fpd = new Set<string>();
  for (const [month, rows] of input.months) {
    if (month > last) continue;
    for (const r of rows) {
      const owners = loanCohorts.get(r.loanId);
      if (owners === undefined) continue;
      if (isFpd30Row(r)) fpd.add(r.loanId);
      for (const c of owners) {
        const mob = month - c.month;
        if (mob < 0) continue;
        const sums = bad.get(`${c.segment}/${c.month}`) as bigint[][];
        VINTAGE_THRESHOLDS.forEach((_, i) => {
          if (isVintageBad(r, i)) {
            const byMob = sums[i] as bigint[];
            byMob[mob] = addMinor(byMob[mob] as bigint, r.outstandingPrincipalMinor);
          }
        });
      }
    }
  }
  return { bad, fpd };
}

function vintageCell(
  totals: VintageTotals,
  cohort: VintageCohort,
  mob: number,
  threshold: number,
): string | null {
  if (cohort.month + mob > monthKeyOfDay(totals.monthEnd)) return null;
  const bad = totals.bad.get(`${cohort.segment}/${cohort.month}`)?.[threshold]?.[mob] ?? 0n;
  return ratioText(bad, cohort.disbursedMinor);
}

/**
 * First-payment default FPD30 (首期逾期30天+): a loan seen at some month end more than 30 days past due with its
 * first instalment the oldest overdue one. Counted over the loans of a cohort whose draw month is at least
 * FPD30_MATURE_MONTHS before the report's month (so every one of them has had a month end past that point).
 */
function fpdLoans(sums: VintageSums, cohort: Cohort): Set<string> {
  return new Set([...cohort.loanIds].filter((id) => sums.fpd.has(id)));
}

function mobCount(
  input: { readonly monthEnd: Day },
  cohorts: readonly { readonly month: MonthKey }[],
): number {
  const last = monthKeyOfDay(input.monthEnd);
  return cohorts.reduce((n, c) => Math.max(n, last - c.month + 1), 0);
}

function rowKey(c: { readonly segment: string; readonly month: MonthKey }): string {
  return `${c.segment}/${formatMonthKey(c.month)}`;
}

const SEGMENT_LABELS: Record<VintageBy, { en: string; zh: string }> = {
  product: { en: 'Product', zh: '产品' },
  channel: { en: 'Channel', zh: '渠道' },
  policy: { en: 'Policy version', zh: '策略版本' },
};

const SEGMENT_NOTES: Record<VintageBy, { en: string; zh: string }> = {
  product: {
    en: 'Segments: all loans, then each product.',
    zh: '分组：全部贷款，然后按产品。',
  },
  channel: {
    en: `Segments: all loans, then the channel of the application that opened the loan’s credit line; loans with no such application (imported loans) are under “${VINTAGE_UNKNOWN_SEGMENT}”.`,
    zh: `分组：全部贷款，然后按开立该贷款授信额度的申请的渠道；无此申请的贷款（如导入的贷款）归入“${VINTAGE_UNKNOWN_SEGMENT}”。`,
  },
  policy: {
    en: `Segments: all loans, then the origination policy version of the decision that approved the application which opened the loan’s credit line; loans with no such approval (imported loans) are under “${VINTAGE_UNKNOWN_SEGMENT}”.`,
    zh: `分组：全部贷款，然后按批准开立该贷款授信额度之申请的审批决定所用的准入策略版本；无此审批的贷款（如导入的贷款）归入“${VINTAGE_UNKNOWN_SEGMENT}”。`,
  },
};

function cohortColumns(by: VintageBy): ReportColumn[] {
  return [
    { key: 'row', label: { en: 'Row', zh: '行' }, type: 'text' },
    { key: 'segment', label: SEGMENT_LABELS[by], type: 'text' },
    { key: 'cohort', label: { en: 'Draw month', zh: '放款月' }, type: 'text' },
    { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' },
    { key: 'disbursed', label: { en: 'Disbursed', zh: '放款金额' }, type: 'money' },
  ];
}

/** One cohort in figures: its loans, disbursed principal and loans counted as FPD30. */
export interface VintageCohort {
  readonly segment: string;
  readonly month: MonthKey;
  readonly loans: number;
  readonly disbursedMinor: bigint;
  readonly fpd30Loans: number;
}

/**
 * A vintage in figures: the cohorts in report order and, by `segment/month`, the balance at or past each
 * threshold by MOB. The report is drawn from these alone, whether summed from rows here or by a store.
 */
export interface VintageTotals {
  readonly monthEnd: Day;
  /** The segments besides `all` (default: by product). */
  readonly by?: VintageBy;
  readonly cohorts: readonly VintageCohort[];
  readonly bad: ReadonlyMap<string, readonly (readonly bigint[])[]>;
}

export function vintageTotals(input: VintageInput): VintageTotals {
  const cohorts = cohortsOf(input);
  const sums = vintageSums(input, cohorts);
  return {
    monthEnd: input.monthEnd,
    by: input.by ?? 'product',
    cohorts: cohorts.map((c) => ({
      segment: c.segment,
      month: c.month,
      loans: c.loanIds.size,
      disbursedMinor: c.disbursedMinor,
      fpd30Loans: fpdLoans(sums, c).size,
    })),
    bad: sums.bad,
  };
}

/**
 * One group of month-end balances as a store sums them: a segment's draw month, the months on book, and the
 * balance at or past each threshold (in VINTAGE_THRESHOLDS order). The segment is the loans' product, channel
 * or policy version, as the store was asked; null for loans without the attribute.
 */
export interface VintageBadGroup {
  readonly segment: string | null;
  readonly month: MonthKey;
  readonly mob: number;
  readonly badMinor: readonly bigint[];
}

/** A segment's draw month as a store counts it: loans, disbursed principal and FPD30 loans. */
export interface VintageCohortGroup {
  readonly segment: string | null;
  readonly month: MonthKey;
  readonly loans: number;
  readonly disbursedMinor: bigint;
  readonly fpd30Loans: number;
}

/** A store group's segment: its value, or `unknown` for loans without the attribute. */
function groupSegment(segment: string | null): string {
  return segment === null || segment === '' ? VINTAGE_UNKNOWN_SEGMENT : segment;
}

/**
 * The vintage figures from groups a store summed by segment (the `all` segment is their sum): the same
 * figures `vintageTotals` gives from the rows. Groups outside the report's cohorts are ignored; several groups
 * of one segment (null and '' are both `unknown`) add up. `cohortsMax`: the draw months shown, the report's month
 * the last (the report's 24; the strategy lab shows every month of its run).
 */
export function vintageTotalsOfGroups(
  monthEnd: Day,
  cohortGroups: readonly VintageCohortGroup[],
  badGroups: readonly VintageBadGroup[],
  by: VintageBy = 'product',
  cohortsMax: number = VINTAGE_COHORTS_MAX,
): VintageTotals {
  const last = monthKeyOfDay(monthEnd);
  const first = last - cohortsMax + 1;
  const cohorts = new Map<
    string,
    { segment: string; month: MonthKey; loans: number; disbursedMinor: bigint; fpd30Loans: number }
  >();
  const add = (segment: string, g: VintageCohortGroup) => {
    const key = `${segment}/${g.month}`;
    const c = cohorts.get(key);
    if (c === undefined) {
      cohorts.set(key, {
        segment,
        month: g.month,
        loans: g.loans,
        disbursedMinor: g.disbursedMinor,
        fpd30Loans: g.fpd30Loans,
      });
    } else {
      c.loans += g.loans;
      c.disbursedMinor += g.disbursedMinor;
      c.fpd30Loans += g.fpd30Loans;
    }
  };
  for (const g of cohortGroups) {
    if (g.month < first || g.month > last || g.loans === 0) continue;
    add('all', g);
    add(groupSegment(g.segment), g);
  }
  const ordered = [...cohorts.values()].sort(cohortOrder);
  const bad = new Map<string, bigint[][]>();
  for (const c of ordered) {
    bad.set(
      `${c.segment}/${c.month}`,
      VINTAGE_THRESHOLDS.map(() => Array.from({ length: last - c.month + 1 }, () => 0n)),
    );
  }
  for (const g of badGroups) {
    if (g.mob < 0 || g.month + g.mob > last) continue;
    for (const segment of ['all', groupSegment(g.segment)]) {
      const sums = bad.get(`${segment}/${g.month}`);
      if (sums === undefined) continue;
      VINTAGE_THRESHOLDS.forEach((_, i) => {
        const byMob = sums[i] as bigint[];
        byMob[g.mob] = (byMob[g.mob] as bigint) + (g.badMinor[i] ?? 0n);
      });
    }
  }
  return { monthEnd, by, cohorts: ordered, bad };
}

export function vintageReport(input: VintageInput): Report {
  return vintageReportOf(vintageTotals(input));
}

/** The vintage report from its figures. */
export function vintageReportOf(totals: VintageTotals): Report {
  const input = totals;
  const cohorts = totals.cohorts;
  const by = totals.by ?? 'product';
  const mobs = mobCount(input, cohorts);
  const curves: ReportTable[] = VINTAGE_THRESHOLDS.map((threshold, t) => ({
    name: `vintage-${threshold.toLowerCase()}`,
    label: {
      en: `Vintage, ${threshold}+ balance ÷ disbursed`,
      zh: `账龄分析（${threshold}+余额 ÷ 放款金额）`,
    },
    columns: [
      ...cohortColumns(by),
      ...Array.from({ length: mobs }, (_, k) => ({
        key: `mob${k}`,
        label: { en: `MOB${k}`, zh: `MOB${k}` },
        type: 'ratio' as const,
      })),
    ],
    rows: cohorts.map((c) => ({
      row: rowKey(c),
      segment: c.segment,
      cohort: formatMonthKey(c.month),
      loans: c.loans,
      disbursed: moneyText(c.disbursedMinor),
      ...Object.fromEntries(
        Array.from({ length: mobs }, (_, k) => [`mob${k}`, vintageCell(totals, c, k, t)]),
      ),
    })),
  }));
  const last = monthKeyOfDay(input.monthEnd);
  const fpd: ReportTable = {
    name: 'fpd',
    label: { en: 'First-payment default (FPD30)', zh: '首期逾期率（FPD30）' },
    columns: [
      ...cohortColumns(by),
      { key: 'fpd30', label: { en: 'FPD30 loans', zh: 'FPD30笔数' }, type: 'int' },
      { key: 'fpd30Rate', label: { en: 'FPD30 rate', zh: 'FPD30比率' }, type: 'ratio' },
    ],
    rows: cohorts.map((c) => {
      const mature = c.month + FPD30_MATURE_MONTHS <= last;
      const n = mature ? c.fpd30Loans : null;
      return {
        row: rowKey(c),
        segment: c.segment,
        cohort: formatMonthKey(c.month),
        loans: c.loans,
        disbursed: moneyText(c.disbursedMinor),
        fpd30: n,
        fpd30Rate: n === null ? null : ratioText(n, c.loans),
      };
    }),
  };
  const all = cohorts.filter((c) => c.segment === 'all');
  return {
    kind: 'vintage',
    asOf: formatDate(input.monthEnd),
    title:
      by === 'product'
        ? { en: 'Vintage curves and first-payment default', zh: '账龄曲线与首期逾期' }
        : {
            en: `Vintage curves and first-payment default, by ${SEGMENT_LABELS[by].en.toLowerCase()}`,
            zh: `账龄曲线与首期逾期（按${SEGMENT_LABELS[by].zh}）`,
          },
    summary: [
      { key: 'cohorts', label: { en: 'Draw months', zh: '放款月数' }, type: 'int', value: all.length },
      {
        key: 'loans',
        label: { en: 'Loans drawn', zh: '放款笔数' },
        type: 'int',
        value: all.reduce((n, c) => n + c.loans, 0),
      },
      {
        key: 'disbursed',
        label: { en: 'Disbursed', zh: '放款金额' },
        type: 'money',
        value: moneyText(all.reduce((n, c) => n + c.disbursedMinor, 0n)),
      },
    ],
    tables: [...curves, fpd],
    notes: [
      {
        en: 'Vintage at MOBk = outstanding principal of the draw month’s loans at or past the threshold bucket at the k-th month end after the draw month (MOB0 = the draw month’s own end) ÷ the cohort’s disbursed principal. Settled loans stay in the denominator.',
        zh: 'MOBk账龄值 = 放款月贷款在放款后第k个月末处于阈值档及以上的本金余额 ÷ 该批次放款本金（MOB0为放款当月月末）。已结清贷款仍计入分母。',
      },
      SEGMENT_NOTES[by],
      {
        en: `FPD30 = loans seen at a month end more than 30 days past due with the first instalment the oldest overdue ÷ the cohort’s loans, shown for draw months at least ${FPD30_MATURE_MONTHS} months before the report’s month.`,
        zh: `FPD30 = 某月末逾期超30天且最早逾期期次为第1期的贷款笔数 ÷ 批次笔数，仅显示放款月早于报告月至少${FPD30_MATURE_MONTHS}个月的批次。`,
      },
    ],
  };
}

/** The loans behind a vintage cell (row = `segment/YYYY-MM`, column = `mobK`, `fpd30` or `loans`). */
export function vintageCellLoans(
  input: VintageInput,
  table: string,
  row: string,
  column: string,
): string[] | null {
  const cohorts = cohortsOf(input);
  const cohort = cohorts.find((c) => rowKey(c) === row);
  if (cohort === undefined) return null;
  if (column === 'loans' || column === 'disbursed' || column === 'row') return [...cohort.loanIds].sort();
  if (table === 'fpd' && (column === 'fpd30' || column === 'fpd30Rate'))
    return [...fpdLoans(vintageSums(input, cohorts), cohort)].sort();
  const threshold = VINTAGE_THRESHOLDS.find((t) => table === `vintage-${t.toLowerCase()}`);
  const mob = /^mob(\d+)$/.exec(column);
  if (threshold === undefined || mob === null) return null;
  const month = cohort.month + Number(mob[1]);
  if (month > monthKeyOfDay(input.monthEnd)) return null;
  return (input.months.get(month) ?? [])
    .filter((r) => cohort.loanIds.has(r.loanId) && bucketAtLeast(r.bucket, threshold))
    .map((r) => r.loanId)
    .sort();
}
