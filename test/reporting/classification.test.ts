import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  type AssetClass,
  assessRestructuring,
  BANKING_2023_CLASSIFICATION,
  CREDIT_CARD_2011_CLASSIFICATION,
  classByDaysPastDue,
  classifyAsset,
  isNonPerforming,
  restructuringObservation,
} from '../../src/reporting/index.js';

const d = (s: string) => parseDate(s);

describe('five-category class by DPD', () => {
  // [DPD, 2023 banking rules, 2011 credit-card rules]
  const table: [number, AssetClass, AssetClass][] = [
    [0, 'normal', 'normal'],
    [1, 'special-mention', 'special-mention'],
    [30, 'special-mention', 'special-mention'],
    [31, 'special-mention', 'special-mention'],
    [60, 'special-mention', 'special-mention'],
    [61, 'special-mention', 'special-mention'],
    [90, 'special-mention', 'special-mention'],
    [91, 'substandard', 'substandard'],
    [120, 'substandard', 'substandard'],
    [121, 'substandard', 'doubtful'],
    [180, 'substandard', 'doubtful'],
    [181, 'substandard', 'loss'],
    [270, 'substandard', 'loss'],
    [271, 'doubtful', 'loss'],
    [360, 'doubtful', 'loss'],
    [361, 'loss', 'loss'],
  ];
  it.each(table)('DPD %i → %s (2023), %s (credit card)', (dpd, banking, card) => {
    expect(classByDaysPastDue(dpd, BANKING_2023_CLASSIFICATION)).toBe(banking);
    expect(classByDaysPastDue(dpd, CREDIT_CARD_2011_CLASSIFICATION)).toBe(card);
  });

  it('NPL is substandard, doubtful and loss', () => {
    expect(
      ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'].map((c) =>
        isNonPerforming(c as AssetClass),
      ),
    ).toEqual([false, false, true, true, true]);
  });

  it('a worse judgement wins over the DPD floor, never a better one', () => {
    expect(classifyAsset({ daysPastDue: 0, judgedClass: 'substandard' }, 0).assetClass).toBe('substandard');
    expect(classifyAsset({ daysPastDue: 100, judgedClass: 'normal' }, 0).assetClass).toBe('substandard');
    expect(classifyAsset({ daysPastDue: 100 }, 0).nonPerforming).toBe(true);
  });
});

describe('restructured assets (2023 rules)', () => {
  // Restructured on 2026-01-10; new monthly due dates on the 15th from 2026-02-15 for 24 months.
  const dueDays = Array.from({ length: 24 }, (_, i) =>
    d(`${2026 + Math.floor((i + 1) / 12)}-${String(((i + 1) % 12) + 1).padStart(2, '0')}-15`),
  );
  const restructuring = { day: d('2026-01-10'), dueDays };

  it('the due dates used are monthly from 2026-02-15', () => {
    expect(dueDays[0]).toBe(d('2026-02-15'));
    expect(dueDays[11]).toBe(d('2027-01-15'));
  });

  it('observation: from the first repayment date, ≥ 2 periods and ≥ 1 year → the later, here the year', () => {
    expect(restructuringObservation(restructuring)).toEqual({
      startDay: d('2026-02-15'),
      endDay: d('2027-02-15'),
    });
  });

  it('observation with yearly payments ends after 2 further periods, beyond one year', () => {
    const yearly = { day: d('2026-01-10'), dueDays: [d('2026-06-30'), d('2027-06-30'), d('2028-06-30')] };
    expect(restructuringObservation(yearly)).toEqual({ startDay: d('2026-06-30'), endDay: d('2028-06-30') });
    // Too few due dates to close two periods: no end yet, so still under observation.
    const short = { day: d('2026-01-10'), dueDays: [d('2026-06-30'), d('2027-06-30')] };
    expect(restructuringObservation(short)).toEqual({ startDay: d('2026-06-30'), endDay: null });
  });

  const clean = {
    restructurings: [restructuring],
    nonPerformingBeforeRestructuring: false,
    missedDueDays: [],
  };

  it('clean observation: at least special mention until the end, then no floor', () => {
    expect(assessRestructuring(clean, d('2026-01-09')).floor).toBe('normal');
    expect(assessRestructuring(clean, d('2026-01-10')).floor).toBe('special-mention');
    expect(assessRestructuring(clean, d('2027-02-15')).floor).toBe('special-mention');
    const after = assessRestructuring(clean, d('2027-02-16'));
    expect(after.floor).toBe('normal');
    expect(after.inObservation).toBe(false);
    expect(classifyAsset({ daysPastDue: 0, restructuring: clean }, d('2026-06-01')).assetClass).toBe(
      'special-mention',
    );
  });

  it('non-performing before the change stays non-performing during observation', () => {
    const f = { ...clean, nonPerformingBeforeRestructuring: true };
    const c = classifyAsset({ daysPastDue: 0, restructuring: f }, d('2026-06-01'));
    expect(c.assetClass).toBe('substandard');
    expect(c.nonPerforming).toBe(true);
  });

  it('a miss during observation makes it non-performing from the miss on', () => {
    const f = { ...clean, missedDueDays: [d('2026-05-15')] };
    expect(assessRestructuring(f, d('2026-05-14')).floor).toBe('special-mention');
    const a = assessRestructuring(f, d('2026-05-15'));
    expect(a.floor).toBe('substandard');
    expect(a.reasons).toContain('missed-in-observation');
  });

  it('a miss before the observation starts does not count as a miss in observation', () => {
    const f = { ...clean, missedDueDays: [d('2025-12-15')] };
    expect(assessRestructuring(f, d('2026-05-15')).floor).toBe('special-mention');
  });

  it('a second restructuring during observation makes it non-performing', () => {
    const second = { day: d('2026-08-01'), dueDays: dueDays.filter((x) => x > d('2026-08-01')) };
    const f = { ...clean, restructurings: [restructuring, second] };
    const a = assessRestructuring(f, d('2026-09-01'));
    expect(a.floor).toBe('substandard');
    expect(a.reasons).toContain('restructured-again');
  });

  it('a second restructuring after a clean observation starts a fresh observation at special mention', () => {
    const second = { day: d('2027-06-01'), dueDays: dueDays.filter((x) => x > d('2027-06-01')) };
    const f = { ...clean, restructurings: [restructuring, second] };
    expect(assessRestructuring(f, d('2027-07-01')).floor).toBe('special-mention');
  });
});
