import { describe, expect, it } from 'vitest';
import { parseProduct } from '../../src/ledger/product-validate.js';
import {
  buildSchedule,
  levelPayment,
  periodRate,
  residualAfterLevelPayments,
} from '../../src/ledger/schedule.js';
import type { Schedule } from '../../src/ledger/schedule-types.js';
import { formatDate, isZero, parseDate, rational } from '../../src/money/index.js';

const START = parseDate('2026-01-15');
const TEN_THOUSAND_YUAN = 1_000_000; // fen

/** [due date, principal, interest, fee, total, remaining] in fen, for compact comparison. */
function rows(schedule: Schedule): [string, number, number, number, number, number][] {
  return schedule.installments.map((i) => [
    formatDate(i.dueDay),
    i.principalMinor,
    i.interestMinor,
    i.feeMinor,
    i.totalMinor,
    i.remainingPrincipalMinor,
  ]);
}

describe('worked example: 10,000 yuan, 12 months, 0.05%/day, ACT/365F, drawn 2026-01-15', () => {
  // Periods (actual days): 01-15→02-15 31, →03-15 28, →04-15 31, →05-15 30, →06-15 31, →07-15 30,
  // →08-15 31, →09-15 31, →10-15 30, →11-15 31, →12-15 30, →2027-01-15 31 (365 days in all).

  it('equal instalment, actual-days basis', () => {
    // Each period's rate is 0.0005 × its days: r1 = 0.0155, r2 = 0.0140, …, r12 = 0.0155.
    // Level payment A = P·Π(1+r_j) / Σ_k Π_{j>k}(1+r_j) = 1,000,000 × 1.19856507… / 13.0615855… = 91,762.60… fen,
    // rounded half-up once → 917.63 yuan.
    // No. 1: interest = 10,000.00 × 0.0155 = 155.00; principal = 917.63 − 155.00 = 762.63; remaining 9,237.37.
    // No. 2: interest = 9,237.37 × 0.0005 × 28 = 129.3232 → 129.32; principal = 917.63 − 129.32 = 788.31.
    // No. 12: remaining before it is 903.57; interest = 903.57 × 0.0155 = 14.0053 → 14.01; it takes all the
    // remaining principal 903.57, so its total is 903.57 + 14.01 = 917.58 (5 fen of rounding absorbed).
    const product = parseProduct({ method: 'equal-installment', periodicRateBasis: 'actual-days' });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, START);
    const r = rows(s);
    expect(r[0]).toEqual(['2026-02-15', 76_263, 15_500, 0, 91_763, 923_737]);
    expect(r[1]).toEqual(['2026-03-15', 78_831, 12_932, 0, 91_763, 844_906]);
    expect(r[11]).toEqual(['2027-01-15', 90_357, 1_401, 0, 91_758, 0]);
    expect(s.installments.slice(0, 11).every((i) => i.totalMinor === 91_763)).toBe(true);
    expect(s.totalInterestMinor).toBe(101_151);
  });

  it('equal instalment: the exact level payment leaves exactly zero, the rounded one a few fen', () => {
    const product = parseProduct({});
    const dues = [15, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const rates = [31, ...dues.slice(1)].map((d) => rational(5n * BigInt(d), 10_000n));
    const exact = levelPayment(TEN_THOUSAND_YUAN, rates);
    expect(isZero(residualAfterLevelPayments(TEN_THOUSAND_YUAN, rates, exact))).toBe(true);
    // Independent float check of the closed form.
    let tail = 1;
    let factor = 0;
    for (let k = rates.length - 1; k >= 0; k--) {
      factor += tail;
      tail *= 1 + Number(rates[k]!.num) / Number(rates[k]!.den);
    }
    expect(Number(exact.num) / Number(exact.den)).toBeCloseTo((TEN_THOUSAND_YUAN * tail) / factor, 6);
    expect(periodRate(product, START, parseDate('2026-02-15'))).toEqual(rational(155, 10_000));
  });

  it('equal instalment, nominal basis (the textbook formula)', () => {
    // r = 0.0005 × 365 / 12 = 0.1825 / 12 = 0.0152083…; (1+r)^12 = 1.19856637…
    // A = P·r·(1+r)^12 / ((1+r)^12 − 1) = 10,000 × 0.0152083 × 1.19856637 / 0.19856637 = 917.9901… → 917.99.
    // No. 1: interest = 10,000 × 0.0152083… = 152.0833 → 152.08; principal = 917.99 − 152.08 = 765.91.
    // No. 12: remaining 904.23; interest = 904.23 × 0.0152083… = 13.7518 → 13.75; total 904.23 + 13.75 = 917.98.
    const product = parseProduct({ periodicRateBasis: 'nominal' });
    const r = rows(buildSchedule(product, TEN_THOUSAND_YUAN, START));
    expect(r[0]).toEqual(['2026-02-15', 76_591, 15_208, 0, 91_799, 923_409]);
    expect(r[11]).toEqual(['2027-01-15', 90_423, 1_375, 0, 91_798, 0]);
  });

  it('equal principal', () => {
    // Principal 10,000 / 12 = 833.333… → 833.33 each; the last takes 10,000 − 11 × 833.33 = 833.37.
    // No. 1: interest 10,000 × 0.0005 × 31 = 155.00; total 988.33.
    // No. 2: interest 9,166.67 × 0.0005 × 28 = 128.3338 → 128.33; total 961.66.
    // No. 12: interest 833.37 × 0.0005 × 31 = 12.9172 → 12.92; total 846.29.
    const product = parseProduct({ method: 'equal-principal' });
    const r = rows(buildSchedule(product, TEN_THOUSAND_YUAN, START));
    expect(r[0]).toEqual(['2026-02-15', 83_333, 15_500, 0, 98_833, 916_667]);
    expect(r[1]).toEqual(['2026-03-15', 83_333, 12_833, 0, 96_166, 833_334]);
    expect(r[11]).toEqual(['2027-01-15', 83_337, 1_292, 0, 84_629, 0]);
  });

  it('interest first, then principal', () => {
    // Interest 10,000 × 0.0005 × days: 31 days → 155.00, February's 28 days → 140.00, 30 days → 150.00.
    // No. 12 carries the whole principal: 10,000 + 155.00 = 10,155.00. Interest in all: 10,000 × 0.0005 × 365 = 1,825.00.
    const product = parseProduct({ method: 'interest-first' });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, START);
    const r = rows(s);
    expect(r[0]).toEqual(['2026-02-15', 0, 15_500, 0, 15_500, 1_000_000]);
    expect(r[1]).toEqual(['2026-03-15', 0, 14_000, 0, 14_000, 1_000_000]);
    expect(r[3]).toEqual(['2026-05-15', 0, 15_000, 0, 15_000, 1_000_000]);
    expect(r[11]).toEqual(['2027-01-15', 1_000_000, 15_500, 0, 1_015_500, 0]);
    expect(s.totalInterestMinor).toBe(182_500);
  });

  it('pay any time: one maturity instalment with the interest if nothing is repaid early', () => {
    // 365 days × 0.0005 × 10,000 = 1,825.00, due 12 months on.
    const product = parseProduct({ method: 'pay-any-time' });
    const r = rows(buildSchedule(product, TEN_THOUSAND_YUAN, START));
    expect(r).toEqual([['2027-01-15', 1_000_000, 182_500, 0, 1_182_500, 0]]);
  });
});

