import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRODUCT, isLedgerInputError, type Product } from '../../../src/ledger/index.js';
import {
  applyBackdated,
  applyEvent,
  closeDay,
  closeDaysThrough,
  endOfDay,
  installmentPaymentMinor,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanAsOf,
  loanPosition,
  openLoan,
  repay,
  waive,
} from '../../../src/ledger/loan/index.js';
import { type Day, endOfMonth, parseDate } from '../../../src/money/index.js';

const START_MIN = parseDate('2024-01-01');

const productArb: fc.Arbitrary<Product> = fc
  .record({
    method: fc.constantFrom(
      'equal-installment',
      'equal-principal',
      'interest-first',
      'pay-any-time',
      'flat-rate' as const,
    ),
    termCount: fc.integer({ min: 1, max: 6 }),
    perDay: fc.boolean(),
    dailyTenThousandths: fc.integer({ min: 1, max: 10 }),
    dayCount: fc.constantFrom('ACT/365F', 'ACT/360', '30/360', 'ACT/ACT' as const),
    basis: fc.constantFrom('actual-days', 'nominal' as const),
    mode: fc.constantFrom('half-up', 'half-even', 'down', 'up' as const),
    scale: fc.constantFrom(2, 2, 1, 0 as const),
    grace: fc.integer({ min: 0, max: 3 }),
    base: fc.constantFrom('overdue-principal', 'overdue-principal-and-interest' as const),
    compounding: fc.boolean(),
    across: fc.constantFrom('oldest-due-first', 'component-first' as const),
    order: fc.constantFrom(
      ['penalty', 'fee', 'interest', 'principal'] as const,
      ['interest', 'principal', 'fee', 'penalty'] as const,
    ),
    early: fc.constantFrom('reduce-installment', 'shorten-term' as const),
    earlyInterest: fc.constantFrom('to-due-date', 'to-payment-date' as const),
    fee: fc.boolean(),
  })
  .map(
    (g): Product => ({
      ...DEFAULT_PRODUCT,
      method: g.method,
      termCount: g.termCount,
      rate: g.perDay
        ? { value: (g.dailyTenThousandths / 10000).toFixed(4), per: 'day' }
        : { value: `0.${String(g.dailyTenThousandths * 3).padStart(2, '0')}`, per: 'year' },
      dayCount: g.dayCount,
      periodicRateBasis: g.basis,
      rounding: { mode: g.mode, scale: g.scale },
      graceDays: g.grace,
      penalty: { uplift: '0.5', base: g.base, compounding: g.compounding },
      allocation: { order: g.order, across: g.across },
      earlyRepayment: g.early,
      earlyInstallmentInterest: g.earlyInterest,
      fees: g.fee
        ? [
            { name: 'service', kind: 'per-installment', basis: 'fixed', value: '1.5' },
            { name: 'arrangement', kind: 'upfront', basis: 'fixed', value: '10' },
          ]
        : [],
    }),
  );

interface Action {
  readonly gapDays: number;
  readonly kind: 'repay' | 'repay-credit' | 'repay-installment' | 'waive-penalty';
  /** Fraction of what is owed, in thousandths (may exceed 1000: overpayment). */
  readonly share: number;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  gapDays: fc.integer({ min: 1, max: 75 }),
  kind: fc.constantFrom('repay', 'repay', 'repay-installment', 'repay-credit', 'waive-penalty' as const),
  share: fc.integer({ min: 1, max: 1300 }),
});

const caseArb = fc.record({
  product: productArb,
  principalMinor: fc.integer({ min: 100_000, max: 5_000_000 }),
  startOffset: fc.integer({ min: 0, max: 1200 }),
  actions: fc.array(actionArb, { maxLength: 8 }),
  tailDays: fc.integer({ min: 0, max: 120 }),
});

interface Run {
  readonly log: LoanEvent[];
  /** States right after closing a day, as the incremental run had them. */
  readonly closed: { day: Day; state: LoanState }[];
  readonly snapshots: LoanSnapshot[];
  readonly final: LoanState;
}

