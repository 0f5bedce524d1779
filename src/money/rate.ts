import { type DayCount, daysPerYear } from './day-count.js';
import { MoneyInputError } from './errors.js';
import {
  compare,
  divide,
  multiply,
  parseDecimal,
  type Rational,
  rational,
  toExactDecimalString,
} from './rational.js';

export type RatePeriod = 'day' | 'year';

/** An exact interest rate per day (日利率) or per year (年利率), e.g. 0.0005 per day = 0.05%/day. */
export interface InterestRate {
  readonly value: Rational;
  readonly per: RatePeriod;
}

/** Largest rate accepted as input at all (a guard against typos such as 5 for 0.05): 100% per day or 1000% per year. */
const RATE_INPUT_MAX = { day: rational(1), year: rational(10) } as const;

/**
 * Parses "0.0005/day", "0.07/year", "0.05%/day" or "18.25%/year". The period is required because a bare
 * number is ambiguous between a daily and an annual rate.
 */
export function parseRate(text: string, field = 'rate'): InterestRate {
  const match = /^([^/%]+)(%)?\/(day|year)$/.exec(text.trim());
  if (!match) {
    throw new MoneyInputError(
      'invalid_rate',
      `${field} "${text}" is not a rate; write it with its period, like 0.0005/day, 0.05%/day or 0.18/year`,
    );
  }
  const [, number = '', percent, per] = match;
  let value = parseDecimal(number, field);
  if (percent) value = divide(value, rational(100));
  const period = per as RatePeriod;
  if (value.num < 0n) {
    throw new MoneyInputError('rate_negative', `${field} "${text}" is negative; rates are 0 or more`);
  }
  if (compare(value, RATE_INPUT_MAX[period]) > 0) {
    throw new MoneyInputError(
      'rate_out_of_range',
      `${field} "${text}" is implausibly high (over ${period === 'day' ? '100% a day' : '1000% a year'}); check the decimal point`,
    );
  }
  return { value, per: period };
}

export function formatRate(rate: InterestRate): string {
  return `${toExactDecimalString(rate.value) ?? `${rate.value.num}/${rate.value.den}`}/${rate.per}`;
}

/** The exact daily rate in a given year under a day count (an annual rate is divided by the year's days). */
export function dailyRate(rate: InterestRate, dayCount: DayCount, year: number): Rational {
  if (rate.per === 'day') return rate.value;
  return divide(rate.value, rational(daysPerYear(dayCount, year)));
}

/**
 * The nominal annual rate (no compounding): a daily rate × the convention's days per year
 * (365 for ACT/365F and ACT/ACT, 360 for ACT/360 and 30/360). 0.0005/day → 0.1825.
 */
export function nominalAnnualRate(rate: InterestRate, dayCount: DayCount): Rational {
  if (rate.per === 'year') return rate.value;
  const days = dayCount === 'ACT/ACT' ? 365 : daysPerYear(dayCount, 2001);
  return multiply(rate.value, rational(days));
}
