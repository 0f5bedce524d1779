import { invariant, MoneyInputError } from './errors.js';
import { formatScaledInteger } from './rational.js';

/** ISO 4217 currencies the platform prices in, with their minor-unit scale (CNY: 2, i.e. fen). */
export const CURRENCIES = {
  CNY: { code: 'CNY', scale: 2 },
  HKD: { code: 'HKD', scale: 2 },
  USD: { code: 'USD', scale: 2 },
} as const;
export type CurrencyCode = keyof typeof CURRENCIES;

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCIES, value);
}

/**
 * An amount in integer minor units (fen for CNY). Always a safe integer: a fractional or unsafe amount is
 * an impossible state and fails loudly.
 */
export interface Money {
  readonly currency: CurrencyCode;
  readonly minor: number;
}

/** Largest amount accepted at the edges: 10^13 minor units (100 billion yuan). */
export const AMOUNT_MINOR_MAX = 10_000_000_000_000;

export function assertMinor(value: number, what = 'amount'): number {
  invariant(
    Number.isSafeInteger(value),
    () => `${what} must be a safe integer number of minor units, got ${value}`,
  );
  return value;
}

export function money(minor: number, currency: CurrencyCode = 'CNY'): Money {
  return { currency, minor: assertMinor(minor) };
}

export function addMoney(a: Money, b: Money): Money {
  invariant(a.currency === b.currency, () => `cannot add ${a.currency} to ${b.currency}`);
  return money(a.minor + b.minor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  invariant(a.currency === b.currency, () => `cannot subtract ${b.currency} from ${a.currency}`);
  return money(a.minor - b.minor, a.currency);
}

/** Minor units as a decimal string in major units: 123456 → "1234.56". */
export function formatMinor(minor: number, currency: CurrencyCode = 'CNY'): string {
  return formatScaledInteger(BigInt(assertMinor(minor)), CURRENCIES[currency].scale);
}

export function formatMoney(m: Money): string {
  return formatMinor(m.minor, m.currency);
}

/** Minor units with thousands separators for people: 123456789 → "1,234,567.89". */
export function formatMinorGrouped(minor: number, currency: CurrencyCode = 'CNY'): string {
  const text = formatMinor(minor, currency);
  const [whole = '', fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

export interface ParseAmountOptions {
  currency?: CurrencyCode;
  /** Allow a negative amount (adjustments); amounts a person pays or borrows are never negative. */
  allowNegative?: boolean;
  /** Allow zero. */
  allowZero?: boolean;
  maxMinor?: number;
  /** Name of the field, used in messages. */
  field?: string;
}

/**
 * Parses an amount written in major units ("1234.56") into exact minor units. Refuses more decimals than
 * the currency has, exponents, separators, negatives (unless allowed) and amounts above the bound, each
 * with a message that says how to write it instead.
 */
export function parseAmount(text: string, options: ParseAmountOptions = {}): number {
  const currency = options.currency ?? 'CNY';
  const scale = CURRENCIES[currency].scale;
  const field = options.field ?? 'amount';
  const max = options.maxMinor ?? AMOUNT_MINOR_MAX;
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw new MoneyInputError(
      'invalid_amount',
      `${field} "${text}" is not an amount; write it in yuan with at most ${scale} decimals, like 1234.56`,
    );
  }
  const [, minus, whole = '0', fraction = ''] = match;
  if (fraction.length > scale) {
    throw new MoneyInputError(
      'amount_too_precise',
      `${field} "${text}" has ${fraction.length} decimals; ${currency} amounts have at most ${scale} (e.g. ${whole}.${fraction.slice(0, scale)})`,
    );
  }
  const minorBig = BigInt(whole + fraction.padEnd(scale, '0')) * (minus ? -1n : 1n);
  if (minorBig < 0n && !options.allowNegative) {
    throw new MoneyInputError('amount_negative', `${field} "${text}" is negative; give a positive amount`);
  }
  if (minorBig === 0n && !options.allowZero) {
    throw new MoneyInputError('amount_zero', `${field} is zero; give an amount greater than 0`);
  }
  if (minorBig > BigInt(max) || minorBig < -BigInt(max)) {
    throw new MoneyInputError(
      'amount_too_large',
      `${field} "${text}" is above the largest accepted amount ${formatMinor(max, currency)}`,
    );
  }
  return Number(minorBig);
}
