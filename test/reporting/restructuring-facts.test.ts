import { describe, expect, it } from 'vitest';
import { installmentPaymentMinor, loanPosition } from '../../src/ledger/loan/index.js';
import { formatDate } from '../../src/money/index.js';
import { caseRestructuringOf, classifyLoan, restructuringFactsOf } from '../../src/reporting/index.js';
import { d, product } from '../ledger/loan/driver.js';
import { RestructuredLoan } from '../ledger/loan/restructure-support.js';

/** 3,000.00 over 3 months, instalment 1 missed, a 6-month negotiated plan on 2026-03-01 (first due 04-01). */
function restructuredLoan(): RestructuredLoan {
  const l = new RestructuredLoan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-28');
  l.restructure('2026-03-01', { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 });
  return l;
}

describe('the five-category class of a restructured loan, from its state', () => {
  it('a loan never restructured has no restructuring facts', () => {
    const l = new RestructuredLoan(product(), 300000, '2026-01-15');
    expect(restructuringFactsOf(l.state)).toBeUndefined();
  });

  it('a relief-programme deferral is no restructuring for classification', () => {
    const l = new RestructuredLoan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(104650, '2026-02-15');
    l.closeThrough('2026-02-28');
    l.restructure('2026-03-01', { kind: 'payment-holiday', holidayMonths: 2, relief: true });
    expect(l.state.restructuring?.records[0]?.relief).toBe(true);
    expect(restructuringFactsOf(l.state)).toBeUndefined();
    expect(classifyLoan(l.state, 0, d('2026-04-01')).assetClass).toBe('normal');
  });

  it('kept: 关注 through observation (first due + 12 months), normal after it', () => {
    const l = restructuredLoan();
    // Every instalment paid on its due date.
    for (let k = 0; k < 6; k++) {
      const next = l.state.plan[l.state.nextInstallmentIndex]!;
      l.closeThrough(formatDay(next.dueDay - 1));
      l.repay(installmentPaymentMinor(l.state, next.dueDay), formatDay(next.dueDay));
    }
    expect(l.state.status).toBe('settled');
    expect(restructuringFactsOf(l.state)).toEqual({
      restructurings: [{ day: d('2026-03-01'), dueDays: l.state.restructuring!.records[0]!.dueDays }],
      nonPerformingBeforeRestructuring: false,
      missedDueDays: [],
    });
    const during = classifyLoan(l.state, 0, d('2026-12-01'));
    expect(during.assetClass).toBe('special-mention');
    expect(during.restructuring?.observation?.endDay).toBe(d('2027-04-01'));
    expect(classifyLoan(l.state, 0, d('2027-04-02')).assetClass).toBe('normal');
  });

  it('a miss during observation makes it non-performing', () => {
    const l = restructuredLoan();
    l.closeThrough('2026-04-05');
    const p = loanPosition(l.state);
    const c = classifyLoan(l.state, p.daysPastDue, d('2026-04-05'));
    expect(c.assetClass).toBe('substandard');
    expect(c.restructuring?.reasons).toContain('missed-in-observation');
  });

  it('a collection case sees the latest restructuring and whether the day is inside its observation', () => {
    const never = new RestructuredLoan(product(), 300000, '2026-01-15');
    expect(caseRestructuringOf(never.state, d('2026-03-01'))).toBeUndefined();
    const l = restructuredLoan();
    // Before the change was made, the case sees none.
    expect(caseRestructuringOf(l.state, d('2026-02-28'))).toBeUndefined();
    expect(caseRestructuringOf(l.state, d('2026-03-01'))).toEqual({
      day: d('2026-03-01'),
      inObservation: true,
      observationEndDay: d('2027-04-01'),
    });
    expect(caseRestructuringOf(l.state, d('2027-04-01'))?.inObservation).toBe(true);
    expect(caseRestructuringOf(l.state, d('2027-04-02'))).toEqual({
      day: d('2026-03-01'),
      inObservation: false,
      observationEndDay: d('2027-04-01'),
    });
  });
});

const formatDay = (day: number): string => formatDate(day);
