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
import { buildSchedule } from '../../src/ledger/schedule.js';
import { DAY_COUNTS, dayFromCivil, daysInMonth, ROUNDING_MODES } from '../../src/money/index.js';

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
      }),
      { numRuns: 300 },
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
          const apr = aprNumber(buildSchedule(product, principal, start), product);
          // Two things move it off the nominal rate. Interest is simple within a period of d days while the
          // rate of return compounds daily: a relative shift of about (d − 1) / 2 × the daily rate, d ≤ 31.
          // Fen rounding moves it by at most a fen a period on at least 7 yuan of interest: under 0.2 bp.
          const bound = nominal * ((31 - 1) / 2) * daily + 2e-5;
          expect(Math.abs(apr - nominal)).toBeLessThan(bound);
        },
      ),
      { numRuns: 150 },
    );
  });
});
