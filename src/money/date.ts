import { invariant, MoneyInputError } from './errors.js';

/**
 * A business date as a whole number of days since 1970-01-01 (day 0). Calendar dates only: no time of day,
 * no zone, never a `Date` object.
 */
export type Day = number;

/** Earliest and latest dates accepted anywhere: 1900-01-01 and 2199-12-31. */
export const DAY_MIN: Day = -25567;
export const DAY_MAX: Day = 84005;

export interface CivilDate {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  invariant(month >= 1 && month <= 12, () => `month ${month} is not 1..12`);
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (era-based, exact for all years here). */
export function dayFromCivil(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9; // March = 0
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Every supported day's date packed as `year × 512 + month × 32 + day`, built on first use by walking the days
 * once (about 110,000 of them): the ledger and the strategy lab ask for a day's month and month end millions of
 * times, and a table read allocates nothing. Days outside DAY_MIN … DAY_MAX are worked out each time.
 */
let packedDays: Int32Array | null = null;

function packedTable(): Int32Array {
  if (packedDays !== null) return packedDays;
  const table = new Int32Array(DAY_MAX - DAY_MIN + 1);
  let year = 1900;
  let month = 1;
  let day = 1;
  let last = daysInMonth(year, month);
  for (let i = 0; i < table.length; i += 1) {
    table[i] = year * 512 + month * 32 + day;
    day += 1;
    if (day > last) {
      day = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      last = daysInMonth(year, month);
    }
  }
  invariant(
    table[table.length - 1] === 2199 * 512 + 12 * 32 + 31,
    'the day table must end on 2199-12-31 (DAY_MIN and DAY_MAX disagree with the calendar)',
  );
  packedDays = table;
  return table;
}

/** The day's date packed as in the table (see packedTable); any integer day. */
function packedOf(value: Day): number {
  if (value >= DAY_MIN && value <= DAY_MAX && Number.isInteger(value)) return packedTable()[value - DAY_MIN]!;
  const c = civilArithmetic(value);
  return c.year * 512 + c.month * 32 + c.day;
}

export function civilFromDay(value: Day): CivilDate {
  if (value >= DAY_MIN && value <= DAY_MAX && Number.isInteger(value)) {
    const p = packedTable()[value - DAY_MIN]!;
    return { year: p >> 9, month: (p >> 5) & 15, day: p & 31 };
  }
  return civilArithmetic(value);
}

/** The date of any integer day by arithmetic alone (proleptic Gregorian, era-based). */
export function civilArithmetic(value: Day): CivilDate {
  invariant(Number.isInteger(value), () => `day ${value} is not an integer`);
  const z = value + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` strictly: a date that does not exist (2026-02-30) is refused with the reason. */
export function parseDate(text: string, field = 'date'): Day {
  const match = ISO_DATE.exec(text);
  if (!match) {
    throw new MoneyInputError(
      'invalid_date',
      `${field} "${text}" is not a date; write it as YYYY-MM-DD, e.g. 2026-01-15`,
    );
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) {
    throw new MoneyInputError('invalid_date', `${field} "${text}" has month ${month}; months run 01 to 12`);
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw new MoneyInputError(
      'invalid_date',
      `${field} "${text}" does not exist: ${year}-${String(month).padStart(2, '0')} has days 01 to ${last}`,
    );
  }
  const result = dayFromCivil(year, month, day);
  if (result < DAY_MIN || result > DAY_MAX) {
    throw new MoneyInputError('date_out_of_range', `${field} "${text}" is outside 1900-01-01 … 2199-12-31`);
  }
  return result;
}

/**
 * Dates already formatted, by day: the reminder planner and the lab format the same few days thousands of
 * times. At most one string per day of the supported range (DAY_MIN … DAY_MAX).
 */
const formatted = new Map<Day, string>();

export function formatDate(value: Day): string {
  const inRange = Number.isInteger(value) && value >= DAY_MIN && value <= DAY_MAX;
  if (inRange) {
    const kept = formatted.get(value);
    if (kept !== undefined) return kept;
  }
  const { year, month, day } = civilFromDay(value);
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (inRange) formatted.set(value, text);
  return text;
}

export function addDays(value: Day, days: number): Day {
  return value + days;
}

/**
 * The date `months` calendar months after `value`, on day `anchorDay` of that month (default: the
 * day of `value`), clamped to the month's last day: 01-31 + 1 month → 02-28 (or 02-29).
 */
export function addMonths(value: Day, months: number, anchorDay?: number): Day {
  invariant(Number.isInteger(months), 'addMonths: months must be an integer');
  const p = packedOf(value);
  const index = (p >> 9) * 12 + (((p >> 5) & 15) - 1) + months;
  const day = p & 31;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return dayFromCivil(y, m, Math.min(anchorDay ?? day, daysInMonth(y, m)));
}

/** Whole calendar months from `a` to `b` counting by month-day (never negative when b ≥ a). */
export function monthsBetween(a: Day, b: Day): number {
  const x = packedOf(a);
  const y = packedOf(b);
  const yYear = y >> 9;
  const yMonth = (y >> 5) & 15;
  let months = (yYear - (x >> 9)) * 12 + (yMonth - ((x >> 5) & 15));
  if ((y & 31) < (x & 31) && (y & 31) < daysInMonth(yYear, yMonth)) months -= 1;
  return months;
}

export function endOfMonth(value: Day): Day {
  const p = packedOf(value);
  return value - (p & 31) + daysInMonth(p >> 9, (p >> 5) & 15);
}

export function startOfMonth(value: Day): Day {
  return value - (packedOf(value) & 31) + 1;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(value: Day): number {
  return ((((value + 3) % 7) + 7) % 7) + 1;
}
