import type { Day } from '../../money/index.js';
import {
  add,
  dayCountDays,
  daysPerYear,
  divide,
  type InterestRate,
  multiply,
  ONE,
  parseDecimal,
  type Rational,
  rational,
  yearFraction,
  ZERO,
} from '../../money/index.js';
import type { Product } from '../product.js';
import { contractRate, periodRate, roundingUnitMinor, roundToUnit } from '../schedule.js';

/**
 * Per-product constants the engine needs at every accrual, parsed once per product object (products are
 * immutable data shared by many loans).
 */
interface RateModel {
  readonly rate: InterestRate;
  /** Contract daily rate × (1 + uplift) for a per-day rate; annual rate × (1 + uplift) for a per-year rate. */
  readonly penaltyRate: Rational;
  readonly unitMinor: bigint;
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
    };
    models.set(product, m);
  }
  return m;
}

/**
 * Exact contract interest per fen of principal for the days after `from` up to and including `to`, inside
 * the period [periodStart, periodEnd]. With the `actual-days` basis this is the daily accrual over those days
 * (exactly what the schedule charges over a whole period); with the `nominal` basis the period's rate is
 * spread over its days in proportion (so a whole period accrues exactly the nominal periodic rate).
 */
export function interestFactor(
  product: Product,
  periodStart: Day,
  periodEnd: Day,
  from: Day,
  to: Day,
): Rational {
  if (to <= from) return ZERO;
  const { rate } = model(product);
  if (product.periodicRateBasis === 'nominal') {
    const whole = periodRate(product, periodStart, periodEnd);
    const periodDays = dayCountDays(periodStart, periodEnd, product.dayCount);
    if (periodDays <= 0) return ZERO;
    return multiply(whole, rational(dayCountDays(from, to, product.dayCount), periodDays));
  }
  if (rate.per === 'day') return multiply(rate.value, rational(dayCountDays(from, to, product.dayCount)));
  return multiply(rate.value, yearFraction(from, to, product.dayCount));
}

/**
 * Exact penalty interest (罚息) per fen of base for the overdue days after `from` up to and including `to`:
 * the contract daily rate × (1 + uplift) per actual day. An annual rate becomes daily per the day count
 * (ACT/ACT: each calendar year's own length).
 */
export function penaltyFactor(product: Product, from: Day, to: Day): Rational {
  if (to <= from) return ZERO;
  const { rate, penaltyRate } = model(product);
  if (rate.per === 'day') return multiply(penaltyRate, rational(to - from));
  if (product.dayCount === 'ACT/ACT') return multiply(penaltyRate, yearFraction(from, to, 'ACT/ACT'));
  return multiply(penaltyRate, rational(to - from, daysPerYear(product.dayCount, 2001)));
}

/** An exact amount of fen rounded by the product's mode to its scale (fen, jiao or yuan). */
export function roundForProduct(product: Product, valueMinor: Rational): number {
  return Number(roundToUnit(valueMinor, model(product).unitMinor, product.rounding.mode));
}

/** principal × factor, exact. */
export function times(amountMinor: number, factor: Rational): Rational {
  if (amountMinor === 0 || factor.num === 0n) return ZERO;
  return multiply(rational(amountMinor), factor);
}

export { add as addExact, divide as divideExact };
