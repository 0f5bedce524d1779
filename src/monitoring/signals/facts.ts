import type { InstallmentAllocation, LoanEvent } from '../../ledger/index.js';
import { addDays, type Day } from '../../money/index.js';

/**
 * What the early-warning rules see about one customer on a business day (docs/monitoring.md lists each).
 * Ratios are plain numbers (0.25 = 25 %); a fact nobody has figures for is null.
 */
export interface SignalFacts {
  /** Used ÷ limit over the customer's open lines (0 without a limit). */
  readonly utilisation: number;
  /** Principal drawn in the last 30 days ÷ the limit. */
  readonly drawnShare30d: number;
  /** Instalments due in the lookback whose due date passed with part, not all, paid. */
  readonly partialPayments: number;
  /** Instalments due in the lookback with nothing paid by the due date. */
  readonly missedPayments: number;
  /** Instalments of the lookback paid in full only after their due date. */
  readonly lateInstalments: number;
  /** Most days late of those. */
  readonly maxDaysLate: number;
  /** Worst days past due now. */
  readonly daysPastDue: number;
  readonly openLoans: number;
  /** Lenders with an inquiry or a new loan in the last 3 months, from the latest bureau refresh. */
  readonly bureauLenders3m: number | null;
  /** Increase of bureauLenders3m over the refresh before (or the application): new multi-lender activity. */
  readonly bureauNewLenders: number | null;
  /** Days since the latest income evidence stopped being valid (≤ 0 while valid); null when none is on file. */
  readonly incomeEvidenceExpiredDays: number | null;
  /** Days the oldest open request for business statements is past its due date (0 when none is late). */
  readonly statementsOverdueDays: number;
  /** Days the oldest open request for income evidence is past its due date (0 when none is late). */
  readonly incomeEvidenceOverdueDays: number;
  /** Monthly revenue of the latest statements ÷ that of the statements before − 1 (−0.3 = 30 % less). */
  readonly revenueChange: number | null;
  /** Months the latest statements' cash lasts at their operating cash burn; null when cash flow ≥ 0. */
  readonly cashRunwayMonths: number | null;
  readonly industry: string;
  /** The industry is on the lender's shock list today. */
  readonly industryShocked: boolean;
  /** Latest declared monthly income ÷ the one declared before − 1. */
  readonly declaredIncomeChange: number | null;
  readonly segment: string;
}

export type SignalFactName = keyof SignalFacts;

export const SIGNAL_FACT_NAMES: readonly SignalFactName[] = [
  'utilisation',
  'drawnShare30d',
  'partialPayments',
  'missedPayments',
  'lateInstalments',
  'maxDaysLate',
  'daysPastDue',
  'openLoans',
  'bureauLenders3m',
  'bureauNewLenders',
  'incomeEvidenceExpiredDays',
  'statementsOverdueDays',
  'incomeEvidenceOverdueDays',
  'revenueChange',
  'cashRunwayMonths',
  'industry',
  'industryShocked',
  'declaredIncomeChange',
  'segment',
];

/** Facts with every field filled, for checking that a rule's expression is a condition over them. */
export function sampleFacts(): SignalFacts {
  return {
    utilisation: 0.5,
    drawnShare30d: 0.1,
    partialPayments: 0,
    missedPayments: 0,
    lateInstalments: 0,
    maxDaysLate: 0,
    daysPastDue: 0,
    openLoans: 1,
    bureauLenders3m: 1,
    bureauNewLenders: 0,
    incomeEvidenceExpiredDays: -30,
    statementsOverdueDays: 0,
    incomeEvidenceOverdueDays: 0,
    revenueChange: 0,
    cashRunwayMonths: 12,
    industry: 'retail',
    industryShocked: false,
    declaredIncomeChange: 0,
    segment: 'salaried',
  };
}

/** How each instalment of the lookback was paid, from a loan's events (pure). */
export interface PaymentBehaviour {
  readonly partialPayments: number;
  readonly missedPayments: number;
  readonly lateInstalments: number;
  readonly maxDaysLate: number;
}

/** Days of instalment history the payment facts look back over. */
export const PAYMENT_LOOKBACK_DAYS = 180;

/**
 * Per instalment billed with a due date in (day − lookback, day]: what was owed (principal, interest and
 * fee billed), what was paid by the due date, and the day it was paid in full. Partial: something but not
 * all paid by the due date; missed: nothing; late: paid in full after the due date (by that many days).
 */
