import { type Day, formatDate } from '../money/index.js';
import { formatMonthKey, type MonthKey, monthKeyOfDay } from './months.js';
import type { Report, ReportColumn, ReportTable } from './report.js';
import { addMinor, moneyText, ratioText } from './report-values.js';
import { cohortOrder, VINTAGE_UNKNOWN_SEGMENT, type VintageBy } from './vintage.js';

/** Write-off months a recovery report shows, the report's month the last. */
export const RECOVERY_COHORTS_MAX = 24;

/** A loan's 核销 as the ledger recorded it: the day and everything taken off the books (fen). */
export interface RecoveryWriteOff {
  readonly loanId: string;
  readonly day: Day;
  /** Principal (current and overdue), interest, penalty and fees written off. */
  readonly writtenOffMinor: number;
  /** The loan's product; absent when the loan row is not known (the loan's segment is then `unknown`). */
  readonly productId?: string | null;
  /** The channel of the application that opened the loan's credit line (decision 0845); null when none. */
  readonly channel?: string | null;
  /** The policy version of that application's approving decision; null when none. */
  readonly policyVersion?: string | null;
}

/** Cash collected on a written-off loan (已核销贷款收回), fen. */
export interface RecoveryReceipt {
  readonly loanId: string;
  readonly day: Day;
  readonly amountMinor: number;
}

export interface RecoveryInput {
  /** The report's month end. */
  readonly monthEnd: Day;
  /** Write-offs that count (superseded ones left out by the caller), on or before the month end. */
  readonly writeOffs: readonly RecoveryWriteOff[];
  /** Recoveries that count, on or before the month end. */
  readonly recoveries: readonly RecoveryReceipt[];
  /** Segments besides `all` (the written-off loan's product, channel or policy version); none when absent. */
  readonly by?: VintageBy;
}

/** The segment of a written-off loan under a grouping, as the vintage draws it (`unknown` without the value). */
export function recoverySegmentOf(w: RecoveryWriteOff, by: VintageBy): string {
  const value = by === 'product' ? w.productId : by === 'channel' ? w.channel : w.policyVersion;
  return value === null || value === undefined || value === '' ? VINTAGE_UNKNOWN_SEGMENT : value;
}

/** One write-off month of one segment (`all` for the whole book) in figures. */
export interface RecoveryCohort {
  readonly segment: string;
  readonly month: MonthKey;
  readonly loanIds: readonly string[];
  readonly writtenOffMinor: bigint;
  /** Cumulative recoveries through the k-th month end after the write-off month (k = 0: its own end). */
  readonly cumulativeMinor: readonly bigint[];
}

export interface RecoveryTotals {
  readonly monthEnd: Day;
  /** The segments besides `all`; none when absent. */
  readonly by?: VintageBy;
  /**
   * The `all` segment's write-off months oldest first (those in the report's window with at least one
   * write-off), then with `by` each segment's by segment name.
   */
  readonly cohorts: readonly RecoveryCohort[];
}

/**
 * The write-offs that count: one per loan (the latest, should a caller give more), on or before the month end.
 * A loan is written off once (the ledger refuses a second write-off); a superseded one is not given.
 */
function writeOffsByLoan(input: RecoveryInput): Map<string, RecoveryWriteOff> {
  const out = new Map<string, RecoveryWriteOff>();
  for (const w of input.writeOffs) {
    if (w.day > input.monthEnd) continue;
    const seen = out.get(w.loanId);
    if (seen === undefined || seen.day <= w.day) out.set(w.loanId, w);
  }
  return out;
}

/**
 * Recovery curves after write-off: for each write-off month (cohort) of the report's window, the cumulative
 * recoveries on its loans through each month end since, in fen. A recovery counts from its loan's write-off
 * day on; one dated before it (not something the ledger records) is left out.
 */
