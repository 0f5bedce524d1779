import { type Day, formatDate } from '../../money/index.js';
import type { Bucket } from '../delinquency.js';
import { LedgerInputError } from '../errors.js';
import { interestExactThrough, penaltyExactThrough } from './accrual.js';
import { EventBuilder } from './builder.js';
import { daysPastDue } from './days-past-due.js';
import { closeThrough, startDay } from './eod.js';
import { roundForProduct } from './rates.js';
import type { LoanState, LoanStatus } from './state.js';

export interface LoanPosition {
  /** The day the position is as of (its end): the last closed day, or a later day with events already applied. */
  readonly asOfDay: Day;
  readonly status: LoanStatus;
  readonly daysPastDue: number;
  readonly bucket: Bucket;
  /** All principal not repaid or waived (not yet due + due + overdue). */
  readonly outstandingPrincipalMinor: number;
  /** Unpaid amounts of instalments past their grace period. */
  readonly overduePrincipalMinor: number;
  readonly overdueInterestMinor: number;
  readonly overdueFeeMinor: number;
  /** Unpaid amounts of instalments due but still within grace (not reported overdue). */
  readonly duePrincipalMinor: number;
  readonly dueInterestMinor: number;
  readonly dueFeeMinor: number;
  /** Contract interest accrued in the current period and not yet billed or paid, rounded. */
  readonly accruedInterestMinor: number;
  /** Penalty interest accrued to date (rounded) less paid and waived. */
  readonly penaltyOutstandingMinor: number;
  /** All penalty interest accrued over the loan's life to date (rounded). */
  readonly penaltyAccruedTotalMinor: number;
  readonly creditMinor: number;
  /** What settles the loan today: principal + interest + fees + penalty − credit (0 when credit covers it). */
  readonly totalOwedMinor: number;
}

function positionOn(s: LoanState, day: Day): LoanPosition {
  let overduePrincipal = 0;
  let overdueInterest = 0;
  let overdueFee = 0;
  let duePrincipal = 0;
  let dueInterest = 0;
  let dueFee = 0;
  for (const d of s.dues) {
    if (d.overdue) {
      overduePrincipal += d.principalMinor;
      overdueInterest += d.interestMinor;
      overdueFee += d.feeMinor;
    } else {
      duePrincipal += d.principalMinor;
      dueInterest += d.interestMinor;
      dueFee += d.feeMinor;
    }
  }
  // Interest posted ahead of the day (an instalment paid early, charged to its due date) counts as posted.
  const accruedInterest =
    Math.max(roundForProduct(s.product, interestExactThrough(s, day)), s.periodInterestPostedMinor) -
    s.periodInterestPrepaidMinor;
  const penaltyTotal = Math.max(
    roundForProduct(s.product, penaltyExactThrough(s, day)),
    s.penaltyPostedMinor,
  );
  const penaltyOutstanding =
    penaltyTotal -
    s.penaltyPaidMinor -
    s.penaltyWaivedMinor -
    (s.restructuring?.capitalised.penaltyMinor ?? 0);
  const outstandingPrincipal = s.notDuePrincipalMinor + duePrincipal + overduePrincipal;
  const gross =
    outstandingPrincipal +
    overdueInterest +
    dueInterest +
    accruedInterest +
    overdueFee +
    dueFee +
    s.pendingUpfrontFeeMinor +
    penaltyOutstanding;
  return {
    asOfDay: day,
    status: s.status,
    daysPastDue: daysPastDue(s, day),
    bucket: s.bucket,
    outstandingPrincipalMinor: outstandingPrincipal,
    overduePrincipalMinor: overduePrincipal,
    overdueInterestMinor: overdueInterest,
    overdueFeeMinor: overdueFee,
    duePrincipalMinor: duePrincipal,
    dueInterestMinor: dueInterest,
    dueFeeMinor: dueFee,
    accruedInterestMinor: accruedInterest,
    penaltyOutstandingMinor: penaltyOutstanding,
    penaltyAccruedTotalMinor: penaltyTotal,
    creditMinor: s.creditMinor,
    totalOwedMinor: Math.max(0, gross - s.creditMinor),
  };
}

/** The loan's balances as of its last closed day (or the day of its latest event, if later). */
export function loanPosition(state: LoanState): LoanPosition {
  return positionOn(state, Math.max(state.lastClosedDay, state.lastEventDay));
}

export interface PayoffQuote {
  readonly day: Day;
  readonly principalMinor: number;
  /** Billed unpaid interest + interest accrued to `day`. */
  readonly interestMinor: number;
  readonly feeMinor: number;
  readonly penaltyMinor: number;
  readonly creditMinor: number;
  /** Paying this on `day` settles the loan. */
  readonly totalMinor: number;
}

/**
 * 提前结清报价: what settles the loan if paid on business day `day` (today or later; the days up to it are run
 * through the end-of-day step on a copy). Interest only for the days held (民法典 Art. 677). For a past day,
 * quote from the history: `payoffQuote(loanAsOf(events, day - 1), day)`.
 */
export function payoffQuote(state: LoanState, day: Day): PayoffQuote {
  if (day <= state.lastClosedDay) {
    throw new LedgerInputError(
      'day_already_closed',
      'day',
      `day ${formatDate(day)} is already closed for loan ${state.loanId}; quote a past day from the history with payoffQuote(loanAsOf(events, day - 1), day)`,
    );
  }
  if (day < state.startDay) {
    throw new LedgerInputError('day_before_start', 'day', `day ${formatDate(day)} is before the loan began`);
  }
  const b = new EventBuilder(state);
  closeThrough(b, day - 1);
  startDay(b, day);
  const p = positionOn(b.state, day);
  return {
    day,
    principalMinor: p.outstandingPrincipalMinor,
    interestMinor: p.overdueInterestMinor + p.dueInterestMinor + p.accruedInterestMinor,
    feeMinor: p.overdueFeeMinor + p.dueFeeMinor + b.state.pendingUpfrontFeeMinor,
    penaltyMinor: p.penaltyOutstandingMinor,
    creditMinor: p.creditMinor,
    totalMinor: p.totalOwedMinor,
  };
}
