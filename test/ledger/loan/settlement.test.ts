import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerInputError } from '../../../src/ledger/errors.js';
import {
  applyBackdated,
  closeDaysThrough,
  type LoanEvent,
  type LoanState,
  offerSettlement,
  openLoan,
  payoffQuote,
  repay,
  replay,
  type SettlementCompleted,
  type SettlementOffered,
  settlementOf,
} from '../../../src/ledger/loan/index.js';
import { openLoanBooks, reconcileBooks, trialBalance } from '../../../src/ledger/postings/index.js';
import { parseProduct } from '../../../src/ledger/product-validate.js';
import { d, Loan, product, rows } from './driver.js';

/*
 * 减免结清 negotiated settlement. The loan of the scenario tables (driver.ts): 3,000.00 drawn 2026-01-15, three
 * monthly 等额本金 instalments of 1,000.00, 0.05%/day, penalty +50% on overdue principal, grace 0; nothing paid.
 * On 2026-03-20 it owes, by hand: principal 300000; billed interest 4650 (#1) + 2800 (#2); penalty 75/day on
 * 100000 for 02-16..03-15 (28 days, 2100) then 150/day on 200000 for 03-16..03-20 (5 days, 750) = 2850;
 * interest of period 3 for 03-16..03-20 at 50/day = 250. Total 310550.
 */
function offer(l: Loan, offerMinor: number, day: string, validThrough: string): LoanEvent[] {
  const r = offerSettlement(l.state, {
    offerMinor,
    validThroughDay: d(validThrough),
    day: d(day),
    clientId: `s-${l.log.length}`,
  });
  l.state = r.state;
  l.log.push(...r.events);
  return r.events;
}

/** The state without the EOD marker (kept by the shell beside the log, not in it). */
function withoutMarker(s: LoanState): Omit<LoanState, 'lastClosedDay' | 'nextEventDay'> {
  const { lastClosedDay: _c, nextEventDay: _n, ...rest } = s;
  return rest;
}
/** Replay: the state folded from the stored log alone. */
const folded = (log: readonly LoanEvent[]) => withoutMarker(replay(log));

function books(l: Loan) {
  const b = openLoanBooks(l.log).books;
  return { breaks: reconcileBooks(b), tb: trialBalance(b.postings), postings: b.postings };
}

