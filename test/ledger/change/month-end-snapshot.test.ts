import { describe, expect, it } from 'vitest';
import { drawOnLine, openLine, planClose, planCommand } from '../../../src/ledger/index.js';
import { openLoan } from '../../../src/ledger/loan/index.js';
import { d, product } from '../loan/driver.js';

/**
 * The month-end reports read each loan's month-end snapshot: a loan on the book at a month end must have one,
 * even when closing that day writes no event of its own.
 */
describe('month-end snapshots', () => {
  function start(day: string) {
    const opened = openLoan({
      loanId: 'L-1',
      customerId: 'C-1',
      lineId: 'CL-1',
      product: product(),
      principalMinor: 300000,
      day: d(day),
    });
    const line0 = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 500000, day: d(day) }).line;
    return { state: opened.state, line: drawOnLine(line0, 'L-1', 300000, d(day)).line };
  }

  it('are taken for a loan repaid on the month end, whose repayment accrued the day already', () => {
    const { state, line } = start('2026-01-15');
    const before = planClose(state, d('2026-03-30')).state;
    const repaid = planCommand(before, line, {
      type: 'repay',
      amountMinor: 20000,
      day: d('2026-03-31'),
      clientId: 'r-1',
    }).state;
    const closed = planClose(repaid, d('2026-03-31'));
    // The repayment accrued the month end's interest itself: closing the day adds no event ...
    expect(closed.events).toEqual([]);
    // ... and the loan, still on the book, has its month-end snapshot all the same.
    expect(closed.snapshots.map((s) => s.state.lastClosedDay)).toEqual([d('2026-03-31')]);
    expect(closed.snapshots[0]!.state.status).toBe('active');
  });

  it('are taken for a loan drawn on the month end', () => {
    const { state } = start('2026-04-30');
    const closed = planClose(state, d('2026-04-30'));
    expect(closed.snapshots.map((s) => s.state.lastClosedDay)).toEqual([d('2026-04-30')]);
  });

  it('are not taken for a loan settled before the month end with nothing new', () => {
    const { state, line } = start('2026-01-15');
    const before = planClose(state, d('2026-02-09')).state;
    const quote = planCommand(before, line, {
      type: 'repay',
      amountMinor: 10_000_000,
      day: d('2026-02-10'),
      clientId: 'payoff',
    }).state;
    expect(quote.status).toBe('settled');
    const closed = planClose(quote, d('2026-03-31'));
    expect(closed.snapshots).toEqual([]);
  });
});
