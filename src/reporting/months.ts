import { civilFromDay, type Day, dayFromCivil, daysInMonth, invariant } from '../money/index.js';

/**
 * A calendar month as one integer: year × 12 + (month − 1). Reports are kept per month (征信 monthly status,
 * month-end classification), so months are compared and stepped as numbers.
 */
export type MonthKey = number;

export function monthKey(year: number, month: number): MonthKey {
  invariant(month >= 1 && month <= 12, () => `month ${month} is not 1..12`);
  return year * 12 + (month - 1);
}

export function monthKeyOfDay(day: Day): MonthKey {
  const { year, month } = civilFromDay(day);
  return monthKey(year, month);
}

export function lastDayOfMonthKey(key: MonthKey): Day {
  const year = Math.floor(key / 12);
  const month = key - year * 12 + 1;
  return dayFromCivil(year, month, daysInMonth(year, month));
}

export function firstDayOfMonthKey(key: MonthKey): Day {
  const year = Math.floor(key / 12);
  return dayFromCivil(year, key - year * 12 + 1, 1);
}

/** `YYYY-MM`. */
export function formatMonthKey(key: MonthKey): string {
  const year = Math.floor(key / 12);
  const month = key - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}