/** Runs a loan incrementally: closes day by day to each action (snapshotting month ends), applies it. */
function run(c: CaseShape): Run {
  const start = START_MIN + c.startOffset;
  const opened = openLoan({
    loanId: 'P',
    customerId: 'C',
    lineId: 'CL',
    product: c.product,
    principalMinor: c.principalMinor,
    day: start,
  });
  let state = opened.state;
  const log: LoanEvent[] = [...opened.events];
  const closed: { day: Day; state: LoanState }[] = [];
  const snapshots: LoanSnapshot[] = [];
  const closeTo = (day: Day) => {
    while (state.lastClosedDay < day) {
      const stop = Math.min(endOfMonth(state.lastClosedDay + 1), day);
      const r = closeDaysThrough(state, stop);
      state = r.state;
      log.push(...r.events);
      if (stop === endOfMonth(stop)) snapshots.push({ state });
    }
    closed.push({ day, state });
  };
  let day = start;
  for (const [i, a] of c.actions.entries()) {
    day += a.gapDays;
    closeTo(day - 1);
    if (state.status === 'settled') break;
    try {
      const owed = loanPosition(state).totalOwedMinor + 1;
      // repay-installment: what the bills and the instalment coming due ask on the day, and a little more.
      const amount =
        a.kind === 'repay-installment'
          ? Math.max(1, installmentPaymentMinor(state, day) + Math.floor(a.share / 10))
          : Math.max(1, Math.floor((owed * a.share) / 1000));
      const r =
        a.kind === 'waive-penalty'
          ? waive(state, {
              component: 'penalty',
              amountMinor: Math.max(1, Math.floor(amount / 50)),
              day,
              clientId: `w${i}`,
            })
          : repay(state, {
              amountMinor: amount,
              day,
              clientId: `r${i}`,
              excess: a.kind === 'repay-credit' ? 'credit' : 'prepay',
            });
      state = r.state;
      log.push(...r.events);
    } catch (e) {
      if (!isLedgerInputError(e)) throw e;
    }
  }
  closeTo(day + c.tailDays);
  return { log, closed, snapshots, final: state };
}
type CaseShape = {
  product: Product;
  principalMinor: number;
  startOffset: number;
  actions: Action[];
  tailDays: number;
};

const RUNS = { numRuns: 60 };

