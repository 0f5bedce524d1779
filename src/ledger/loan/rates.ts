import type { Day } from '../../money/index.js';
import {
  add,
  dayCountDays,
  daysPerYear,
  type InterestRate,
  invariant,
  multiply,
  ONE,
  parseDecimal,
  type Rational,
  type RoundingMode,
  rational,
  yearFraction,
} from '../../money/index.js';
import type { Product } from '../product.js';
import { contractRate, periodRate, roundingUnitMinor, roundToUnit } from '../schedule.js';

/**
 * An exact amount of fen (or an exact rate factor) as num/den with den > 0, NOT necessarily in lowest
 * terms. The engine adds many such values with the same denominator (the product's rate denominator), and
 * reducing each result would cost a bigint gcd per operation for nothing: equal denominators add
 * without one. Only ever compared or rounded, never tested for structural equality with a reduced value.
 */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

export const NOTHING: Fraction = { num: 0n, den: 1n };

/**
 * Per-product constants the engine needs at every accrual, parsed once per product object (products are
 * immutable data shared by many loans).
 */
interface RateModel {
  readonly rate: InterestRate;
  /** Contract rate × (1 + uplift), per day or per year like the contract rate. */
  readonly penaltyRate: Rational;
  readonly unitMinor: bigint;
  readonly unitMinorNumber: number;
  /** Days per year dividing an annual rate into a daily one, or 0 when it varies by year (ACT/ACT). */
  readonly fixedYearDays: bigint;
}

const models = new WeakMap<Product, RateModel>();

function model(product: Product): RateModel {
  let m = models.get(product);
  if (m === undefined) {
    const rate = contractRate(product);
    const uplift = parseDecimal(product.penalty.uplift, 'penalty.uplift');
    m = {
      rate,
      penaltyRate: multiply(rate.value, add(ONE, uplift)),
      unitMinor: roundingUnitMinor(product),
      unitMinorNumber: Number(roundingUnitMinor(product)),
      fixedYearDays: product.dayCount === 'ACT/ACT' ? 0n : BigInt(daysPerYear(product.dayCount, 2001)),
    };
    models.set(product, m);
  }
  return m;
}

/**
 * Exact contract interest per fen of principal for the days after `from` up to and including `to`, inside
 * the period [periodStart, periodEnd]. With the `actual-days` basis this is the daily accrual over those days
 * (exactly what the schedule's `periodRate` charges over them); with the `nominal` basis the period's rate is
 * spread over its days in proportion (so a whole period accrues exactly the nominal periodic rate).
 */
export function interestFactor(
  product: Product,
  periodStart: Day,
  periodEnd: Day,
  from: Day,
  to: Day,
): Fraction {
  if (to <= from) return NOTHING;
  const { rate, fixedYearDays } = model(product);
  if (product.periodicRateBasis === 'nominal') {
    const whole = periodRate(product, periodStart, periodEnd);
    const periodDays = dayCountDays(periodStart, periodEnd, product.dayCount);
    if (periodDays <= 0) return NOTHING;
    return multiply(whole, rational(dayCountDays(from, to, product.dayCount), periodDays));
  }
  const days = BigInt(dayCountDays(from, to, product.dayCount));
  if (rate.per === 'day') return { num: rate.value.num * days, den: rate.value.den };
  // ACT/365F, ACT/360 and the 30/360 family: the year fraction is the counted days over a fixed year.
  if (fixedYearDays > 0n) return { num: rate.value.num * days, den: rate.value.den * fixedYearDays };
  return multiply(rate.value, yearFraction(from, to, product.dayCount));
}

/**
 * Exact penalty interest (罚息) per fen of base for the overdue days after `from` up to and including `to`:
 * the contract daily rate × (1 + uplift) per actual day. An annual rate becomes daily per the day count
 * (ACT/ACT: each calendar year's own length).
 */
export function penaltyFactor(product: Product, from: Day, to: Day): Fraction {
  if (to <= from) return NOTHING;
  const { rate, penaltyRate, fixedYearDays } = model(product);
  const days = BigInt(to - from);
  if (rate.per === 'day') return { num: penaltyRate.num * days, den: penaltyRate.den };
  if (fixedYearDays > 0n) return { num: penaltyRate.num * days, den: penaltyRate.den * fixedYearDays };
  return multiply(penaltyRate, yearFraction(from, to, 'ACT/ACT'));
}

/** Bound below which a numerator and a denominator are divided as doubles, exactly (products stay < 2^53). */
const SMALL_MAX = 2n ** 50n;
const SMALL_MAX_NUMBER = 2 ** 50;

/**
 * An exact amount of fen rounded by the product's mode to its scale (fen, jiao or yuan). When numerator and
 * denominator are below 2^50 (a day's or a period's accrual on any realistic balance) the division is done
 * on doubles, exactly, without allocating bigints; otherwise with bigints. Both give the same result
 * (property-tested against `roundToUnit`).
 */
export function roundForProduct(product: Product, valueMinor: Fraction): number {
  const m = model(product);
  const den = valueMinor.den * m.unitMinor;
  const num = valueMinor.num;
  if (den <= SMALL_MAX && num <= SMALL_MAX && num >= -SMALL_MAX) {
    return roundSmall(Number(num), Number(den), product.rounding.mode) * m.unitMinorNumber;
  }
  return Number(roundToUnit(valueMinor, m.unitMinor, product.rounding.mode));
}

/** `n / d` rounded by `mode`, for integers |n|, d ≤ 2^50, d > 0: exact on doubles. */
function roundSmall(n: number, d: number, mode: RoundingMode): number {
  invariant(d > 0 && d <= SMALL_MAX_NUMBER && Math.abs(n) <= SMALL_MAX_NUMBER, 'roundSmall out of range');
  let q = Math.trunc(n / d) + 0; // + 0 turns −0 into 0
  let r = n - q * d; // exact: |q × d| ≤ 2^51
  // The double division may be one off: bring the remainder into (−d, d) with the sign of n.
  if (n >= 0) {
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
  } else if (r > 0) {
    q += 1;
    r -= d;
  } else if (r <= -d) {
    q -= 1;
    r += d;
  }
  if (r === 0) return q;
  const sign = n < 0 ? -1 : 1;
  const away = q + sign;
  const twice = Math.abs(r) * 2;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return away;
    case 'ceiling':
      return sign > 0 ? away : q;
    case 'floor':
      return sign < 0 ? away : q;
    case 'half-up':
      return twice >= d ? away : q;
    case 'half-down':
      return twice > d ? away : q;
    case 'half-even':
      if (twice > d) return away;
      if (twice < d) return q;
      return q % 2 === 0 ? q : away;
  }
}

/** amount × factor, exact. */
export function times(amountMinor: number, factor: Fraction): Fraction {
  if (amountMinor === 0 || factor.num === 0n) return NOTHING;
  return { num: BigInt(amountMinor) * factor.num, den: factor.den };
}

/** a + b, exact; without a gcd when the denominators agree (the common case). */
export function addExact(a: Fraction, b: Fraction): Fraction {
  if (b.num === 0n) return a;
  if (a.num === 0n) return b;
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return add(rational(a.num, a.den), rational(b.num, b.den));
}
