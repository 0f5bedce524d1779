import { type Day, formatDate, parseDate } from '../../money/index.js';
import type { ReportRequest } from '../../reporting/index.js';
import { lastDayOfMonthKey, monthKeyOfDay } from '../../reporting/index.js';
import { type Db, getBusinessDay } from '../../store/index.js';
import { ReportError } from './errors.js';

/** The request's `asOf` as a day, or the caller's fault said plainly. */
export function requestDay(request: ReportRequest): Day {
  try {
    return parseDate(request.asOf, 'asOf');
  } catch {
    throw new ReportError(
      'report_date_invalid',
      400,
      `asOf must be a date YYYY-MM-DD, not "${request.asOf}"`,
      'asOf',
    );
  }
}

/** `monthEnd`, refused while the end-of-day batch has not closed it. */
export async function closedMonthEnd(db: Db, monthEnd: Day, field = 'asOf'): Promise<Day> {
  const businessDay = await getBusinessDay(db);
  if (monthEnd >= businessDay) {
    throw new ReportError(
      'report_month_not_closed',
      409,
      `the month end ${formatDate(monthEnd)} is not closed: the business day is ${formatDate(businessDay)}`,
      field,
    );
  }
  return monthEnd;
}

/**
 * The last day of the month containing `asOf` (the credit report's month), refused while that day is not closed:
 * the month's records are not all made before its last day closes.
 */
export function requestClosedMonth(db: Db, request: ReportRequest): Promise<Day> {
  return closedMonthEnd(db, lastDayOfMonthKey(monthKeyOfDay(requestDay(request))));
}

/**
 * The day a forward-looking report (ECL, stress, liquidity) is measured at: any day the end-of-day batch has
 * closed. A later day would measure a book that does not exist yet; a text that is not a date is the caller's.
 */
export async function requestClosedDay(db: Db, request: ReportRequest): Promise<Day> {
  const day = requestDay(request);
  const businessDay = await getBusinessDay(db);
  if (day >= businessDay) {
    throw new ReportError(
      'report_day_not_closed',
      409,
      `the day ${formatDate(day)} is not closed: the business day is ${formatDate(businessDay)}; ask for ${formatDate(businessDay - 1)} or earlier, or run EOD through ${formatDate(day)}`,
      'asOf',
    );
  }
  return day;
}
