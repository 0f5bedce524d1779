import { describe, expect, it } from 'vitest';
import { payoffQuote } from '../../src/ledger/index.js';
import { writeOff } from '../../src/ledger/loan/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  buildCreditReportRecord,
  correctRecord,
  disputeNext,
  disputeReplyBy,
  EXPORT_COLUMNS,
  exportFile,
  exportLine,
  monthKey,
  negativeReportGate,
} from '../../src/reporting/index.js';
import { d, product } from '../ledger/loan/driver.js';
import { RestructuredLoan } from '../ledger/loan/restructure-support.js';

const march = monthKey(2026, 3);

/** 3,000.00 over 3 months from 2026-01-15; instalment 1 (due 02-15) missed. */
function missedFirst(): RestructuredLoan {
  const l = new RestructuredLoan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-28');
  return l;
}

describe('the month-end record of an account', () => {
  it('a negotiated plan (协商还款) carries code 14; the month reads the new plan: nothing due in March is *', () => {
    const l = missedFirst();
    l.restructure('2026-03-01', { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 });
    l.closeThrough('2026-03-31');
    const feb = buildCreditReportRecord(l.log, monthKey(2026, 2))!;
    expect(feb).toMatchObject({ statusCode: '1', daysPastDue: 13, negative: true, specials: [] });
    const r = buildCreditReportRecord(l.log, march)!;
    expect(r.grid).toBe(`${'/'.repeat(21)}*1*`);
    expect(r).toMatchObject({ statusCode: '*', daysPastDue: 0, overdueMinor: 0, negative: false });
    expect(r.specials).toEqual([
      expect.objectContaining({
        kind: 'negotiated-plan',
        code: '14',
        day: d('2026-03-01'),
        months: expect.any(Number),
      }),
    ]);
    expect(r.maturityDate).toBe('2026-09-01');
    expect(buildCreditReportRecord(l.log, monthKey(2025, 12))).toBeNull();
  });

  it('a term extension (展期) carries code 1 with the months it moved', () => {
    const l = new RestructuredLoan(product({ termCount: 6 }), 600000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(110000, '2026-02-15');
    l.closeThrough('2026-02-28');
    l.restructure('2026-03-01', { kind: 'term-extension', extensionMonths: 3 });
    l.closeThrough('2026-03-31');
    const r = buildCreditReportRecord(l.log, march)!;
    expect(r.specials).toEqual([expect.objectContaining({ kind: 'extension', code: '1', months: 3 })]);
    expect(r.paidThisMonthMinor).toBe(0);
    expect(buildCreditReportRecord(l.log, monthKey(2026, 2))!.paidThisMonthMinor).toBe(110000);
  });

  it('a written-off loan (核销) is bad debt B from its month on, with code 8 and the amount taken off', () => {
    const l = missedFirst();
    l.closeThrough('2026-08-31');
    const r = writeOff(l.state, { day: d('2026-09-01'), clientId: 'wo-1', evidenceRef: 'file-1' });
    l.state = r.state;
    l.log.push(...r.events);
    l.closeThrough('2026-09-30');
    const aug = buildCreditReportRecord(l.log, monthKey(2026, 8))!;
    expect(aug.statusCode).toBe('7'); // 197 days past due: over 180
    const sep = buildCreditReportRecord(l.log, monthKey(2026, 9))!;
    expect(sep.statusCode).toBe('B');
    expect(sep.grid.slice(-9)).toBe('*1234567B');
    expect(sep.specials).toEqual([expect.objectContaining({ kind: 'write-off', code: '8' })]);
    expect(sep.specials[0]!.amountMinor).toBeGreaterThan(300000);
    expect(buildCreditReportRecord(l.log, monthKey(2026, 10))).toMatchObject({
      statusCode: 'B',
      specials: [],
    });
  });

  it('paid off before the last due date: C with 提前结清 (code 5), and C afterwards', () => {
    const l = new RestructuredLoan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-19');
    l.repay(payoffQuote(l.state, d('2026-02-20')).totalMinor, '2026-02-20', { excess: 'prepay' });
    l.closeThrough('2026-02-28');
    expect(l.state.status).toBe('settled');
    const r = buildCreditReportRecord(l.log, monthKey(2026, 2))!;
    expect(r).toMatchObject({ statusCode: 'C', balanceMinor: 0 });
    expect(r.specials.map((s) => s.code)).toEqual(['5']);
    expect(buildCreditReportRecord(l.log, march)!.grid.slice(-3)).toBe('*CC');
  });
});

describe('the notice before the first negative report (征信业管理条例 Art. 15)', () => {
  const month = march; // reported as of 03-31, notice due by 03-30 by default
  it('holds back a first negative record without a notice, or with one sent late', () => {
    expect(
      negativeReportGate({ negative: true, earlierNegativeReported: false, noticeSentDay: null, month }),
    ).toMatchObject({
      release: false,
      reason: 'negative_notice_not_sent',
    });
    expect(
      negativeReportGate({
        negative: true,
        earlierNegativeReported: false,
        noticeSentDay: d('2026-03-31'),
        month,
      }),
    ).toMatchObject({ release: false, reason: 'negative_notice_late' });
  });
  it('releases it with a notice in time, and every later or non-negative record', () => {
    expect(
      negativeReportGate({
        negative: true,
        earlierNegativeReported: false,
        noticeSentDay: d('2026-03-30'),
        month,
      }),
    ).toEqual({ release: true });
    expect(
      negativeReportGate({ negative: true, earlierNegativeReported: true, noticeSentDay: null, month }),
    ).toEqual({
      release: true,
    });
    expect(
      negativeReportGate({ negative: false, earlierNegativeReported: false, noticeSentDay: null, month }),
    ).toEqual({
      release: true,
    });
  });
});

describe('the export file and objections', () => {
  it('writes a header and one line per record in account order; a correction is an X line', () => {
    const l = missedFirst();
    const feb = buildCreditReportRecord(l.log, monthKey(2026, 2))!;
    const text = exportFile([
      { record: { ...feb, loanId: 'L-2' }, version: 1 },
      { record: correctRecord(feb, 'N'), version: 2 },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[1]).toBe(
      `X,2026-02,L-1,C-1,2026-01-15,2026-04-15,3000.00,3000.00,1046.50,0.00,0.00,0.00,0,N,//////////////////////*N,,2,${'/'.repeat(58)}*N`,
    );
    // A record stored before the 5-year grid was built shows its 36 earlier months unknown.
    const { grid60: _, ...stored } = feb;
    expect(exportLine(stored, 1).split(',').at(-1)).toBe(`${'#'.repeat(36)}${feb.grid}`);
    expect(lines[2]?.startsWith('A,2026-02,L-2,')).toBe(true);
    expect(lines[2]?.split(',')).toHaveLength(EXPORT_COLUMNS.length);
    expect(text.endsWith('\n')).toBe(true);
  });
  it('moves received → investigating → corrected or rejected, answered within 20 days', () => {
    expect(disputeNext('received', 'investigate')).toEqual({ ok: true, status: 'investigating' });
    expect(disputeNext('received', 'correct').ok).toBe(false);
    expect(disputeNext('investigating', 'correct')).toEqual({ ok: true, status: 'corrected' });
    expect(disputeNext('investigating', 'reject')).toEqual({ ok: true, status: 'rejected' });
    expect(disputeNext('rejected', 'investigate').ok).toBe(false);
    expect(disputeReplyBy(parseDate('2026-03-05'))).toBe(parseDate('2026-03-25'));
  });
});
