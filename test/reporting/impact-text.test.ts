import { describe, expect, it } from 'vitest';
import { type Milestone, type MilestoneExtra, textFor } from '../../src/reporting/index.js';

const extra: MilestoneExtra = {
  currency: 'CNY',
  penaltyUplift: '50%',
  penaltyBase: 'overdue-principal',
  horizonEnd: '2027-06-30',
  chargeOffDays: 1,
};
const milestone = (kind: Milestone['kind'], value: string, daysPastDue = 0): Milestone => ({
  kind,
  day: 0,
  daysPastDue,
  value,
  source: '',
  convention: false,
  withinHorizon: true,
});

// The impact text counts in English with the singular for one (never "1 months" or "month(s)").
describe('impact text counts', () => {
  const en = textFor('en');

  it('says one month, one day and one time in the singular', () => {
    expect(en.title('1,000.00', 'CNY', '2026-07-15', 1)).toMatch(/, 1 month$/);
    expect(en.milestone(milestone('bucket-entry', 'M1', 1), extra)).toContain('Bucket M1: 1 day past due;');
    expect(en.milestone(milestone('write-off-eligible', ''), extra)).toMatch(/^At 1 day past due /);
    expect(en.milestone(milestone('limitation-end', '1'), extra)).toContain('restarted 1 time by demands');
  });

  it('says other counts in the plural', () => {
    expect(en.title('1,000.00', 'CNY', '2026-07-15', 12)).toMatch(/, 12 months$/);
    expect(en.milestone(milestone('bucket-entry', 'M2', 31), extra)).toContain(
      'Bucket M2: 31 days past due;',
    );
    expect(en.milestone(milestone('write-off-eligible', ''), { ...extra, chargeOffDays: 180 })).toMatch(
      /^At 180 days past due /,
    );
    expect(en.milestone(milestone('limitation-end', '2'), extra)).toContain('restarted 2 times by demands');
  });

  it('leaves the Chinese text, which has no plural, as it was', () => {
    const zh = textFor('zh');
    expect(zh.title('1,000.00', 'CNY', '2026-07-15', 1)).toMatch(/共 1 个月$/);
    expect(zh.milestone(milestone('limitation-end', '1'), extra)).toContain('重新计算 1 次');
  });
});