describe('day counts', () => {
  it('a 360-day product is charged on 360, not 365 (the FINERACT-2359 lesson)', () => {
    // 1,000 yuan at 10%/year, ACT/360, one month 01-15 → 02-15 (31 days): 1,000 × 0.10 × 31/360 = 8.6111 → 8.61.
    // Charging on 365 would give 1,000 × 0.10 × 31/365 = 8.49.
    const product = parseProduct({
      method: 'interest-first',
      termCount: 1,
      rate: '0.10/year',
      dayCount: 'ACT/360',
    });
    const s = buildSchedule(product, 100_000, START);
    expect(s.installments[0]!.interestMinor).toBe(861);
    const f365 = parseProduct({
      method: 'interest-first',
      termCount: 1,
      rate: '0.10/year',
      dayCount: 'ACT/365F',
    });
    expect(buildSchedule(f365, 100_000, START).installments[0]!.interestMinor).toBe(849);
  });

  it('30/360 counts every month as 30 days, February included', () => {
    // 1,000 × 0.10 × 30/360 = 8.3333 → 8.33 each month, whatever its actual length.
    const product = parseProduct({
      method: 'interest-first',
      termCount: 3,
      rate: '0.10/year',
      dayCount: '30/360',
    });
    const s = buildSchedule(product, 100_000, START);
    expect(s.installments.map((i) => i.interestMinor)).toEqual([833, 833, 833]);
    // A daily rate under 30/360: 10,000 × 0.0005 × 30 = 150.00 each month (February too).
    const daily = parseProduct({
      method: 'interest-first',
      termCount: 2,
      rate: '0.0005/day',
      dayCount: '30/360',
    });
    expect(buildSchedule(daily, TEN_THOUSAND_YUAN, START).installments.map((i) => i.interestMinor)).toEqual([
      15_000, 15_000,
    ]);
  });

  it('an annual rate under ACT/ACT is split by calendar year', () => {
    // 2027-12-15 → 2028-01-15: 17 days of 2027 (÷ 365) and 14 days of 2028 (÷ 366).
    // 10,000 × 0.1825 × (17/365 + 14/366) = 154.8087 → 154.81.
    const product = parseProduct({
      method: 'interest-first',
      termCount: 1,
      rate: '0.1825/year',
      dayCount: 'ACT/ACT',
    });
    expect(
      buildSchedule(product, TEN_THOUSAND_YUAN, parseDate('2027-12-15')).installments[0]!.interestMinor,
    ).toBe(15_481);
  });
});