describe('settlement (减免结清): scenario tables', () => {
  it('paid in two parts by its last day: the rest is waived and the loan settles', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    const offered = offer(l, 200000, '2026-03-20', '2026-03-31');
    const o = offered.at(-1) as SettlementOffered;
    expect(o.type).toBe('SettlementOffered');
    expect(o.owedMinor).toBe(310550);
    expect(o.discountMinor).toBe(110550);
    l.closeThrough('2026-03-24');
    l.repay(120000, '2026-03-25');
    expect(settlementOf(l.state)?.paidMinor).toBe(120000);
    l.closeThrough('2026-03-29');
    const before = l.state;
    const quote = payoffQuote(before, d('2026-03-30'));
    const last = l.repay(80000, '2026-03-30');
    const done = last.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted;
    expect(done).toMatchObject({ paidMinor: 200000, offerSeq: o.seq });
    // What was owed on the day of the last payment = that payment + the waiver, to the fen.
    expect(quote.principalMinor + quote.interestMinor + quote.feeMinor + quote.penaltyMinor).toBe(
      80000 + done.waivedMinor,
    );
    expect(last.map((e) => e.type)).toEqual([
      'Accrued',
      'Repaid',
      'InstallmentDue',
      'Waived',
      'PrincipalWaived',
      'SettlementCompleted',
      'DelinquencyChanged',
      'LoanSettled',
    ]);
    expect(l.state.status).toBe('settled');
    expect(settlementOf(l.state)).toBeNull();
    // Paid + waived = everything ever charged (principal, interest, penalty): nothing is lost or invented.
    const s = l.state;
    expect(s.principalPaidTotalMinor + s.principalWaivedTotalMinor).toBe(300000);
    expect(s.interestPaidTotalMinor + s.interestWaivedTotalMinor).toBe(s.interestPostedTotalMinor);
    expect(s.penaltyPaidMinor + s.penaltyWaivedMinor).toBe(s.penaltyPostedMinor);
    const paid =
      s.principalPaidTotalMinor + s.interestPaidTotalMinor + s.penaltyPaidMinor + s.feePaidTotalMinor;
    expect(paid).toBe(200000);
    const { breaks, tb, postings } = books(l);
    expect(breaks).toEqual([]);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    // The discount reaches the books as waivers: income reversed and principal to the write-off loss.
    const waiverRefs = postings.filter((p) => p.lines.some((x) => x.account === 'writeOffLoss'));
    expect(waiverRefs.length).toBe(1);
    expect(folded(l.log)).toEqual(withoutMarker(l.state));
    expect(rows(l.log).at(-1)).toEqual(['2026-03-30', 'LoanSettled', 0, 0, 0, 0, 0, 0, 'M0']);
  });

  it('paid in one payment kept as credit beyond the bills: all of it pays what is owed, none is refundable', () => {
    // Regression: the payment's excess went to a credit balance before the rest was forgiven, so the lender
    // forgave more than the stated discount and owed the borrower a refund of part of the offer.
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    // The bills (#1, #2 and penalty) are 210300 of the 310550 owed; the offer is beyond them.
    const o = offer(l, 250000, '2026-03-20', '2026-03-31').at(-1) as SettlementOffered;
    const events = l.repay(250000, '2026-03-20', { excess: 'credit' });
    const done = events.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted;
    expect(done).toMatchObject({ paidMinor: 250000, waivedMinor: o.discountMinor });
    expect(l.state.status).toBe('settled');
    expect(l.state.creditMinor).toBe(0);
    const s = l.state;
    expect(
      s.principalPaidTotalMinor + s.interestPaidTotalMinor + s.penaltyPaidMinor + s.feePaidTotalMinor,
    ).toBe(250000);
    const { breaks, tb } = books(l);
    expect(breaks).toEqual([]);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    expect(folded(l.log)).toEqual(withoutMarker(l.state));
  });

  it("completed mid-period: the coming instalment's own fee is not charged, so the waiver is the discount", () => {
    // Regression: the coming instalment was billed with its per-instalment fee (not yet owed: a payoff quote
    // leaves it out) and the fee was then forgiven, so the waiver exceeded the stated discount by the fee.
    const fees = [{ name: 'account', kind: 'per-installment', basis: 'fixed', value: '2.50' }] as const;
    const p = parseProduct({ ...product(), fees });
    const l = new Loan(p, 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    const o = offer(l, 200000, '2026-03-20', '2026-03-31').at(-1) as SettlementOffered;
    const events = l.repay(200000, '2026-03-20');
    const done = events.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted;
    expect(done.waivedMinor).toBe(o.discountMinor);
    const early = events.find((e) => e.type === 'InstallmentDue');
    expect(early).toMatchObject({ installmentNumber: 3, feeMinor: 0 });
    expect(l.state.status).toBe('settled');
    expect(books(l).breaks).toEqual([]);
    expect(folded(l.log)).toEqual(withoutMarker(l.state));
  });

  it("not paid by its last day: it lapses at that day's close and the loan owes in full", () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    offer(l, 200000, '2026-03-20', '2026-03-31');
    l.repay(50000, '2026-03-25');
    const closed = l.closeThrough('2026-03-31');
    const lapse = closed.find((e) => e.type === 'SettlementLapsed');
    expect(lapse).toMatchObject({ day: d('2026-03-31'), paidMinor: 50000 });
    expect(settlementOf(l.state)).toBeNull();
    // A payment of the rest of the offer after the lapse is an ordinary repayment.
    l.repay(150000, '2026-04-02');
    expect(l.state.status).toBe('active');
    expect(l.log.some((e) => e.type === 'SettlementCompleted')).toBe(false);
    expect(books(l).breaks).toEqual([]);
    expect(folded(l.log)).toEqual(withoutMarker(l.state));
  });

  it('the next command on the loan lapses an offer whose day has passed (no EOD ran)', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    offer(l, 200000, '2026-03-20', '2026-03-22');
    const events = l.repay(200000, '2026-03-26');
    expect(events.map((e) => e.type)).toContain('SettlementLapsed');
    expect(events.map((e) => e.type)).not.toContain('SettlementCompleted');
    expect(l.state.status).toBe('active');
  });

  it('refuses an offer at or above what is owed, one already in force, and a last day before the offer', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    const refused = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        if (isLedgerInputError(e)) return `${e.code} ${e.field}: ${e.message}`;
        throw e;
      }
      return 'accepted';
    };
    expect(refused(() => offer(l, 310550, '2026-03-20', '2026-03-31'))).toMatch(
      /^settlement_not_below_owed offerMinor: .*310550 fen owed/,
    );
    expect(refused(() => offer(l, 1000, '2026-03-20', '2026-03-19'))).toMatch(
      /^settlement_valid_through_invalid validThrough/,
    );
    expect(refused(() => offer(l, 0, '2026-03-20', '2026-03-31'))).toMatch(/^amount_not_positive offerMinor/);
    offer(l, 1000, '2026-03-20', '2026-03-31');
    expect(refused(() => offer(l, 2000, '2026-03-21', '2026-03-31'))).toMatch(/^settlement_in_force loanId/);
  });

  it('a backdated repayment inside the offer replays the offer and its completion', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    offer(l, 200000, '2026-03-20', '2026-04-10');
    l.repay(150000, '2026-03-25');
    l.closeThrough('2026-04-05');
    const r = applyBackdated(l.log, [], l.state.lastClosedDay, {
      type: 'repay',
      amountMinor: 50000,
      day: d('2026-03-28'),
      clientId: 'late-1',
    });
    l.state = r.state;
    l.log.push(...r.appended);
    expect(l.state.status).toBe('settled');
    expect(r.appended.filter((e) => e.type === 'SettlementCompleted')).toHaveLength(1);
    expect(folded(l.log)).toEqual(withoutMarker(l.state));
    expect(books(l).breaks).toEqual([]);
  });
});

