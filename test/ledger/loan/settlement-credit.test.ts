import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSettlementOffer } from '../../../src/ledger/index.js';
import {
  applyEvent,
  closeDaysThrough,
  type LoanEvent,
  type LoanState,
  loanPosition,
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
import { formatDate } from '../../../src/money/index.js';
import { d, Loan, product } from './driver.js';

/*
 * 减免结清 and a credit balance (溢缴款). Every fen the borrower hands over from the offer on counts towards it
 * — repayments, and a credit balance the loan already held when the offer was made — and when the offer is
 * reached the credit is applied to what is owed before the rest is forgiven: the loan ends settled with no
 * credit left, unless more was received than everything owed.
 *
 * The loan of the scenario tables (driver.ts): 3,000.00 drawn 2026-01-15, three monthly 等额本金 instalments
 * of 1,000.00, 0.05%/day (150 a day on 300000, 100 on 200000, 50 on 100000), penalty +50% on overdue
 * principal (75 a day per 100000 overdue), grace 0.
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

/**
 * One row per event: day, event, then after it: outstanding principal, accrued interest, overdue principal,
 * overdue interest, penalty outstanding, credit balance, and what counts towards the offer in force (null
 * with none).
 */
type Row = [string, string, number, number, number, number, number, number, number | null];

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
    const o = settlementOf(s);
    out.push([
      formatDate(e.day),
      'installmentNumber' in e ? `${e.type}#${e.installmentNumber}` : e.type,
      p.outstandingPrincipalMinor,
      p.accruedInterestMinor,
      p.overduePrincipalMinor,
      p.overdueInterestMinor,
      p.penaltyOutstandingMinor,
      p.creditMinor,
      o === null ? null : (o.creditAtOfferMinor ?? 0) + o.paidMinor,
    ]);
  }
  return out;
}

function withoutMarker(s: LoanState): Omit<LoanState, 'lastClosedDay' | 'nextEventDay'> {
  const { lastClosedDay: _c, nextEventDay: _n, ...rest } = s;
  return rest;
}

/** Money the loan applied to what it owed over its life (principal, interest, penalty, fees paid). */
function applied(s: LoanState): number {
  return s.principalPaidTotalMinor + s.interestPaidTotalMinor + s.penaltyPaidMinor + s.feePaidTotalMinor;
}

function expectBooksBalance(log: readonly LoanEvent[]): void {
  const b = openLoanBooks(log).books;
  expect(reconcileBooks(b)).toEqual([]);
  const tb = trialBalance(b.postings);
  expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
}