describe('calendar', () => {
  it('leap year: February 2028 has 29 days of interest', () => {
    // 2028-01-15 → 02-15 31 days (155.00), 02-15 → 03-15 29 days: 10,000 × 0.0005 × 29 = 145.00.
    const product = parseProduct({ method: 'interest-first', termCount: 2 });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, parseDate('2028-01-15'));
    expect(s.installments.map((i) => i.interestMinor)).toEqual([15_500, 14_500]);
  });

  it('an annual rate over a leap-year February under ACT/365F is still ÷ 365', () => {
    // 10,000 × 0.1825 × 29/365 = 145.00.
    const product = parseProduct({ method: 'interest-first', termCount: 2, rate: '0.1825/year' });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, parseDate('2028-01-15'));
    expect(s.installments[1]!.interestMinor).toBe(14_500);
  });

  it('monthly due dates keep the start day, clamped to the month end', () => {
    const product = parseProduct({ termCount: 4 });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, parseDate('2028-01-31'));
    expect(s.installments.map((i) => formatDate(i.dueDay))).toEqual([
      '2028-02-29',
      '2028-03-31',
      '2028-04-30',
      '2028-05-31',
    ]);
    expect(s.installments.map((i) => i.startDay)).toEqual([
      parseDate('2028-01-31'),
      ...s.installments.slice(0, 3).map((i) => i.dueDay),
    ]);
  });

  it('weekly and biweekly due dates are 7 and 14 days apart', () => {
    const weekly = buildSchedule(
      parseProduct({ frequency: 'weekly', termCount: 3 }),
      TEN_THOUSAND_YUAN,
      START,
    );
    expect(weekly.installments.map((i) => formatDate(i.dueDay))).toEqual([
      '2026-01-22',
      '2026-01-29',
      '2026-02-05',
    ]);
    const biweekly = buildSchedule(
      parseProduct({ frequency: 'biweekly', termCount: 2 }),
      TEN_THOUSAND_YUAN,
      START,
    );
    expect(biweekly.installments.map((i) => formatDate(i.dueDay))).toEqual(['2026-01-29', '2026-02-12']);
    // Weekly interest-first: 10,000 × 0.0005 × 7 = 35.00 a week.
    const interestFirst = parseProduct({ frequency: 'weekly', termCount: 2, method: 'interest-first' });
    expect(
      buildSchedule(interestFirst, TEN_THOUSAND_YUAN, START).installments.map((i) => i.interestMinor),
    ).toEqual([3_500, 3_500]);
  });

  it('nominal basis divides the annual rate by periods a year: 26 for biweekly', () => {
    // 0.0005 × 365 / 26 = 0.00701923…; 10,000 × that = 70.1923 → 70.19 each fortnight.
    const product = parseProduct({
      frequency: 'biweekly',
      termCount: 2,
      method: 'interest-first',
      periodicRateBasis: 'nominal',
    });
    expect(buildSchedule(product, TEN_THOUSAND_YUAN, START).installments.map((i) => i.interestMinor)).toEqual(
      [7_019, 7_019],
    );
  });
});

