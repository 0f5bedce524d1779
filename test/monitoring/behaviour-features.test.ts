import { describe, expect, it } from 'vitest';
import {
  drawdown,
  type LoanChange,
  type LoanEvent,
  type LoanState,
  loanPosition,
  openLine,
  parseProduct,
  planClose,
  planCommand,
  planOpening,
} from '../../src/ledger/index.js';
import { addMonths, parseDate } from '../../src/money/index.js';
import {
  BEHAVIOUR_FEATURES,
  type BehaviourLine,
  behaviourFeatures,
  behaviourLabel,
  behaviourLoanOf,
  behaviourTable,
  behaviourTableCsv,
  loanDaysPastDue,
} from '../../src/monitoring/index.js';

const D = parseDate('2026-01-05');
const product = parseProduct({ id: 'p6', termCount: 6, rate: { value: '0.0004', per: 'day' } });

/** A loan drawn on D and run through the ledger engine: `pay(n)` gives the day instalment n is paid, or null. */
function loanEvents(
  loanId: string,
  day: number,
  principalMinor: number,
  pay: (n: number, due: number) => number | null,
  through: number,
) {
  const line = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 5_000_000, day }).line;
  const r = drawdown(line, { loanId, product, principalMinor, day });
  const opening = planOpening(r.loan);
  const events: LoanEvent[] = [...opening.events];
  let state: LoanState = r.loan.state;
  const take = (c: LoanChange) => {
    events.push(...c.events);
    state = c.state;
  };
  for (const item of r.loan.state.plan) {
    const on = pay(item.number, item.dueDay);
    if (on === null || on > through) continue;
    if (on - 1 > state.lastClosedDay) take(planClose(state, on - 1));
    if (state.status !== 'active') break;
    const quote = state.plan.find((p) => p.number === item.number)!;
    const p = loanPosition(state);
    const owedOverdue =
      p.overduePrincipalMinor +
      p.overdueInterestMinor +
      p.overdueFeeMinor +
      p.duePrincipalMinor +
      p.dueInterestMinor +
      p.dueFeeMinor +
      p.penaltyOutstandingMinor;
    // A little over what was owed the eve before: the day's penalty is owed too; the rest waits as credit.
    const amount =
      (item.dueDay >= on ? quote.totalMinor + owedOverdue : owedOverdue) + (owedOverdue > 0 ? 10_000 : 0);
    if (amount <= 0) continue;
    take(
      planCommand(state, null, {
        type: 'repay',
        amountMinor: amount,
        day: on,
        clientId: `${loanId}-${item.number}`,
        excess: 'credit',
      }),
    );
  }
  if (through > state.lastClosedDay) take(planClose(state, through));
  return { events, plan: r.loan.state.plan };
}

function lineOf(loans: LoanEvent[][], limits = [{ day: D, limitMinor: 5_000_000 }]): BehaviourLine {
  return { customerId: 'C-1', lineId: 'CL-1', openedDay: D, limits, loans: loans.map(behaviourLoanOf) };
}

