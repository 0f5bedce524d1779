import { BUCKETS, type Bucket, bucketRank } from '../ledger/index.js';
import { type Day, formatDate } from '../money/index.js';
import type { MonthEndLoan } from './month-end.js';
import type { Report, ReportColumn, ReportTable } from './report.js';
import { addMinor, moneyText, ratioText, sharesText } from './report-values.js';

/** What roll rates read of a month-end row. */
export type RollRow = Pick<MonthEndLoan, 'loanId' | 'bucket' | 'daysPastDue' | 'outstandingPrincipalMinor'>;

/** The book at one month end. */
export interface MonthRows {
  readonly monthEnd: Day;
  readonly rows: readonly RollRow[];
}

/** Where a loan in the book at the last month end is at this one: a bucket, or out of the book. */
export type RollTarget = Bucket | 'out';
export const ROLL_TARGETS: readonly RollTarget[] = [...BUCKETS, 'out'];

/** Month ends a roll-rate report looks back over: 12 transitions. */
export const ROLL_RATE_MONTHS = 12;

/**
 * The transition from one month end to the next (迁徙矩阵): for each bucket at the earlier month end, how many
 * loans (and how much of their earlier balance) are in each bucket at the later one, or left the book
 * (settled, written off). Each row's counts add up to the loans that were in that bucket.
 */
export interface Transition {
  readonly from: Day;
  readonly to: Day;
  readonly count: Readonly<Record<Bucket, Readonly<Record<RollTarget, number>>>>;
  /** By the balance at the earlier month end. */
  readonly balanceMinor: Readonly<Record<Bucket, Readonly<Record<RollTarget, bigint>>>>;
  /** Flow rate Mn-1→Mn (domain.md §3): balance newly in Mn at the later month end that came from Mn-1. */
  readonly enteredBalanceMinor: Readonly<Record<Bucket, bigint>>;
}

function emptyTargets<T>(zero: () => T): Record<Bucket, Record<RollTarget, T>> {
  return Object.fromEntries(
    BUCKETS.map((b) => [b, Object.fromEntries(ROLL_TARGETS.map((t) => [t, zero()]))]),
  ) as Record<Bucket, Record<RollTarget, T>>;
}

/** Where a loan in the book at the earlier month end is at the later one: its row's bucket, or out of the book. */
export function rollTargetOf(next: Pick<RollRow, 'bucket'> | undefined): RollTarget {
  return next === undefined ? 'out' : next.bucket;
}

/**
 * What one loan adds to the flow rate's numerator: its balance at the later month end when it moved exactly
 * one bucket up (Mn-1 → Mn), else 0.
 */
export function enteredMinorOf(
  before: Pick<RollRow, 'bucket'>,
  next: Pick<RollRow, 'bucket' | 'outstandingPrincipalMinor'> | undefined,
): number {
  return next !== undefined && bucketRank(next.bucket) === bucketRank(before.bucket) + 1
    ? next.outstandingPrincipalMinor
    : 0;
}

export function transition(before: MonthRows, after: MonthRows): Transition {
  const count = emptyTargets(() => 0);
  const balance = emptyTargets(() => 0n);
  const entered = Object.fromEntries(BUCKETS.map((b) => [b, 0n])) as Record<Bucket, bigint>;
  const later = new Map(after.rows.map((r) => [r.loanId, r]));
  for (const r of before.rows) {
    const next = later.get(r.loanId);
    const target = rollTargetOf(next);
    count[r.bucket][target] += 1;
    balance[r.bucket][target] = addMinor(balance[r.bucket][target], r.outstandingPrincipalMinor);
    const moved = enteredMinorOf(r, next);
    if (next !== undefined && moved !== 0) {
      entered[next.bucket] = addMinor(entered[next.bucket], moved);
    }
  }
  return {
    from: before.monthEnd,
    to: after.monthEnd,
    count,
    balanceMinor: balance,
    enteredBalanceMinor: entered,
  };
}

function sumTargets<T extends number | bigint>(row: Readonly<Record<RollTarget, T>>): bigint {
  return ROLL_TARGETS.reduce((a, t) => a + BigInt(row[t]), 0n);
}

/** Month-end indicators of one month (and its transition from the month before, when there is one). */
export interface MonthIndicators {
  readonly monthEnd: Day;
  readonly loans: number;
  readonly balanceMinor: bigint;
  /** Balance more than 30 / 90 days past due. */
  readonly par30BalanceMinor: bigint;
  readonly par90BalanceMinor: bigint;
  /** 入催: loans current at the last month end and past due at this one, and the loans current then. */
  readonly enteredCollections: number;
  readonly currentBefore: number;
  /** Cured: loans past due at the last month end and current at this one, and the loans past due then. */
  readonly cured: number;
  readonly pastDueBefore: number;
}