describe('loan engine properties', () => {
  it('replay from scratch = incremental = snapshot + replay, at every day the run closed', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c as CaseShape);
        for (const { day, state } of r.closed) {
          expect(loanAsOf(r.log, day)).toEqual(state);
          expect(loanAsOf(r.log, day, r.snapshots)).toEqual(state);
        }
      }),
      RUNS,
    );
  });

  it('as-of(date) = the fold of the events up to that date', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 400 }), (c, offset) => {
        const r = run(c as CaseShape);
        const first = r.log[0]!;
        const day = Math.min(first.day + offset, r.final.lastClosedDay);
        let state: LoanState | undefined;
        for (const e of r.log) {
          if (e.day > day) break;
          state = state === undefined ? openLoan(openInput(e)).state : applyEvent(state, e);
        }
        const asOf = loanAsOf(r.log, day, r.snapshots);
        expect(asOf.seq).toBe(state!.seq);
        expect(loanPosition(asOf)).toEqual(loanPosition({ ...state!, lastClosedDay: day }));
      }),
      RUNS,
    );
  });

  it('the end-of-day step run twice on the same day changes nothing', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c as CaseShape);
        for (const { state } of r.closed) {
          const next = state.lastClosedDay + 1;
          const once = closeDay(state, next);
          const twice = closeDay(once.state, next);
          expect(twice.events).toEqual([]);
          expect(twice.state).toBe(once.state);
          expect(endOfDay(once.state, next)).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('every payment allocation sums exactly to the amount, with no negative part', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c as CaseShape);
        for (const e of r.log) {
          if (e.type !== 'Repaid' && e.type !== 'CreditApplied') continue;
          const a = e.allocation;
          const parts = [
            a.penaltyMinor,
            a.feeMinor,
            a.interestMinor,
            a.principalMinor,
            e.type === 'Repaid' ? e.creditMinor : 0,
          ];
          expect(parts.every((p) => Number.isSafeInteger(p) && p >= 0)).toBe(true);
          expect(parts.reduce((x, y) => x + y, 0)).toBe(e.amountMinor);
          const lines = e.byInstallment.reduce(
            (x, l) => x + l.penaltyMinor + l.feeMinor + l.interestMinor + l.principalMinor,
            0,
          );
          expect(lines + parts[4]!).toBe(e.amountMinor);
        }
      }),
      RUNS,
    );
  });

  it('a loan paid exactly per schedule ends settled, zero balances, interest = schedule interest', () => {
    fc.assert(
      fc.property(
        productArb,
        fc.integer({ min: 100_000, max: 5_000_000 }),
        fc.integer({ min: 0, max: 1200 }),
        (product, principal, offset) => {
          const opened = openLoan({
            loanId: 'S',
            customerId: 'C',
            lineId: 'CL',
            product,
            principalMinor: principal,
            day: START_MIN + offset,
          });
          let state = opened.state;
          const opening = opened.events[0]!;
          const upfront = opening.type === 'LoanOpened' ? opening.upfrontFeeMinor : 0;
          let billed = 0;
          for (const [k, item] of opened.state.plan.entries()) {
            const r = repay(state, {
              amountMinor: item.totalMinor + (k === 0 ? upfront : 0),
              day: item.dueDay,
              clientId: `s${k}`,
            });
            state = r.state;
            for (const e of r.events) if (e.type === 'InstallmentDue') billed += e.interestMinor;
            expect(loanPosition(state).daysPastDue).toBe(0);
          }
          const schedule = opened.state.plan.reduce((x, i) => x + i.interestMinor, 0);
          expect(state.status).toBe('settled');
          expect(billed).toBe(schedule);
          expect(state.interestPaidTotalMinor).toBe(schedule);
          expect(loanPosition(state)).toMatchObject({
            outstandingPrincipalMinor: 0,
            totalOwedMinor: 0,
            creditMinor: 0,
            penaltyOutstandingMinor: 0,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('any payment of at least the billed instalment on or before its due date settles that instalment', () => {
    fc.assert(
      fc.property(
        productArb.filter((p) => p.method !== 'pay-any-time'),
        fc.integer({ min: 100_000, max: 5_000_000 }),
        fc.integer({ min: 0, max: 1200 }),
        fc.nat({ max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.nat({ max: 200_000 }),
        (product, principal, offset, index, whereInPeriod, extra) => {
          const opened = openLoan({
            loanId: 'E',
            customerId: 'C',
            lineId: 'CL',
            product,
            principalMinor: principal,
            day: START_MIN + offset,
          });
          let state = opened.state;
          const k = Math.min(index, state.plan.length - 1);
          // The instalments before it are paid on their due dates, as billed.
          for (const item of state.plan.slice(0, k)) {
            state = closeDaysThrough(state, item.dueDay - 1).state;
            const amount = installmentPaymentMinor(state, item.dueDay);
            state = repay(state, {
              amountMinor: amount,
              day: item.dueDay,
              clientId: `on${item.number}`,
            }).state;
          }
          const item = state.plan[k]!;
          // Any day after the period starts, up to and including the due date (T−3, T−1, T).
          const payDay =
            item.startDay + 1 + Math.floor(((item.dueDay - item.startDay - 1) * whereInPeriod) / 1000);
          state = closeDaysThrough(state, payDay - 1).state;
          const billed = installmentPaymentMinor(state, payDay);
          if (
            payDay < item.dueDay &&
            k === 0 &&
            product.periodicRateBasis === 'actual-days' &&
            product.earlyInstallmentInterest === 'to-due-date'
          ) {
            // Quoted ahead of its due date, it is what the schedule shows (with the upfront fee, first).
            const opening = opened.events[0]!;
            const upfront = opening.type === 'LoanOpened' ? opening.upfrontFeeMinor : 0;
            expect(billed).toBe(item.totalMinor + upfront);
          }
          state = repay(state, { amountMinor: billed + extra, day: payDay, clientId: 'early' }).state;
          const after = item.dueDay + product.graceDays + 5;
          state = closeDaysThrough(
            state,
            Math.min(after, state.plan[state.nextInstallmentIndex]?.dueDay ?? after) - 1,
          ).state;
          expect(state.dues.find((x) => x.installmentNumber === item.number)).toBeUndefined();
          expect(state.dues.filter((x) => x.overdue)).toEqual([]);
          expect(state.bucket).toBe('M0');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a backdated repayment gives the same balances as the repayment made on its day', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 1000 }),
        (c, payOffset, delay, share) => {
          const cs = { ...(c as CaseShape), actions: [] };
          const base = run(cs);
          const start = base.log[0]!.day;
          const payDay = start + payOffset;
          const nowDay = payDay + delay;
          // In order: close to the day before, pay, close to now.
          let inOrder = closeDaysThrough(openLoan(openInput(base.log[0]!)).state, payDay - 1).state;
          const owed = loanPosition(inOrder).totalOwedMinor;
          if (inOrder.status === 'settled' || owed === 0) return;
          const amount = Math.max(1, Math.floor((owed * share) / 1000));
          inOrder = repay(inOrder, { amountMinor: amount, day: payDay, clientId: 'x' }).state;
          inOrder = closeDaysThrough(inOrder, nowDay).state;
          // Backdated: close to now first, then learn of the payment.
          const late = openLoan(openInput(base.log[0]!));
          const closed = closeDaysThrough(late.state, nowDay);
          const log = [...late.events, ...closed.events];
          const snapshots: LoanSnapshot[] = [];
          for (let m = endOfMonth(start); m <= nowDay; m = endOfMonth(m + 1))
            snapshots.push({ state: loanAsOf(log, m) });
          const r = applyBackdated(log, snapshots, nowDay, {
            type: 'repay',
            amountMinor: amount,
            day: payDay,
            clientId: 'x',
          });
          expect(loanPosition(r.state)).toEqual(loanPosition(inOrder));
          expect(loanPosition(loanAsOf([...log, ...r.appended], nowDay, r.snapshots))).toEqual(
            loanPosition(inOrder),
          );
        },
      ),
      RUNS,
    );
  });
});

function openInput(e: LoanEvent) {
  if (e.type !== 'LoanOpened') throw new Error('expected LoanOpened');
  return {
    loanId: e.loanId,
    customerId: e.customerId,
    lineId: e.lineId,
    product: e.product,
    principalMinor: e.principalMinor,
    day: e.day,
    clientId: e.clientId,
    delinquency: e.delinquency,
  };
}
