import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aprNumber } from '../../src/ledger/apr.js';
import {
  DEFAULT_PRODUCT,
  type FeeSettings,
  type Product,
  REPAYMENT_METHODS,
} from '../../src/ledger/product.js';
import { parseProduct } from '../../src/ledger/product-validate.js';
import { buildSchedule, periodRate, roundingUnitMinor } from '../../src/ledger/schedule.js';
import type { Installment, Schedule } from '../../src/ledger/schedule-types.js';
import {
  DAY_COUNTS,
  dayFromCivil,
  daysInMonth,
  divideRounded,
  ROUNDING_MODES,
} from '../../src/money/index.js';

/** Daily rates up to 0.065%/day (23.7% a year, under the default cap), written exactly as decimals. */
const dailyRateText = fc.integer({ min: 0, max: 650 }).map((n) => (n / 1_000_000).toFixed(6));

const productArb: fc.Arbitrary<Product> = fc
  .record({
    method: fc.constantFrom(...REPAYMENT_METHODS),
    termCount: fc.integer({ min: 1, max: 36 }),
    frequency: fc.constantFrom('monthly', 'biweekly', 'weekly'),
    rate: dailyRateText,
    dayCount: fc.constantFrom(...DAY_COUNTS),
    periodicRateBasis: fc.constantFrom('actual-days', 'nominal'),
    mode: fc.constantFrom(...ROUNDING_MODES),
    scale: fc.constantFrom(0, 1, 2),
    serviceFee: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
  })
  .map((p) => ({
    ...DEFAULT_PRODUCT,
    method: p.method,
    termCount: p.termCount,
    frequency: p.method === 'pay-any-time' ? 'monthly' : p.frequency,
    rate: { value: p.rate, per: 'day' as const },
    dayCount: p.dayCount,
    periodicRateBasis: p.periodicRateBasis,
    rounding: { mode: p.mode, scale: p.scale as 0 | 1 | 2 },
    fees:
      p.serviceFee === undefined
        ? []
        : [
            {
              name: 'service',
              kind: 'per-installment' as const,
              basis: 'fixed' as const,
              value: (p.serviceFee / 100).toFixed(2),
            },
          ],
    aprCap: '1',
  }));

