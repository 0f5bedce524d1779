import { describe, expect, it } from 'vitest';
import { closeDaysThrough, drawdown, freezeLine, openLine, parseProduct } from '../../src/ledger/index.js';
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
    });
  });
});
