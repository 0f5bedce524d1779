import { formatDate } from '../money/index.js';
import { ASSET_CLASSES, type AssetClass, assetClassRank, isNonPerforming } from './classification.js';
import type { MonthEndLoan } from './month-end.js';
import type { Report, ReportTable } from './report.js';
import { addMinor, CLASS_LABELS, moneyText, ratioText } from './report-values.js';

/**
 * A manual class (人工认定) decided by a second person: it can only make a loan's class worse than the rules
 * give (the rules set floors, 商业银行金融资产风险分类办法 Art. 9–12), never better.
 */
export interface ClassOverride {
  readonly loanId: string;
  readonly assetClass: AssetClass;
  readonly reason: string;
  readonly proposedBy: string;
  readonly approvedBy: string;
}

/** A loan's class at a month end after any approved override. */
export interface ClassifiedLoan {
  readonly row: MonthEndLoan;
  readonly assetClass: AssetClass;
  readonly override: ClassOverride | null;
}

/** Whether an override is allowed over the class the rules give: the same or a worse class only. */
export function overrideAllowed(rulesClass: AssetClass, proposed: AssetClass): boolean {
  return assetClassRank(proposed) >= assetClassRank(rulesClass);
}

/** The classes after the approved overrides (an override better than the rules' class is ignored). */
export function applyOverrides(
  rows: readonly MonthEndLoan[],
  overrides: readonly ClassOverride[],
): ClassifiedLoan[] {
  const byLoan = new Map(overrides.map((o) => [o.loanId, o]));
  return rows.map((row) => {
    const o = byLoan.get(row.loanId);
    if (o === undefined || !overrideAllowed(row.assetClass, o.assetClass)) {
      return { row, assetClass: row.assetClass, override: null };
    }
    return { row, assetClass: o.assetClass, override: o };
  });
}

/** The figures of one month end: the class table and the two ratios set side by side. */
export interface ClassTotals {
  readonly monthEnd: number;
  readonly loans: number;
  readonly balanceMinor: bigint;
  readonly byClass: Readonly<Record<AssetClass, { loans: number; balanceMinor: bigint }>>;
  /** 次级 + 可疑 + 损失. */
  readonly nplBalanceMinor: bigint;
  readonly nplLoans: number;
  /** Balance of loans more than 90 days past due. */
  readonly dpd90BalanceMinor: bigint;
  readonly dpd90Loans: number;
}

export function classTotals(monthEnd: number, loans: readonly ClassifiedLoan[]): ClassTotals {
  const byClass = Object.fromEntries(ASSET_CLASSES.map((c) => [c, { loans: 0, balanceMinor: 0n }])) as Record<
    AssetClass,
    { loans: number; balanceMinor: bigint }
  >;
  let balance = 0n;
  let npl = 0n;
  let nplLoans = 0;
  let dpd90 = 0n;
  let dpd90Loans = 0;
  for (const l of loans) {
    const amount = l.row.outstandingPrincipalMinor;
    const cell = byClass[l.assetClass];
    cell.loans += 1;
    cell.balanceMinor = addMinor(cell.balanceMinor, amount);
    balance = addMinor(balance, amount);
    if (isNonPerforming(l.assetClass)) {
      npl = addMinor(npl, amount);
      nplLoans += 1;
    }
    if (l.row.daysPastDue > 90) {
      dpd90 = addMinor(dpd90, amount);
      dpd90Loans += 1;
    }
  }
  return {
    monthEnd,
    loans: loans.length,
    balanceMinor: balance,
    byClass,
    nplBalanceMinor: npl,
    nplLoans,
    dpd90BalanceMinor: dpd90,
    dpd90Loans,
  };
}

const CLASS_NOTES = [
  {
    en: 'Classes by 商业银行金融资产风险分类办法 (2023): overdue → at least special mention, > 90 DPD substandard, > 270 doubtful, > 360 loss; restructured loans keep the floor of their observation period.',
    zh: '依据《商业银行金融资产风险分类办法》(2023)：逾期即至少关注，逾期超90天次级、超270天可疑、超360天损失；重组贷款观察期内适用重组下限。',
  },
  {
    en: 'Balance is outstanding principal at the month end (not yet due plus billed and unpaid). NPL = substandard + doubtful + loss; the 90+ DPD ratio uses days past due alone.',
    zh: '余额为月末贷款本金余额（未到期本金加已出账未还本金）。不良 = 次级 + 可疑 + 损失；90天以上逾期率仅按逾期天数计。',
  },
  {
    en: 'Manual overrides were decided by a second person and can only make a class worse.',
    zh: '人工认定须经第二人复核，且只能下调（更差）分类。',
  },
];

/**
 * One group of a month end's loans as a store sums them: those of one class (after overrides) and on one side
 * of 90 days past due, with how many of them are under a restructuring floor.
 */
export interface ClassGroup {
  readonly assetClass: AssetClass;
  readonly over90: boolean;
  readonly loans: number;
  readonly balanceMinor: bigint;
  readonly restructured: number;
}