const principalArb = fc.integer({ min: 1, max: 100_000_000_00 }); // 1 fen to 100 million yuan
const startArb = fc
  .record({
    y: fc.integer({ min: 2000, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => dayFromCivil(y, m, Math.min(d, daysInMonth(y, m))));

/**
 * Amount checks, beside the invariants: each instalment's interest is the period's rate on what it is charged
 * on (the principal left before it; the whole principal for 等本等息) rounded by the product's mode and
 * scale; equal shares of principal are P/n rounded by that mode with the last taking the rest, or — when
 * that would leave the last nothing — as even as whole units allow (first ones one unit more).
 */
function expectAmounts(product: Product, principal: number, items: readonly Installment[]): void {
  const unit = roundingUnitMinor(product);
  const mode = product.rounding.mode;
  let remaining = BigInt(principal);
  for (const item of items) {
    const r = periodRate(product, item.startDay, item.dueDay);
    const base = product.method === 'flat-rate' ? BigInt(principal) : remaining;
    const interest = remaining === 0n ? 0n : divideRounded(base * r.num, r.den * unit, mode) * unit;
    expect(item.interestMinor).toBe(Number(interest));
    remaining -= BigInt(item.principalMinor);
  }
  const equalShares =
    product.method === 'equal-principal' ||
    product.method === 'flat-rate' ||
    (product.method === 'equal-installment' &&
      items.every((i) => i.interestMinor === 0) &&
      Number(product.rate.value) === 0);
  if (!equalShares) return;
  const n = items.length;
  const P = BigInt(principal);
  const share = divideRounded(P, BigInt(n) * unit, mode) * unit;
  const shares = items.map((i) => BigInt(i.principalMinor));
  if (P - share * BigInt(n - 1) > 0n) {
    for (const s of shares.slice(0, -1)) expect(s).toBe(share);
    return;
  }
  const units = P / unit;
  for (const [k, s] of shares.entries()) {
    const even = (units / BigInt(n) + (BigInt(k) < units % BigInt(n) ? 1n : 0n)) * unit;
    expect(s).toBe(even + (k === n - 1 ? P % unit : 0n));
  }
}

describe('schedule properties', () => {
  it('principals sum exactly to the principal, the balance only falls and ends at 0, totals add up', () => {
    fc.assert(
      fc.property(productArb, principalArb, startArb, (product, principal, start) => {
        expect(parseProduct(product)).toEqual(product); // the generated products are valid ones
        const s = buildSchedule(product, principal, start);
        let remaining = principal;
        let sum = 0;
        let interest = 0;
        for (const item of s.installments) {
          expect(item.principalMinor).toBeGreaterThanOrEqual(0);
          expect(item.interestMinor).toBeGreaterThanOrEqual(0);
          expect(item.totalMinor).toBe(item.principalMinor + item.interestMinor + item.feeMinor);
          expect(item.remainingPrincipalMinor).toBe(remaining - item.principalMinor);
          expect(item.remainingPrincipalMinor).toBeLessThanOrEqual(remaining);
          remaining = item.remainingPrincipalMinor;
          sum += item.principalMinor;
          interest += item.interestMinor;
        }
        expect(sum).toBe(principal);
        expect(remaining).toBe(0);
        expect(s.totalInterestMinor).toBe(interest);
        expect(s.totalFeeMinor).toBe(s.installments.reduce((a, i) => a + i.feeMinor, 0));
        if (product.fees.length > 0) expect(s.installments.every((i) => i.feeMinor > 0)).toBe(true);
        expect(s.installments.length).toBe(product.method === 'pay-any-time' ? 1 : product.termCount);
        expectAmounts(product, principal, s.installments);
      }),
      { numRuns: 300 },
    );
  });

  it('no instalment of 0.00 when the principal covers one rounding unit per instalment', () => {
    // The cases that produced them: a zero or near-zero rate, a small principal, rounding up or to whole yuan.
    const smallArb = fc
      .record({
        product: productArb,
        method: fc.constantFrom('equal-installment', 'equal-principal', 'flat-rate') as fc.Arbitrary<
          'equal-installment' | 'equal-principal' | 'flat-rate'
        >,
        perBillion: fc.constantFrom(0, 0, 1, 10, 100, 1000),
        unitsPerInstallment: fc.integer({ min: 1, max: 4 }),
        extra: fc.integer({ min: 0, max: 10_000 }),
      })
      .map(({ product, method, perBillion, unitsPerInstallment, extra }) => {
        const p: Product = {
          ...product,
          method,
          frequency: product.frequency,
          rate: { value: (perBillion / 1_000_000_000).toFixed(9), per: 'day' },
        };
        const unit = Number(roundingUnitMinor(p));
        const principal = p.termCount * unit * unitsPerInstallment + (extra % (p.termCount * unit));
        return { product: p, principal };
      });
    fc.assert(
      fc.property(smallArb, startArb, ({ product, principal }, start) => {
        const s = buildSchedule(product, principal, start);
        for (const item of s.installments) expect(item.principalMinor).toBeGreaterThan(0);
        expectAmounts(product, principal, s.installments);
      }),
      { numRuns: 500 },
    );
  });

  it('equal-instalment payments are level except the last', () => {
    fc.assert(
      fc.property(
        productArb,
        fc.integer({ min: 100_000, max: 10_000_000_00 }),
        startArb,
        (p, principal, start) => {
          const product = { ...p, method: 'equal-installment' as const };
          const s = buildSchedule(product, principal, start);
          const level = s.installments[0]!.totalMinor;
          for (const item of s.installments.slice(0, -1)) expect(item.totalMinor).toBe(level);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fees raise the APR above that of the same schedule without them', () => {
    const feeArb: fc.Arbitrary<FeeSettings> = fc.oneof(
      fc.integer({ min: 1, max: 500 }).map((n) => ({
        name: 'service',
        kind: 'per-installment' as const,
        basis: 'fixed' as const,
        value: (n / 100).toFixed(2),
      })),
      fc.integer({ min: 1, max: 300 }).map((n) => ({
        name: 'arrangement',
        kind: 'upfront' as const,
        basis: 'principal-rate' as const,
        value: (n / 10_000).toFixed(4),
      })),
    );
    fc.assert(
      fc.property(
        productArb,
        feeArb,
        fc.integer({ min: 100_000, max: 100_000_00 }),
        startArb,
        (product, fee, principal, start) => {
          const plainProduct = { ...product, fees: [] };
          const withFee = { ...product, fees: [fee] };
          const feeSchedule = buildSchedule(withFee, principal, start);
          // A fee that rounds to nothing at the product's scale (0.01% of 1,000 yuan, to the yuan) charges nothing.
          fc.pre(feeSchedule.upfrontFeeMinor + feeSchedule.totalFeeMinor > 0);
          const plain = aprNumber(buildSchedule(plainProduct, principal, start), plainProduct);
          const charged = aprNumber(feeSchedule, withFee);
          expect(charged).toBeGreaterThan(plain);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a fee-free actual-days schedule has the nominal annual rate as its APR', () => {
    fc.assert(
      fc.property(
        productArb,
        fc.integer({ min: 1_000_000, max: 100_000_000 }),
        startArb,
        fc.integer({ min: 100, max: 650 }),
        (p, principal, start, perMillion) => {
          // 等本等息 charges interest on the whole principal every period: its APR is far above the rate.
          fc.pre(p.method !== 'flat-rate');
          const product: Product = {
            ...p,
            periodicRateBasis: 'actual-days',
            dayCount: 'ACT/365F',
            fees: [],
            rounding: { mode: p.rounding.mode, scale: 2 },
            rate: { value: (perMillion / 1_000_000).toFixed(6), per: 'day' },
          };
          const daily = perMillion / 1_000_000;
          const nominal = daily * 365;
          const schedule = buildSchedule(product, principal, start);
          const apr = aprNumber(schedule, product);
          const bound = aprBound(schedule, product, daily);
          expect(Math.abs(apr - nominal)).toBeLessThan(bound);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the case of seed -932844: 6 weekly equal-principal instalments rounded up, within the bound', () => {
    // 10,000.07 yuan at 0.0102%/day, interest rounded up to the fen: 6 fen of rounding over 671.24
    // yuan-years lent move the APR 0.89 bp off 3.723%, more than the 0.77 bp the earlier bound allowed.
    const product: Product = {
      ...DEFAULT_PRODUCT,
      method: 'equal-principal',
      termCount: 6,
      frequency: 'weekly',
      rate: { value: '0.000102', per: 'day' },
      rounding: { mode: 'ceiling', scale: 2 },
      aprCap: '1',
    };
    const schedule = buildSchedule(product, 1_000_007, 10_957);
    const nominal = 0.000102 * 365;
    const deviation = Math.abs(aprNumber(schedule, product) - nominal);
    expect(deviation).toBeGreaterThan(0.000077);
    expect(deviation).toBeLessThan(aprBound(schedule, product, 0.000102));
  });
});

/**
 * How far a fee-free actual-days schedule's APR may lie from its nominal rate. Two things move it. Interest
 * is simple within a period of d days while the rate of return compounds daily: a relative shift of about
 * (d − 1) / 2 × the daily rate, d ≤ 31. And rounding interest to the fen adds or drops up to a fen a period
 * (half a fen for the half modes). That is interest on the balance outstanding, so it moves the APR by the
 * fen rounded over the principal-years lent: Σ fen ÷ Σ (balance × period in years) — not a fixed share of
 * the rate. On 6 weekly instalments of 10,000 yuan the balance-years are 671 yuan-years, and 6 fen of
 * rounding up move the APR by 0.9 bp (seed -932844 failed an earlier bound, which assumed at least 7 yuan
 * of interest a period and allowed 0.2 bp for rounding).
 */
function aprBound(schedule: Schedule, product: Product, daily: number): number {
  let balanceYears = 0;
  let balance = schedule.principalMinor;
  for (const item of schedule.installments) {
    balanceYears += (balance * (item.dueDay - item.startDay)) / 365;
    balance = item.remainingPrincipalMinor;
  }
  const roundingFen = schedule.installments.length * (product.rounding.mode.startsWith('half') ? 0.5 : 1);
  return daily * 365 * ((31 - 1) / 2) * daily + roundingFen / balanceYears + 1e-6;
}
