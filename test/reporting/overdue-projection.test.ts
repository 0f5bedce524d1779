import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSchedule, LedgerInputError, parseProduct } from '../../src/ledger/index.js';
import { formatDate, parseDate } from '../../src/money/index.js';
import { projectOverdue } from '../../src/reporting/index.js';

const d = (s: string) => parseDate(s);
const product = parseProduct({ rate: '0.0005/day', termCount: 12, method: 'equal-installment' });
const input = {
  product,
  principalMinor: 1_000_000,
  startDay: d('2026-01-15'),
  overdueFromDay: d('2026-03-15'),
  months: 3,
};

describe('projectOverdue (core of lendguard impact)', () => {
  it('pays the first instalment exactly, then lets the second run overdue', () => {
    const p = projectOverdue(input);
    expect(formatDate(p.missedDueDay)).toBe('2026-03-15');
    expect(p.rows.map((r) => [formatDate(r.day), r.position.daysPastDue, r.status.bucket])).toEqual([
      ['2026-03-15', 0, 'M0'],
      ['2026-03-31', 16, 'M1'],
      ['2026-04-30', 46, 'M2'],
      ['2026-05-31', 77, 'M3'],
    ]);
    // Instalment 1 (762.63 principal) paid in full: no credit left, no overdue fen.
    for (const r of p.rows) {
      expect(r.position.outstandingPrincipalMinor).toBe(1_000_000 - 76_263);
      expect(r.position.creditMinor).toBe(0);
    }
    expect(p.rows[0]!.position.overduePrincipalMinor).toBe(0);
    expect(p.rows[1]!.position.overduePrincipalMinor).toBe(p.installments[1]!.principalMinor);
  });

  it('a schedule with nothing paid before the overdue start', () => {
    const p = projectOverdue({ ...input, overdueFromDay: d('2026-02-15'), months: 1 });
    expect(p.rows.map((r) => r.position.outstandingPrincipalMinor)).toEqual([1_000_000, 1_000_000]);
  });

  it('refuses an overdue start outside the schedule and months out of range, with stable codes', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof LedgerInputError ? [e.code, e.field] : String(e);
      }
      return 'no error';
    };
    expect(codeOf(() => projectOverdue({ ...input, overdueFromDay: d('2026-02-14') }))).toEqual([
      'overdue_from_outside_term',
      'overdueFromDay',
    ]);
    expect(codeOf(() => projectOverdue({ ...input, overdueFromDay: d('2027-01-16') }))).toEqual([
      'overdue_from_outside_term',
      'overdueFromDay',
    ]);
    expect(codeOf(() => projectOverdue({ ...input, months: 0 }))).toEqual(['months_out_of_range', 'months']);
    expect(codeOf(() => projectOverdue({ ...input, months: 121 }))).toEqual([
      'months_out_of_range',
      'months',
    ]);
  });
});

describe('projectOverdue properties', () => {
  it('on-time payments leave no false overdue and no credit; the total grows by exactly penalty + interest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('equal-installment', 'equal-principal', 'interest-first', 'pay-any-time'),
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 100_00, max: 200_000_00 }),
        fc.constantFrom('0.0002', '0.00035', '0.0005'),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.nat(),
        (method, termCount, principalMinor, rate, graceDays, startOffset, pick) => {
          const product = parseProduct({ rate: `${rate}/day`, termCount, method, graceDays });
          const startDay = d('2026-01-01') + startOffset;
          const schedule = buildSchedule(product, principalMinor, startDay);
          const missed = schedule.installments[pick % schedule.installments.length]!;
          const p = projectOverdue({
            product,
            principalMinor,
            startDay,
            overdueFromDay: missed.dueDay,
            months: 4,
          });
          expect(p.missedDueDay).toBe(missed.dueDay);
          const paid = schedule.installments.filter((x) => x.dueDay < missed.dueDay);
          const paidPrincipal = paid.reduce((sum, x) => sum + x.principalMinor, 0);
          const first = p.rows[0]!;
          expect(first.position.daysPastDue).toBe(0);
          expect(first.position.overduePrincipalMinor + first.position.overdueInterestMinor).toBe(0);
          expect(first.position.creditMinor).toBe(0);
          for (let i = 0; i < p.rows.length; i++) {
            const r = p.rows[i]!.position;
            // Nothing is paid after the overdue start: DPD counts from the missed due date once past grace.
            const late = p.rows[i]!.day - missed.dueDay;
            expect(r.daysPastDue).toBe(late > graceDays ? late : 0);
            expect(r.outstandingPrincipalMinor).toBe(principalMinor - paidPrincipal);
            const interest = r.overdueInterestMinor + r.dueInterestMinor + r.accruedInterestMinor;
            const fees = r.overdueFeeMinor + r.dueFeeMinor;
            expect(r.totalOwedMinor).toBe(
              r.outstandingPrincipalMinor + interest + fees + r.penaltyOutstandingMinor,
            );
            if (i > 0) {
              const q = p.rows[i - 1]!.position;
              const qInterest = q.overdueInterestMinor + q.dueInterestMinor + q.accruedInterestMinor;
              expect(r.totalOwedMinor - q.totalOwedMinor).toBe(
                r.penaltyAccruedTotalMinor - q.penaltyAccruedTotalMinor + (interest - qInterest),
              );
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
