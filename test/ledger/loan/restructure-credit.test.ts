import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  effectiveEvents,
  type LoanEvent,
  type LoanRestructured,
  type LoanState,
  loanPosition,
  openLoan,
  replay,
} from '../../../src/ledger/loan/index.js';
import { openLoanBooks, reconcileBooks, trialBalance } from '../../../src/ledger/postings/index.js';
import { formatDate } from '../../../src/money/index.js';
import { d, product } from './driver.js';
import { RestructuredLoan } from './restructure-support.js';

/*
 * A credit balance (溢缴款) held when a restructuring starts is never lost and never forgotten: the new plan
 * is made over what is owed gross of it, and the credit pays the plan's first instalments as they fall due
 * (as it pays any due, decision 0314) — it is the borrower's money for the loan, refundable only by a
 * `refundCredit` command. A negotiated plan (协商分期) is for a loan past due, and a loan holding credit has
 * no unpaid bill after the start of its day, so credit meets a negotiated plan only when a backdated
 * payment before it clears the arrears; the plan is then kept (the agreement stands) and the credit pays it.
 *
 * The loan of the scenario tables (driver.ts): 3,000.00 drawn 2026-01-15, three monthly 等额本金
 * instalments of 1,000.00, 0.05%/day (100 a day on 200000), penalty +50% on overdue principal, grace 0.
 */

/**
 * One row per event: day, event, then after it: outstanding principal, accrued interest, due or overdue
 * principal, due or overdue interest, penalty, credit balance.
 */
type Row = [string, string, number, number, number, number, number, number];

function rows(log: readonly LoanEvent[]): Row[] {
  let s: LoanState | undefined;
  const out: Row[] = [];
  for (const e of log) {
    if (s === undefined) {
      if (e.type !== 'LoanOpened') throw new Error('log must start with LoanOpened');
      s = openLoan({
        loanId: e.loanId,
        customerId: e.customerId,
        lineId: e.lineId,
        product: e.product,
        principalMinor: e.principalMinor,
        day: e.day,
      }).state;
    } else {
      s = applyEvent(s, e);
    }
    const p = loanPosition(s);
    out.push([
      formatDate(e.day),
      'installmentNumber' in e ? `${e.type}#${e.installmentNumber}` : e.type,
      p.outstandingPrincipalMinor,
      p.accruedInterestMinor,
      p.overduePrincipalMinor + p.duePrincipalMinor,
      p.overdueInterestMinor + p.dueInterestMinor,
      p.penaltyOutstandingMinor,
      p.creditMinor,
    ]);
  }
  return out;
}

function withoutMarker(s: LoanState): Omit<LoanState, 'lastClosedDay' | 'nextEventDay'> {
  const { lastClosedDay: _c, nextEventDay: _n, ...rest } = s;
  return rest;
}

/** Money received = money applied to what was owed + the credit balance held (nothing refunded here). */
function expectMoneyKept(l: RestructuredLoan, receivedMinor: number): void {
  const s = l.state;
  expect(
    s.principalPaidTotalMinor +
      s.interestPaidTotalMinor +
      s.penaltyPaidMinor +
      s.feePaidTotalMinor +
      s.creditMinor,
  ).toBe(receivedMinor);
  const b = openLoanBooks(l.log).books;
  expect(reconcileBooks(b)).toEqual([]);
  const tb = trialBalance(b.postings);
  expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
  expect(withoutMarker(replay(l.log))).toEqual(withoutMarker(s));
}

describe('a credit balance when a restructuring starts', () => {
  it('term extension: the credit held pays the first instalment of the new plan when it falls due', () => {
    const l = new RestructuredLoan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    // Instalment 1 (100000 + 4650) and 50000 more kept as credit.
    l.repay(154650, '2026-02-15', { excess: 'credit' });
    l.closeThrough('2026-02-28');
    const start = l.log.length;
    l.restructure('2026-03-01', { kind: 'term-extension', extensionMonths: 2 });
    const e = l.log.find((x) => x.type === 'LoanRestructured') as LoanRestructured;
    // The plan is made over the principal owed (the credit is money held, not principal repaid).
    expect(e.principalMinor).toBe(200000);
    l.closeThrough('2026-03-14');
    expect(l.state.creditMinor).toBe(50000);
    l.repay(2800, '2026-03-15');
    expect(rows(l.log).slice(start)).toEqual([
      ['2026-03-01', 'Accrued', 200000, 1400, 0, 0, 0, 50000],
      ['2026-03-01', 'LoanRestructured', 200000, 1400, 0, 0, 0, 50000],
      ['2026-03-15', 'Accrued', 200000, 2800, 0, 0, 0, 50000],
      // Instalment 4, the first of four: 50000 principal + 28 days × 100.
      ['2026-03-15', 'InstallmentDue#4', 200000, 0, 50000, 2800, 0, 50000],
      // The credit pays it (interest first, then principal), 2800 of principal is left to pay.
      ['2026-03-15', 'CreditApplied', 152800, 0, 2800, 0, 0, 0],
      ['2026-03-15', 'Repaid', 150000, 0, 0, 0, 0, 0],
    ]);
    expectMoneyKept(l, 154650 + 2800);
  });

  it('negotiated plan kept after a backdated payment clears the arrears: the credit pays its instalments', () => {
    const l = new RestructuredLoan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-28');
    l.restructure('2026-03-01', { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 });
    l.closeThrough('2026-03-10');
    // Recorded late, paid 02-20: penalty 5 × 75 = 375, instalment 1 (104650), 54975 kept as credit.
    l.backdate({
      type: 'repay',
      amountMinor: 160000,
      day: d('2026-02-20'),
      clientId: 'late',
      excess: 'credit',
    });
    const e = l.log.findLast((x) => x.type === 'LoanRestructured') as LoanRestructured;
    expect(e.principalMinor).toBe(200000);
    expect(l.state.creditMinor).toBe(54975);
    l.closeThrough('2026-05-01');
    const after = rows(effectiveEvents(l.log)).filter((r) => r[0] > '2026-03-10' && r[1] !== 'Accrued');
    expect(after).toEqual([
      // 33333 + interest 4500 (1400 carried + 31 days on 200000 = 3100): the credit pays all of it.
      ['2026-04-01', 'InstallmentDue#4', 200000, 0, 33333, 4500, 0, 54975],
      ['2026-04-01', 'CreditApplied', 166667, 0, 0, 0, 0, 17142],
      // 33333 + 30 days on 166667 at 0.05% (2500.005 → 2500): the credit pays 17142 of it.
      ['2026-05-01', 'InstallmentDue#5', 166667, 0, 33333, 2500, 0, 17142],
      // The interest 2500 first, then 14642 of principal: 18691 left to pay.
      ['2026-05-01', 'CreditApplied', 152025, 0, 18691, 0, 0, 0],
    ]);
    expectMoneyKept(l, 160000);
  });
});
