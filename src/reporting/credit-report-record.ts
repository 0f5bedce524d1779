import {
  type LoanEvent,
  type LoanState,
  daysPastDue as loanDaysPastDue,
  loanPosition,
  replay,
} from '../ledger/index.js';
import { type Day, formatDate, formatMinor, invariant } from '../money/index.js';
import {
  type CreditReportStatusCode,
  creditReportStatus,
  DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  isNegativeStatusCode,
  type NegativeInformationSettings,
  negativeNoticeDeadline,
  negativeSubmissionDay,
  objectionReplyDeadline,
} from './credit-report.js';
import { firstDayOfMonthKey, formatMonthKey, lastDayOfMonthKey, type MonthKey } from './months.js';

/**
 * The month-end credit-report record of one account (征信 月度账户记录): status code, the 24-month grid,
 * balances, amount and days past due, and the special transactions (特殊交易) of the month, built from the
 * loan's event log as of each month's last day. Pure: the log and the month come in as arguments.
 */

/** A special transaction (特殊交易) of the month. */
export type SpecialTransactionKind =
  /** 展期 (term extension, payment holiday): the restructuring's own code. */
  | 'extension'
  /** 个性化分期 / 协商还款: a negotiated plan. */
  | 'negotiated-plan'
  /** 债务减免: interest, penalty, fees or principal forgiven; a rate cut; a discounted settlement. */
  | 'debt-relief'
  /** 提前结清: repaid in full before the last instalment's due date. */
  | 'early-settlement'
  /** 核销: written off (the claim is kept; reported as bad debt 呆账). */
  | 'write-off'
  /** A relief-programme deferral (domain.md §12), marked as such. */
  | 'relief-deferral';

export interface SpecialTransaction {
  readonly kind: SpecialTransactionKind;
  /** The bureau's code for it (the lender's table, `CreditReportCodes`). */
  readonly code: string;
  readonly day: Day;
  /** The amount concerned (forgiven, written off, repaid early), in fen. */
  readonly amountMinor: number;
  /** Months the term moved (展期); 0 otherwise. */
  readonly months: number;
}

/**
 * The special-transaction codes the lender reports under. Restructurings carry their own code from the
 * restructuring policy (decision 0352: 1 展期, 11 债务减免, 14 个性化分期); the others are set here.
 */
export interface CreditReportCodes {
  readonly debtRelief: string;
  readonly earlySettlement: string;
  readonly writeOff: string;
  readonly reliefDeferral: string;
}

export const DEFAULT_CREDIT_REPORT_CODES: CreditReportCodes = Object.freeze({
  debtRelief: '11',
  earlySettlement: '5',
  writeOff: '8',
  reliefDeferral: '1R',
});

function inMonth(day: Day, month: MonthKey): boolean {
  return day >= firstDayOfMonthKey(month) && day <= lastDayOfMonthKey(month);
}

