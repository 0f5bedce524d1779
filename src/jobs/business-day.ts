import { formatDate, parseDate } from '../money/index.js';

/**
 * The lender's calendar. The wall clock is read here, in the shell, and nowhere else: the core and the
 * store are given the day ("today") as an argument.
 */

/** The lender's time zone when none is configured: the business day turns at midnight in Shanghai. */
export const LENDER_TIME_ZONE_DEFAULT = 'Asia/Shanghai';

/** Throws when `timeZone` is not an IANA zone the runtime knows. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}"; give an IANA name such as Asia/Shanghai`);
  }
  return timeZone;
}

function partsIn(timeZone: string, now: Date): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** Today's date (YYYY-MM-DD) in the lender's zone. */
export function lenderToday(timeZone: string = LENDER_TIME_ZONE_DEFAULT, now: Date = new Date()): string {
  const p = partsIn(timeZone, now);
  return formatDate(parseDate(`${p.year}-${p.month}-${p.day}`));
}

/**
 * The business time of something done now: the system business day with the lender's time of day of
 * `now` (an application submitted at 14:05 Shanghai time on business day 2025-03-10 is dated
 * 2025-03-10 14:05 +08:00), as a UTC instant. When the business day equals today this is `now` itself.
 */
export function businessInstant(
  businessDay: string,
  timeZone: string = LENDER_TIME_ZONE_DEFAULT,
  now: Date = new Date(),
): string {
  const p = partsIn(timeZone, now);
  const wallToday = parseDate(`${p.year}-${p.month}-${p.day}`);
  const shift_ms = (parseDate(businessDay) - wallToday) * 86_400_000;
  return new Date(now.getTime() + shift_ms).toISOString();
}
