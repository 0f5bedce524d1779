import { describe, expect, it } from 'vitest';
import {
  type CaseLoan,
  checkNewPromise,
  checkNoPendingPromise,
  decidePromises,
  type OpenCase,
  observationStep,
  owedOnDayMinor,
  type PromiseToPay,
  paidToDateMinor,
  planCases,
} from '../../src/collections/index.js';
import { loanPosition, payoffQuote } from '../../src/ledger/loan/index.js';
import { d, Loan, product } from '../ledger/loan/driver.js';

// 3 monthly equal-principal instalments of 10,000.00 from 2026-01-10: the first is due 2026-02-10.
function loanOn(day: string, id = 'L-1'): Loan {
  const loan = new Loan(product(), 1_000_000, '2026-01-10', id);
  loan.closeThrough(day);
  return loan;
}
const caseLoan = (loan: Loan): CaseLoan => ({
  loanId: loan.state.loanId,
  position: loanPosition(loan.state),
});

describe('collection cases: one per borrower, planned from the ledger', () => {
  it('opens a case when a loan first goes past due, with the amounts over all loans', () => {
    const current = planCases(new Map([['C-1', [caseLoan(loanOn('2026-02-10'))]]]), []);
    expect(current).toEqual({ open: [], update: [], close: [], observing: [] });

    const late = loanOn('2026-02-12');
    const other = loanOn('2026-02-12', 'L-2');
    const plan = planCases(new Map([['C-1', [caseLoan(late), caseLoan(other)]]]), []);
    expect(plan.open).toHaveLength(1);
    const figures = plan.open[0]!.figures;
    expect(figures.pastDueLoanIds).toEqual(['L-1', 'L-2']);
    expect(figures.maxDaysPastDue).toBe(2);
    expect(figures.bucket).toBe('M1');
    const p = loanPosition(late.state);
    expect(figures.overdueMinor).toBe(
      2 * (p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor),
    );
    expect(figures.totalOwedMinor).toBe(2 * p.totalOwedMinor);
  });

  it('waits for the lender threshold before opening', () => {
    const loans = new Map([['C-1', [caseLoan(loanOn('2026-02-12'))]]]);
    expect(planCases(loans, [], { openFromDaysPastDue: 3 }).open).toHaveLength(0);
    expect(planCases(loans, [], { openFromDaysPastDue: 2 }).open).toHaveLength(1);
  });

  it('updates an open case when its figures move and leaves it alone when they do not', () => {
    const day2 = planCases(new Map([['C-1', [caseLoan(loanOn('2026-02-12'))]]]), []).open[0]!;
    const open: OpenCase = {
      caseId: 'K-1',
      customerId: 'C-1',
      openedDay: d('2026-02-12'),
      figures: day2.figures,
    };
    expect(planCases(new Map([['C-1', [caseLoan(loanOn('2026-02-12'))]]]), [open])).toEqual({
      open: [],
      update: [],
      close: [],
      observing: [],
    });
    const later = planCases(new Map([['C-1', [caseLoan(loanOn('2026-03-20'))]]]), [open]);
    expect(later.update).toHaveLength(1);
    expect(later.update[0]!.figures.maxDaysPastDue).toBe(38);
    expect(later.update[0]!.figures.bucket).toBe('M2');
  });

  it('closes on cure (still owing, nothing past due) and on paying everything', () => {
    const loan = loanOn('2026-02-12');
    const open: OpenCase = {
      caseId: 'K-1',
      customerId: 'C-1',
      openedDay: d('2026-02-12'),
      figures: planCases(new Map([['C-1', [caseLoan(loan)]]]), []).open[0]!.figures,
    };
    const p = loanPosition(loan.state);
    // What was overdue yesterday, and a little for the day's penalty interest that accrues first.
    loan.repay(
      p.overduePrincipalMinor +
        p.overdueInterestMinor +
        p.overdueFeeMinor +
        p.penaltyOutstandingMinor +
        1_000,
      '2026-02-13',
    );
    loan.closeThrough('2026-02-13');
    const cured = planCases(new Map([['C-1', [caseLoan(loan)]]]), [open]);
    expect(cured.close).toEqual([expect.objectContaining({ caseId: 'K-1', reason: 'cured' })]);

    const paid = loanOn('2026-02-12');
    paid.repay(loanPosition(paid.state).totalOwedMinor + 10_000, '2026-02-13');
    const closed = planCases(new Map([['C-1', [caseLoan(paid)]]]), [open]);
    expect(closed.close).toEqual([expect.objectContaining({ caseId: 'K-1', reason: 'paid-off' })]);
  });

  it('closes as written off when what was past due is written off, and does not reopen for it', () => {
    const late = loanOn('2026-02-12');
    const current = loanOn('2026-02-09', 'L-2');
    const open: OpenCase = {
      caseId: 'K-1',
      customerId: 'C-1',
      openedDay: d('2026-02-12'),
      figures: planCases(new Map([['C-1', [caseLoan(late), caseLoan(current)]]]), []).open[0]!.figures,
    };
    const writtenOff = { ...caseLoan(late), writtenOff: true };
    const plan = planCases(new Map([['C-1', [writtenOff, caseLoan(current)]]]), [open]);
    expect(plan.close).toEqual([expect.objectContaining({ caseId: 'K-1', reason: 'written-off' })]);
    // The written-off loan no longer counts: the other loan's figures only.
    expect(plan.close[0]!.figures).toMatchObject({ pastDueLoanIds: [], maxDaysPastDue: 0, bucket: 'M0' });
    expect(plan.close[0]!.figures.totalOwedMinor).toBe(loanPosition(current.state).totalOwedMinor);
    // The next day: no case is opened for the written-off loan alone.
    expect(planCases(new Map([['C-1', [writtenOff]]]), []).open).toEqual([]);
    // Another loan past due besides the written-off one keeps the case going on that loan.
    const other = loanOn('2026-02-12', 'L-3');
    const goingOn = planCases(new Map([['C-1', [writtenOff, caseLoan(other)]]]), [open]);
    expect(goingOn.close).toEqual([]);
    expect(goingOn.update[0]!.figures.pastDueLoanIds).toEqual(['L-3']);
  });

  it('holds a case open through a restructuring’s observation, then closes it as kept', () => {
    const loan = loanOn('2026-02-12');
    const open: OpenCase = {
      caseId: 'K-1',
      customerId: 'C-1',
      openedDay: d('2026-02-12'),
      figures: planCases(new Map([['C-1', [caseLoan(loan)]]]), []).open[0]!.figures,
    };
    // What the restructured loan looks like to the case: nothing past due, still owing.
    const current = loanOn('2026-02-09');
    const restructured = (inObservation: boolean, day = '2026-02-20', end: string | null = '2027-03-10') => ({
      ...caseLoan(current),
      restructuring: {
        day: d(day),
        inObservation,
        observationEndDay: end === null ? null : d(end),
      },
    });
    const during = planCases(new Map([['C-1', [restructured(true)]]]), [open]);
    expect(during.close).toEqual([]);
    expect(during.observing).toEqual([{ caseId: 'K-1', untilDay: d('2027-03-10') }]);
    expect(during.update[0]!.figures).toMatchObject({ maxDaysPastDue: 0, bucket: 'M0' });
    // Not yet datable: held, with no end day.
    expect(planCases(new Map([['C-1', [restructured(true, '2026-02-20', null)]]]), [open]).observing).toEqual(
      [{ caseId: 'K-1', untilDay: null }],
    );
    // Kept through the observation: closed as such.
    const kept = planCases(new Map([['C-1', [restructured(false)]]]), [open]);
    expect(kept.observing).toEqual([]);
    expect(kept.close).toEqual([expect.objectContaining({ caseId: 'K-1', reason: 'restructuring-kept' })]);
    // A restructuring from before the case opened does not hold it: a cure is a cure.
    const earlier = planCases(new Map([['C-1', [restructured(true, '2026-01-20')]]]), [open]);
    expect(earlier.observing).toEqual([]);
    expect(earlier.close).toEqual([expect.objectContaining({ caseId: 'K-1', reason: 'cured' })]);
    // A missed instalment in observation puts the borrower past due: the case goes on as any other.
    const missed = { ...caseLoan(loanOn('2026-02-15')), restructuring: restructured(true).restructuring };
    const again = planCases(new Map([['C-1', [missed]]]), [open]);
    expect(again.observing).toEqual([]);
    expect(again.close).toEqual([]);
    expect(again.update[0]!.figures.maxDaysPastDue).toBe(5);
  });

  it('gives a held case a hold step due when its observation ends, at most the longest a step may wait', () => {
    expect(observationStep({ caseId: 'K-1', untilDay: d('2026-03-05') }, d('2026-03-01'))).toMatchObject({
      action: 'hold',
      channel: null,
      code: 'CS_RESTRUCTURING_OBSERVATION',
      dueInDays: 5,
    });
    expect(observationStep({ caseId: 'K-1', untilDay: d('2027-03-05') }, d('2026-03-01')).dueInDays).toBe(30);
    expect(observationStep({ caseId: 'K-1', untilDay: null }, d('2026-03-01')).dueInDays).toBe(30);
  });

  it('refuses two open cases for one borrower', () => {
    const f = planCases(new Map([['C-1', [caseLoan(loanOn('2026-02-12'))]]]), []).open[0]!.figures;
    const open = (caseId: string): OpenCase => ({
      caseId,
      customerId: 'C-1',
      openedDay: d('2026-02-12'),
      figures: f,
    });
    expect(() => planCases(new Map(), [open('K-1'), open('K-2')])).toThrow(/two open cases/);
  });
});

