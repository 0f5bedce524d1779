import { describe, expect, it } from 'vitest';
import {
  closeDaysThrough,
  drawdown,
  freezeLine,
  openLine,
  parseProduct,
  restructure,
  writeOff,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import { EMPTY_BOOK, ownBookOf } from '../../src/origination/index.js';

const D = parseDate('2026-01-05');
const product = parseProduct({
  method: 'equal-principal',
  termCount: 6,
  rate: { value: '0.0004', per: 'day' },
});

describe("the lender's own book as facts (本行表现)", () => {
  it('counts lines and loans and takes the worst days past due', () => {
    expect(ownBookOf([], [])).toEqual(EMPTY_BOOK);
    const open = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 5_000_000, day: D }).line;
    const a = drawdown(open, { loanId: 'L-1', product, principalMinor: 1_000_000, day: D });
    const b = drawdown(a.line, { loanId: 'L-2', product, principalMinor: 600_000, day: D });
    const firstDue = a.loan.state.plan[0]!.dueDay;
    const late = closeDaysThrough(a.loan.state, firstDue + 159).state;
    const frozen = freezeLine(b.line, 'test', D + 1).line;
    const book = ownBookOf([frozen], [late, b.loan.state]);
    expect(book).toMatchObject({
      lines: 1,
      frozenLines: 1,
      loans: 2,
      openLoans: 2,
      pastDueLoans: 1,
      maxDaysPastDue: 159,
      worstBucketRank: 6,
      worstBucketRankEver: 6,
      outstanding: 16_000,
      writtenOffLoans: 0,
      restructuredLoans: 0,
      brokenRestructurings: 0,
    });
  });

  it('counts loans written off, restructured and broken; a relief deferral is no restructuring', () => {
    const open = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 5_000_000, day: D }).line;
    const a = drawdown(open, { loanId: 'L-1', product, principalMinor: 1_000_000, day: D });
    const b = drawdown(a.line, { loanId: 'L-2', product, principalMinor: 600_000, day: D });
    const c = drawdown(b.line, { loanId: 'L-3', product, principalMinor: 300_000, day: D });
    const firstDue = a.loan.state.plan[0]!.dueDay;
    const late = closeDaysThrough(a.loan.state, firstDue + 200).state;
    const written = writeOff(late, { day: firstDue + 201, clientId: 'w-1', evidenceRef: 'CASE-1' }).state;
    const pastDue = closeDaysThrough(b.loan.state, firstDue + 20).state;
    const planned = restructure(pastDue, {
      kind: 'negotiated-plan',
      months: 6,
      monthlyIncomeMinor: 500_000,
      day: firstDue + 21,
      clientId: 's-1',
    }).state;
    const relief = restructure(closeDaysThrough(c.loan.state, firstDue - 1).state, {
      kind: 'payment-holiday',
      holidayMonths: 2,
      relief: true,
      day: firstDue,
      clientId: 's-2',
    }).state;
    expect(ownBookOf([], [written, planned, relief])).toMatchObject({
      loans: 3,
      writtenOffLoans: 1,
      restructuredLoans: 1,
      brokenRestructurings: 0,
    });
    // Missing the restructured plan's instalments until it breaks.
    const broken = closeDaysThrough(planned, planned.plan.at(-1)!.dueDay + 10).state;
    expect(broken.restructuring?.status).toBe('broken');
    expect(ownBookOf([], [broken])).toMatchObject({ restructuredLoans: 1, brokenRestructurings: 1 });
  });
});