/** The book at one month end in figures: what the indicators read of its rows. */
export interface MonthBook {
  readonly monthEnd: Day;
  readonly loans: number;
  readonly balanceMinor: bigint;
  readonly par30BalanceMinor: bigint;
  readonly par90BalanceMinor: bigint;
}

export function monthBook(month: MonthRows): MonthBook {
  let balance = 0n;
  let par30 = 0n;
  let par90 = 0n;
  for (const r of month.rows) {
    balance = addMinor(balance, r.outstandingPrincipalMinor);
    if (r.daysPastDue > 30) par30 = addMinor(par30, r.outstandingPrincipalMinor);
    if (r.daysPastDue > 90) par90 = addMinor(par90, r.outstandingPrincipalMinor);
  }
  return {
    monthEnd: month.monthEnd,
    loans: month.rows.length,
    balanceMinor: balance,
    par30BalanceMinor: par30,
    par90BalanceMinor: par90,
  };
}

/**
 * One group of loans moving between two month ends, as a store sums them: the loans in `from` at the earlier
 * month end and in `to` (or out of the book) at the later one, their balance at the earlier month end, and
 * their balance at the later one when `to` is the next bucket up (the flow rate's numerator; 0 otherwise).
 */
export interface TransitionGroup {
  readonly from: Bucket;
  readonly to: RollTarget;
  readonly loans: number;
  readonly balanceMinor: bigint;
  readonly enteredBalanceMinor: bigint;
}

/** The transition from the groups of its loans (each (from, to) pair at most once). */
export function transitionOfGroups(from: Day, to: Day, groups: readonly TransitionGroup[]): Transition {
  const count = emptyTargets(() => 0);
  const balance = emptyTargets(() => 0n);
  const entered = Object.fromEntries(BUCKETS.map((b) => [b, 0n])) as Record<Bucket, bigint>;
  for (const g of groups) {
    count[g.from][g.to] += g.loans;
    balance[g.from][g.to] += g.balanceMinor;
    if (g.to !== 'out') entered[g.to] += g.enteredBalanceMinor;
  }
  return { from, to, count, balanceMinor: balance, enteredBalanceMinor: entered };
}

export function monthIndicators(month: MonthRows, t: Transition | null): MonthIndicators {
  return indicatorsOf(monthBook(month), t);
}

function indicatorsOf(book: MonthBook, t: Transition | null): MonthIndicators {
  let entered = 0;
  let currentBefore = 0;
  let cured = 0;
  let pastDueBefore = 0;
  if (t !== null) {
    for (const from of BUCKETS) {
      const row = t.count[from];
      const n = Number(sumTargets(row));
      if (from === 'M0') {
        currentBefore += n;
        entered += n - row.M0 - row.out;
      } else {
        pastDueBefore += n;
        cured += row.M0;
      }
    }
  }
  return {
    ...book,
    enteredCollections: entered,
    currentBefore,
    cured,
    pastDueBefore,
  };
}

const FLOW_KEYS = BUCKETS.slice(1).map((b, i) => ({
  from: BUCKETS[i] as Bucket,
  to: b,
  key: `${BUCKETS[i]}-${b}`,
}));

/**
 * The flow rates Mn-1→Mn of a transition, keyed `Mn-1-Mn`, as the report writes them (six places): the balance
 * at the later month end of the loans that moved from Mn-1 to Mn ÷ the balance in Mn-1 at the earlier one.
 */
export function flowRates(t: Transition): Record<string, string | null> {
  return Object.fromEntries(
    FLOW_KEYS.map((f) => [f.key, ratioText(t.enteredBalanceMinor[f.to], sumTargets(t.balanceMinor[f.from]))]),
  );
}