/** The class totals from the groups of a month end: the same figures `classTotals` gives from its loans. */
export function classTotalsOfGroups(monthEnd: number, groups: readonly ClassGroup[]): ClassTotals {
  const byClass = Object.fromEntries(ASSET_CLASSES.map((c) => [c, { loans: 0, balanceMinor: 0n }])) as Record<
    AssetClass,
    { loans: number; balanceMinor: bigint }
  >;
  let loans = 0;
  let balance = 0n;
  let npl = 0n;
  let nplLoans = 0;
  let dpd90 = 0n;
  let dpd90Loans = 0;
  for (const g of groups) {
    const cell = byClass[g.assetClass];
    cell.loans += g.loans;
    cell.balanceMinor += g.balanceMinor;
    loans += g.loans;
    balance += g.balanceMinor;
    if (isNonPerforming(g.assetClass)) {
      npl += g.balanceMinor;
      nplLoans += g.loans;
    }
    if (g.over90) {
      dpd90 += g.balanceMinor;
      dpd90Loans += g.loans;
    }
  }
  return {
    monthEnd,
    loans,
    balanceMinor: balance,
    byClass,
    nplBalanceMinor: npl,
    nplLoans,
    dpd90BalanceMinor: dpd90,
    dpd90Loans,
  };
}

/** `classification`: the book by class at one month end, with the NPL and 90+ DPD ratios side by side. */
export function classificationReport(monthEnd: number, loans: readonly ClassifiedLoan[]): Report {
  return classificationReportOf(
    classTotals(monthEnd, loans),
    loans.filter((l) => l.override !== null),
    loans.filter((l) => l.row.classReasons.length > 0).length,
  );
}

/**
 * The classification report from its figures: the class totals, the loans an approved override changed, and
 * how many loans are under a restructuring floor.
 */