describe('given due dates', () => {
  it("re-amortises over the contract's remaining due dates, keeping each period's actual days", () => {
    // A loan drawn on the 31st: after its 2026-02-28 instalment the rest falls due 03-31 and 04-30.
    // From 02-28: 31 days → 10,000 × 0.0005 × 31 = 155.00; then 30 days → 150.00.
    // (A fresh schedule from 02-28 would anchor on the 28th: 03-28 and 04-28.)
    const product = parseProduct({ method: 'interest-first', termCount: 2 });
    const from = parseDate('2026-02-28');
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, from, {
      dueDays: [parseDate('2026-03-31'), parseDate('2026-04-30')],
    });
    expect(rows(s).map((r) => [r[0], r[2]])).toEqual([
      ['2026-03-31', 15_500],
      ['2026-04-30', 15_000],
    ]);
    expect(
      buildSchedule(product, TEN_THOUSAND_YUAN, from).installments.map((i) => formatDate(i.dueDay)),
    ).toEqual(['2026-03-28', '2026-04-28']);
  });

  it('refuses due dates that do not increase after the start', () => {
    const product = parseProduct({});
    for (const dueDays of [[], [START], [parseDate('2026-03-15'), parseDate('2026-02-15')]]) {
      expect(() => buildSchedule(product, TEN_THOUSAND_YUAN, START, { dueDays })).toThrowError(
        expect.objectContaining({ code: 'invalid_due_days', field: 'dueDays' }),
      );
    }
  });
});