describe('promises to pay, decided from the ledger', () => {
  const promise = (amountMinor: number, promisedDay: string, paidBaselineMinor: number): PromiseToPay => ({
    promiseId: 'P-1',
    amountMinor,
    promisedDay: d(promisedDay),
    madeDay: d('2026-02-12'),
    paidBaselineMinor,
    status: 'pending',
  });

  it('is kept once the money paid since reaches the amount, broken after the day without it', () => {
    const loan = loanOn('2026-02-12');
    const baseline = paidToDateMinor([loan.state]);
    const p = promise(200_000, '2026-02-15', baseline);
    expect(decidePromises([p], paidToDateMinor([loan.state]), d('2026-02-14'))).toEqual([]);
    loan.repay(150_000, '2026-02-13');
    expect(decidePromises([p], paidToDateMinor([loan.state]), d('2026-02-14'))).toEqual([]);
    expect(decidePromises([p], paidToDateMinor([loan.state]), d('2026-02-15'))).toEqual([
      { promiseId: 'P-1', status: 'broken', day: d('2026-02-15'), paidMinor: 150_000 },
    ]);
    expect(
      decidePromises([p], paidToDateMinor([loan.state]), d('2026-02-15'), { maxDaysAhead: 30, graceDays: 2 }),
    ).toEqual([]);
    loan.repay(50_000, '2026-02-14');
    expect(decidePromises([p], paidToDateMinor([loan.state]), d('2026-02-14'))).toEqual([
      { promiseId: 'P-1', status: 'kept', day: d('2026-02-14'), paidMinor: 200_000 },
    ]);
  });

  it('counts an overpayment held as credit as paid', () => {
    const loan = loanOn('2026-02-12');
    const before = paidToDateMinor([loan.state]);
    loan.repay(loanPosition(loan.state).totalOwedMinor + 12_345, '2026-02-13');
    expect(paidToDateMinor([loan.state]) - before).toBe(
      loanPosition(loanOn('2026-02-12').state).totalOwedMinor + 12_345,
    );
  });

  it.each([
    [0, '2026-02-20', /must be positive/],
    [100, '2026-02-11', /in the past; the business day is 2026-02-12/],
    [100, '2026-03-15', /at most 30 days ahead \(by 2026-03-14\)/],
  ])('refuses a promise of %i by %s', (amount, day, message) => {
    expect(() => checkNewPromise(amount, d(day), d('2026-02-12'))).toThrow(message);
  });

  it('counts the days a promise may reach ahead in English: one day, two days', () => {
    const message = (maxDaysAhead: number) => {
      try {
        checkNewPromise(100, d('2026-03-15'), d('2026-02-12'), { maxDaysAhead, graceDays: 2 });
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message(1)).toBe(
      'a promise may be at most 1 day ahead (by 2026-02-13); agree an instalment plan for longer',
    );
    expect(message(2)).toBe(
      'a promise may be at most 2 days ahead (by 2026-02-14); agree an instalment plan for longer',
    );
  });

  it('keeps one promise pending at a time: decided ones do not block, a pending one does until its day closes', () => {
    const kept = { amountMinor: 50_000, promisedDay: d('2026-02-01'), status: 'kept' as const };
    const broken = { amountMinor: 50_000, promisedDay: d('2026-02-05'), status: 'broken' as const };
    expect(() => checkNoPendingPromise([kept, broken])).not.toThrow();
    const pending = { amountMinor: 95_000, promisedDay: d('2026-02-20'), status: 'pending' as const };
    expect(() => checkNoPendingPromise([kept, pending])).toThrow(
      'a promise of 950.00 for 2026-02-20 is still pending: it is kept as soon as it is paid, or broken when 2026-02-20 closes',
    );
    expect(() => checkNoPendingPromise([pending], { maxDaysAhead: 30, graceDays: 2 })).toThrow(
      'broken when 2026-02-22 closes',
    );
  });

  it('refuses a promise of more than settles every loan on the promised day, and takes exactly that', () => {
    // Two loans past due, closed through 2026-02-12: the business day is 2026-02-13.
    const loans = [loanOn('2026-02-12'), loanOn('2026-02-12', 'L-2')];
    const today = owedOnDayMinor(
      loans.map((l) => l.state),
      d('2026-02-13'),
    );
    const later = owedOnDayMinor(
      loans.map((l) => l.state),
      d('2026-02-20'),
    );
    // A week more of interest and penalty: promising to clear everything on the 20th takes more than today.
    expect(later).toBeGreaterThan(today);
    expect(today).toBeGreaterThan(2 * loanPosition(loans[0]!.state).overduePrincipalMinor);
    expect(() => checkNewPromise(later, d('2026-02-20'), d('2026-02-13'), undefined, later)).not.toThrow();
    expect(() => checkNewPromise(later + 1, d('2026-02-20'), d('2026-02-13'), undefined, later)).toThrow(
      /more than the borrower owes in all if paying on 2026-02-20 \(\d[\d,]*\.\d\d\); promise at most/,
    );
    // Paying that amount on the 20th, split as the quotes say, settles both loans to the fen.
    for (const l of loans) {
      l.closeThrough('2026-02-19');
      l.repay(payoffQuote(l.state, d('2026-02-20')).totalMinor, '2026-02-20');
    }
    expect(loans.map((l) => l.state.status)).toEqual(['settled', 'settled']);
    expect(paidToDateMinor(loans.map((l) => l.state))).toBe(later);
    // Settled loans owe nothing more.
    expect(
      owedOnDayMinor(
        loans.map((l) => l.state),
        d('2026-02-25'),
      ),
    ).toBe(0);
  });
});