describe('settlement (减免结清) with a credit balance: scenario tables', () => {
  it('credit left by an earlier payment under the offer pays what is owed before the rest is forgiven', () => {
    // Regression: the credit left by the 03-25 payment (kept as credit beyond the bills) stayed refundable
    // when the 03-30 payment completed the offer, and the waiver forgave the principal that credit should
    // have paid: the borrower got the discount and 190.13 back.
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    const start = l.log.length;
    // Owed on 03-20 (settlement.test.ts): 310550, of it bills 210300 (#1, #2, penalty 2850).
    const o = offer(l, 250000, '2026-03-20', '2026-03-31').at(-1) as SettlementOffered;
    expect(o).toMatchObject({ owedMinor: 310550, discountMinor: 60550, creditMinor: 0 });
    l.closeThrough('2026-03-22');
    // A partial payment no larger than the bills: nothing is left over.
    l.repay(50000, '2026-03-23');
    l.closeThrough('2026-03-24');
    // More than the bills (the penalty to the day, #1's rest and #2), the rest kept as credit: 19013.
    l.repay(180000, '2026-03-25', { excess: 'credit' });
    l.closeThrough('2026-03-29');
    // The offer is reached: 50000 + 180000 + 20000 = 250000.
    const last = l.repay(20000, '2026-03-30');
    expect(rows(l.log).slice(start)).toEqual([
      ['2026-03-20', 'Accrued', 300000, 250, 200000, 7450, 2850, 0, null],
      ['2026-03-20', 'SettlementOffered', 300000, 250, 200000, 7450, 2850, 0, 0],
      // 03-21..03-23: interest 3 × 50, penalty 3 × 150.
      ['2026-03-23', 'Accrued', 300000, 400, 200000, 7450, 3300, 0, 0],
      // Penalty 3300, #1's interest 4650, then 42050 of #1's principal.
      ['2026-03-23', 'Repaid', 257950, 400, 157950, 2800, 0, 0, 50000],
      // 03-24..03-25: interest 2 × 50; penalty on 157950 overdue at 0.075%: 2 × 118.4625 → 237.
      ['2026-03-25', 'Accrued', 257950, 500, 157950, 2800, 237, 0, 50000],
      // 237 + 57950 + 2800 + 100000 = 160987 pays the bills; 19013 is kept as credit.
      ['2026-03-25', 'Repaid', 100000, 500, 0, 0, 0, 19013, 230000],
      ['2026-03-25', 'DelinquencyChanged', 100000, 500, 0, 0, 0, 19013, 230000],
      // 03-26..03-30: interest 5 × 50.
      ['2026-03-30', 'Accrued', 100000, 750, 0, 0, 0, 19013, 230000],
      // The completing payment: interest to the day 750, then 19250 of principal.
      ['2026-03-30', 'Repaid', 80750, 0, 0, 0, 0, 19013, 250000],
      // The credit pays 19013 of principal, then only 61737 is forgiven.
      ['2026-03-30', 'CreditApplied', 61737, 0, 0, 0, 0, 0, 250000],
      ['2026-03-30', 'PrincipalWaived', 0, 0, 0, 0, 0, 0, 250000],
      ['2026-03-30', 'SettlementCompleted', 0, 0, 0, 0, 0, 0, null],
      ['2026-03-30', 'LoanSettled', 0, 0, 0, 0, 0, 0, null],
    ]);
    const done = last.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted;
    // Owed at the offer 310550 + interest since 500 + penalty since 687 = 311737, less the 250000 paid.
    expect(done).toMatchObject({ paidMinor: 250000, waivedMinor: 61737 });
    const s = l.state;
    expect(s.status).toBe('settled');
    expect(s.creditMinor).toBe(0);
    // Everything received since the offer went to what was owed: exactly the offer.
    expect(applied(s)).toBe(250000);
    expectBooksBalance(l.log);
    expect(withoutMarker(replay(l.log))).toEqual(withoutMarker(s));
  });

  it('a credit balance held when the offer is made counts towards it, and pays what is owed at completion', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    // Before anything is billed, 150000 kept as credit (interest to the day posted, 26 days × 150 = 3900).
    l.repay(150000, '2026-02-10', { excess: 'credit' });
    l.closeThrough('2026-02-11');
    const start = l.log.length;
    // Owed on 02-12: 300000 + 28 days × 150 = 304200, gross of the credit.
    const o = offer(l, 200000, '2026-02-12', '2026-02-28').at(-1) as SettlementOffered;
    expect(o).toMatchObject({ owedMinor: 304200, discountMinor: 104200, creditMinor: 150000 });
    expect(settlementOf(l.state)).toMatchObject({ creditAtOfferMinor: 150000, paidMinor: 0 });
    l.closeThrough('2026-02-19');
    // 150000 held + 50000 paid = 200000: the offer is reached.
    const last = l.repay(50000, '2026-02-20');
    expect(rows(l.log).slice(start)).toEqual([
      ['2026-02-12', 'Accrued', 300000, 4200, 0, 0, 0, 150000, null],
      ['2026-02-12', 'SettlementOffered', 300000, 4200, 0, 0, 0, 150000, 150000],
      // #1 falls due (100000 + 31 days × 150) and the credit pays it.
      ['2026-02-15', 'Accrued', 300000, 4650, 0, 0, 0, 150000, 150000],
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 150000, 150000],
      ['2026-02-15', 'CreditApplied', 200000, 0, 0, 0, 0, 45350, 150000],
      // 02-16..02-20: 5 × 100.
      ['2026-02-20', 'Accrued', 200000, 500, 0, 0, 0, 45350, 150000],
      ['2026-02-20', 'Repaid', 150500, 0, 0, 0, 0, 45350, 200000],
      ['2026-02-20', 'CreditApplied', 105150, 0, 0, 0, 0, 0, 200000],
      ['2026-02-20', 'PrincipalWaived', 0, 0, 0, 0, 0, 0, 200000],
      ['2026-02-20', 'SettlementCompleted', 0, 0, 0, 0, 0, 0, null],
      ['2026-02-20', 'LoanSettled', 0, 0, 0, 0, 0, 0, null],
    ]);
    const done = last.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted;
    // Owed at the offer 304200 + interest since 450 + 500 = 305150, less the 200000 counted.
    expect(done).toMatchObject({ paidMinor: 50000, waivedMinor: 105150 });
    expect(l.state.status).toBe('settled');
    expect(l.state.creditMinor).toBe(0);
    // All the borrower handed over (150000 before the offer, 50000 after) went to what was owed.
    expect(applied(l.state)).toBe(200000);
    expectBooksBalance(l.log);
    expect(withoutMarker(replay(l.log))).toEqual(withoutMarker(l.state));
  });

  it('an offer the credit held already reaches settles the loan when it is made', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.repay(150000, '2026-02-10', { excess: 'credit' });
    l.closeThrough('2026-02-11');
    const events = offer(l, 120000, '2026-02-12', '2026-02-28');
    expect(events.map((e) => e.type)).toEqual([
      'Accrued',
      'SettlementOffered',
      'InstallmentDue',
      'CreditApplied',
      'PrincipalWaived',
      'SettlementCompleted',
      'LoanSettled',
    ]);
    // 304200 owed; the 150000 held is applied (interest 4200 billed with #1, then principal), 154200 forgiven.
    expect(events.find((e) => e.type === 'SettlementCompleted')).toMatchObject({
      paidMinor: 0,
      waivedMinor: 154200,
    });
    expect(l.state.status).toBe('settled');
    expect(l.state.creditMinor).toBe(0);
    expect(applied(l.state)).toBe(150000);
    expectBooksBalance(l.log);
    expect(withoutMarker(replay(l.log))).toEqual(withoutMarker(l.state));
  });

  it('through the change planner, an offer the credit held reaches frees the credit line at once', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.repay(150000, '2026-02-10', { excess: 'credit' });
    l.closeThrough('2026-02-11');
    const change = planSettlementOffer(l.state, null, {
      offerMinor: 120000,
      validThroughDay: d('2026-02-28'),
      day: d('2026-02-12'),
      clientId: 'offer-1',
    });
    expect(change.state.status).toBe('settled');
    expect(change.lineMove).toMatchObject({ outstandingPrincipalMinor: 0 });
    expectBooksBalance([...l.log, ...change.events]);
  });

  it('only money beyond everything owed stays refundable', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-03-19');
    offer(l, 250000, '2026-03-20', '2026-03-31');
    l.closeThrough('2026-03-24');
    // The bills on 03-25: principal 200000, interest 7450, penalty 2850 + 5 × 150 = 3600, in all 211050;
    // the rest of 230000 is kept as credit.
    l.repay(230000, '2026-03-25', { excess: 'credit' });
    expect(l.state.creditMinor).toBe(18950);
    l.closeThrough('2026-03-29');
    // Owed on 03-30: 100000 + interest 15 × 50 = 100750. 90000 reaches the offer (320000 counted); with the
    // 18950 held it is 8200 more than everything owed: that much stays refundable, nothing is forgiven.
    const last = l.repay(90000, '2026-03-30');
    expect(last.find((e) => e.type === 'SettlementCompleted')).toMatchObject({
      paidMinor: 320000,
      waivedMinor: 0,
    });
    expect(l.state.status).toBe('settled');
    expect(l.state.creditMinor).toBe(8200);
    expect(applied(l.state)).toBe(320000 - 8200);
    expectBooksBalance(l.log);
    expect(withoutMarker(replay(l.log))).toEqual(withoutMarker(l.state));
  });
});

