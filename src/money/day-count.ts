import { civilFromDay, type Day, dayFromCivil, daysInMonth, daysInYear } from './date.js';
import { add, type Rational, rational, ZERO } from './rational.js';

/**
 * Day-count conventions: how a span of days becomes a fraction of a year.
 * - `ACT/365F`: actual days ÷ 365, every year (the usual convention for CNY consumer loans).
 * - `ACT/360`: actual days ÷ 360.
 * - `30/360`: US (bond basis) 30/360: each month counts 30 days.
 * - `30E/360`: Eurobond 30/360: day 31 becomes 30 on both ends.
 * - `ACT/ACT`: ISDA actual/actual: days in each calendar year ÷ that year's length (365 or 366).
 */
export type DayCount = 'ACT/365F' | 'ACT/360' | '30/360' | '30E/360' | 'ACT/ACT';

export const DAY_COUNTS: readonly DayCount[] = ['ACT/365F', 'ACT/360', '30/360', '30E/360', 'ACT/ACT'];

export function isDayCount(value: string): value is DayCount {
  return (DAY_COUNTS as readonly string[]).includes(value);
}

function isLastDayOfFebruary(y: number, m: number, d: number): boolean {
  return m === 2 && d === daysInMonth(y, 2);
}

/** The days a convention counts between two dates (30/360 counts 30-day months; ACT counts actual days). */
export function dayCountDays(start: Day, end: Day, convention: DayCount): number {
  if (convention !== '30/360' && convention !== '30E/360') return end - start;
  const s = civilFromDay(start);
  const e = civilFromDay(end);
  let d1 = s.day;
  let d2 = e.day;
  if (convention === '30/360') {
    // US rule set: Feb end and 31st adjustments as in the bond basis.
    if (isLastDayOfFebruary(s.year, s.month, s.day) && isLastDayOfFebruary(e.year, e.month, e.day)) d2 = 30;
    if (isLastDayOfFebruary(s.year, s.month, s.day)) d1 = 30;
    if (d2 === 31 && d1 >= 30) d2 = 30;
    if (d1 === 31) d1 = 30;
  } else {
    if (d1 === 31) d1 = 30;
    if (d2 === 31) d2 = 30;
  }
  return 360 * (e.year - s.year) + 30 * (e.month - s.month) + (d2 - d1);
}

/** The exact fraction of a year between two dates under a convention. */
export function yearFraction(start: Day, end: Day, convention: DayCount): Rational {
  if (end < start) {
    const f = yearFraction(end, start, convention);
    return rational(-f.num, f.den);
  }
  switch (convention) {
    case 'ACT/365F':
      return rational(end - start, 365);
    case 'ACT/360':
      return rational(end - start, 360);
    case '30/360':
    case '30E/360':
      return rational(dayCountDays(start, end, convention), 360);
    case 'ACT/ACT': {
      let total = ZERO;
      let cursor = start;
      while (cursor < end) {
        const { year } = civilFromDay(cursor);
        const nextYear = dayFromCivil(year + 1, 1, 1);
        const stop = Math.min(nextYear, end);
        total = add(total, rational(stop - cursor, daysInYear(year)));
        cursor = stop;
      }
      return total;
    }
  }
}

/**
 * The denominator a convention divides one day by when turning an annual rate into a daily one:
 * 365 for ACT/365F, 360 for ACT/360 and the 30/360 family, and the actual year length for ACT/ACT.
 */
export function daysPerYear(convention: DayCount, year: number): number {
  switch (convention) {
    case 'ACT/365F':
      return 365;
    case 'ACT/360':
    case '30/360':
    case '30E/360':
      return 360;
    case 'ACT/ACT':
      return daysInYear(year);
  }
}
