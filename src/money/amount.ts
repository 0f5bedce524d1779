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
/** 10^scale of each scale in CURRENCIES. */
const UNITS = [1, 10, 100, 1000];

export function formatMinor(minor: number, currency: CurrencyCode = 'CNY'): string {
  assertMinor(minor);
  const scale: number = CURRENCIES[currency].scale;
  const unit = UNITS[scale];
  if (unit === undefined) return formatScaledInteger(BigInt(minor), scale);
  // Every answer formats dozens of amounts: a safe integer is split exactly without a bigint (the
  // remainder of an integer is exact, and so is the quotient of an exact multiple); the property test
  // holds it to formatScaledInteger.
  const negative = minor < 0;
  const abs = negative ? -minor : minor;
  const fraction = abs % unit;
  const whole = (abs - fraction) / unit;
  const sign = negative ? '-' : '';
  return scale === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(scale, '0')}`;
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
 * A refused amount. `message` is the whole sentence for a person (it names the field and the text sent);
 * `fault` is the same refusal as a phrase about the field ("must not be negative; …"), which the API
 * puts beside the field's path in a problem.
 */
export class AmountInputError extends MoneyInputError {
  constructor(
    code: string,
    message: string,
    readonly fault: string,
  ) {
    super(code, message);
    this.name = 'AmountInputError';
  }
}

/**
 * Parses an amount written in major units ("1234.56") into exact minor units: the one parser of amounts
 * at every edge (API, command line, imported files). Only the plain form is accepted: digits without
 * leading zeros, at most the currency's decimals, no sign (a minus only when negatives are allowed), no
 * exponent, no separators or spaces, at most `maxMinor`. Digit counts are compared before converting, so
 * a huge value never passes through an unsafe number. Each refusal says how to write the amount instead.
 */
/** The patterns of `parseAmount` for each scale, made once (every request with an amount parses one). */
const AMOUNT_PATTERNS = new Map<number, { tooPrecise: RegExp; plain: RegExp }>();

function amountPatterns(scale: number): { tooPrecise: RegExp; plain: RegExp } {
  let patterns = AMOUNT_PATTERNS.get(scale);
  if (patterns === undefined) {
    patterns = {
      tooPrecise: new RegExp(`^([0-9]*)\\.([0-9]{${scale + 1},})$`),
      plain: new RegExp(`^(0|[1-9][0-9]*)(?:\\.([0-9]{1,${scale}}))?$`),
    };
    AMOUNT_PATTERNS.set(scale, patterns);
  }
  return patterns;
}

export function parseAmount(text: string, options: ParseAmountOptions = {}): number {
  const currency = options.currency ?? 'CNY';
  const scale = CURRENCIES[currency].scale;
  const field = options.field ?? 'amount';
  const max = options.maxMinor ?? AMOUNT_MINOR_MAX;
  const example = 'write it like "1234.56"';
  const refuse = (code: string, message: string, fault: string): never => {
    throw new AmountInputError(code, message, fault);
  };
  const notAnAmount = (fault: string) =>
    refuse(
      'invalid_amount',
      `${field} "${text}" is not an amount; write it in yuan with at most ${scale} decimals, like 1234.56`,
      `${fault}; ${example}`,
    );
  if (text.trim() !== text || text === '') notAnAmount('must be a decimal string of yuan');
  const negative = text.startsWith('-');
  if (negative && !options.allowNegative) {
    refuse(
      'amount_negative',
      `${field} "${text}" is negative; give a positive amount`,
      `must be positive: it must not be negative; ${example}`,
    );
  }
  const body = negative ? text.slice(1) : text;
  if (body.startsWith('+') || body.startsWith('-')) notAnAmount('must not carry a sign');
  if (/[eE]/.test(body)) notAnAmount('must not use exponent notation');
  const { tooPrecise: tooPreciseRe, plain: plainRe } = amountPatterns(scale);
  const tooPrecise = tooPreciseRe.exec(body);
  if (tooPrecise !== null) {
    const [, whole = '', fraction = ''] = tooPrecise;
    refuse(
      'amount_too_precise',
      `${field} "${text}" has ${fraction.length} decimals; ${currency} amounts have at most ${scale} (e.g. ${whole || '0'}.${fraction.slice(0, scale)})`,
      currency === 'CNY'
        ? `has more than ${scale} decimal places; amounts are in yuan to the fen (0.01)`
        : `has more than ${scale} decimal places; ${currency} amounts go to ${formatScaledInteger(1n, scale)}`,
    );
  }
  const plain = plainRe.exec(body);
  if (plain === null) return notAnAmount('is not a plain decimal amount');
  const whole = plain[1] ?? '0';
  const maxText = formatMinor(max, currency);
  const tooLarge = () =>
    refuse(
      'amount_too_large',
      `${field} "${text}" is above the largest accepted amount ${maxText}`,
      `is above the maximum ${maxText}`,
    );
  if (whole.length > maxText.length - scale - 1) tooLarge();
  const magnitude = BigInt(whole + (plain[2] ?? '').padEnd(scale, '0'));
  if (magnitude > BigInt(max)) tooLarge();
  if (magnitude === 0n && !options.allowZero) {
    refuse(
      'amount_zero',
      `${field} is zero; give an amount greater than 0`,
      'must be above 0.00; send the amount in yuan, e.g. "100.00"',
    );
  }
  return Number(negative ? -magnitude : magnitude);
}