export function paymentBehaviourOf(
  events: readonly LoanEvent[],
  day: Day,
  lookbackDays = PAYMENT_LOOKBACK_DAYS,
): PaymentBehaviour {
  const from = addDays(day, -lookbackDays);
  const due = new Map<
    number,
    { dueDay: Day; owed: number; paidByDue: number; paid: number; fullDay: Day | null }
  >();
  const pay = (evDay: Day, parts: readonly InstallmentAllocation[]) => {
    for (const p of parts) {
      const d = due.get(p.installmentNumber);
      if (d === undefined) continue;
      const amount = p.principalMinor + p.interestMinor + p.feeMinor;
      d.paid += amount;
      if (evDay <= d.dueDay) d.paidByDue += amount;
      if (d.fullDay === null && d.paid >= d.owed) d.fullDay = evDay;
    }
  };
  for (const e of events) {
    if (e.type === 'InstallmentDue') {
      const dueDay = e.billedEarly?.dueDay ?? e.day;
      due.set(e.installmentNumber, {
        dueDay,
        owed: e.principalMinor + e.interestMinor + e.feeMinor,
        paidByDue: 0,
        paid: 0,
        fullDay: null,
      });
    } else if (e.type === 'Repaid' || e.type === 'CreditApplied') pay(e.day, e.byInstallment);
  }
  let partialPayments = 0;
  let missedPayments = 0;
  let lateInstalments = 0;
  let maxDaysLate = 0;
  for (const d of due.values()) {
    if (d.dueDay <= from || d.dueDay >= day || d.owed === 0) continue;
    if (d.paidByDue >= d.owed) continue;
    if (d.paidByDue === 0) missedPayments += 1;
    else partialPayments += 1;
    if (d.fullDay !== null) {
      lateInstalments += 1;
      maxDaysLate = Math.max(maxDaysLate, d.fullDay - d.dueDay);
    }
  }
  return { partialPayments, missedPayments, lateInstalments, maxDaysLate };
}

/** Business statements as received (monthly averages over their period), amounts in fen. */
export interface StatementFigures {
  readonly monthlyRevenue_fen: number;
  readonly monthlyCosts_fen: number;
  readonly monthlyOperatingCashFlow_fen: number;
  readonly cashBalance_fen: number;
}

/** Everything the shell loads for one customer; `signalFactsOf` turns it into the rules' facts. */
export interface SignalInputs {
  readonly day: Day;
  readonly segment: string;
  readonly industry: string;
  readonly limit_fen: number;
  readonly used_fen: number;
  readonly drawn30d_fen: number;
  readonly daysPastDue: number;
  readonly openLoans: number;
  readonly payments: PaymentBehaviour;
  /** Latest bureau refreshes, newest first (at most two are read). */
  readonly bureauLenders3m: readonly number[];
  /** lenders3m at application, when no earlier refresh exists. */
  readonly applicationLenders3m: number | null;
  /** Last day the latest income evidence is valid. */
  readonly incomeEvidenceValidUntil: Day | null;
  /** Due days of open (not received) review requests, by document kind. */
  readonly openRequestDueDays: {
    readonly 'business-statements': readonly Day[];
    readonly 'income-evidence': readonly Day[];
  };
  /** Statements received, newest first (at most two are read); the application's when none was. */
  readonly statements: readonly StatementFigures[];
  readonly industryShocked: boolean;
  /** Declared monthly incomes, newest first (the application's last). */
  readonly declaredIncomes_fen: readonly number[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

function overdueDays(dueDays: readonly Day[], day: Day): number {
  let worst = 0;
  for (const d of dueDays) worst = Math.max(worst, day - d);
  return worst;
}

/** The facts of one customer (pure). Ratios are rounded to four places so evidence reads the same everywhere. */
export function signalFactsOf(i: SignalInputs): SignalFacts {
  const [latest, before] = i.statements;
  const burn = latest === undefined ? 0 : -latest.monthlyOperatingCashFlow_fen;
  const [b0, b1] = i.bureauLenders3m;
  const previousLenders = b1 ?? i.applicationLenders3m;
  const [inc0, inc1] = i.declaredIncomes_fen;
  return {
    utilisation: ratio(i.used_fen, i.limit_fen),
    drawnShare30d: ratio(i.drawn30d_fen, i.limit_fen),
    partialPayments: i.payments.partialPayments,
    missedPayments: i.payments.missedPayments,
    lateInstalments: i.payments.lateInstalments,
    maxDaysLate: i.payments.maxDaysLate,
    daysPastDue: i.daysPastDue,
    openLoans: i.openLoans,
    bureauLenders3m: b0 ?? null,
    bureauNewLenders: b0 === undefined || previousLenders === null ? null : b0 - previousLenders,
    incomeEvidenceExpiredDays:
      i.incomeEvidenceValidUntil === null ? null : i.day - i.incomeEvidenceValidUntil,
    statementsOverdueDays: overdueDays(i.openRequestDueDays['business-statements'], i.day),
    incomeEvidenceOverdueDays: overdueDays(i.openRequestDueDays['income-evidence'], i.day),
    revenueChange:
      latest === undefined || before === undefined || before.monthlyRevenue_fen === 0
        ? null
        : Math.round((latest.monthlyRevenue_fen / before.monthlyRevenue_fen - 1) * 10_000) / 10_000,
    cashRunwayMonths:
      latest === undefined || burn <= 0 ? null : Math.round((latest.cashBalance_fen / burn) * 100) / 100,
    industry: i.industry,
    industryShocked: i.industryShocked,
    declaredIncomeChange:
      inc0 === undefined || inc1 === undefined || inc1 === 0
        ? null
        : Math.round((inc0 / inc1 - 1) * 10_000) / 10_000,
    segment: i.segment,
  };
}
