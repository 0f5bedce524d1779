import { invariant, MoneyInputError } from './errors.js';
import { divideRounded, type RoundingMode } from './rounding.js';

/** An exact rational number num/den with den > 0, kept in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  invariant(d !== 0n, 'rational with zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

export const add = (a: Rational, b: Rational): Rational =>
  rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const subtract = (a: Rational, b: Rational): Rational =>
  rational(a.num * b.den - b.num * a.den, a.den * b.den);
export const multiply = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
export function divide(a: Rational, b: Rational): Rational {
  invariant(b.num !== 0n, 'rational division by zero');
  return rational(a.num * b.den, a.den * b.num);
}
export const compare = (a: Rational, b: Rational): -1 | 0 | 1 => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const isZero = (a: Rational): boolean => a.num === 0n;

/** Rounds to an integer by the named mode. */
export function roundRational(a: Rational, mode: RoundingMode): bigint {
  return divideRounded(a.num, a.den, mode);
}

/** Exact value as a float, for display and statistics only — never for money. */
export function toNumber(a: Rational): number {
  return Number(a.num) / Number(a.den);
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string ("0.0005", "-12.5", "7") exactly. Exponents, separators and
 * whitespace are refused so that the value a person wrote is the value used.
 */
export function parseDecimal(text: string, what = 'value'): Rational {
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new MoneyInputError(
      'invalid_decimal',
      `${what} "${text}" is not a plain decimal number; write it like 0.0005 or 1234.56 (no exponent, no separators)`,
    );
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const num = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return rational(num, 10n ** BigInt(fraction.length));
}

/** Formats exactly with `scale` decimals, rounding by the named mode. */
export function formatDecimal(a: Rational, scale: number, mode: RoundingMode): string {
  invariant(Number.isInteger(scale) && scale >= 0 && scale <= 30, 'scale must be an integer 0..30');
  const scaled = divideRounded(a.num * 10n ** BigInt(scale), a.den, mode);
  return formatScaledInteger(scaled, scale);
}

/** Writes an integer count of 10^-scale units as a decimal string: (123456, 2) → "1234.56". */
export function formatScaledInteger(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** The shortest exact decimal string when the denominator divides a power of ten, else `null`. */
export function toExactDecimalString(a: Rational): string | null {
  let den = a.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  if (den !== 1n) return null;
  const scale = Math.max(twos, fives);
  const scaled = (a.num * 10n ** BigInt(scale)) / a.den;
  let text = formatScaledInteger(scaled, scale);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}
