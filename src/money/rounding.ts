import { invariant } from './errors.js';

/**
 * Named rounding modes. Every rounding in Lendguard names one of these; none is implied.
 * - `half-up`: to nearest, ties away from zero (四舍五入).
 * - `half-down`: to nearest, ties towards zero.
 * - `half-even`: to nearest, ties to the even neighbour (banker's rounding).
 * - `up`: away from zero. `down`: towards zero (truncate).
 * - `ceiling`: towards +∞. `floor`: towards −∞.
 */
export type RoundingMode = 'half-up' | 'half-down' | 'half-even' | 'up' | 'down' | 'ceiling' | 'floor';

export const ROUNDING_MODES: readonly RoundingMode[] = [
  'half-up',
  'half-down',
  'half-even',
  'up',
  'down',
  'ceiling',
  'floor',
];

export function isRoundingMode(value: string): value is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(value);
}

/** numerator ÷ denominator rounded to an integer by the named mode, exactly, in bigint. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  invariant(denominator !== 0n, 'division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n) return quotient;
  const sign = numerator < 0n ? -1n : 1n;
  const awayFromZero = quotient + sign;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'ceiling':
      return sign > 0n ? awayFromZero : quotient;
    case 'floor':
      return sign < 0n ? awayFromZero : quotient;
    case 'half-up':
      return twiceRemainder >= denominator ? awayFromZero : quotient;
    case 'half-down':
      return twiceRemainder > denominator ? awayFromZero : quotient;
    case 'half-even':
      if (twiceRemainder > denominator) return awayFromZero;
      if (twiceRemainder < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}