describe('rounding mode and scale', () => {
  it('rounds to the yuan when the scale is 0, and the last instalment absorbs the rest', () => {
    // Level payment 917.626… → 918 yuan (half-up at scale 0). No. 1 interest 155.00 → 155; principal 763.
    const product = parseProduct({ rounding: { mode: 'half-up', scale: 0 } });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, START);
    expect(s.installments[0]!.totalMinor).toBe(91_800);
    expect(s.installments[0]!.principalMinor).toBe(76_300);
    expect(s.installments.slice(0, 11).every((i) => i.totalMinor % 100 === 0)).toBe(true);
    expect(s.installments.reduce((a, i) => a + i.principalMinor, 0)).toBe(TEN_THOUSAND_YUAN);
  });

  it('names its mode: down and up give different level payments', () => {
    // Exact level payment 91,762.60… fen: down → 91,762, up → 91,763.
    const down = buildSchedule(
      parseProduct({ rounding: { mode: 'down', scale: 2 } }),
      TEN_THOUSAND_YUAN,
      START,
    );
    const up = buildSchedule(parseProduct({ rounding: { mode: 'up', scale: 2 } }), TEN_THOUSAND_YUAN, START);
    expect(down.installments[0]!.totalMinor).toBe(91_762);
    expect(up.installments[0]!.totalMinor).toBe(91_763);
  });

  it('equal principal rounded up never leaves the last instalment negative', () => {
    // 1.50 yuan over 12 at scale 0, up: 0.125 → 1 yuan each would repay 11 yuan by No. 11 — more than 1.50.
    // So the principal is split evenly in whole yuan instead: the one whole yuan goes to the first
    // instalment, the 0.50 below a yuan to the last; 1.50 cannot make 12 instalments of a whole yuan.
    const product = parseProduct({ method: 'equal-principal', rounding: { mode: 'up', scale: 0 } });
    const s = buildSchedule(product, 150, START);
    expect(s.installments.map((i) => i.principalMinor)).toEqual([100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50]);
  });

  // The principal share of 等额本金 is P/n rounded by the product's own mode, the last taking the rest: one
  // row per mode on amounts where the modes disagree, so that rounding the share any other way fails here.
  it.each([
    // [mode, principal fen, instalments, shares]
    ['half-up', 5, 2, [3, 2]],
    ['half-even', 5, 2, [2, 3]],
    ['half-even', 15, 2, [8, 7]],
    ['half-down', 5, 2, [2, 3]],
    ['down', 1000, 3, [333, 333, 334]],
    ['up', 1000, 3, [334, 334, 332]],
    ['ceiling', 1001, 3, [334, 334, 333]],
    ['floor', 1001, 3, [333, 333, 335]],
    ['half-up', 1000, 6, [167, 167, 167, 167, 167, 165]],
    ['down', 1000, 6, [166, 166, 166, 166, 166, 170]],
  ] as const)('equal principal rounds the share %s: %i fen over %i', (mode, principal, n, shares) => {
    const product = parseProduct({
      method: 'equal-principal',
      termCount: n,
      rate: '0/day',
      rounding: { mode, scale: 2 },
    });
    expect(buildSchedule(product, principal, START).installments.map((i) => i.principalMinor)).toEqual(
      shares,
    );
  });

  it('no instalment of 0.00 at a zero rate: 5.94 over 36 is eighteen 0.17 and eighteen 0.16', () => {
    // The level payment 5.94 / 36 = 0.165 rounds half-up to 0.17, and 35 × 0.17 = 5.95 > 5.94 would leave
    // the last instalment nothing: the fen are spread instead, one more on each of the first 18.
    for (const method of ['equal-installment', 'equal-principal', 'flat-rate'] as const) {
      const product = parseProduct({ method, termCount: 36, rate: '0/day' });
      const totals = buildSchedule(product, 594, START).installments.map((i) => i.totalMinor);
      expect(totals).toEqual([...new Array(18).fill(17), ...new Array(18).fill(16)]);
    }
  });

  it('no instalment of 0.00 at a near-zero rate: the level payment is lowered until the principal lasts', () => {
    // 0.000001/day on 5.94 over 36: the level payment 0.1651… rounds up to 0.17 and would repay everything
    // by No. 35. At 0.16 the principal lasts, and the last instalment takes the few fen more.
    const product = parseProduct({ termCount: 36, rate: '0.000001/day', rounding: { mode: 'up', scale: 2 } });
    const items = buildSchedule(product, 594, START).installments;
    expect(items.every((i) => i.totalMinor > 0)).toBe(true);
    expect(items.slice(0, 35).every((i) => i.totalMinor === 17 || i.totalMinor === 16)).toBe(true);
    expect(items.at(-1)!.principalMinor).toBeGreaterThan(0);
  });

  it('rounding to whole yuan at a zero rate spreads the yuan, the fen below a yuan with the last', () => {
    // 59.40 over 36 to the yuan: 1.65 rounds to 2 yuan, too many for 36 instalments. So 59 whole yuan are
    // spread: ⌊59 / 36⌋ = 1 yuan each, the first 59 mod 36 = 23 one more; the last also takes the 0.40.
    const product = parseProduct({
      method: 'equal-principal',
      termCount: 36,
      rate: '0/day',
      rounding: { mode: 'half-up', scale: 0 },
    });
    const shares = buildSchedule(product, 5940, START).installments.map((i) => i.principalMinor);
    expect(shares).toEqual([...new Array(23).fill(200), ...new Array(12).fill(100), 140]);
  });
});

describe('fees', () => {
  it('upfront fees stay out of the instalments; per-instalment fees are in each total', () => {
    // Upfront 1% of 10,000 = 100.00; service fee 5.00 per instalment on top of 917.63 → 922.63.
    const product = parseProduct({
      fees: [
        { name: 'arrangement', kind: 'upfront', basis: 'principal-rate', value: '0.01' },
        { name: 'service', kind: 'per-installment', basis: 'fixed', value: '5.00' },
      ],
    });
    const s = buildSchedule(product, TEN_THOUSAND_YUAN, START);
    expect(s.upfrontFeeMinor).toBe(10_000);
    expect(s.installments[0]).toMatchObject({ feeMinor: 500, totalMinor: 91_763 + 500 });
    expect(s.totalFeeMinor).toBe(12 * 500);
  });

  it('refuses a drawdown whose upfront fees are not below the principal', () => {
    const product = parseProduct({
      fees: [{ name: 'arrangement', kind: 'upfront', basis: 'fixed', value: '10.00' }],
      aprCap: '1',
    });
    expect(() => buildSchedule(product, 1_000, START)).toThrowError(
      expect.objectContaining({ code: 'upfront_fee_exceeds_principal', field: 'fees' }),
    );
  });

  it('refuses a principal that is not a positive whole number of fen', () => {
    const product = parseProduct({});
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => buildSchedule(product, bad, START)).toThrowError(
        expect.objectContaining({ code: 'principal_out_of_range', field: 'principalMinor' }),
      );
    }
  });
});