describe('behaviour features (行为评分特征)', () => {
  const through = addMonths(D, 14);

  it('an on-time payer: no days past due, payment ratio about 1, months on book', () => {
    const { events, plan } = loanEvents('L-1', D, 1_000_000, (_n, due) => due - 1, through);
    const line = lineOf([events]);
    const asOf = plan[2]!.dueDay + 5;
    const f = behaviourFeatures(line, asOf);
    expect(f.dpd_now).toBe(0);
    expect(f.max_dpd_12m).toBe(0);
    expect(f.times_past_due_12m).toBe(0);
    // Paid ahead, the money waits as a credit balance that pays the instalment on its due date.
    expect(f.avg_days_late_6m).toBe(0);
    // …but the money came a day ahead of each due date.
    expect(f.avg_days_early_6m).toBe(1);
    expect(f.payment_ratio_6m).toBeGreaterThan(0.99);
    expect(f.payment_ratio_6m).toBeLessThan(1.5);
    expect(f.months_on_book).toBe(3);
    expect(f.open_loans).toBe(1);
    expect(f.utilisation).toBeGreaterThan(0);
    expect(f.utilisation).toBeLessThan(0.2);
    expect(behaviourLabel(line, asOf)).toBe(false);
  });

  it('days early: a week ahead of each due date averages 7', () => {
    const { events, plan } = loanEvents('L-1', D, 1_000_000, (_n, due) => due - 7, through);
    const f = behaviourFeatures(lineOf([events]), plan[3]!.dueDay + 5);
    expect(f.avg_days_late_6m).toBe(0);
    expect(f.avg_days_early_6m).toBe(7);
  });

  it('a late payer: days past due measured from the due date, counted once per instalment', () => {
    const { events, plan } = loanEvents('L-1', D, 1_000_000, (_n, due) => due + 20, through);
    const loan = behaviourLoanOf(events);
    // The day before the second instalment is paid it is 19 days past due (grace 0? counted from the due date).
    const second = plan[1]!.dueDay;
    expect(loanDaysPastDue(loan, second + 19)).toBe(19);
    expect(loanDaysPastDue(loan, second + 20)).toBe(0);
    const f = behaviourFeatures(lineOf([events]), plan[3]!.dueDay + 25);
    expect(f.max_dpd_3m).toBe(19);
    expect(f.times_past_due_12m).toBe(4);
    expect(f.avg_days_late_6m).toBe(20);
    // Nothing paid on time: no days early to average.
    expect(f.avg_days_early_6m).toBeNaN();
    expect(behaviourLabel(lineOf([events]), plan[0]!.dueDay - 1)).toBe(false);
  });

  it('a borrower who stops paying: 60+ within the outcome window is bad', () => {
    const { events, plan } = loanEvents('L-1', D, 1_000_000, (n, due) => (n <= 2 ? due : null), through);
    const line = lineOf([events]);
    const asOf = plan[1]!.dueDay + 1;
    expect(behaviourFeatures(line, asOf).dpd_now).toBe(0);
    expect(behaviourLabel(line, asOf)).toBe(true);
    const later = plan[2]!.dueDay + 70;
    expect(behaviourFeatures(line, later).dpd_now).toBe(70);
    // Already 60+ as of the day: not a development row.
    expect(behaviourTable([line], later)).toEqual([]);
    expect(behaviourTable([line], asOf).map((r) => r.bad)).toEqual([true]);
  });

  it('cash-out patterns: a full-limit draw right after a limit raise', () => {
    const raise = D + 40;
    const a = loanEvents('L-1', D, 1_000_000, (_n, due) => due, through).events;
    const b = loanEvents('L-2', raise + 3, 5_000_000, (_n, due) => due, through).events;
    const line = lineOf(
      [a, b],
      [
        { day: D, limitMinor: 2_000_000 },
        { day: raise, limitMinor: 6_000_000 },
      ],
    );
    const f = behaviourFeatures(line, raise + 10);
    expect(f.draws_after_raise_12m).toBe(1);
    expect(f.full_limit_draws_12m).toBe(1);
    expect(f.drawdowns_3m).toBe(2);
    expect(f.drawn_to_limit_3m).toBe(1);
    expect(f.utilisation_trend_3m).toBeGreaterThan(0.5);
  });

  it('the table as CSV: one column per feature, missing as empty, bad as 0/1', () => {
    const { events, plan } = loanEvents('L-1', D, 1_000_000, (_n, due) => due, through);
    const csv = behaviourTableCsv(behaviourTable([lineOf([events])], D + 3), '2026-01-08');
    const [header, row] = csv.trim().split('\n');
    expect(header!.split(',')).toEqual(['customer_id', 'line_id', 'as_of', ...BEHAVIOUR_FEATURES, 'bad']);
    const cells = row!.split(',');
    expect(cells[0]).toBe('C-1');
    expect(cells.at(-1)).toBe('0');
    // Nothing due yet: payment ratio and days late are missing.
    expect(cells[3 + BEHAVIOUR_FEATURES.indexOf('payment_ratio_6m')]).toBe('');
    expect(plan.length).toBe(6);
  });
});
