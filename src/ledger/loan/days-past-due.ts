import { DAY_MAX, DAY_MIN, type Day, endOfMonth } from '../../money/index.js';
import { bucketOfRank, bucketRank, firstDaysPastDueOfBucket } from '../delinquency.js';
import type { LoanState } from './state.js';

/** A day that never comes: the end-of-day step has nothing more to do for this loan. */
export const NEVER: Day = Number.MAX_SAFE_INTEGER;

let monthEnds: Int32Array | undefined;

/** The last day of `day`'s month, from a table built once (the daily loop asks for it often). */
export function monthEndOf(day: Day): Day {
  if (day < DAY_MIN || day > DAY_MAX) return endOfMonth(day);
  if (monthEnds === undefined) {
    monthEnds = new Int32Array(DAY_MAX - DAY_MIN + 1);
    let d = DAY_MIN;
    while (d <= DAY_MAX) {
      const end = endOfMonth(d);
      for (; d <= end && d <= DAY_MAX; d++) monthEnds[d - DAY_MIN] = end;
    }
  }
  return monthEnds[day - DAY_MIN]!;
}

/**
 * 逾期天数 days past due on `day` (as of its end): days since the oldest unpaid due date, once that instalment
 * has passed its grace period unpaid; 0 before (within grace the loan is not reported overdue). So with
 * 3 grace days an instalment due on the 15th is 0 DPD through the 18th and 4 DPD on the 19th.
 */
export function daysPastDue(state: LoanState, day: Day): number {
  const oldest = state.dues[0];
  if (oldest === undefined || !oldest.overdue) return 0;
  return Math.max(0, day - oldest.dueDay);
}

/**
 * The first day ≥ `fromDay` on which the end-of-day step may emit an event: the next due date, the next
 * passing of a grace period, the next bucket boundary, the next month end. Computed when the state changes,
 * so that on every other day the step is one comparison.
 */
export function nextEventDayOf(state: LoanState, fromDay: Day): Day {
  if (state.status !== 'active') return NEVER;
  let next = monthEndOf(fromDay);
  const due = state.plan[state.nextInstallmentIndex];
  if (due !== undefined && due.dueDay < next) next = due.dueDay;
  // An offer in force lapses at the close of its last day.
  const offerEnd = state.settlement?.validThroughDay;
  if (offerEnd !== undefined && offerEnd < next) next = offerEnd;
  const grace = state.product.graceDays;
  for (const item of state.dues) {
    if (!item.overdue) {
      const overdueDay = item.dueDay + grace + 1;
      if (overdueDay < next) next = overdueDay;
      break;
    }
  }
  const oldest = state.dues[0];
  if (oldest?.overdue) {
    const rank = bucketRank(state.bucket);
    if (rank < 7) {
      const boundary = oldest.dueDay + firstDaysPastDueOfBucket(bucketOfRank(rank + 1), state.delinquency);
      if (boundary < next) next = boundary;
    }
  }
  return Math.max(next, fromDay);
}
