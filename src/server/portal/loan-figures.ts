import {
  type LoanPosition,
  type LoanState,
  loanAsOf,
  loanPosition,
  payoffQuote,
} from '../../ledger/index.js';
import { type Day, formatDate, formatMinor } from '../../money/index.js';
import { type Db, getBusinessDay, loadLoanLog, loadSnapshots, type StoredLoan } from '../../store/index.js';

/**
 * What a borrower is shown about a loan, read from the ledger's position and plan: what is due next and when,
 * what is overdue (principal, interest, fee and penalty to the fen), and the three amounts the portal offers
 * to pay. Nothing here computes money of its own beyond adding the position's parts.
 */

export type RepaymentPurpose = 'instalment' | 'overdue' | 'payoff';

/** The next instalment to pay: the oldest billed one with something unpaid, else the next one in the plan. */
export function nextDue(
  state: LoanState,
): { dueDay: Day; amountMinor: number; installmentNumber: number; overdue: boolean } | null {
  const billed = state.dues[0];
  if (billed !== undefined) {
    return {
      dueDay: billed.dueDay,
      amountMinor: billed.principalMinor + billed.interestMinor + billed.feeMinor,
      installmentNumber: billed.installmentNumber,
      overdue: billed.overdue,
    };
  }
  const next = state.plan[state.nextInstallmentIndex];
  if (next === undefined || state.status !== 'active') return null;
  return {
    dueDay: next.dueDay,
    amountMinor: next.totalMinor,
    installmentNumber: next.number,
    overdue: false,
  };
}

/**
 * The next instalment not yet due (its due day after the last closed day), whatever is overdue before it: what
 * a borrower in arrears also has coming. Null when the loan has no instalment left to fall due or is not active.
 */
export function upcomingInstalment(
  state: LoanState,
): { dueDay: Day; amountMinor: number; installmentNumber: number } | null {
  if (state.status !== 'active') return null;
  const next = state.plan[state.nextInstallmentIndex];
  if (next === undefined || next.dueDay <= state.lastClosedDay) return null;
  return { dueDay: next.dueDay, amountMinor: next.totalMinor, installmentNumber: next.number };
}

export function presentUpcoming(state: LoanState) {
  const n = upcomingInstalment(state);
  return n === null
    ? null
    : {
        dueDate: formatDate(n.dueDay),
        amount: formatMinor(n.amountMinor),
        installmentNumber: n.installmentNumber,
      };
}

/** Overdue parts: billed and past grace, with the penalty interest (罚息) it has drawn. */
export function overdueOf(p: LoanPosition) {
  const totalMinor =
    p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor;
  return {
    principal: formatMinor(p.overduePrincipalMinor),
    interest: formatMinor(p.overdueInterestMinor),
    fee: formatMinor(p.overdueFeeMinor),
    penalty: formatMinor(p.penaltyOutstandingMinor),
    total: formatMinor(totalMinor),
    totalMinor,
  };
}

/** The loan's state to quote from on `day`: as it stands, or replayed to the day before if `day` is closed. */
async function quoteBase(db: Db, loan: StoredLoan, day: Day): Promise<LoanState> {
  if (day > loan.state.lastClosedDay) return loan.state;
  const log = await loadLoanLog(db, loan.customerId, loan.loanId);
  return loanAsOf(log, day - 1, await loadSnapshots(db, loan.customerId, loan.loanId));
}

export interface RepaymentOption {
  purpose: RepaymentPurpose;
  amountMinor: number;
  /** How money beyond what is billed is used: held as credit for the next bill, or to repay early. */
  excess: 'credit' | 'prepay';
}

/**
 * The amounts the portal offers on the business day, with the payoff quote: the next instalment (what is
 * billed and unpaid with its penalty, or the next plan instalment when nothing is billed), the overdue amount
 * (only when something is overdue), and the whole loan (the ledger's payoff quote). Penalty is counted to
 * the day of payment, as the payoff quote counts it.
 */
export async function repaymentOptions(db: Db, loan: StoredLoan) {
  const day = await getBusinessDay(db);
  const state = loan.state;
  const position = loanPosition(state);
  const options: RepaymentOption[] = [];
  if (state.status !== 'active' || day <= state.startDay) return { day, options, quote: null };
  const quote = payoffQuote(await quoteBase(db, loan, day), day);
  const billedMinor =
    position.overduePrincipalMinor +
    position.overdueInterestMinor +
    position.overdueFeeMinor +
    position.duePrincipalMinor +
    position.dueInterestMinor +
    position.dueFeeMinor;
  // Penalty runs to the day of payment: the quote's, not the last closed day's.
  const penaltyMinor = quote.penaltyMinor;
  const next = nextDue(state);
  const instalmentMinor = billedMinor > 0 ? billedMinor + penaltyMinor : (next?.amountMinor ?? 0);
  if (instalmentMinor > 0)
    options.push({
      purpose: 'instalment',
      amountMinor: Math.min(instalmentMinor, quote.totalMinor),
      excess: 'credit',
    });
  const overdueParts =
    position.overduePrincipalMinor + position.overdueInterestMinor + position.overdueFeeMinor;
  if (overdueParts > 0)
    options.push({
      purpose: 'overdue',
      amountMinor: Math.min(overdueParts + penaltyMinor, quote.totalMinor),
      excess: 'credit',
    });
  if (quote.totalMinor > 0)
    options.push({ purpose: 'payoff', amountMinor: quote.totalMinor, excess: 'prepay' });
  return { day, options, quote };
}

export function presentOption(o: RepaymentOption) {
  return { purpose: o.purpose, amount: formatMinor(o.amountMinor) };
}

export function presentNextDue(state: LoanState) {
  const n = nextDue(state);
  return n === null
    ? null
    : {
        dueDate: formatDate(n.dueDay),
        amount: formatMinor(n.amountMinor),
        installmentNumber: n.installmentNumber,
        overdue: n.overdue,
      };
}