export function recoveryTotals(input: RecoveryInput): RecoveryTotals {
  const last = monthKeyOfDay(input.monthEnd);
  const first = last - RECOVERY_COHORTS_MAX + 1;
  const writeOffs = writeOffsByLoan(input);
  const by = input.by;
  type Group = { segment: string; month: MonthKey; ids: string[]; writtenOff: bigint; byMonth: bigint[] };
  const groups = new Map<string, Group>();
  /** The loan's groups: its write-off month of `all` and, with a grouping, of its segment. */
  const loanGroups = new Map<string, Group[]>();
  for (const w of writeOffs.values()) {
    const month = monthKeyOfDay(w.day);
    if (month < first || month > last) continue;
    const segments = by === undefined ? ['all'] : ['all', recoverySegmentOf(w, by)];
    const owned: Group[] = [];
    for (const segment of segments) {
      const key = `${segment}/${month}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = {
          segment,
          month,
          ids: [],
          writtenOff: 0n,
          byMonth: Array.from({ length: last - month + 1 }, () => 0n),
        };
        groups.set(key, g);
      }
      g.ids.push(w.loanId);
      g.writtenOff = addMinor(g.writtenOff, w.writtenOffMinor);
      owned.push(g);
    }
    loanGroups.set(w.loanId, owned);
  }
  for (const r of input.recoveries) {
    if (r.day > input.monthEnd) continue;
    const w = writeOffs.get(r.loanId);
    if (w === undefined || r.day < w.day) continue;
    const k = monthKeyOfDay(r.day) - monthKeyOfDay(w.day);
    for (const g of loanGroups.get(r.loanId) ?? [])
      g.byMonth[k] = addMinor(g.byMonth[k] as bigint, r.amountMinor);
  }
  const cohorts = [...groups.values()].sort(cohortOrder).map((g) => {
    let running = 0n;
    return {
      segment: g.segment,
      month: g.month,
      loanIds: [...g.ids].sort(),
      writtenOffMinor: g.writtenOff,
      cumulativeMinor: g.byMonth.map((m) => {
        running += m;
        return running;
      }),
    };
  });
  return { monthEnd: input.monthEnd, ...(by === undefined ? {} : { by }), cohorts };
}

/** A cohort's row key: the write-off month `YYYY-MM`, with a grouping `segment/YYYY-MM`. */
function recoveryRowKey(totals: { readonly by?: VintageBy }, c: RecoveryCohort): string {
  return totals.by === undefined ? formatMonthKey(c.month) : `${c.segment}/${formatMonthKey(c.month)}`;
}

const SEGMENT_LABELS: Record<VintageBy, { en: string; zh: string }> = {
  product: { en: 'Product', zh: '产品' },
  channel: { en: 'Channel', zh: '渠道' },
  policy: { en: 'Policy version', zh: '策略版本' },
};

function monthsCount(totals: RecoveryTotals): number {
  const last = monthKeyOfDay(totals.monthEnd);
  return totals.cohorts.reduce((n, c) => Math.max(n, last - c.month + 1), 0);
}

function cohortColumns(by: VintageBy | undefined): ReportColumn[] {
  return [
    { key: 'row', label: { en: 'Row', zh: '行' }, type: 'text' },
    ...(by === undefined ? [] : [{ key: 'segment', label: SEGMENT_LABELS[by], type: 'text' as const }]),
    { key: 'cohort', label: { en: 'Write-off month', zh: '核销月' }, type: 'text' },
    { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' },
    { key: 'writtenOff', label: { en: 'Written off', zh: '核销金额' }, type: 'money' },
    { key: 'recovered', label: { en: 'Recovered to date', zh: '累计收回' }, type: 'money' },
  ];
}

const RECOVERY_SEGMENT_NOTES: Record<VintageBy, { en: string; zh: string }> = {
  product: {
    en: 'Segments: all written-off loans, then each product.',
    zh: '分组：全部核销贷款，然后按产品。',
  },
  channel: {
    en: `Segments: all written-off loans, then the channel of the application that opened the loan’s credit line; loans with no such application (imported loans) are under “${VINTAGE_UNKNOWN_SEGMENT}”.`,
    zh: `分组：全部核销贷款，然后按开立该贷款授信额度的申请的渠道；无此申请的贷款（如导入的贷款）归入“${VINTAGE_UNKNOWN_SEGMENT}”。`,
  },
  policy: {
    en: `Segments: all written-off loans, then the origination policy version of the decision that approved the application which opened the loan’s credit line; loans with no such approval (imported loans) are under “${VINTAGE_UNKNOWN_SEGMENT}”.`,
    zh: `分组：全部核销贷款，然后按批准开立该贷款授信额度之申请的审批决定所用的准入策略版本；无此审批的贷款（如导入的贷款）归入“${VINTAGE_UNKNOWN_SEGMENT}”。`,
  },
};

/** The recovery report from its figures: cumulative amounts and the same as shares of the written-off amount. */
export function recoveryReportOf(totals: RecoveryTotals): Report {
  const months = monthsCount(totals);
  const tables: ReportTable[] = (['amount', 'rate'] as const).map((what) => ({
    name: `recovery-${what}`,
    label:
      what === 'amount'
        ? {
            en: 'Cumulative recoveries after write-off, by months since write-off',
            zh: '核销后累计收回金额（按核销后月数）',
          }
        : {
            en: 'Recovery curve: cumulative recoveries ÷ written-off amount',
            zh: '核销回收曲线：累计收回 ÷ 核销金额',
          },
    columns: [
      ...cohortColumns(totals.by),
      ...Array.from({ length: months }, (_, k) => ({
        key: `m${k}`,
        label: { en: `M+${k}`, zh: `M+${k}` },
        type: what === 'amount' ? ('money' as const) : ('ratio' as const),
      })),
    ],
    rows: totals.cohorts.map((c) => ({
      row: recoveryRowKey(totals, c),
      ...(totals.by === undefined ? {} : { segment: c.segment }),
      cohort: formatMonthKey(c.month),
      loans: c.loanIds.length,
      writtenOff: moneyText(c.writtenOffMinor),
      recovered: moneyText(c.cumulativeMinor.at(-1) ?? 0n),
      ...Object.fromEntries(
        Array.from({ length: months }, (_, k) => {
          const v = c.cumulativeMinor[k];
          return [
            `m${k}`,
            v === undefined ? null : what === 'amount' ? moneyText(v) : ratioText(v, c.writtenOffMinor),
          ];
        }),
      ),
    })),
  }));
  const all = totals.cohorts.filter((c) => c.segment === 'all');
  const writtenOff = all.reduce((a, c) => a + c.writtenOffMinor, 0n);
  const recovered = all.reduce((a, c) => a + (c.cumulativeMinor.at(-1) ?? 0n), 0n);
  return {
    kind: 'recovery',
    asOf: formatDate(totals.monthEnd),
    title:
      totals.by === undefined
        ? { en: 'Recovery curves after write-off', zh: '核销后回收曲线' }
        : {
            en: `Recovery curves after write-off, by ${SEGMENT_LABELS[totals.by].en.toLowerCase()}`,
            zh: `核销后回收曲线（按${SEGMENT_LABELS[totals.by].zh}）`,
          },
    summary: [
      {
        key: 'cohorts',
        label: { en: 'Write-off months', zh: '核销月数' },
        type: 'int',
        value: all.length,
      },
      {
        key: 'loans',
        label: { en: 'Loans written off', zh: '核销笔数' },
        type: 'int',
        value: all.reduce((n, c) => n + c.loanIds.length, 0),
      },
      {
        key: 'writtenOff',
        label: { en: 'Written off', zh: '核销金额' },
        type: 'money',
        value: moneyText(writtenOff),
      },
      {
        key: 'recovered',
        label: { en: 'Recovered to date', zh: '累计收回' },
        type: 'money',
        value: moneyText(recovered),
      },
      {
        key: 'recoveryRate',
        label: { en: 'Recovered ÷ written off', zh: '收回率' },
        type: 'ratio',
        value: ratioText(recovered, writtenOff),
      },
    ],
    tables,
    notes: [
      {
        en: `Cohorts are the months loans were written off (核销), the last ${RECOVERY_COHORTS_MAX} to the report's month. M+k = recoveries (已核销贷款收回) on the cohort's loans from the write-off day through the k-th month end after the write-off month (M+0 = the write-off month's own end), cumulative; the rate divides it by everything written off (principal, interest, penalty and fees). Recoveries are not capped by the ledger, so a rate above 1 is possible (collection costs are not deducted). Corrections that superseded a write-off or a recovery leave it out.`,
        zh: `批次为贷款核销的月份（截至报告月的最近${RECOVERY_COHORTS_MAX}个月）。M+k = 该批次贷款自核销日起至核销月后第k个月末的累计已核销贷款收回金额（M+0为核销当月月末）；回收率 = 累计收回 ÷ 核销金额（本金、利息、罚息与费用）。账上不限制收回金额，回收率可能超过1（未扣除催收成本）。被更正冲销的核销或收回不计入。`,
      },
      ...(totals.by === undefined ? [] : [RECOVERY_SEGMENT_NOTES[totals.by]]),
    ],
  };
}

