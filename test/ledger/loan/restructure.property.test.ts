import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRODUCT,
  isLedgerInputError,
  openLoanBooks,
  type Product,
  reconcileBooks,
  trialBalance,
} from '../../../src/ledger/index.js';
import {
  applyBackdated,
  applyEvent,
  closeDaysThrough,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanAsOf,
  loanPosition,
  openLoan,
  type RestructureRequest,
  repay,
  restructure,
} from '../../../src/ledger/loan/index.js';
import {
  type Day,
  divide,
  endOfMonth,
  formatDecimal,
  parseDate,
  parseDecimal,
  rational,
} from '../../../src/money/index.js';

/*
 * Restructuring properties over random loans, random delinquency and random restructuring choices:
 * what is owed is preserved to the fen except the stated concessions (waived amounts) and the down payment;
 * every posting balances and the books reconcile with the engine; replay = incremental across
 * restructurings; a backdated repayment before a restructuring gives what paying on its day gave.
 */

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
    termCount: fc.integer({ min: 1, max: 12 }),
    perDay: fc.boolean(),
    tenThousandths: fc.integer({ min: 1, max: 10 }),
    dayCount: fc.constantFrom('ACT/365F', 'ACT/360', '30/360', 'ACT/ACT' as const),
    basis: fc.constantFrom('actual-days', 'nominal' as const),
    mode: fc.constantFrom('half-up', 'half-even', 'down', 'up' as const),
    scale: fc.constantFrom(2, 2, 1, 0 as const),
    grace: fc.integer({ min: 0, max: 3 }),
    base: fc.constantFrom('overdue-principal', 'overdue-principal-and-interest' as const),
    compounding: fc.boolean(),
    fee: fc.boolean(),
  })
  .map(
    (g): Product => ({
      ...DEFAULT_PRODUCT,
      method: g.method,
      termCount: g.termCount,
      rate: g.perDay
        ? { value: (g.tenThousandths / 10000).toFixed(4), per: 'day' }
        : { value: `0.${String(g.tenThousandths * 3).padStart(2, '0')}`, per: 'year' },
      dayCount: g.dayCount,
      periodicRateBasis: g.basis,
      rounding: { mode: g.mode, scale: g.scale },
      graceDays: g.grace,
      penalty: { uplift: '0.5', base: g.base, compounding: g.compounding },
      fees: g.fee
        ? [
            { name: 'service', kind: 'per-installment', basis: 'fixed', value: '1.5' },
            { name: 'arrangement', kind: 'upfront', basis: 'fixed', value: '10' },
          ]
        : [],
    }),
  );

const requestArb: fc.Arbitrary<RestructureRequest & { downShare: number; rateHalf: boolean }> = fc.record({
  kind: fc.constantFrom('negotiated-plan', 'term-extension', 'payment-holiday', 'rate-reduction' as const),
  months: fc.integer({ min: 1, max: 60 }),
  extensionMonths: fc.integer({ min: 1, max: 24 }),
  holidayMonths: fc.integer({ min: 1, max: 6 }),
  holidayInterest: fc.constantFrom('accrue', 'waive' as const),
  penalty: fc.constantFrom('waive', 'capitalise' as const),
  interestArrears: fc.constantFrom('waive', 'capitalise' as const),
  feeArrears: fc.constantFrom('waive', 'capitalise' as const),
  downShare: fc.integer({ min: 0, max: 600 }),
  rateHalf: fc.boolean(),
});