/** The special transactions the ledger recorded for the loan in `month`, in the order they happened. */
export function specialTransactionsIn(
  log: readonly LoanEvent[],
  month: MonthKey,
  codes: CreditReportCodes = DEFAULT_CREDIT_REPORT_CODES,
): SpecialTransaction[] {
  const out: SpecialTransaction[] = [];
  const superseded = new Set<number>();
  for (const e of log) {
    if (e.type === 'EventsSuperseded') for (let s = e.fromSeq; s <= e.toSeq; s++) superseded.add(s);
  }
  let lastDueDay: Day | null = null;
  for (const e of log) {
    if (superseded.has(e.seq)) continue;
    if (e.type === 'LoanOpened' || e.type === 'LoanRestructured') {
      const plan = e.installments;
      lastDueDay = plan.at(-1)?.dueDay ?? lastDueDay;
    }
    if (!inMonth(e.day, month)) continue;
    switch (e.type) {
      case 'LoanRestructured': {
        const kind: SpecialTransactionKind =
          e.request.relief === true
            ? 'relief-deferral'
            : e.request.kind === 'negotiated-plan'
              ? 'negotiated-plan'
              : e.request.kind === 'rate-reduction'
                ? 'debt-relief'
                : 'extension';
        out.push({
          kind,
          code: kind === 'relief-deferral' ? codes.reliefDeferral : e.specialTransactionCode,
          day: e.day,
          amountMinor: e.forgivenMinor,
          months: e.monthsExtended,
        });
        break;
      }
      case 'Waived':
      case 'PrincipalWaived':
        out.push({
          kind: 'debt-relief',
          code: codes.debtRelief,
          day: e.day,
          amountMinor: e.amountMinor,
          months: 0,
        });
        break;
      case 'SettlementCompleted':
        out.push({
          kind: 'debt-relief',
          code: codes.debtRelief,
          day: e.day,
          amountMinor: e.waivedMinor,
          months: 0,
        });
        break;
      case 'LoanWrittenOff':
        out.push({
          kind: 'write-off',
          code: codes.writeOff,
          day: e.day,
          amountMinor:
            e.principalCurrentMinor + e.principalOverdueMinor + e.interestMinor + e.penaltyMinor + e.feeMinor,
          months: 0,
        });
        break;
      case 'LoanSettled':
        if (lastDueDay !== null && e.day < lastDueDay) {
          out.push({
            kind: 'early-settlement',
            code: codes.earlySettlement,
            day: e.day,
            amountMinor: 0,
            months: 0,
          });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** The loan's state as of the end of `day` from its log (events after the day left out). */
export function stateAsOf(log: readonly LoanEvent[], day: Day): LoanState | null {
  const prefix = log.filter((e) => e.day <= day);
  if (prefix.length === 0 || prefix[0]?.type !== 'LoanOpened') return null;
  return replay(prefix);
}

/**
 * The month's status code, read with the month's special transactions: a write-off makes the account bad
 * debt (呆账 `B`) from its month on (decision 0371); an early or discounted settlement ends it (`C`); a
 * restructuring re-plans the loan, so "a repayment due this month" is read from the plan in force at the
 * month's end — a month whose only due date was the old plan's, closed by the restructuring, shows `*`, not
 * an overdue code or `N`; a relief-programme deferral likewise reports by the adjusted plan.
 */
export function monthStatus(
  state: LoanState | null,
  month: MonthKey,
  specials: readonly SpecialTransaction[],
): CreditReportStatusCode {
  const end = lastDayOfMonthKey(month);
  if (state === null || state.startDay > end) return '/';
  if (state.status === 'written-off' || specials.some((s) => s.kind === 'write-off')) {
    return creditReportStatus({
      opened: true,
      badDebt: true,
      repaymentDueThisMonth: false,
      daysPastDue: null,
    });
  }
  const dueThisMonth = state.plan.some((i) => inMonth(i.dueDay, month));
  if (state.status === 'settled') {
    return creditReportStatus({
      opened: true,
      ending: 'settled',
      repaymentDueThisMonth: dueThisMonth,
      daysPastDue: 0,
    });
  }
  return creditReportStatus(
    { opened: true, repaymentDueThisMonth: dueThisMonth, daysPastDue: loanDaysPastDue(state, end) },
    state.delinquency,
  );
}

export interface CreditReportRecord {
  readonly month: string;
  readonly loanId: string;
  readonly customerId: string;
  readonly openDate: string;
  /** The last instalment's due date of the plan in force. */
  readonly maturityDate: string;
  readonly loanAmountMinor: number;
  /** Principal outstanding (not yet due + due + overdue). */
  readonly balanceMinor: number;
  /** 本月应还: what the plan in force billed in the month. */
  readonly dueThisMonthMinor: number;
  /** 本月实还: money received in the month. */
  readonly paidThisMonthMinor: number;
  /** 当前逾期总额: overdue principal, interest, fees and penalty outstanding. */
  readonly overdueMinor: number;
  readonly overduePrincipalMinor: number;
  readonly daysPastDue: number;
  readonly statusCode: CreditReportStatusCode;
  /** 24 codes, oldest month first. */
  readonly grid: string;
  /**
   * The 5-year grid (五年还款记录): 60 codes, oldest month first, whose last 24 are `grid`. Absent from
   * records stored before it was built.
   */
  readonly grid60?: string;
  readonly specials: readonly SpecialTransaction[];
  readonly negative: boolean;
}

/** Months in the grid. */
export const GRID_MONTHS = 24;
/** Months in the 5-year grid. */
export const LONG_GRID_MONTHS = 60;

/** Builds the record of an account for `month` from its log. Null when the account opened after the month. */
export function buildCreditReportRecord(
  log: readonly LoanEvent[],
  month: MonthKey,
  codes: CreditReportCodes = DEFAULT_CREDIT_REPORT_CODES,
): CreditReportRecord | null {
  const end = lastDayOfMonthKey(month);
  const state = stateAsOf(log, end);
  if (state === null || state.startDay > end) return null;
  let long = '';
  let ended = '';
  const openedDay = log[0]?.day;
  for (let m = month - LONG_GRID_MONTHS + 1; m <= month; m++) {
    if (ended !== '') {
      long += ended;
      continue;
    }
    // A month that ended before the first event folds nothing: the account was not open (`/`).
    if (openedDay === undefined || lastDayOfMonthKey(m) < openedDay) {
      long += monthStatus(null, m, []);
      continue;
    }
    const code = monthStatus(
      m === month ? state : stateAsOf(log, lastDayOfMonthKey(m)),
      m,
      specialTransactionsIn(log, m, codes),
    );
    if (code === 'C') ended = code;
    long += code;
  }
  const grid = long.slice(-GRID_MONTHS);
  const specials = specialTransactionsIn(log, month, codes);
  const statusCode = grid.at(-1) as CreditReportStatusCode;
  const p = loanPosition(state);
  let paid = 0;
  for (const e of log) {
    if (e.type === 'Repaid' && inMonth(e.day, month)) paid += e.amountMinor;
  }
  const dueThisMonth = state.plan
    .filter((i) => inMonth(i.dueDay, month))
    .reduce((sum, i) => sum + i.totalMinor, 0);
  const live = state.status === 'active';
  const overdue = live
    ? p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor
    : 0;
  invariant(grid.length === GRID_MONTHS, 'the grid has 24 months');
  invariant(long.length === LONG_GRID_MONTHS, 'the long grid has 60 months');
  return {
    month: formatMonthKey(month),
    loanId: state.loanId,
    customerId: state.customerId,
    openDate: formatDate(state.startDay),
    maturityDate: formatDate(state.plan.at(-1)?.dueDay ?? state.startDay),
    loanAmountMinor: state.disbursedPrincipalMinor,
    balanceMinor: live ? p.outstandingPrincipalMinor : 0,
    dueThisMonthMinor: dueThisMonth,
    paidThisMonthMinor: paid,
    overdueMinor: overdue,
    overduePrincipalMinor: live ? p.overduePrincipalMinor : 0,
    daysPastDue: live ? loanDaysPastDue(state, end) : 0,
    statusCode,
    grid,
    grid60: long,
    specials,
    negative: isNegativeStatusCode(statusCode),
  };
}

// ---- the notice before the first negative report ----------------------------------------------------

export type HoldReason = 'negative_notice_not_sent' | 'negative_notice_late';

/**
 * Whether the month's record may go out: a negative record that would be the account's first (no earlier
 * negative record went out) needs the notice of 征信业管理条例 Art. 15 sent on or before
 * `negativeNoticeDeadline(submission day)`. Otherwise the record is held back with the reason.
 */
export function negativeReportGate(input: {
  readonly negative: boolean;
  readonly earlierNegativeReported: boolean;
  /** The day the legally required notice was sent, or null when none was. */
  readonly noticeSentDay: Day | null;
  readonly month: MonthKey;
  readonly settings?: NegativeInformationSettings;
}): { release: true } | { release: false; reason: HoldReason; message: string } {
  if (!input.negative || input.earlierNegativeReported) return { release: true };
  const settings = input.settings ?? DEFAULT_NEGATIVE_INFORMATION_SETTINGS;
  const submission = negativeSubmissionDay(lastDayOfMonthKey(input.month), settings);
  const deadline = negativeNoticeDeadline(submission, settings);
  if (input.noticeSentDay === null) {
    return {
      release: false,
      reason: 'negative_notice_not_sent',
      message: `first negative record: no notice before negative reporting was sent (征信业管理条例 Art. 15); it was due by ${formatDate(deadline)}`,
    };
  }
  if (input.noticeSentDay > deadline) {
    return {
      release: false,
      reason: 'negative_notice_late',
      message: `first negative record: the notice went out on ${formatDate(input.noticeSentDay)}, after its deadline ${formatDate(deadline)}; the record waits for the next submission`,
    };
  }
  return { release: true };
}

// ---- the export file ---------------------------------------------------------------------------------

/** The columns of the export file, in order (docs/credit-reporting.md describes each). */
export const EXPORT_COLUMNS = [
  'record_type',
  'month',
  'account_id',
  'customer_id',
  'open_date',
  'maturity_date',
  'loan_amount',
  'balance',
  'due_this_month',
  'paid_this_month',
  'overdue_amount',
  'overdue_principal',
  'days_past_due',
  'status_code',
  'grid_24',
  'special_transactions',
  'record_version',
  'grid_60',
] as const;

/** One line of the export: `A` an account record, `X` a correction of one sent before. */
export function exportLine(r: CreditReportRecord, version: number): string {
  const specials = r.specials
    .map((s) => `${s.code}:${formatDate(s.day)}:${formatMinor(s.amountMinor)}:${s.months}`)
    .join(';');
  return [
    version > 1 ? 'X' : 'A',
    r.month,
    r.loanId,
    r.customerId,
    r.openDate,
    r.maturityDate,
    formatMinor(r.loanAmountMinor),
    formatMinor(r.balanceMinor),
    formatMinor(r.dueThisMonthMinor),
    formatMinor(r.paidThisMonthMinor),
    formatMinor(r.overdueMinor),
    formatMinor(r.overduePrincipalMinor),
    String(r.daysPastDue),
    r.statusCode,
    r.grid,
    specials,
    String(version),
    longGridOf(r),
  ].join(',');
}

/** The 5-year grid of a record; a record stored before it was built shows its 36 earlier months unknown (`#`). */
export function longGridOf(r: CreditReportRecord): string {
  return r.grid60 ?? `${'#'.repeat(LONG_GRID_MONTHS - GRID_MONTHS)}${r.grid}`;
}

// ---- the identity segment ----------------------------------------------------------------------------

/** 证件类型: 10 居民身份证 (the bureau's code for the resident ID card), the only kind a customer holds here. */
export const ID_TYPE_RESIDENT_CARD = '10';

/** The columns of the identity file (个人基本信息段), in order. */
export const IDENTITY_COLUMNS = ['customer_id', 'id_type', 'name', 'id_number'] as const;

export interface BorrowerIdentity {
  readonly customerId: string;
  readonly name: string;
  readonly idNumber: string;
}

/**
 * The identity segment of an export: one line per borrower of its records, in customer-id order, with the
 * name and the ID number in full — the bureau matches records to people on them — and nothing else personal.
 */
export function identityFile(identities: readonly BorrowerIdentity[]): string {
  const byId = new Map(identities.map((i) => [i.customerId, i]));
  const sorted = [...byId.values()].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0,
  );
  const lines = sorted.map((i) => {
    invariant(
      /^[0-9]{17}[0-9X]$/.test(i.idNumber),
      () => `customer ${i.customerId}: the ID number is not 18 characters`,
    );
    invariant(
      !/[,\r\n]/.test(i.name) && i.name.trim() !== '',
      () => `customer ${i.customerId}: the name cannot go in the file`,
    );
    return [i.customerId, ID_TYPE_RESIDENT_CARD, i.name.trim(), i.idNumber].join(',');
  });
  return `${[IDENTITY_COLUMNS.join(','), ...lines].join('\n')}\n`;
}

/** The whole file: the header line, then the records in account order; lines end with LF. */
export function exportFile(records: readonly { record: CreditReportRecord; version: number }[]): string {
  const sorted = [...records].sort((a, b) =>
    a.record.loanId < b.record.loanId ? -1 : a.record.loanId > b.record.loanId ? 1 : 0,
  );
  return `${[EXPORT_COLUMNS.join(','), ...sorted.map((r) => exportLine(r.record, r.version))].join('\n')}\n`;
}

// ---- objections (异议) -------------------------------------------------------------------------------

export type DisputeStatus = 'received' | 'investigating' | 'corrected' | 'rejected';
export const DISPUTE_STATUSES: readonly DisputeStatus[] = [
  'received',
  'investigating',
  'corrected',
  'rejected',
];
export type DisputeAction = 'investigate' | 'correct' | 'reject';

/** received → investigating → corrected | rejected; nothing after a decision. */
export function disputeNext(
  from: DisputeStatus,
  action: DisputeAction,
): { ok: true; status: DisputeStatus } | { ok: false; message: string } {
  if (action === 'investigate') {
    return from === 'received'
      ? { ok: true, status: 'investigating' }
      : { ok: false, message: `an objection ${from} cannot be taken into investigation` };
  }
  if (from !== 'investigating') {
    return { ok: false, message: `an objection is ${action}ed only after investigation; it is ${from}` };
  }
  return { ok: true, status: action === 'correct' ? 'corrected' : 'rejected' };
}

/** The reply deadline of an objection received on `receivedDay` (Art. 25: 20 days). */
export function disputeReplyBy(
  receivedDay: Day,
  settings: NegativeInformationSettings = DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
): Day {
  return objectionReplyDeadline(receivedDay, settings);
}

/** A corrected record: the month's status replaced (and the last grid cell with it). */
export function correctRecord(r: CreditReportRecord, statusCode: CreditReportStatusCode): CreditReportRecord {
  return {
    ...r,
    statusCode,
    grid: `${r.grid.slice(0, -1)}${statusCode}`,
    ...(r.grid60 === undefined ? {} : { grid60: `${r.grid60.slice(0, -1)}${statusCode}` }),
    negative: isNegativeStatusCode(statusCode),
    ...(isNegativeStatusCode(statusCode)
      ? {}
      : { daysPastDue: 0, overdueMinor: 0, overduePrincipalMinor: 0 }),
  };
}
