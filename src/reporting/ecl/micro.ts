import { divideRounded, formatScaledInteger, invariant } from '../../money/index.js';

/** Input a report cannot use (a scenario file, a parameter): code `report_input_invalid`, a sentence saying what. */
export class ReportInputError extends Error {
  readonly code = 'report_input_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/**
 * Probabilities, rates and factors of the ECL model as whole millionths (micro units): `"0.012345"` is
 * 12345. Parameters are stated to six places and every product of them is exact integer arithmetic, so
 * an ECL amount is computed from the parameters shown on its row with one rounding (half-up to the fen).
 */
export type Micro = number;

export const MICRO_ONE: Micro = 1_000_000;
const MICRO_PLACES = 6;

/** A decimal string with at most six places, e.g. `"0.45"` or `"1.5"`, as millionths. */
export function parseMicro(text: string, field: string): Micro {
  if (typeof text !== 'string' || !/^-?\d{1,9}(\.\d{1,6})?$/.test(text)) {
    throw new ReportInputError(`${field}: "${String(text)}" is not a decimal with at most six places`);
  }
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = Number(whole) * MICRO_ONE + Number(fraction.padEnd(MICRO_PLACES, '0'));
  return negative ? -value : value;
}

export function formatMicro(value: Micro): string {
  invariant(Number.isSafeInteger(value), () => `micro value ${value} is not a safe integer`);
  return formatScaledInteger(BigInt(value), MICRO_PLACES);
}

/** A float probability to millionths, half-up; clamped to [0, 1]. */
export function probabilityMicro(p: number): Micro {
  invariant(Number.isFinite(p), () => `probability ${p} is not finite`);
  const clamped = Math.min(1, Math.max(0, p));
  return Math.min(MICRO_ONE, Math.round(clamped * MICRO_ONE));
}

/** a × b in millionths, half-up. */
export function mulMicro(a: Micro, b: Micro): Micro {
  return Number(divideRounded(BigInt(a) * BigInt(b), BigInt(MICRO_ONE), 'half-up'));
}

export function clampMicro(value: Micro, low: Micro = 0, high: Micro = MICRO_ONE): Micro {
  return Math.min(high, Math.max(low, value));
}
