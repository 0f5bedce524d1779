import {
  type Bucket,
  bucketForDaysPastDue,
  bucketRank,
  DEFAULT_DELINQUENCY_SETTINGS,
  type DelinquencySettings,
  type LoanState,
  daysPastDue as loanDaysPastDue,
} from '../ledger/index.js';
import { addMonths, type Day, endOfMonth, invariant } from '../money/index.js';
import type { MonthKey } from './months.js';

/**
 * Credit reporting (征信) to the PBOC Credit Reference Center: the monthly repayment status of an account and
 * the rules for negative information (domain.md §6).
 *
 * Monthly status codes (还款状态):
 * - `N` normal: a repayment was due this month and the account is not overdue;
 * - `*` no repayment due this month and not overdue;
 * - `1`…`7` overdue 1–30, 31–60, …, 151–180, > 180 days at the month's reporting date (the buckets of
 *   ledger/delinquency);
 * - `C` settled (结清); `G` ended other than by settlement (结束, e.g. written off or transferred);
 * - `D` repaid by a guarantor (担保人代还); `Z` repaid by assets for debt (以资抵债); `B` bad debt (呆账);
 * - `#` status unknown; `/` account not yet opened.
 */
export type CreditReportStatusCode =
  | 'N'
  | '*'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | 'C'
  | 'G'
  | 'D'
  | 'Z'
  | 'B'
  | '#'
  | '/';

/**
 * The PBOC credit-report overdue status (征信 还款状态) that goes with each delinquency bucket: N = normal,
 * 1…7 = overdue 1–30 … 151–180, > 180 days (domain.md §3, §6).
 */
export type BucketStatusCode = 'N' | '1' | '2' | '3' | '4' | '5' | '6' | '7';

const STATUS_BY_RANK: readonly BucketStatusCode[] = ['N', '1', '2', '3', '4', '5', '6', '7'];

/** The credit-report status code of a bucket: M0 → N, M1 → 1, …, M7 → 7. */
export function statusCodeForBucket(bucket: Bucket): BucketStatusCode {
  return STATUS_BY_RANK[bucketRank(bucket)] as BucketStatusCode;
}

/** The overdue codes `1`…`7`: the ones that are negative information (不良信息) under 征信业管理条例. */
export function isNegativeStatusCode(code: CreditReportStatusCode): boolean {
  return (code >= '1' && code <= '7') || code === 'B' || code === 'D' || code === 'Z';
}

/** How an account ended in (or before) a month. */
export type AccountEnding =
  /** 结清: repaid in full. */
  | 'settled'
  /** 核销 written off, transferred, or ended in any other way than settlement. */
  | 'ended-otherwise';

/** What happened to an account in one month, as of the month's reporting date (normally its last day). */
export interface CreditReportMonthFacts {
  /** The account was opened on or before the reporting date. */
  readonly opened: boolean;
  /** Set when the account ended this month. */
  readonly ending?: AccountEnding;
  /** The lender declared the account bad debt (呆账). */
  readonly badDebt?: boolean;
  /** A guarantor repaid on the borrower's behalf (代偿) and the debt is now owed to the guarantor. */
  readonly repaidByGuarantor?: boolean;
  /** The debt was settled with assets instead of money (以资抵债). */
  readonly assetForDebt?: boolean;
  /** At least one repayment fell due in this month. */
  readonly repaymentDueThisMonth: boolean;
  /** Days past due at the reporting date; null when the lender does not know (reported as `#`). */
  readonly daysPastDue: number | null;
}

/**
 * The month's status code. Precedence, highest first: not opened (`/`), ended (`C`, `G`), bad debt (`B`),
 * assets for debt (`Z`), guarantor repaid (`D`), unknown (`#`), overdue (`1`…`7`), due and paid (`N`),
 * nothing due (`*`). An ending outranks the overdue code because a closed account no longer has a DPD;
 * a month with both a due date and an overdue balance shows the overdue code.
 */
export function creditReportStatus(
  facts: CreditReportMonthFacts,
  delinquency: DelinquencySettings = DEFAULT_DELINQUENCY_SETTINGS,
): CreditReportStatusCode {
  if (!facts.opened) return '/';
  if (facts.ending === 'settled') return 'C';
  if (facts.ending === 'ended-otherwise') return 'G';
  if (facts.badDebt) return 'B';
  if (facts.assetForDebt) return 'Z';
  if (facts.repaidByGuarantor) return 'D';
  if (facts.daysPastDue === null) return '#';
  invariant(
    Number.isInteger(facts.daysPastDue) && facts.daysPastDue >= 0,
    'days past due must be a whole number ≥ 0',
  );
  if (facts.daysPastDue > 0) return statusCodeForBucket(bucketForDaysPastDue(facts.daysPastDue, delinquency));
  return facts.repaymentDueThisMonth ? 'N' : '*';
}

/** One cell of the repayment-status grid. */
export interface CreditReportGridCell {
  readonly month: MonthKey;
  readonly code: CreditReportStatusCode;
}

