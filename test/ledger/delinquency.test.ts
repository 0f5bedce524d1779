import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Bucket,
  bucketForDaysPastDue,
  bucketHistoryFromDaysPastDue,
  bucketOnDay,
  bucketRank,
  DEFAULT_DELINQUENCY_SETTINGS,
  firstDaysPastDueOfBucket,
  firstEnteredDay,
  parseDelinquencySettings,
  recordBucket,
  spellDays,
  worstBucket,
  worstBucketEver,
} from '../../src/ledger/delinquency.js';
import { LedgerInputError } from '../../src/ledger/errors.js';
import { statusCodeForBucket } from '../../src/reporting/index.js';

describe('bucketForDaysPastDue with the default bounds (domain.md §3)', () => {
  const table: [number, Bucket, string][] = [
    [0, 'M0', 'N'],
    [1, 'M1', '1'],
    [30, 'M1', '1'],
    [31, 'M2', '2'],
    [60, 'M2', '2'],
    [61, 'M3', '3'],
    [90, 'M3', '3'],
    [91, 'M4', '4'],
    [120, 'M4', '4'],
    [121, 'M5', '5'],
    [150, 'M5', '5'],
    [151, 'M6', '6'],
    [180, 'M6', '6'],
    [181, 'M7', '7'],
    [270, 'M7', '7'],
    [271, 'M7', '7'],
    [360, 'M7', '7'],
    [361, 'M7', '7'],
  ];
  it.each(table)('DPD %i → %s, status %s', (dpd, bucket, code) => {
    expect(bucketForDaysPastDue(dpd)).toBe(bucket);
    expect(statusCodeForBucket(bucket)).toBe(code);
  });

  it('refuses negative or fractional DPD as an impossible state', () => {
    expect(() => bucketForDaysPastDue(-1)).toThrow(/invariant/);
    expect(() => bucketForDaysPastDue(1.5)).toThrow(/invariant/);
  });

  it('is monotone in DPD and agrees with firstDaysPastDueOfBucket', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (dpd) => {
        const b = bucketForDaysPastDue(dpd);
        expect(bucketRank(bucketForDaysPastDue(dpd + 1))).toBeGreaterThanOrEqual(bucketRank(b));
        expect(firstDaysPastDueOfBucket(b)).toBeLessThanOrEqual(dpd);
      }),
    );
  });
});

describe('configurable bounds', () => {
  it('uses the bounds given', () => {
    const s = parseDelinquencySettings({ bucketUpperBoundsDays: [29, 59, 89, 119, 149, 179] });
    expect(bucketForDaysPastDue(29, s)).toBe('M1');
    expect(bucketForDaysPastDue(30, s)).toBe('M2');
    expect(bucketForDaysPastDue(180, s)).toBe('M7');
    expect(firstDaysPastDueOfBucket('M7', s)).toBe(180);
    expect(s.chargeOffDaysPastDue).toBe(180);
  });

  it('refuses bounds that are not increasing, naming the field', () => {
    try {
      parseDelinquencySettings({ bucketUpperBoundsDays: [30, 60, 60, 120, 150, 180] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LedgerInputError);
      expect((e as LedgerInputError).field).toBe('bucketUpperBoundsDays.2');
      expect((e as LedgerInputError).code).toBe('invalid_bucket_bounds');
    }
    expect(() => parseDelinquencySettings({ bucketUpperBoundsDays: [30, 60] })).toThrow(/6 upper DPD bounds/);
    expect(() => parseDelinquencySettings({ chargeOffDaysPastDue: 0 })).toThrow(/chargeOffDaysPastDue/);
  });

  it('defaults are the convention', () => {
    expect(parseDelinquencySettings()).toEqual(DEFAULT_DELINQUENCY_SETTINGS);
  });
});

describe('worst bucket per customer', () => {
  it('takes the highest rank, M0 for none', () => {
    expect(worstBucket([])).toBe('M0');
    expect(worstBucket(['M1', 'M0', 'M3', 'M2'])).toBe('M3');
    expect(worstBucket(new Set<Bucket>(['M7', 'M0']))).toBe('M7');
  });
});

describe('bucket history', () => {
  it('records entered and left days, and keeps the same array while unchanged', () => {
    let h = recordBucket([], 100, 'M0');
    const same = recordBucket(h, 101, 'M0');
    expect(same).toBe(h);
    h = recordBucket(h, 105, 'M1');
    h = recordBucket(h, 135, 'M2');
    h = recordBucket(h, 140, 'M0');
    expect(h).toEqual([
      { bucket: 'M0', enteredDay: 100, leftDay: 105 },
      { bucket: 'M1', enteredDay: 105, leftDay: 135 },
      { bucket: 'M2', enteredDay: 135, leftDay: 140 },
      { bucket: 'M0', enteredDay: 140, leftDay: null },
    ]);
    expect(bucketOnDay(h, 99)).toBeUndefined();
    expect(bucketOnDay(h, 134)).toBe('M1');
    expect(bucketOnDay(h, 135)).toBe('M2');
    expect(firstEnteredDay(h, 'M2')).toBe(135);
    expect(firstEnteredDay(h, 'M3')).toBeUndefined();
    expect(spellDays(h[1]!, 1000)).toBe(30);
    expect(spellDays(h[3]!, 149)).toBe(10);
    expect(worstBucketEver(h)).toBe('M2');
  });

  it('a second observation on the same day replaces the first', () => {
    let h = recordBucket([], 10, 'M0');
    h = recordBucket(h, 11, 'M1');
    h = recordBucket(h, 11, 'M0');
    expect(h).toEqual([{ bucket: 'M0', enteredDay: 10, leftDay: null }]);
  });

  it('refuses going back in time', () => {
    const h = recordBucket([], 10, 'M0');
    expect(() => recordBucket(h, 9, 'M1')).toThrow(/invariant/);
  });

  it('from a DPD series: one spell per run of equal buckets', () => {
    const dpd = [0, 0, ...Array.from({ length: 40 }, (_, i) => i + 1), 0];
    const h = bucketHistoryFromDaysPastDue(1000, dpd);
    expect(h.map((s) => [s.bucket, s.enteredDay, s.leftDay])).toEqual([
      ['M0', 1000, 1002],
      ['M1', 1002, 1032],
      ['M2', 1032, 1042],
      ['M0', 1042, null],
    ]);
  });
});
