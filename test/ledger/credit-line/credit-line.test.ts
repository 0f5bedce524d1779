import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableMinor,
  CreditLineError,
  type CreditLineEvent,
  type CreditLineState,
  changeLimit,
  closeLine,
  drawdown,
  drawOnLine,
  foldLineEvents,
  freezeLine,
  openLine,
  syncLoanPrincipal,
  unfreezeLine,
} from '../../../src/ledger/credit-line/index.js';
import { LedgerInputError } from '../../../src/ledger/errors.js';
import { parseProduct } from '../../../src/ledger/product-validate.js';
import { parseDate } from '../../../src/money/index.js';

const D = parseDate('2026-03-02');

function refusal(run: () => unknown): CreditLineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CreditLineError);
    expect(error).toBeInstanceOf(LedgerInputError);
    return error as CreditLineError;
  }
  throw new Error('expected a refusal');
}

describe('credit line (授信额度)', () => {
  it('scenario: open, draw, restore by repayment, change limit, freeze, unfreeze, close', () => {
    // One row per event: the line's limit, used and available after it.
    const events: CreditLineEvent[] = [];
    let line: CreditLineState;
    const rows: [string, number, number, number, string][] = [];
    const take = (s: { line: CreditLineState; events: readonly CreditLineEvent[] }) => {
      line = s.line;
      events.push(...s.events);
      const last = s.events.at(-1);
      rows.push([last?.type ?? '(none)', line.limitMinor, line.usedMinor, availableMinor(line), line.status]);
    };
    take(openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 2_000_000, day: D }));
    take(drawOnLine(line!, 'L-1', 1_200_000, D));
    take(drawOnLine(line!, 'L-2', 500_000, D + 3));
    take(syncLoanPrincipal(line!, 'L-1', 1_100_000, D + 30)); // 1,000.00 principal repaid
    take(syncLoanPrincipal(line!, 'L-1', 1_100_000, D + 31)); // nothing repaid: no event
    take(changeLimit(line!, 1_500_000, D + 40)); // below used + a bit: 0 available
    take(syncLoanPrincipal(line!, 'L-2', 0, D + 41)); // L-2 paid off
    take(freezeLine(line!, 'suspected fraud', D + 50));
    take(unfreezeLine(line!, D + 51));
    take(closeLine(line!, D + 60));
    take(syncLoanPrincipal(line!, 'L-1', 0, D + 90)); // a closed line still restores as loans are repaid
    expect(rows).toEqual([
      ['line-opened', 2_000_000, 0, 2_000_000, 'active'],
      ['line-drawn', 2_000_000, 1_200_000, 800_000, 'active'],
      ['line-drawn', 2_000_000, 1_700_000, 300_000, 'active'],
      ['line-restored', 2_000_000, 1_600_000, 400_000, 'active'],
      ['(none)', 2_000_000, 1_600_000, 400_000, 'active'],
      ['line-limit-changed', 1_500_000, 1_600_000, 0, 'active'],
      ['line-restored', 1_500_000, 1_100_000, 400_000, 'active'],
      ['line-frozen', 1_500_000, 1_100_000, 400_000, 'frozen'],
      ['line-unfrozen', 1_500_000, 1_100_000, 400_000, 'active'],
      ['line-closed', 1_500_000, 1_100_000, 400_000, 'closed'],
      ['line-restored', 1_500_000, 0, 1_500_000, 'closed'],
    ]);
    expect(foldLineEvents(events)).toEqual(line!);
    // As of a past date: the events up to it.
    expect(foldLineEvents(events.filter((e) => e.day <= D + 30))?.usedMinor).toBe(1_600_000);
  });

  it('refuses a drawdown above the available amount and says the amount available', () => {
    const { line } = drawOnLine(
      openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 1_000_000, day: D }).line,
      'L-1',
      700_000,
      D,
    );
    const error = refusal(() => drawOnLine(line, 'L-2', 300_001, D));
    expect(error.code).toBe('line_limit_exceeded');
    expect(error.field).toBe('principalMinor');
    expect(error.availableMinor).toBe(300_000);
    expect(error.message).toContain('available 3000.00 CNY');
    expect(drawOnLine(line, 'L-2', 300_000, D).line.usedMinor).toBe(1_000_000);
  });

  it('refuses drawdowns on frozen and closed lines, and bad amounts', () => {
    const open = openLine({ lineId: 'CL-1', customerId: 'C-1', limitMinor: 1_000_000, day: D }).line;
    const frozen = freezeLine(open, 'review', D).line;
    expect(refusal(() => drawOnLine(frozen, 'L-1', 100, D)).code).toBe('line_frozen');
    const closed = closeLine(open, D).line;
    expect(refusal(() => drawOnLine(closed, 'L-1', 100, D)).code).toBe('line_closed');
    expect(refusal(() => unfreezeLine(open, D)).code).toBe('line_not_frozen');
    expect(refusal(() => freezeLine(frozen, 'again', D)).code).toBe('line_already_frozen');
    expect(refusal(() => drawOnLine(open, 'L-1', 0, D)).code).toBe('line_amount_invalid');
    expect(refusal(() => drawOnLine(open, 'L-1', 1.5, D)).code).toBe('line_amount_invalid');
    expect(refusal(() => drawOnLine(open, 'L-1', 100, D - 1)).code).toBe('line_event_out_of_order');
    expect(refusal(() => openLine({ lineId: 'CL-2', customerId: 'C-1', limitMinor: -1, day: D })).field).toBe(
      'limitMinor',
    );
    const drawn = drawOnLine(open, 'L-1', 100, D).line;
    expect(refusal(() => drawOnLine(drawn, 'L-1', 100, D)).code).toBe('loan_id_taken');
  });

  it("a drawdown opens a loan with its own schedule for the line's customer; a refused one opens none", () => {
    const product = parseProduct({
      method: 'equal-principal',
      termCount: 3,
      rate: { value: '0.0004', per: 'day' },
    });
    const open = openLine({ lineId: 'CL-1', customerId: 'C-9', limitMinor: 1_000_000, day: D }).line;
    const a = drawdown(open, { loanId: 'L-1', product, principalMinor: 600_000, day: D });
    const b = drawdown(a.line, { loanId: 'L-2', product, principalMinor: 300_000, day: D + 10 });
    expect(a.loan.state.customerId).toBe('C-9');
    expect(a.loan.state.lineId).toBe('CL-1');
    expect(a.loan.state.plan.map((i) => i.principalMinor)).toEqual([200_000, 200_000, 200_000]);
    expect(b.loan.state.plan.map((i) => i.principalMinor)).toEqual([100_000, 100_000, 100_000]);
    expect(b.loan.state.plan[0]!.dueDay).not.toBe(a.loan.state.plan[0]!.dueDay);
    expect(availableMinor(b.line)).toBe(100_000);
    expect(() => drawdown(b.line, { loanId: 'L-3', product, principalMinor: 100_001, day: D + 11 })).toThrow(
      /available 1000\.00 CNY/,
    );
  });

  it('property: used is always the sum of outstanding principal and never exceeds the limit through draws', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('draw' as const), amount: fc.integer({ min: 1, max: 600_000 }) }),
      fc.record({
        kind: fc.constant('repay' as const),
        pick: fc.nat(),
        fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      fc.record({ kind: fc.constant('limit' as const), amount: fc.integer({ min: 0, max: 2_000_000 }) }),
      fc.record({ kind: fc.constant('freeze' as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        let { line, events } = openLine({ lineId: 'CL', customerId: 'C', limitMinor: 1_000_000, day: D });
        const log = [...events];
        const outstanding = new Map<string, number>();
        let n = 0;
        for (const a of actions) {
          let next: { line: CreditLineState; events: readonly CreditLineEvent[] } | null = null;
          if (a.kind === 'draw') {
            const id = `L-${n++}`;
            const canDraw = line.status === 'active' && a.amount <= availableMinor(line);
            if (canDraw) {
              next = drawOnLine(line, id, a.amount, D);
              outstanding.set(id, a.amount);
            } else expect(() => drawOnLine(line, id, a.amount, D)).toThrow(CreditLineError);
          } else if (a.kind === 'repay' && outstanding.size > 0) {
            const ids = [...outstanding.keys()];
            const id = ids[a.pick % ids.length]!;
            const left = Math.floor(outstanding.get(id)! * a.fraction);
            next = syncLoanPrincipal(line, id, left, D);
            if (left === 0) outstanding.delete(id);
            else outstanding.set(id, left);
          } else if (a.kind === 'limit') next = changeLimit(line, a.amount, D);
          else if (a.kind === 'freeze')
            next = line.status === 'active' ? freezeLine(line, 'x', D) : unfreezeLine(line, D);
          if (next) {
            line = next.line;
            log.push(...next.events);
          }
          const sum = [...outstanding.values()].reduce((s, x) => s + x, 0);
          expect(line.usedMinor).toBe(sum);
          expect(availableMinor(line)).toBe(Math.max(0, line.limitMinor - sum));
        }
        expect(foldLineEvents(log)).toEqual(line);
      }),
      { numRuns: 200 },
    );
  });
});