/** Months shown in the report's recent grid (24) and its long grid (60 = 5 years). */
export const CREDIT_REPORT_GRID_MONTHS = 24;
export const CREDIT_REPORT_LONG_GRID_MONTHS = 60;

/**
 * The repayment-status grid ending at `lastMonth`, oldest month first. Months after the account ended are
 * not reported any more; they show the ending code again so that the grid stays aligned by month.
 */
export function creditReportGrid(
  lastMonth: MonthKey,
  factsForMonth: (month: MonthKey) => CreditReportMonthFacts,
  months: number = CREDIT_REPORT_GRID_MONTHS,
  delinquency: DelinquencySettings = DEFAULT_DELINQUENCY_SETTINGS,
): CreditReportGridCell[] {
  invariant(Number.isInteger(months) && months >= 1, 'grid length must be a whole number ≥ 1');
  const cells: CreditReportGridCell[] = [];
  let ended: CreditReportStatusCode | null = null;
  for (let month = lastMonth - months + 1; month <= lastMonth; month++) {
    if (ended !== null) {
      cells.push({ month, code: ended });
      continue;
    }
    const code = creditReportStatus(factsForMonth(month), delinquency);
    if (code === 'C' || code === 'G') ended = code;
    cells.push({ month, code });
  }
  return cells;
}

/** Settings of the negative-information rules; the legal periods are the statute's, the rest convention. */
export interface NegativeInformationSettings {
  /**
   * Days between the month's reporting date and its submission to the credit bureau. Convention (each
   * lender's submission schedule), default 0: the month is reported as of its last day.
   */
  readonly submissionLagDays: number;
  /**
   * Days before the first negative submission by which the borrower must have been told. 征信业管理条例
   * Art. 15 requires only that it be in advance (事先告知); default 1, i.e. at the latest the day before.
   */
  readonly noticeLeadDays: number;
  /** Years a negative record is kept after the adverse behaviour ends: 5 (征信业管理条例 Art. 16). */
  readonly retentionYears: number;
  /** Days to verify an objection (异议) and answer in writing: 20 (征信业管理条例 Art. 25). */
  readonly objectionReplyDays: number;
}

export const DEFAULT_NEGATIVE_INFORMATION_SETTINGS: NegativeInformationSettings = Object.freeze({
  submissionLagDays: 0,
  noticeLeadDays: 1,
  retentionYears: 5,
  objectionReplyDays: 20,
});

/**
 * The first month-end reporting date on or after `overdueFirstDay` (the first day with DPD ≥ 1) at which the
 * account is overdue: the first month reported with a code `1`…`7`. The borrower stays overdue from that day
 * on in the question this answers, so it is the end of the month containing `overdueFirstDay`.
 */
export function firstNegativeReportingDay(overdueFirstDay: Day): Day {
  return endOfMonth(overdueFirstDay);
}

/** The day the first negative record is submitted to the bureau. */
export function negativeSubmissionDay(
  reportingDay: Day,
  settings: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
): Day {
  return reportingDay + settings.submissionLagDays;
}

/**
 * The last day on which the lender may tell the borrower that negative information will be reported
 * (征信业管理条例 Art. 15: 事先告知, notice before the first negative report).
 */
export function negativeNoticeDeadline(
  submissionDay: Day,
  settings: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
): Day {
  return submissionDay - settings.noticeLeadDays;
}

/**
 * The day a negative record is deleted: 5 years from the day the adverse behaviour ends (征信业管理条例
 * Art. 16: 自不良行为或者事件终止之日起为5年), e.g. the day the overdue debt is repaid. On a 29 February end
 * the anniversary falls on 28 February.
 */
export function negativeRecordRetentionEnd(
  adverseBehaviourEndDay: Day,
  settings: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
): Day {
  return addMonths(adverseBehaviourEndDay, settings.retentionYears * 12);
}

/**
 * The day by which an objection (异议) received on `receivedDay` must be verified and answered in writing
 * (征信业管理条例 Art. 25: 自收到异议之日起20日内). Calendar days.
 */
export function objectionReplyDeadline(
  receivedDay: Day,
  settings: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
): Day {
  return receivedDay + settings.objectionReplyDays;
}

/**
 * The month's status code of a loan on a reporting day: 结清 `C` once settled; once written off (核销) the
 * claim stays open and recovery goes on (财金〔2017〕90号), so the account is reported as bad debt (呆账) `B`,
 * not as ended; otherwise the overdue code of its days past due. See decision 0371.
 */
export function loanCreditReportStatus(
  state: LoanState,
  day: Day,
  repaymentDueThisMonth: boolean,
): CreditReportStatusCode {
  if (state.status === 'settled')
    return creditReportStatus(
      { opened: true, ending: 'settled', repaymentDueThisMonth, daysPastDue: 0 },
      state.delinquency,
    );
  if (state.status === 'written-off')
    return creditReportStatus(
      { opened: true, badDebt: true, repaymentDueThisMonth, daysPastDue: null },
      state.delinquency,
    );
  return creditReportStatus(
    { opened: day >= state.startDay, repaymentDueThisMonth, daysPastDue: loanDaysPastDue(state, day) },
    state.delinquency,
  );
}