export function recoveryReport(input: RecoveryInput): Report {
  return recoveryReportOf(recoveryTotals(input));
}

/**
 * The loans behind a recovery figure (row = the write-off month `YYYY-MM`, with a grouping
 * `segment/YYYY-MM`): the cohort's loans for `loans`,
 * `writtenOff` or `row`; for `recovered` or `mK` the cohort's loans with a recovery counted in the figure.
 */
export function recoveryCellLoans(
  input: RecoveryInput,
  table: string,
  row: string,
  column: string,
): string[] | null {
  if (table !== 'recovery-amount' && table !== 'recovery-rate') return null;
  const totals = recoveryTotals(input);
  const cohort = totals.cohorts.find((c) => recoveryRowKey(totals, c) === row);
  if (cohort === undefined) return null;
  if (
    column === 'row' ||
    column === 'segment' ||
    column === 'cohort' ||
    column === 'loans' ||
    column === 'writtenOff'
  )
    return [...cohort.loanIds];
  const last = monthKeyOfDay(totals.monthEnd);
  let through: MonthKey;
  if (column === 'recovered') through = last;
  else {
    const m = /^m(\d+)$/.exec(column);
    if (m === null) return null;
    through = cohort.month + Number(m[1]);
    if (through > last) return null;
  }
  const writeOffs = writeOffsByLoan(input);
  const ids = new Set(cohort.loanIds);
  const out = new Set<string>();
  for (const r of input.recoveries) {
    const w = writeOffs.get(r.loanId);
    if (!ids.has(r.loanId) || w === undefined || r.day < w.day || r.day > input.monthEnd) continue;
    if (monthKeyOfDay(r.day) <= through) out.add(r.loanId);
  }
  return [...out].sort();
}