/** Forgiven over the loan's life: principal, interest, penalty, fees. */
function waived(s: LoanState): number {
  return (
    s.principalWaivedTotalMinor + s.interestWaivedTotalMinor + s.penaltyWaivedMinor + s.feeWaivedTotalMinor
  );
}

/** Charged over the loan's life beyond the principal (an upfront fee counts from the drawdown). */
function charged(s: LoanState): number {
  return (
    s.interestPostedTotalMinor + s.penaltyPostedMinor + s.feeChargedTotalMinor + s.pendingUpfrontFeeMinor
  );
}

describe('settlement (减免结清) with a credit balance: properties', () => {
  const caseArb = fc.record({
    method: fc.constantFrom('equal-installment', 'equal-principal', 'interest-first', 'flat-rate'),
    termCount: fc.integer({ min: 2, max: 12 }),
    upfront: fc.constantFrom('', '15.00'),
    principalMinor: fc.integer({ min: 10_000, max: 2_000_000 }),
    // A payment kept as credit before the offer (share of the principal; 0: none).
    creditBefore: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1.2, noNaN: true })),
    creditAfterDays: fc.integer({ min: 1, max: 200 }),
    offerAfterDays: fc.integer({ min: 0, max: 60 }),
    offerShare: fc.double({ min: 0.05, max: 0.99, noNaN: true }),
    validDays: fc.integer({ min: 0, max: 60 }),
    payments: fc.array(
      fc.record({
        afterDays: fc.integer({ min: 0, max: 20 }),
        share: fc.double({ min: 0.05, max: 1.1, noNaN: true }),
        excess: fc.constantFrom('prepay', 'credit'),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });

  it('all money counted goes to what is owed before the waiver; only money beyond everything owed stays refundable', () => {
    const seen = { completed: 0, creditAtOffer: 0, creditAtCompletion: 0, refundable: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = parseProduct({
          ...product(),
          method: c.method,
          termCount: c.termCount,
          aprCap: '1',
          fees:
            c.upfront !== '' ? [{ name: 'service', kind: 'upfront', basis: 'fixed', value: c.upfront }] : [],
        });
        const opened = openLoan({
          loanId: 'P-1',
          customerId: 'C-1',
          lineId: 'CL-1',
          product: p,
          principalMinor: c.principalMinor,
          day: d('2026-01-15'),
        });
        let state: LoanState = opened.state;
        const log: LoanEvent[] = [...opened.events];
        const push = (r: { state: LoanState; events: LoanEvent[] }) => {
          state = r.state;
          log.push(...r.events);
          // No negative balance ever (the fold asserts its invariants; the position is checked here).
          const pos = loanPosition(state);
          for (const v of Object.values(pos)) if (typeof v === 'number') expect(v).toBeGreaterThanOrEqual(0);
        };
        let day = opened.state.startDay + c.creditAfterDays;
        let received = 0;
        if (c.creditBefore > 0) {
          push(closeDaysThrough(state, day - 1));
          if (state.status !== 'active') return;
          const amountMinor = Math.max(1, Math.floor(c.principalMinor * c.creditBefore));
          push(repay(state, { amountMinor, day, clientId: 'before', excess: 'credit' }));
          received += amountMinor;
          if (state.status !== 'active') return;
        }
        day += c.offerAfterDays;
        push(closeDaysThrough(state, day - 1));
        if (state.status !== 'active') return;
        const q = payoffQuote(state, day);
        const owed = q.principalMinor + q.interestMinor + q.feeMinor + q.penaltyMinor;
        const offerMinor = Math.max(1, Math.min(owed - 1, Math.floor(owed * c.offerShare)));
        if (offerMinor >= owed) return;
        const offerAt = log.length;
        push(
          offerSettlement(state, { offerMinor, validThroughDay: day + c.validDays, day, clientId: 'offer' }),
        );
        const k = log.findIndex((e) => e.type === 'SettlementOffered');
        const offered = log[k] as SettlementOffered;
        expect(offered.owedMinor).toBe(owed);
        // The state right after the offer, before anything it completed.
        const atOffer = replay(log.slice(0, k + 1));
        const creditAtOffer = atOffer.creditMinor;
        expect(offered.creditMinor).toBe(creditAtOffer);
        if (creditAtOffer > 0) seen.creditAtOffer++;
        const ended = () =>
          log.slice(offerAt).some((e) => e.type === 'SettlementCompleted' || e.type === 'SettlementLapsed');
        // Just before the command that completes the offer: the credit held, what is owed gross of it, and
        // the payment (none when the offer itself completes).
        let creditBefore = creditAtOffer;
        let owedBefore = owed;
        let lastMinor = 0;
        let paidSince = 0;
        let i = 0;
        for (const pay of c.payments) {
          if (ended() || state.status !== 'active') break;
          day += pay.afterDays;
          push(closeDaysThrough(state, day - 1));
          if (ended() || state.status !== 'active') break;
          const quote = payoffQuote(state, day);
          owedBefore = quote.principalMinor + quote.interestMinor + quote.feeMinor + quote.penaltyMinor;
          creditBefore = quote.creditMinor;
          lastMinor = Math.max(1, Math.floor(offerMinor * pay.share));
          push(repay(state, { amountMinor: lastMinor, day, clientId: `pay-${i++}`, excess: pay.excess }));
          received += lastMinor;
          paidSince += lastMinor;
        }
        const done = log.find((e) => e.type === 'SettlementCompleted') as SettlementCompleted | undefined;
        if (done !== undefined) {
          seen.completed++;
          const counted = creditAtOffer + paidSince;
          if (creditBefore > 0) seen.creditAtCompletion++;
          const refundable = state.creditMinor;
          if (refundable > 0) seen.refundable++;
          expect(counted).toBeGreaterThanOrEqual(offerMinor);
          expect(done.paidMinor).toBe(paidSince);
          expect(state.status).toBe('settled');
          // Everything owed at the offer and charged since was paid or forgiven; all the money counted went
          // to it but what stays refundable, to the fen.
          const appliedSince = applied(state) - applied(atOffer);
          expect(appliedSince).toBe(counted - refundable);
          expect(appliedSince + done.waivedMinor).toBe(owed + charged(state) - charged(atOffer));
          expect(waived(state) - waived(atOffer)).toBe(done.waivedMinor);
          // Refundable: only what was received beyond everything owed, never more than paid beyond the offer.
          expect(refundable).toBe(Math.max(0, creditBefore + lastMinor - owedBefore));
          expect(refundable).toBeLessThanOrEqual(counted - offerMinor);
        }
        // Money in = money applied + credit held, over the loan's life.
        expect(applied(state) + state.creditMinor).toBe(received);
        expect(withoutMarker(replay(log))).toEqual(withoutMarker(state));
        expectBooksBalance(log);
      }),
      { numRuns: 120 },
    );
    // The runs exercised the case: credit held at the offer, credit applied at completion, and refunds.
    expect(seen.completed).toBeGreaterThan(20);
    expect(seen.creditAtOffer).toBeGreaterThan(10);
    expect(seen.creditAtCompletion).toBeGreaterThan(10);
    expect(seen.refundable).toBeGreaterThan(0);
  });
});
