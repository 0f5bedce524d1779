import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  type CreditReportMonthFacts,
  type CreditReportStatusCode,
  creditReportGrid,
  creditReportStatus,
  firstNegativeReportingDay,
  formatMonthKey,
  isNegativeStatusCode,
  monthKey,
  negativeNoticeDeadline,
  negativeRecordRetentionEnd,
  negativeSubmissionDay,
  objectionReplyDeadline,
} from '../../src/reporting/index.js';

const d = (s: string) => parseDate(s);
const open = (daysPastDue: number | null, repaymentDueThisMonth = true): CreditReportMonthFacts => ({
  opened: true,
  repaymentDueThisMonth,
  daysPastDue,
});

describe('monthly status code', () => {
  const dpdTable: [number, CreditReportStatusCode][] = [
    [0, 'N'],
    [1, '1'],
    [30, '1'],
    [31, '2'],
    [60, '2'],
    [61, '3'],
    [90, '3'],
    [91, '4'],
    [180, '6'],
    [181, '7'],
    [270, '7'],
    [361, '7'],
  ];
  it.each(dpdTable)('DPD %i at month end → %s', (dpd, code) => {
    expect(creditReportStatus(open(dpd))).toBe(code);
    // Overdue shows even when nothing fell due that month (e.g. after maturity).
    if (dpd > 0) expect(creditReportStatus(open(dpd, false))).toBe(code);
  });

  const factTable: [string, CreditReportMonthFacts, CreditReportStatusCode][] = [
    ['not opened', { opened: false, repaymentDueThisMonth: false, daysPastDue: 0 }, '/'],
    ['nothing due, not overdue', open(0, false), '*'],
    ['due and paid', open(0, true), 'N'],
    ['unknown DPD', open(null), '#'],
    ['settled this month, even if overdue before', { ...open(45), ending: 'settled' }, 'C'],
    ['written off', { ...open(200), ending: 'ended-otherwise' }, 'G'],
    ['bad debt', { ...open(200), badDebt: true }, 'B'],
    ['assets for debt', { ...open(100), assetForDebt: true }, 'Z'],
    ['guarantor repaid', { ...open(100), repaidByGuarantor: true }, 'D'],
  ];
  it.each(factTable)('%s → %s', (_name, facts, code) => {
    expect(creditReportStatus(facts)).toBe(code);
  });

  it('negative codes are the overdue ones and B, D, Z', () => {
    const all: CreditReportStatusCode[] = ['N', '*', '1', '7', 'C', 'G', 'D', 'Z', 'B', '#', '/'];
    expect(all.filter(isNegativeStatusCode)).toEqual(['1', '7', 'D', 'Z', 'B']);
  });
});

describe('24-month grid', () => {
  it('shows not opened, paid months, an overdue run and the settlement', () => {
    const opened = monthKey(2025, 3);
    const settledIn = monthKey(2025, 9);
    const dpdByMonth = new Map<number, number>([
      [monthKey(2025, 6), 10],
      [monthKey(2025, 7), 41],
      [monthKey(2025, 8), 72],
    ]);
    const grid = creditReportGrid(monthKey(2026, 2), (m) => {
      if (m < opened) return { opened: false, repaymentDueThisMonth: false, daysPastDue: 0 };
      if (m === settledIn) return { ...open(0), ending: 'settled' };
      return open(dpdByMonth.get(m) ?? 0, m > opened);
    });
    expect(grid).toHaveLength(24);
    expect(formatMonthKey(grid[0]!.month)).toBe('2024-03');
    expect(formatMonthKey(grid[23]!.month)).toBe('2026-02');
    // 2024-03 … 2025-02 not opened (12), opened 2025-03 with nothing due, paid twice, overdue 10/41/72 days,
    // settled 2025-09 and shown as settled since.
    expect(grid.map((c) => c.code).join('')).toBe('////////////*NN123CCCCCC');
  });
});

describe('negative information dates (征信业管理条例)', () => {
  it('first reporting date is the end of the month the loan becomes overdue', () => {
    expect(firstNegativeReportingDay(d('2026-03-16'))).toBe(d('2026-03-31'));
    expect(firstNegativeReportingDay(d('2026-04-01'))).toBe(d('2026-04-30'));
  });

  it('Art. 15: notice at the latest the day before the submission (lead and lag are settings)', () => {
    const submission = negativeSubmissionDay(d('2026-03-31'));
    expect(submission).toBe(d('2026-03-31'));
    expect(negativeNoticeDeadline(submission)).toBe(d('2026-03-30'));
    const s = { submissionLagDays: 10, noticeLeadDays: 7, retentionYears: 5, objectionReplyDays: 20 };
    expect(negativeNoticeDeadline(negativeSubmissionDay(d('2026-03-31'), s), s)).toBe(d('2026-04-03'));
  });

  it('Art. 16: kept 5 years from the end of the adverse behaviour', () => {
    expect(negativeRecordRetentionEnd(d('2026-10-31'))).toBe(d('2031-10-31'));
    expect(negativeRecordRetentionEnd(d('2028-02-29'))).toBe(d('2033-02-28'));
  });

  it('Art. 25: objection answered within 20 days', () => {
    expect(objectionReplyDeadline(d('2026-12-20'))).toBe(d('2027-01-09'));
  });
});
