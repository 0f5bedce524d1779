import type { Day } from '../../money/index.js';
import {
  add,
  dayCountDays,
  daysPerYear,
  type InterestRate,
  multiply,
  ONE,
  parseDecimal,
  type Rational,
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

/** An exact amount of fen rounded by the product's mode to its scale (fen, jiao or yuan). */
export function roundForProduct(product: Product, valueMinor: Fraction): number {
  return Number(roundToUnit(valueMinor, model(product).unitMinor, product.rounding.mode));
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
