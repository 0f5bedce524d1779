import { type Day, invariant } from '../../money/index.js';
import { bucketForDaysPastDue } from '../delinquency.js';
import { LedgerInputError } from '../errors.js';
import { penaltyOutstandingMinor, postableThrough } from './accrual.js';
import { allocatePayment } from './allocation.js';
import { EventBuilder } from './builder.js';
import { daysPastDue, monthEndOf, nextEventDayOf } from './days-past-due.js';
import type { LoanEvent } from './events.js';
import { emitRestructuringBroken } from './restructure-eod.js';
import { settlementOf } from './settlement-types.js';
import type { LoanState } from './state.js';

/** Returned on the many days with nothing to do: shared, never mutated, so nothing is allocated. */
const NO_EVENTS: readonly LoanEvent[] = Object.freeze([]);

/**
 * Posts interest and penalty accrued through `day` when there is anything to post (interest through
 * `interestThroughDay` when that is later: an instalment billed early with its interest to its due date).
 */
export function emitAccrued(
  b: EventBuilder,
  day: Day,
  reason: 'due-date' | 'month-end' | 'repayment' | 'waiver' | 'restructuring',
  interestThroughDay: Day = day,
): void {
  const { interestMinor, penaltyMinor } = postableThrough(b.state, day, interestThroughDay);
  if (interestMinor > 0 || penaltyMinor > 0)
    b.emit({ type: 'Accrued', day, interestMinor, penaltyMinor, reason });
}

/** Emits a bucket change when days past due on `day` put the loan in another bucket. */
export function emitBucketChange(b: EventBuilder, day: Day): void {
  const dpd = daysPastDue(b.state, day);
  const bucket = bucketForDaysPastDue(dpd, b.state.delinquency);
  if (bucket !== b.state.bucket) {
    b.emit({
      type: 'DelinquencyChanged',
      day,
      fromBucket: b.state.bucket,
      toBucket: bucket,
      daysPastDue: dpd,
    });
  }
}

/** Settles the loan when nothing is owed any more. */
export function emitSettledIfPaid(b: EventBuilder, day: Day): void {
  const s = b.state;
  if (
    s.status === 'active' &&
    s.nextInstallmentIndex >= s.plan.length &&
    s.notDuePrincipalMinor === 0 &&
    s.dues.length === 0 &&
    s.pendingUpfrontFeeMinor === 0 &&
    penaltyOutstandingMinor(s) === 0 &&
    s.periodInterestPostedMinor === s.periodInterestPrepaidMinor
  ) {
    b.emit({ type: 'LoanSettled', day });
  }
}

/** A credit balance pays what just fell due. */
function applyCredit(b: EventBuilder, day: Day): void {
  const credit = b.state.creditMinor;
  if (credit === 0 || b.state.dues.length === 0) return;
  const a = allocatePayment(b.state, credit, false, 0);
  const used = credit - a.leftoverMinor;
  if (used > 0) {
    b.emit({
      type: 'CreditApplied',
      day,
      amountMinor: used,
      allocation: a.allocation,
      byInstallment: a.byInstallment,
    });
  }
}

/**
 * What happens at the start of business day `day`, before any payment of that day: instalments past their
 * grace period become overdue, the bucket follows days past due, instalments due today fall due (their
 * interest posted and billed) and any credit balance pays them. Idempotent through the state: run again on the
 * same day, it finds nothing left to do.
 */
export function startDay(b: EventBuilder, day: Day): void {
  if (b.state.status !== 'active') return;
  const grace = b.state.product.graceDays;
  for (const item of b.state.dues) {
    if (!item.overdue && day - item.dueDay > grace) {
      b.emit({
        type: 'InstallmentOverdue',
        day,
        installmentNumber: item.installmentNumber,
        dueDay: item.dueDay,
        principalMinor: item.principalMinor,
        interestMinor: item.interestMinor,
        feeMinor: item.feeMinor,
      });
    }
  }
  emitRestructuringBroken(b, day);
  emitBucketChange(b, day);
  for (;;) {
    const s = b.state;
    const item = s.plan[s.nextInstallmentIndex];
    if (item === undefined || item.dueDay > day) break;
    invariant(item.dueDay === day, () => `instalment ${item.number} due on ${item.dueDay} was missed`);
    emitAccrued(b, day, 'due-date');
    const after = b.state;
    b.emit({
      type: 'InstallmentDue',
      day,
      installmentNumber: item.number,
      principalMinor: item.principalMinor,
      interestMinor: after.periodInterestPostedMinor - after.periodInterestPrepaidMinor,
      feeMinor: item.feeMinor + after.pendingUpfrontFeeMinor,
      final: after.nextInstallmentIndex === after.plan.length - 1,
    });
  }
  applyCredit(b, day);
  emitSettledIfPaid(b, day);
}

