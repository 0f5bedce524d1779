import { type Day, invariant } from '../../money/index.js';
import { addExact, type Fraction, interestFactor, penaltyFactor, roundForProduct, times } from './rates.js';
import type { DueItem, LoanState } from './state.js';

/**
 * Accrual without daily events: interest and penalty up to any day are derived from the state (the exact
 * amount accumulated at the last change plus the current base × the rate over the days since). Nothing is
 * rounded here; rounding happens only when an amount is posted, billed or paid (`postableThrough`).
 */

/** Exact contract interest of the current period through the end of `day`. */
export function interestExactThrough(state: LoanState, day: Day): Fraction {
  const current = state.plan[state.nextInstallmentIndex];
  if (current === undefined || state.notDuePrincipalMinor === 0) return state.periodInterestExact;
  const to = Math.min(day, current.dueDay);
  if (to < state.accrualSegmentDay) {
    // Only an instalment billed early with interest to its due date puts the segment ahead of the days
    // asked about (at the period's start): those days are charged already.
    invariant(
      state.accrualSegmentDay <= current.startDay,
      () => `interest asked through day ${day}, before the last change`,
    );
    return state.periodInterestExact;
  }
  // 等本等息 accrues on its flat base (the principal borrowed), every other method on the not-due principal.
  const base =
    state.product.method === 'flat-rate' ? state.flatInterestBaseMinor : state.notDuePrincipalMinor;
  return addExact(
    state.periodInterestExact,
    times(base, interestFactor(state.product, current.startDay, current.dueDay, state.accrualSegmentDay, to)),
  );
}

/** Exact penalty interest over the loan's life through the end of `day`. */
export function penaltyExactThrough(state: LoanState, day: Day): Fraction {
  if (state.penaltyBaseMinor === 0 || day <= state.penaltyAccrualDay) return state.penaltyExact;
  return addExact(
    state.penaltyExact,
    times(state.penaltyBaseMinor, penaltyFactor(state.product, state.penaltyAccrualDay, day)),
  );
}

/**
 * What a consolidated accrual on `day` posts: the rounded exact total less what was already posted, so the
 * fraction below the rounding unit is carried to the next posting, never lost. Interest rounds per period
 * (the instalment's interest is rounded once, as in the schedule); penalty rounds over the loan's life.
 * `interestThroughDay` (default `day`) posts interest to a later day: an instalment paid before its due date
 * with its interest charged to the due date.
 */
export function postableThrough(
  state: LoanState,
  day: Day,
  interestThroughDay: Day = day,
): { interestMinor: number; penaltyMinor: number } {
  const interestMinor =
    roundForProduct(state.product, interestExactThrough(state, interestThroughDay)) -
    state.periodInterestPostedMinor;
  const penaltyMinor =
    roundForProduct(state.product, penaltyExactThrough(state, day)) - state.penaltyPostedMinor;
  invariant(interestMinor >= 0 && penaltyMinor >= 0, 'posted accrual exceeds the exact accrual');
  return { interestMinor, penaltyMinor };
}

/** Penalty posted and not yet paid, waived or capitalised (by a restructuring). */
export function penaltyOutstandingMinor(state: LoanState): number {
  return (
    state.penaltyPostedMinor -
    state.penaltyPaidMinor -
    state.penaltyWaivedMinor -
    (state.restructuring?.capitalised.penaltyMinor ?? 0)
  );
}

/** The base penalty accrues on, per the product: overdue principal [+ overdue interest] [+ unpaid penalty]. */
export function penaltyBaseOf(
  state: LoanState,
  dues: readonly DueItem[],
  penaltyUnpaidMinor: number,
): number {
  const { base, compounding } = state.product.penalty;
  let total = 0;
  for (const item of dues) {
    if (!item.overdue) continue;
    total += item.principalMinor;
    if (base === 'overdue-principal-and-interest') total += item.interestMinor;
  }
  if (compounding) total += penaltyUnpaidMinor;
  return total;
}
