import { daysBetween } from '../money.js';

/**
 * The days an EOD run may be started for: from the business day (the day open now, which a run closes and
 * then moves on to the next) to today in the lender's zone. Nothing after today: closing the future would
 * age every loan and cannot be undone.
 */
export function eodDateAllowed(day: string, businessDay: string, today: string): boolean {
  return day >= businessDay && day <= today;
}

/** How many days a run for `day` closes: the business day through `day`, both included. */
export function eodDaysClosed(day: string, businessDay: string): number {
  return Math.max(1, daysBetween(businessDay, day) + 1);
}