export function classificationReportOf(
  t: ClassTotals,
  overridden: readonly ClassifiedLoan[],
  restructured: number,
): Report {
  const monthEnd = t.monthEnd;
  const byClass: ReportTable = {
    name: 'by-class',
    label: { en: 'Loans by class', zh: '五级分类' },
    columns: [
      { key: 'class', label: { en: 'Class', zh: '分类' }, type: 'text' },
      { key: 'classEn', label: { en: 'Class name', zh: '分类英文名' }, type: 'text' },
      { key: 'classZh', label: { en: 'Class (zh)', zh: '分类名称' }, type: 'text' },
      { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' },
      { key: 'balance', label: { en: 'Balance', zh: '余额' }, type: 'money' },
      { key: 'share', label: { en: 'Share of balance', zh: '余额占比' }, type: 'ratio' },
    ],
    rows: [
      ...ASSET_CLASSES.map((c) => ({
        class: c,
        classEn: CLASS_LABELS[c].en,
        classZh: CLASS_LABELS[c].zh,
        loans: t.byClass[c].loans,
        balance: moneyText(t.byClass[c].balanceMinor),
        share: ratioText(t.byClass[c].balanceMinor, t.balanceMinor),
      })),
      {
        class: 'total',
        classEn: 'Total',
        classZh: '合计',
        loans: t.loans,
        balance: moneyText(t.balanceMinor),
        share: ratioText(1, 1),
      },
    ],
  };
  const overrides: ReportTable = {
    name: 'overrides',
    label: { en: 'Manual overrides', zh: '人工认定' },
    columns: [
      { key: 'loanId', label: { en: 'Loan', zh: '借据' }, type: 'text' },
      { key: 'rulesClass', label: { en: 'Class by the rules', zh: '规则分类' }, type: 'text' },
      { key: 'class', label: { en: 'Class', zh: '认定分类' }, type: 'text' },
      { key: 'reason', label: { en: 'Reason', zh: '理由' }, type: 'text' },
      { key: 'proposedBy', label: { en: 'Proposed by', zh: '提出人' }, type: 'text' },
      { key: 'approvedBy', label: { en: 'Approved by', zh: '复核人' }, type: 'text' },
    ],
    rows: overridden
      .map((l) => ({
        loanId: l.row.loanId,
        rulesClass: l.row.assetClass,
        class: l.assetClass,
        reason: l.override?.reason ?? '',
        proposedBy: l.override?.proposedBy ?? '',
        approvedBy: l.override?.approvedBy ?? '',
      }))
      .sort((a, b) => (a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0)),
  };
  return {
    kind: 'classification',
    asOf: formatDate(monthEnd),
    title: { en: 'Five-category classification', zh: '贷款五级分类' },
    summary: [
      { key: 'loans', label: { en: 'Loans', zh: '贷款笔数' }, type: 'int', value: t.loans },
      {
        key: 'balance',
        label: { en: 'Balance', zh: '贷款余额' },
        type: 'money',
        value: moneyText(t.balanceMinor),
      },
      {
        key: 'nplBalance',
        label: { en: 'NPL balance', zh: '不良余额' },
        type: 'money',
        value: moneyText(t.nplBalanceMinor),
      },
      {
        key: 'nplRatio',
        label: { en: 'NPL ratio', zh: '不良率' },
        type: 'ratio',
        value: ratioText(t.nplBalanceMinor, t.balanceMinor),
      },
      {
        key: 'dpd90Balance',
        label: { en: '90+ DPD balance', zh: '逾期90天以上余额' },
        type: 'money',
        value: moneyText(t.dpd90BalanceMinor),
      },
      {
        key: 'dpd90Ratio',
        label: { en: '90+ DPD ratio', zh: '逾期90天以上占比' },
        type: 'ratio',
        value: ratioText(t.dpd90BalanceMinor, t.balanceMinor),
      },
      {
        key: 'restructured',
        label: { en: 'Loans under a restructuring floor', zh: '适用重组下限笔数' },
        type: 'int',
        value: restructured,
      },
      {
        key: 'overrides',
        label: { en: 'Manual overrides', zh: '人工认定笔数' },
        type: 'int',
        value: overridden.length,
      },
    ],
    tables: [byClass, overrides],
    notes: CLASS_NOTES,
  };
}

/** `npl`: the NPL ratio beside the 90+ DPD ratio for each month end, oldest first. */
export function nplReport(monthEnd: number, months: readonly ClassTotals[]): Report {
  const last = months[months.length - 1];
  const trend: ReportTable = {
    name: 'trend',
    label: { en: 'NPL trend', zh: '不良趋势' },
    columns: [
      { key: 'month', label: { en: 'Month end', zh: '月末' }, type: 'date' },
      { key: 'loans', label: { en: 'Loans', zh: '笔数' }, type: 'int' },
      { key: 'balance', label: { en: 'Balance', zh: '余额' }, type: 'money' },
      ...ASSET_CLASSES.map((c) => ({ key: c, label: CLASS_LABELS[c], type: 'money' as const })),
      { key: 'nplBalance', label: { en: 'NPL balance', zh: '不良余额' }, type: 'money' },
      { key: 'nplRatio', label: { en: 'NPL ratio', zh: '不良率' }, type: 'ratio' },
      { key: 'dpd90Balance', label: { en: '90+ DPD balance', zh: '逾期90天以上余额' }, type: 'money' },
      { key: 'dpd90Ratio', label: { en: '90+ DPD ratio', zh: '逾期90天以上占比' }, type: 'ratio' },
    ],
    rows: months.map((t) => ({
      month: formatDate(t.monthEnd),
      loans: t.loans,
      balance: moneyText(t.balanceMinor),
      ...Object.fromEntries(ASSET_CLASSES.map((c) => [c, moneyText(t.byClass[c].balanceMinor)])),
      nplBalance: moneyText(t.nplBalanceMinor),
      nplRatio: ratioText(t.nplBalanceMinor, t.balanceMinor),
      dpd90Balance: moneyText(t.dpd90BalanceMinor),
      dpd90Ratio: ratioText(t.dpd90BalanceMinor, t.balanceMinor),
    })),
  };
  return {
    kind: 'npl',
    asOf: formatDate(monthEnd),
    title: { en: 'NPL ratio and 90+ DPD ratio', zh: '不良率与逾期90天以上占比' },
    summary:
      last === undefined
        ? []
        : [
            {
              key: 'nplRatio',
              label: { en: 'NPL ratio', zh: '不良率' },
              type: 'ratio',
              value: ratioText(last.nplBalanceMinor, last.balanceMinor),
            },
            {
              key: 'dpd90Ratio',
              label: { en: '90+ DPD ratio', zh: '逾期90天以上占比' },
              type: 'ratio',
              value: ratioText(last.dpd90BalanceMinor, last.balanceMinor),
            },
            {
              key: 'nplBalance',
              label: { en: 'NPL balance', zh: '不良余额' },
              type: 'money',
              value: moneyText(last.nplBalanceMinor),
            },
          ],
    tables: [trend],
    notes: CLASS_NOTES.slice(0, 2),
  };
}

/** The loans behind a cell of the class table (row = class) or of the NPL trend (row = month end). */
export function classCellLoans(
  loans: readonly ClassifiedLoan[],
  table: string,
  row: string,
  column: string,
): string[] | null {
  if (table === 'by-class') {
    if (row === 'total') return loans.map((l) => l.row.loanId);
    if (!(ASSET_CLASSES as readonly string[]).includes(row)) return null;
    return loans.filter((l) => l.assetClass === row).map((l) => l.row.loanId);
  }
  if (table === 'trend') {
    if (column === 'nplBalance' || column === 'nplRatio') {
      return loans.filter((l) => isNonPerforming(l.assetClass)).map((l) => l.row.loanId);
    }
    if (column === 'dpd90Balance' || column === 'dpd90Ratio') {
      return loans.filter((l) => l.row.daysPastDue > 90).map((l) => l.row.loanId);
    }
    if ((ASSET_CLASSES as readonly string[]).includes(column)) {
      return loans.filter((l) => l.assetClass === column).map((l) => l.row.loanId);
    }
    return loans.map((l) => l.row.loanId);
  }
  return null;
}
