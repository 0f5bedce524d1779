import { describe, expect, it } from 'vitest';
import {
  aprForProduct,
  aprNumber,
  aprOf,
  assertScheduleWithinAprCap,
  assertWithinAprCap,
  nominalAnnualRateOf,
} from '../../src/ledger/apr.js';
import { DEFAULT_PRODUCT, type Product } from '../../src/ledger/product.js';
import { parseProduct } from '../../src/ledger/product-validate.js';
import { buildSchedule } from '../../src/ledger/schedule.js';
import { parseDate } from '../../src/money/index.js';

const START = parseDate('2026-01-15');

describe('APR including all fees', () => {
  it('pay any time over a year, no fees: the simple annual rate 0.0005 × 365 = 18.25%', () => {
    // 10,000 drawn, 11,825 repaid 365 days later: one period, (1 + r)^(365/365) = 1.1825 → r = 0.1825.
    const product = parseProduct({ method: 'pay-any-time' });
    expect(aprForProduct(product, 1_000_000, START)).toBe('0.182500');
    expect(aprForProduct(product, 1_000_000, START, { convention: 'irr-effective' })).toBe('0.182500');
  });

  it('an upfront fee raises the rate as the IRR says, worked by hand', () => {
    // Interest-free, 10% upfront: 9,000 received, 10,000 repaid at maturity.
    // 12 months (365 days): (1 + r)^1 = 10,000/9,000 → r = 0.111111.
    // 6 months (2026-01-15 → 07-15, 181 days) is one period of 181/365 year, so m = 365/181 and
    //   r = (10/9 − 1) × 365/181 = 0.111111… × 2.016575… = 0.224064 (the simple annual rate).
    const fee = [{ name: 'arrangement', kind: 'upfront', basis: 'principal-rate', value: '0.1' }];
    const year = parseProduct({ method: 'pay-any-time', rate: '0/day', fees: fee, aprCap: '1' });
    expect(aprForProduct(year, 1_000_000, START)).toBe('0.111111');
    const half = parseProduct({
      method: 'pay-any-time',
      termCount: 6,
      rate: '0/day',
      fees: fee,
      aprCap: '1',
    });
    const expected = (10 / 9 - 1) * (365 / 181);
    expect(Number(aprForProduct(half, 1_000_000, START))).toBeCloseTo(expected, 6);
    // Effective: (1 + r)^(181/365) = 10/9 → r = (10/9)^(365/181) − 1.
    expect(Number(aprForProduct(half, 1_000_000, START, { convention: 'irr-effective' }))).toBeCloseTo(
      (10 / 9) ** (365 / 181) - 1,
      6,
    );
  });

  it('等本等息 at 0.5% a month flat over 12 months has an APR of about 10.9%, not 6%', () => {
    // 10,000 borrowed; each month 833.33 of principal and 0.5% × 10,000 = 50.00 of interest: 883.33 a month
    // (the last 883.37). The monthly IRR i solves 10,000 = 883.33 × (1 − (1 + i)^−12) / i: i = 0.9080%,
    // × 12 = 10.896% — close to twice the quoted 6%, as the interest is charged on money already repaid.
    const product = parseProduct({ method: 'flat-rate', rate: '0.06/year', periodicRateBasis: 'nominal' });
    const schedule = buildSchedule(product, 1_000_000, START);
    expect(schedule.installments.map((i) => i.interestMinor)).toEqual(new Array(12).fill(5_000));
    expect(schedule.installments[0]!.totalMinor).toBe(88_333);
    expect(schedule.totalInterestMinor).toBe(60_000);
    expect(aprOf(schedule, product)).toBe('0.108963');
    expect(aprNumber(schedule, product)).toBeCloseTo(0.109, 3);
    expect(nominalAnnualRateOf(product)).toBeCloseTo(0.06, 10);
  });

  it('等本等息 is held to the cap by its APR: 1.2% a month flat (25.8%) is refused at 24%', () => {
    const over = { method: 'flat-rate', rate: '0.144/year', periodicRateBasis: 'nominal' } as const;
    expect(() => parseProduct(over)).toThrowError(/APR/);
    const product = parseProduct({ ...over, aprCap: '0.3' });
    expect(aprNumber(buildSchedule(product, 1_000_000, START), product)).toBeCloseTo(0.258, 2);
    expect(() => assertWithinAprCap({ ...product, aprCap: '0.24' })).toThrowError(/APR/);
  });

  it('monthly equal instalments at 12%/year nominal give a 12% APR and a 12.68% effective one', () => {
    // Textbook: 1%/month, 12 equal payments; monthly IRR 1% → nominal 12%, effective 1.01^12 − 1 = 12.6825%.
    // Under the nominal basis every month is one period, so the nominal APR is the textbook 12% (up to the
    // rounding of the payments). The effective one discounts by actual days (February is short), so it is
    // near, not at, 12.68%.
    const product = parseProduct({ rate: '0.12/year', periodicRateBasis: 'nominal' });
    const schedule = buildSchedule(product, 1_200_000, START);
    expect(schedule.installments[0]!.totalMinor).toBe(106_619); // 12,000 × 0.01 × 1.01^12 / (1.01^12 − 1) = 1,066.1855
    expect(aprNumber(schedule, product)).toBeCloseTo(0.12, 5);
    expect(aprNumber(schedule, product, { convention: 'irr-effective' })).toBeCloseTo(0.126825, 2);
  });

  it('an actual-days schedule without fees has the daily rate × 365 as its APR', () => {
    for (const method of ['equal-installment', 'equal-principal', 'interest-first'] as const) {
      const product = parseProduct({ method });
      expect(Math.abs(aprNumber(buildSchedule(product, 1_000_000, START), product) - 0.1825)).toBeLessThan(
        2e-5,
      );
    }
  });

  it('fees make the APR higher than the same schedule without them', () => {
    const plain = parseProduct({});
    const withFee = parseProduct({
      fees: [{ name: 'service', kind: 'per-installment', basis: 'fixed', value: '5' }],
    });
    const a = aprNumber(buildSchedule(plain, 1_000_000, START), plain);
    const b = aprNumber(buildSchedule(withFee, 1_000_000, START), withFee);
    expect(b).toBeGreaterThan(a + 0.005);
  });

  it('reports the nominal contract rate per the day count', () => {
    expect(nominalAnnualRateOf(DEFAULT_PRODUCT)).toBe('0.182500');
    expect(nominalAnnualRateOf({ ...DEFAULT_PRODUCT, dayCount: 'ACT/360' })).toBe('0.180000');
  });

  it('the cap refuses a product whose fees take it over, and a small drawdown that fixed fees take over', () => {
    const over: Product = {
      ...DEFAULT_PRODUCT,
      fees: [{ name: 'service', kind: 'upfront', basis: 'principal-rate', value: '0.05' }],
    };
    expect(() => assertWithinAprCap(over)).toThrowError(expect.objectContaining({ code: 'apr_above_cap' }));
    expect(() => assertWithinAprCap({ ...over, aprCap: '0.36' })).not.toThrow();
    // A fixed 20-yuan fee is cheap on 10,000 yuan but not on 200.
    const fixed = parseProduct({ fees: [{ name: 'service', kind: 'upfront', basis: 'fixed', value: '20' }] });
    expect(() => assertScheduleWithinAprCap(buildSchedule(fixed, 20_000, START), fixed)).toThrowError(
      /APR including all fees is .*above the cap of 24\.00%/,
    );
  });

  it('formats with six decimals', () => {
    const product = parseProduct({});
    expect(aprOf(buildSchedule(product, 1_000_000, START), product)).toMatch(/^0\.\d{6}$/);
  });
});