/** The end of an offer's last day: an offer still in force lapses. */
function emitSettlementLapse(b: EventBuilder, day: Day): void {
  const offer = settlementOf(b.state);
  if (offer === null || day < offer.validThroughDay) return;
  b.emit({ type: 'SettlementLapsed', day, offerSeq: offer.offerSeq, paidMinor: offer.paidMinor });
}

function closeInto(b: EventBuilder, day: Day): void {
  startDay(b, day);
  if (b.state.status === 'active' && day === monthEndOf(day)) emitAccrued(b, day, 'month-end');
  if (b.state.status === 'active') emitSettlementLapse(b, day);
}

function requireNextDay(state: LoanState, day: Day): void {
  // Days skipped since the marker are fine when none of them had work (all before nextEventDay).
  if (day !== state.lastClosedDay + 1 && day > state.nextEventDay) {
    throw new LedgerInputError(
      'day_not_next',
      'day',
      `loan ${state.loanId} is closed through day ${state.lastClosedDay} and has work on day ${state.nextEventDay}; close the days in order (closeDaysThrough closes several days)`,
    );
  }
}

/**
 * The end-of-day step (EOD): the events business day `day` produces for this loan. Pure. Returns an empty
 * array (shared) when the day is already closed or nothing happens — the common case, answered by one
 * comparison with `state.nextEventDay`, allocating nothing. Only due dates, overdue transitions, bucket
 * changes, month-end accrual postings and maturity produce events.
 */
export function endOfDay(state: LoanState, day: Day): LoanEvent[] {
  if (day <= state.lastClosedDay || day < state.nextEventDay) return NO_EVENTS as LoanEvent[];
  requireNextDay(state, day);
  const b = new EventBuilder(state);
  closeInto(b, day);
  return b.events.length === 0 ? (NO_EVENTS as LoanEvent[]) : b.events;
}

/** Runs EOD for `day`, folds its events and advances the last-closed-day marker. */
export function closeDay(state: LoanState, day: Day): { state: LoanState; events: LoanEvent[] } {
  if (day <= state.lastClosedDay) return { state, events: NO_EVENTS as LoanEvent[] };
  const b = new EventBuilder(state);
  closeThrough(b, day);
  return { state: b.state, events: b.events };
}

/**
 * Closes every day after the marker through `day`, in order, jumping over days with nothing to do. The
 * marker and the next-event day are tracked locally and written once at the end (one state copy, not one
 * per day).
 */
export function closeThrough(b: EventBuilder, day: Day): void {
  let closed = b.state.lastClosedDay;
  let nextWork = b.state.nextEventDay;
  while (closed < day) {
    const next = closed + 1;
    if (next < nextWork) {
      closed = Math.min(day, nextWork - 1);
      continue;
    }
    closeInto(b, next);
    closed = next;
    nextWork = nextEventDayOf(b.state, next + 1);
  }
  const nextEventDay = nextEventDayOf(b.state, closed + 1);
  if (closed !== b.state.lastClosedDay || nextEventDay !== b.state.nextEventDay) {
    b.set({ lastClosedDay: closed, nextEventDay });
  }
}

/** Closes every day after the marker through `day`; the events in order and the state after them. */
export function closeDaysThrough(state: LoanState, day: Day): { state: LoanState; events: LoanEvent[] } {
  const b = new EventBuilder(state);
  closeThrough(b, day);
  return { state: b.state, events: b.events };
}
