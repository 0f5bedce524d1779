import { type LoanState, loanPosition, payoffQuote } from '../ledger/index.js';
import { addDays, counted, type Day, formatDate, formatMinor, invariant } from '../money/index.js';
import { CollectionsInputError } from './errors.js';

/**
 * Promises to pay (承诺还款, PTP): an amount by a date. Whether a promise is kept is decided from the
 * ledger alone — the money the borrower paid on all their loans after the promise was made, through the
 * promised day plus any grace the lender allows — never from what a collector notes.
 */

export interface PromiseSettings {
  /** A promise may be at most this many days ahead (the lender's setting). */
  readonly maxDaysAhead: number;
  /** Days after the promised day that a late payment still keeps the promise (the lender's setting). */
  readonly graceDays: number;
}

export const DEFAULT_PROMISE_SETTINGS: PromiseSettings = Object.freeze({ maxDaysAhead: 30, graceDays: 0 });

export type PromiseStatus = 'pending' | 'kept' | 'broken';

export interface PromiseToPay {
  readonly promiseId: string;
  readonly amountMinor: number;
  /** The day the borrower promised to have paid by. */
  readonly promisedDay: Day;
  /** The business day the promise was made. */
  readonly madeDay: Day;
  /** What the borrower had paid in all, over all loans, when the promise was made. */
  readonly paidBaselineMinor: number;
  readonly status: PromiseStatus;
}

/**
 * Money the borrower has paid in all on these loans: every fen allocated to principal, interest, fees or
 * penalty, plus what is held as overpayment. A refund lowers it.
 */
export function paidToDateMinor(states: readonly LoanState[]): number {
  let total = 0;
  for (const s of states) {
    total +=
      s.principalPaidTotalMinor +
      s.interestPaidTotalMinor +
      s.feePaidTotalMinor +
      s.penaltyPaidMinor +
      s.creditMinor;
  }
  invariant(Number.isSafeInteger(total) && total >= 0, 'paid to date must be a whole number of fen');
  return total;
}

/**
 * Checks a new promise made on `businessDay`; throws what to fix. `owedOnPromisedDayMinor`, when known, is what
 * settles all the borrower's loans if paid on the promised day: a promise of more than that could never be kept
 * as stated, so it is refused with the figure to promise instead.
 */
export function checkNewPromise(
  amountMinor: number,
  promisedDay: Day,
  businessDay: Day,
  settings: PromiseSettings = DEFAULT_PROMISE_SETTINGS,
  owedOnPromisedDayMinor?: number,
): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new CollectionsInputError('promise_invalid', 'amount', 'the promised amount must be positive');
  }
  if (owedOnPromisedDayMinor !== undefined && amountMinor > owedOnPromisedDayMinor) {
    const owed = formatMinor(owedOnPromisedDayMinor);
    throw new CollectionsInputError(
      'promise_invalid',
      'amount',
      `the promised amount ${formatMinor(amountMinor)} is more than the borrower owes in all if paying on ${formatDate(promisedDay)} (${owed}); promise at most ${owed}`,
      { amount: formatMinor(amountMinor), owed, promisedDate: formatDate(promisedDay) },
      'above_owed',
    );
  }
  if (promisedDay < businessDay) {
    throw new CollectionsInputError(
      'promise_invalid',
      'promisedDate',
      `the promised date ${formatDate(promisedDay)} is in the past; the business day is ${formatDate(businessDay)}`,
      { promisedDate: formatDate(promisedDay), businessDay: formatDate(businessDay) },
      'past',
    );
  }
  const last = addDays(businessDay, settings.maxDaysAhead);
  if (promisedDay > last) {
    throw new CollectionsInputError(
      'promise_invalid',
      'promisedDate',
      `a promise may be at most ${counted(settings.maxDaysAhead, 'day')} ahead (by ${formatDate(last)}); agree an instalment plan for longer`,
      { maxDays: settings.maxDaysAhead, lastDay: formatDate(last) },
      'too_far',
    );
  }
}

/**
 * A case keeps one promise pending at a time: both would be decided against the same payments, so each payment
 * would count twice in the kept rate. A new promise waits until the pending one is kept or broken (EOD decides it
 * when its promised day, plus the lender's grace days, closes).
 */
export function checkNoPendingPromise(
  pending: readonly Pick<PromiseToPay, 'amountMinor' | 'promisedDay' | 'status'>[],
  settings: PromiseSettings = DEFAULT_PROMISE_SETTINGS,
): void {
  const open = pending.find((p) => p.status === 'pending');
  if (open === undefined) return;
  const decidedBy = addDays(open.promisedDay, settings.graceDays);
  throw new CollectionsInputError(
    'promise_invalid',
    'promisedDate',
    `a promise of ${formatMinor(open.amountMinor)} for ${formatDate(open.promisedDay)} is still pending: it is kept as soon as it is paid, or broken when ${formatDate(decidedBy)} closes; record a new promise after that`,
    {
      pendingAmount: formatMinor(open.amountMinor),
      pendingDate: formatDate(open.promisedDay),
      decidedBy: formatDate(decidedBy),
    },
    'pending',
  );
}

/**
 * What settles all these loans if paid on `day` (the business day or later): the sum of their payoff quotes.
 * Settled loans owe nothing; a written-off loan still owes what it owed, off the books.
 */
export function owedOnDayMinor(states: readonly LoanState[], day: Day): number {
  let total = 0;
  for (const s of states) {
    if (s.status === 'settled') continue;
    total += day > s.lastClosedDay ? payoffQuote(s, day).totalMinor : loanPosition(s).totalOwedMinor;
  }
  invariant(Number.isSafeInteger(total) && total >= 0, 'owed must be a whole number of fen');
  return total;
}

export interface PromiseDecision {
  readonly promiseId: string;
  readonly status: 'kept' | 'broken';
  readonly day: Day;
  /** Paid since the promise was made, when decided. */
  readonly paidMinor: number;
}

/**
 * Decides the pending promises once day `closedDay` is over: kept as soon as the money paid since the
 * promise reaches its amount; broken once the promised day and its grace have passed without it.
 */
export function decidePromises(
  pending: readonly PromiseToPay[],
  paidNowMinor: number,
  closedDay: Day,
  settings: PromiseSettings = DEFAULT_PROMISE_SETTINGS,
): PromiseDecision[] {
  const out: PromiseDecision[] = [];
  for (const p of pending) {
    if (p.status !== 'pending') continue;
    const paidMinor = Math.max(0, paidNowMinor - p.paidBaselineMinor);
    if (paidMinor >= p.amountMinor)
      out.push({ promiseId: p.promiseId, status: 'kept', day: closedDay, paidMinor });
    else if (closedDay >= addDays(p.promisedDay, settings.graceDays)) {
      out.push({ promiseId: p.promiseId, status: 'broken', day: closedDay, paidMinor });
    }
  }
  return out;
}
