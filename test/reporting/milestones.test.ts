import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../../src/money/index.js';
import {
  CREDIT_CARD_2011_CLASSIFICATION,
  DEFAULT_IMPACT_SETTINGS,
  impactReportDays,
  overdueMilestones,
  overdueStatus,
} from '../../src/reporting/index.js';

const d = (s: string) => parseDate(s);

describe('overdue milestones of a sample loan', () => {
  // 12 monthly instalments due on the 15th from 2026-02-15 to 2027-01-15; the 2026-03-15 instalment is
  // missed and nothing is paid after it. DPD on day x is x − 2026-03-15. Dates worked by hand:
  // +31 = 04-15, +61 = 05-15, +91 = 06-14, +121 = 07-14, +151 = 08-13, +180 = 09-11, +181 = 09-12,
  // +271 = 12-11, +361 = 2027-03-11 (February 2027 has 28 days). Limitation: 3 years from the last due date
  // 2027-01-15 → 2030-01-15 = 1096 + 306 = 1402 DPD. Retention if repaid on 2026-10-31: 2031-10-31 =
  // 1826 (five years incl. 2028-02-29) + 230 = 2056 DPD.
  const milestones = overdueMilestones({
    missedDueDay: d('2026-03-15'),
    lastDueDay: d('2027-01-15'),
    horizonEndDay: d('2026-10-31'),
    graceDays: 0,
  });
  const rows = milestones.map((m) => [formatDate(m.day), m.kind, m.value, m.daysPastDue, m.withinHorizon]);

  it('lists every milestone in date order', () => {
    expect(rows).toEqual([
      ['2026-03-15', 'collection-stage', 'reminder', 0, true],
      ['2026-03-16', 'collection-stage', 'early', 1, true],
      ['2026-03-16', 'overdue-start', 'M1', 1, true],
      ['2026-03-16', 'penalty-start', '', 1, true],
      ['2026-03-16', 'class-change', 'special-mention', 1, true],
      ['2026-03-30', 'negative-notice-deadline', '', 15, true],
      ['2026-03-31', 'first-negative-report', '1', 16, true],
      ['2026-04-15', 'collection-stage', 'intensive', 31, true],
      ['2026-04-15', 'bucket-entry', 'M2', 31, true],
      ['2026-04-15', 'ifrs9-stage-change', '2', 31, true],
      ['2026-05-15', 'bucket-entry', 'M3', 61, true],
      ['2026-06-14', 'collection-stage', 'agency-legal', 91, true],
      ['2026-06-14', 'bucket-entry', 'M4', 91, true],
      ['2026-06-14', 'class-change', 'substandard', 91, true],
      ['2026-06-14', 'ifrs9-stage-change', '3', 91, true],
      ['2026-07-14', 'bucket-entry', 'M5', 121, true],
      ['2026-08-13', 'bucket-entry', 'M6', 151, true],
      ['2026-09-11', 'write-off-eligible', '', 180, true],
      ['2026-09-12', 'bucket-entry', 'M7', 181, true],
      ['2026-12-11', 'class-change', 'doubtful', 271, false],
      ['2027-03-11', 'class-change', 'loss', 361, false],
      ['2030-01-15', 'limitation-end', '0', 1402, false],
      ['2031-10-31', 'retention-end-if-repaid', '', 2056, false],
    ]);
  });

  it('grace days delay the overdue start, the penalty and what happens on the first overdue day', () => {
    const m = overdueMilestones({
      missedDueDay: d('2026-03-15'),
      lastDueDay: d('2027-01-15'),
      horizonEndDay: d('2026-10-31'),
      graceDays: 3,
    });
    expect(formatDate(m.find((x) => x.kind === 'penalty-start')!.day)).toBe('2026-03-19');
    const start = m.find((x) => x.kind === 'overdue-start')!;
    expect([formatDate(start.day), start.daysPastDue]).toEqual(['2026-03-19', 4]);
    const special = m.find((x) => x.kind === 'class-change' && x.value === 'special-mention')!;
    expect(formatDate(special.day)).toBe('2026-03-19');
    // Thresholds beyond the grace period do not move.
    expect(formatDate(m.find((x) => x.kind === 'bucket-entry' && x.value === 'M2')!.day)).toBe('2026-04-15');
  });

  it('demands restart the limitation period', () => {
    const m = overdueMilestones({
      missedDueDay: d('2026-03-15'),
      lastDueDay: d('2027-01-15'),
      horizonEndDay: d('2026-10-31'),
      graceDays: 0,
      demandDays: [d('2028-05-20')],
    });
    const end = m.find((x) => x.kind === 'limitation-end')!;
    expect(formatDate(end.day)).toBe('2031-05-20');
    expect(end.value).toBe('1');
    expect(end.source).toMatch(/195/);
  });

  it('a due date at a month end is first reported at the next month end', () => {
    const m = overdueMilestones({
      missedDueDay: d('2026-03-31'),
      lastDueDay: d('2027-01-31'),
      horizonEndDay: d('2026-10-31'),
      graceDays: 0,
    });
    const report = m.find((x) => x.kind === 'first-negative-report')!;
    expect(formatDate(report.day)).toBe('2026-04-30');
    expect(report.value).toBe('1');
  });

  it('the credit-card rules move the class milestones', () => {
    const m = overdueMilestones(
      {
        missedDueDay: d('2026-03-15'),
        lastDueDay: d('2027-01-15'),
        horizonEndDay: d('2026-10-31'),
        graceDays: 0,
      },
      { ...DEFAULT_IMPACT_SETTINGS, classification: CREDIT_CARD_2011_CLASSIFICATION },
    );
    expect(m.filter((x) => x.kind === 'class-change').map((x) => [x.value, x.daysPastDue])).toEqual([
      ['special-mention', 1],
      ['substandard', 91],
      ['doubtful', 121],
      ['loss', 181],
    ]);
  });
});

describe('report days and the status on each', () => {
  it('the overdue start, then N month ends after it', () => {
    expect(impactReportDays(d('2026-03-15'), 3).map(formatDate)).toEqual([
      '2026-03-15',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(impactReportDays(d('2026-03-31'), 2).map(formatDate)).toEqual([
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
  });

  it('one DPD gives every view', () => {
    expect(overdueStatus({ day: d('2026-06-30'), daysPastDue: 107, repaymentDueThisMonth: true })).toEqual({
      daysPastDue: 107,
      bucket: 'M4',
      creditReportCode: '4',
      assetClass: 'substandard',
      nonPerforming: true,
      ifrs9Stage: 3,
      collectionStage: 'agency-legal',
    });
    expect(
      overdueStatus({ day: d('2026-03-15'), daysPastDue: 0, repaymentDueThisMonth: true }).creditReportCode,
    ).toBe('N');
  });
});