function matrixTable(t: Transition, by: 'count' | 'balance'): ReportTable {
  const columns: ReportColumn[] = [
    { key: 'from', label: { en: 'From', zh: '上月末' }, type: 'text' },
    by === 'count'
      ? { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' }
      : { key: 'balance', label: { en: 'Balance', zh: '余额' }, type: 'money' },
    ...ROLL_TARGETS.map((target) => ({
      key: target,
      label: target === 'out' ? { en: 'Left the book', zh: '结清/核销' } : { en: target, zh: target },
      type: 'ratio' as const,
    })),
  ];
  const rows = BUCKETS.map((from) => {
    const weights = ROLL_TARGETS.map((target) =>
      by === 'count' ? BigInt(t.count[from][target]) : t.balanceMinor[from][target],
    );
    const shares = sharesText(weights);
    const total = weights.reduce((a, b) => a + b, 0n);
    return {
      from,
      ...(by === 'count' ? { loans: Number(total) } : { balance: moneyText(total) }),
      ...Object.fromEntries(ROLL_TARGETS.map((target, i) => [target, shares[i] ?? null])),
    };
  });
  return {
    name: by === 'count' ? 'matrix-count' : 'matrix-balance',
    label:
      by === 'count'
        ? { en: 'Roll rates by count', zh: '迁徙率（笔数）' }
        : { en: 'Roll rates by balance', zh: '迁徙率（余额）' },
    columns,
    rows,
  };
}

/**
 * `roll-rates`: the transition matrix from the last month end to this one (by count and by balance, each row
 * adding up to 1), the flow rates Mn-1→Mn of each month, and PAR30/PAR90, 入催率 and the cure rate.
 * `months` are consecutive month ends, oldest first, the last being the report's.
 */
export function rollRatesReport(months: readonly MonthRows[]): Report {
  const transitions = months.slice(1).map((m, i) => transition(months[i] as MonthRows, m));
  return rollRatesReportOf(months.map(monthBook), transitions);
}

/**
 * The roll-rate report from the figures alone: the book at each month end, oldest first, and the transitions
 * between consecutive ones (`transitions[i]` from `books[i]` to `books[i + 1]`). Sums a store computed give
 * the same report as the rows they sum.
 */
export function rollRatesReportOf(books: readonly MonthBook[], transitions: readonly Transition[]): Report {
  const last = books[books.length - 1];
  if (last === undefined) throw new Error('a roll-rate report needs at least one month end');
  const indicators = books.map((m, i) => indicatorsOf(m, i === 0 ? null : (transitions[i - 1] ?? null)));
  const lastT = transitions[transitions.length - 1];
  const flow: ReportTable = {
    name: 'flow-rates',
    label: { en: 'Flow rates Mn-1→Mn', zh: '滚动率 Mn-1→Mn' },
    columns: [
      { key: 'month', label: { en: 'Month end', zh: '月末' }, type: 'date' },
      ...FLOW_KEYS.map((f) => ({
        key: f.key,
        label: { en: `${f.from}→${f.to}`, zh: `${f.from}→${f.to}` },
        type: 'ratio' as const,
      })),
    ],
    rows: transitions.map((t) => ({ month: formatDate(t.to), ...flowRates(t) })),
  };
  const ind: ReportTable = {
    name: 'indicators',
    label: { en: 'Month-end indicators', zh: '月末指标' },
    columns: [
      { key: 'month', label: { en: 'Month end', zh: '月末' }, type: 'date' },
      { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' },
      { key: 'balance', label: { en: 'Balance', zh: '余额' }, type: 'money' },
      { key: 'par30', label: { en: 'PAR30', zh: 'PAR30' }, type: 'ratio' },
      { key: 'par90', label: { en: 'PAR90', zh: 'PAR90' }, type: 'ratio' },
      { key: 'entryRate', label: { en: 'Entry into collections', zh: '入催率' }, type: 'ratio' },
      { key: 'cureRate', label: { en: 'Cure rate', zh: '出催率' }, type: 'ratio' },
    ],
    rows: indicators.map((x) => ({
      month: formatDate(x.monthEnd),
      loans: x.loans,
      balance: moneyText(x.balanceMinor),
      par30: ratioText(x.par30BalanceMinor, x.balanceMinor),
      par90: ratioText(x.par90BalanceMinor, x.balanceMinor),
      entryRate: ratioText(x.enteredCollections, x.currentBefore),
      cureRate: ratioText(x.cured, x.pastDueBefore),
    })),
  };
  const lastInd = indicators[indicators.length - 1] as MonthIndicators;
  return {
    kind: 'roll-rates',
    asOf: formatDate(last.monthEnd),
    title: { en: 'Roll rates, flow rates and month-end indicators', zh: '迁徙率、滚动率与月末指标' },
    summary: [
      {
        key: 'par30',
        label: { en: 'PAR30', zh: 'PAR30' },
        type: 'ratio',
        value: ratioText(lastInd.par30BalanceMinor, lastInd.balanceMinor),
      },
      {
        key: 'par90',
        label: { en: 'PAR90', zh: 'PAR90' },
        type: 'ratio',
        value: ratioText(lastInd.par90BalanceMinor, lastInd.balanceMinor),
      },
      {
        key: 'entryRate',
        label: { en: 'Entry into collections', zh: '入催率' },
        type: 'ratio',
        value: ratioText(lastInd.enteredCollections, lastInd.currentBefore),
      },
      {
        key: 'cureRate',
        label: { en: 'Cure rate', zh: '出催率' },
        type: 'ratio',
        value: ratioText(lastInd.cured, lastInd.pastDueBefore),
      },
    ],
    tables: [
      ...(lastT === undefined ? [] : [matrixTable(lastT, 'count'), matrixTable(lastT, 'balance')]),
      flow,
      ind,
    ],
    notes: [
      {
        en: 'Buckets at month ends by days past due (M0 current, M1 1–30 … M7 > 180). A roll-rate row is the share of the loans (or of their balance at the earlier month end) in a bucket that are in each bucket a month later, or left the book (settled or written off); each row adds up to 1.',
        zh: '按月末逾期天数分档（M0正常，M1 1–30天……M7 180天以上）。迁徙率每行为上月末该档贷款（笔数或上月末余额）本月末落入各档或已出表（结清、核销）的比例，每行合计为1。',
      },
      {
        en: 'Flow rate Mn-1→Mn = balance at this month end of loans that moved from Mn-1 to Mn ÷ balance in Mn-1 at the last month end. PAR30/PAR90 = balance more than 30/90 days past due ÷ balance. Entry into collections = loans current at the last month end and past due at this one ÷ loans current then. Cure rate = loans past due at the last month end and current at this one ÷ loans past due then (a loan that left the book does not count as cured).',
        zh: '滚动率 Mn-1→Mn = 上月末在Mn-1、本月末进入Mn的贷款本月末余额 ÷ 上月末Mn-1余额。PAR30/PAR90 = 逾期超30/90天余额 ÷ 余额。入催率 = 上月末正常、本月末逾期的笔数 ÷ 上月末正常笔数。出催率 = 上月末逾期、本月末正常的笔数 ÷ 上月末逾期笔数（出表的不计为出催）。',
      },
    ],
  };
}

/**
 * The loans behind a figure of the roll-rate report: a matrix cell (row = bucket at the earlier month end,
 * column = bucket at the later one or `out`), a flow rate (row = month end, column `Mn-1-Mn`) or an
 * indicator (row = month end, column par30, par90, entryRate, cureRate, loans). Null for no such cell.
 */
export function rollRateCellLoans(
  months: readonly MonthRows[],
  table: string,
  row: string,
  column: string,
): string[] | null {
  const pairAt = (monthText: string): [MonthRows | null, MonthRows] | null => {
    const i = months.findIndex((m) => formatDate(m.monthEnd) === monthText);
    if (i < 0) return null;
    return [i === 0 ? null : (months[i - 1] as MonthRows), months[i] as MonthRows];
  };
  const moved = (before: MonthRows, after: MonthRows, test: (from: Bucket, to: RollTarget) => boolean) => {
    const later = new Map(after.rows.map((r) => [r.loanId, r.bucket]));
    return before.rows.filter((r) => test(r.bucket, later.get(r.loanId) ?? 'out')).map((r) => r.loanId);
  };
  if (table === 'matrix-count' || table === 'matrix-balance') {
    const after = months[months.length - 1];
    const before = months[months.length - 2];
    if (after === undefined || before === undefined || !(BUCKETS as readonly string[]).includes(row))
      return null;
    if (column === 'loans' || column === 'balance' || column === 'from') {
      return before.rows.filter((r) => r.bucket === row).map((r) => r.loanId);
    }
    if (!(ROLL_TARGETS as readonly string[]).includes(column)) return null;
    return moved(before, after, (from, to) => from === row && to === column);
  }
  const pair = pairAt(row);
  if (pair === null) return null;
  const [before, after] = pair;
  if (table === 'flow-rates') {
    const f = FLOW_KEYS.find((k) => k.key === column);
    if (f === undefined || before === null) return null;
    return moved(before, after, (from, to) => from === f.from && to === f.to);
  }
  if (table === 'indicators') {
    if (column === 'par30') return after.rows.filter((r) => r.daysPastDue > 30).map((r) => r.loanId);
    if (column === 'par90') return after.rows.filter((r) => r.daysPastDue > 90).map((r) => r.loanId);
    if (column === 'entryRate' && before !== null) {
      return moved(before, after, (from, to) => from === 'M0' && to !== 'M0' && to !== 'out');
    }
    if (column === 'cureRate' && before !== null)
      return moved(before, after, (from, to) => from !== 'M0' && to === 'M0');
    if (column === 'loans' || column === 'balance' || column === 'month')
      return after.rows.map((r) => r.loanId);
    return null;
  }
  return null;
}