describe('settlement (减免结清): properties', () => {
  const productArb = fc.record({
    method: fc.constantFrom('equal-installment', 'equal-principal', 'interest-first', 'flat-rate'),
    termCount: fc.integer({ min: 2, max: 12 }),
    graceDays: fc.integer({ min: 0, max: 3 }),
    earlyRepayment: fc.constantFrom('reduce-installment', 'shorten-term'),
    upfront: fc.constantFrom('', '15.00'),
  });
  const caseArb = fc.record({
    product: productArb,
    principalMinor: fc.integer({ min: 10_000, max: 2_000_000 }),
    offerAfterDays: fc.integer({ min: 1, max: 300 }),
    offerShare: fc.double({ min: 0.05, max: 0.99, noNaN: true }),
    validDays: fc.integer({ min: 0, max: 60 }),
    payments: fc.array(
      fc.record({
        afterDays: fc.integer({ min: 0, max: 20 }),
        share: fc.double({ min: 0.2, max: 1.05, noNaN: true }),
        excess: fc.constantFrom('prepay', 'credit'),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    tailDays: fc.integer({ min: 0, max: 60 }),
  });

  it('postings balance, owed = paid + stated waiver to the fen, and replay = incremental', () => {
    const seen = { completed: 0, lapsed: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = parseProduct({
          ...product(),
          method: c.product.method,
          termCount: c.product.termCount,
          graceDays: c.product.graceDays,
          earlyRepayment: c.product.earlyRepayment,
          aprCap: '1',
          fees:
            c.product.upfront !== ''
              ? [{ name: 'service', kind: 'upfront', basis: 'fixed', value: c.product.upfront }]
              : [],
        });
        const start = d('2026-01-15');
        let state: LoanState = openLoan({
          loanId: 'P-1',
          customerId: 'C-1',
          lineId: 'CL-1',
          product: p,
          principalMinor: c.principalMinor,
          day: start,
        }).state;
        const log: LoanEvent[] = [
          ...openLoan({
            loanId: 'P-1',
            customerId: 'C-1',
            lineId: 'CL-1',
            product: p,
            principalMinor: c.principalMinor,
            day: start,
          }).events,
        ];
        const push = (r: { state: LoanState; events: LoanEvent[] }) => {
          state = r.state;
          log.push(...r.events);
        };
        let day = start + c.offerAfterDays;
        push(closeDaysThrough(state, day - 1));
        if (state.status === 'settled') return;
        const q = payoffQuote(state, day);
        const owed = q.principalMinor + q.interestMinor + q.feeMinor + q.penaltyMinor;
        const offerMinor = Math.max(1, Math.min(owed - 1, Math.floor(owed * c.offerShare)));
        if (offerMinor >= owed) return;
        push(
          offerSettlement(state, { offerMinor, validThroughDay: day + c.validDays, day, clientId: 'offer' }),
        );
        const offered = log.find((e) => e.type === 'SettlementOffered') as SettlementOffered;
        expect(offered.owedMinor).toBe(owed);
        expect(offered.discountMinor + offerMinor).toBe(owed);
        let i = 0;
        for (const pay of c.payments) {
          if ((state as LoanState).status === 'settled') break;
          day += pay.afterDays;
          push(closeDaysThrough(state, day - 1));
          const before = state;
          const quote = payoffQuote(before, day);
          const amount = Math.max(1, Math.floor(offerMinor * pay.share));
          push(repay(state, { amountMinor: amount, day, clientId: `pay-${i++}`, excess: pay.excess }));
          const done = log.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted | undefined;
          if (done !== undefined && done.day === day) {
            const owedThen = quote.principalMinor + quote.interestMinor + quote.feeMinor + quote.penaltyMinor;
            // The payment and any credit left by earlier ones go to what is owed; the rest is forgiven.
            const applied = amount + before.creditMinor - state.creditMinor;
            expect(applied + done.waivedMinor).toBe(owedThen);
            // Whatever `excess` says, only money beyond everything owed is left as a refundable credit.
            expect(state.creditMinor).toBe(Math.max(0, amount + before.creditMinor - owedThen));
            expect(done.paidMinor).toBeGreaterThanOrEqual(offerMinor);
            expect(state.status).toBe('settled');
          }
        }
        push(closeDaysThrough(state, day + c.tailDays));
        const completed = log.filter((e) => e.type === 'SettlementCompleted').length;
        const lapsed = log.filter((e) => e.type === 'SettlementLapsed').length;
        // An offer ends at most once, and one whose last day has passed has ended.
        expect(completed + lapsed).toBeLessThanOrEqual(1);
        seen.completed += completed;
        seen.lapsed += lapsed;
        if (day + c.tailDays > offered.validThroughDay && (state as LoanState).status !== 'settled') {
          expect(completed + lapsed).toBe(1);
        }
        expect(folded(log)).toEqual(withoutMarker(state));
        const b = openLoanBooks(log).books;
        expect(reconcileBooks(b)).toEqual([]);
        const tb = trialBalance(b.postings);
        expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
      }),
      { numRuns: 150 },
    );
    // The runs exercised both ends of an offer.
    expect(seen.completed).toBeGreaterThan(10);
    expect(seen.lapsed).toBeGreaterThan(10);
  });
});
