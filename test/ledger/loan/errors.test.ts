import { describe, expect, it } from 'vitest';
import { isLedgerInputError } from '../../../src/ledger/index.js';
import {
  closeDaysThrough,
  endOfDay,
  loanAsOf,
  payoffQuote,
  refundCredit,
  repay,
  waive,
} from '../../../src/ledger/loan/index.js';
import { d, Loan, product } from './driver.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isLedgerInputError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('expected failures have stable codes', () => {
  const l = new Loan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-20');

  it('refuses a repayment of 0, a negative or a fractional amount', () => {
    for (const amountMinor of [0, -100, 1.5]) {
      expect(codeOf(() => repay(l.state, { amountMinor, day: d('2026-02-21'), clientId: 'x' }))).toBe(
        'amount_not_positive',
      );
    }
  });

  it('refuses a day before the loan began and a day already closed', () => {
    expect(codeOf(() => repay(l.state, { amountMinor: 1, day: d('2026-01-01'), clientId: 'x' }))).toBe(
      'day_before_start',
    );
    expect(codeOf(() => repay(l.state, { amountMinor: 1, day: d('2026-02-20'), clientId: 'x' }))).toBe(
      'day_already_closed',
    );
    expect(codeOf(() => payoffQuote(l.state, d('2026-02-01')))).toBe('day_already_closed');
  });

  it('refuses an as-of query past the last closed day', () => {
    expect(codeOf(() => loanAsOf(l.log, d('2026-03-01'), [], l.state.lastClosedDay))).toBe('day_not_closed');
  });

  it('refuses a waiver of more interest than is billed and unpaid', () => {
    expect(
      codeOf(() =>
        waive(l.state, { component: 'interest', amountMinor: 4651, day: d('2026-02-21'), clientId: 'w' }),
      ),
    ).toBe('waiver_exceeds_owed');
  });

  it('refuses a repayment on a settled loan', () => {
    const s = new Loan(product(), 300000, '2026-01-15');
    s.repay(302550, '2026-02-01');
    expect(codeOf(() => repay(s.state, { amountMinor: 1, day: d('2026-02-02'), clientId: 'y' }))).toBe(
      'loan_settled',
    );
  });

  it('refuses an end-of-day step that skips a day with work to do', () => {
    // Closed through 02-20; the next day with work is the month end, 02-28.
    expect(l.state.nextEventDay).toBe(d('2026-02-28'));
    expect(codeOf(() => endOfDay(l.state, d('2026-03-01')))).toBe('day_not_next');
    // Skipping the quiet days up to it is allowed and gives what closing day by day gives.
    expect(endOfDay(l.state, d('2026-02-28'))).toEqual(closeDaysThrough(l.state, d('2026-02-28')).events);
  });
});

describe('a refund on the day an instalment falls due', () => {
  // 104650 kept as credit on 02-15; on 03-15 instalment 2 (102800) falls due and the credit pays it first.
  const l = new Loan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-14');
  l.repay(209300, '2026-02-15', { excess: 'credit' });
  l.closeThrough('2026-03-14');

  it('checks the amount against the credit left after the start of the day, with a typed error', () => {
    expect(l.state.creditMinor).toBe(104650);
    expect(
      codeOf(() => refundCredit(l.state, { amountMinor: 104650, day: d('2026-03-15'), clientId: 'rf' })),
    ).toBe('refund_exceeds_credit');
    const r = refundCredit(l.state, { amountMinor: 1850, day: d('2026-03-15'), clientId: 'rf' });
    expect(r.events.map((e) => e.type)).toEqual([
      'Accrued',
      'InstallmentDue',
      'CreditApplied',
      'CreditRefunded',
    ]);
    expect(r.state.creditMinor).toBe(0);
  });

  it('on a day with nothing due, the whole credit can be refunded', () => {
    const m = new Loan(product(), 300000, '2026-01-15');
    m.closeThrough('2026-02-14');
    m.repay(209300, '2026-02-15', { excess: 'credit' });
    m.closeThrough('2026-03-13');
    const r = refundCredit(m.state, { amountMinor: 104650, day: d('2026-03-14'), clientId: 'rf' });
    expect(r.state.creditMinor).toBe(0);
  });
});

describe('the end-of-day step on a quiet day', () => {
  it('returns the one shared empty array: nothing is allocated', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-01-16');
    const a = endOfDay(l.state, d('2026-01-17'));
    const b = endOfDay(l.state, d('2026-01-18'));
    expect(a).toEqual([]);
    expect(a).toBe(b);
    expect(l.state.nextEventDay).toBe(d('2026-01-31'));
  });
});