const caseArb = fc.record({
  product: productArb,
  principalMinor: fc.integer({ min: 100_000, max: 5_000_000 }),
  startOffset: fc.integer({ min: 0, max: 1200 }),
  /** Days after the drawdown of each restructuring (0, 1 or 2 of them). */
  restructureGaps: fc.array(fc.integer({ min: 5, max: 300 }), { minLength: 1, maxLength: 2 }),
  requests: fc.array(requestArb, { minLength: 2, maxLength: 2 }),
  /** Payments after the restructurings: gap in days and share of the next instalment in thousandths. */
  payments: fc.array(
    fc.record({ gap: fc.integer({ min: 1, max: 45 }), share: fc.integer({ min: 0, max: 1500 }) }),
    { maxLength: 6 },
  ),
  tailDays: fc.integer({ min: 0, max: 200 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Half the rate, exactly (one decimal more). */
function halved(rate: Product['rate']): string {
  const decimals = (rate.value.split('.')[1] ?? '').length + 1;
  return formatDecimal(divide(parseDecimal(rate.value), rational(2)), decimals, 'down');
}

function requestOf(
  state: LoanState,
  r: RestructureRequest & { downShare: number; rateHalf: boolean },
): RestructureRequest {
  const { downShare, rateHalf, ...request } = r;
  const owed = loanPosition(state).totalOwedMinor;
  const down = Math.floor((owed * downShare) / 1000);
  return {
    ...request,
    ...(down > 0 && downShare < 500 ? { downPaymentMinor: down } : {}),
    ...(rateHalf || r.kind === 'rate-reduction' ? { rateValue: halved(state.product.rate) } : {}),
    // The income is not the subject here: high enough that any plan is affordable.
    monthlyIncomeMinor: 1_000_000_000,
  };
}

interface Run {
  log: LoanEvent[];
  closed: { day: Day; state: LoanState }[];
  snapshots: LoanSnapshot[];
  final: LoanState;
  restructurings: number;
}

function run(c: Case): Run {
  const start = START_MIN + c.startOffset;
  const opened = openLoan({
    loanId: 'R',
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
  let restructurings = 0;
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
  for (const [i, gap] of c.restructureGaps.entries()) {
    day += gap;
    closeTo(day - 1);
    if (state.status === 'settled') break;
    try {
      const r = restructure(state, { ...requestOf(state, c.requests[i]!), day, clientId: `s${i}` });
      state = r.state;
      log.push(...r.events);
      restructurings++;
    } catch (e) {
      if (!isLedgerInputError(e)) throw e;
    }
  }
  for (const [i, p] of c.payments.entries()) {
    day += p.gap;
    closeTo(day - 1);
    if (state.status === 'settled') break;
    const next = state.plan[state.nextInstallmentIndex];
    const owed = loanPosition(state).totalOwedMinor;
    const amount = Math.floor(((next?.totalMinor ?? owed) * p.share) / 1000);
    if (amount <= 0) continue;
    const r = repay(state, { amountMinor: amount, day, clientId: `p${i}` });
    state = r.state;
    log.push(...r.events);
  }
  closeTo(day + c.tailDays);
  return { log, closed, snapshots, final: state, restructurings };
}

const RUNS = { numRuns: 120 };

describe('restructuring properties', () => {
  it('preserves what is owed to the fen, except the stated concessions and the down payment', () => {
    let seen = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        let state: LoanState | undefined;
        for (const e of r.log) {
          if (state === undefined) {
            state = openLoan(openInput(e)).state;
            continue;
          }
          if (e.type === 'LoanRestructured') {
            seen++;
            const before = loanPosition(state);
            const after = applyEvent(state, e);
            const owedAfter = loanPosition(after);
            const down = e.downPayment?.amountMinor ?? 0;
            expect(before.totalOwedMinor - owedAfter.totalOwedMinor).toBe(e.forgivenMinor + down);
            expect(owedAfter.outstandingPrincipalMinor).toBe(e.principalMinor);
            expect(owedAfter.overduePrincipalMinor + owedAfter.penaltyOutstandingMinor).toBe(0);
            expect(e.forgivenMinor).toBe(e.waived.penaltyMinor + e.waived.interestMinor + e.waived.feeMinor);
            // The new plan is exact to the fen and carries on the numbering of the old one.
            expect(e.installments.reduce((s, i) => s + i.principalMinor, 0)).toBe(e.principalMinor);
            expect(e.installments[0]!.number).toBe((state.plan.at(-1)?.number ?? 0) + 1);
          }
          state = applyEvent(state, e);
        }
      }),
      RUNS,
    );
    expect(seen).toBeGreaterThan(50);
  });

  it('every posting balances and the books reconcile with the engine after restructurings', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        const { books } = openLoanBooks(r.log);
        expect(reconcileBooks(books)).toEqual([]);
        const tb = trialBalance(books.postings);
        expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
      }),
      RUNS,
    );
  });

  it('replay from scratch = incremental = snapshot + replay, across restructurings', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c);
        for (const { day, state } of r.closed) {
          expect(loanAsOf(r.log, day)).toEqual(state);
          expect(loanAsOf(r.log, day, r.snapshots)).toEqual(state);
        }
      }),
      RUNS,
    );
  });

  it('a backdated repayment before a restructuring gives what the repayment on its day gave', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 1200 }),
        fc.integer({ min: 1, max: 120 }),
        (c, payBefore, share, after) => {
          const start = START_MIN + c.startOffset;
          const rDay = start + Math.max(c.restructureGaps[0]!, payBefore + 1);
          const payDay = rDay - payBefore;
          const nowDay = rDay + after;
          const open = () =>
            openLoan({
              loanId: 'R',
              customerId: 'C',
              lineId: 'CL',
              product: c.product,
              principalMinor: c.principalMinor,
              day: start,
            });
          // In order: pay on its day, restructure, close to now.
          const first = open();
          let inOrder = closeDaysThrough(first.state, payDay - 1).state;
          if (inOrder.status === 'settled') return;
          const amount = Math.max(1, Math.floor((loanPosition(inOrder).totalOwedMinor * share) / 3000));
          let request: RestructureRequest;
          try {
            inOrder = repay(inOrder, { amountMinor: amount, day: payDay, clientId: 'x' }).state;
            inOrder = closeDaysThrough(inOrder, rDay - 1).state;
            if (inOrder.status === 'settled') return;
            request = requestOf(inOrder, { ...c.requests[0]!, downShare: 0 });
            inOrder = restructure(inOrder, { ...request, day: rDay, clientId: 's' }).state;
          } catch (e) {
            if (isLedgerInputError(e)) return;
            throw e;
          }
          inOrder = closeDaysThrough(inOrder, nowDay).state;
          // Learnt late: restructured first (as agreed, the same choices), then the payment backdated.
          const late = open();
          const upTo = closeDaysThrough(late.state, rDay - 1);
          const log: LoanEvent[] = [...late.events, ...upTo.events];
          let done: ReturnType<typeof restructure>;
          try {
            done = restructure(upTo.state, { ...request, day: rDay, clientId: 's' }, { replay: true });
          } catch (e) {
            if (isLedgerInputError(e)) return;
            throw e;
          }
          log.push(...done.events);
          const closed = closeDaysThrough(done.state, nowDay);
          log.push(...closed.events);
          const b = applyBackdated(log, [], nowDay, {
            type: 'repay',
            amountMinor: amount,
            day: payDay,
            clientId: 'x',
          });
          expect(loanPosition(b.state)).toEqual(loanPosition(inOrder));
          expect(b.state.restructuring).toEqual(inOrder.restructuring);
          compared++;
        },
      ),
      RUNS,
    );
    expect(compared).toBeGreaterThan(30);
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
