import { describe, expect, it } from 'vitest';
import { planCommand, principalOf } from '../../../src/ledger/change/index.js';
import {
  CommandConflictError,
  closeBusinessDaysThrough,
  commandLogEntries,
  commandLogEntry,
  EMPTY_LEDGER_BOOK,
  emptyCommandLog,
  handleCommand,
  type LedgerBook,
  type LedgerCommand,
  type LedgerCommandResult,
} from '../../../src/ledger/commands/index.js';
import { availableMinor, CreditLineError } from '../../../src/ledger/credit-line/index.js';
import { capitalisedPrincipalMinor, closeDaysThrough, loanPosition } from '../../../src/ledger/loan/index.js';
import {
  accountBalances,
  engineReceivables,
  reconcileBooks,
  trialBalance,
} from '../../../src/ledger/postings/index.js';
import { parseDate } from '../../../src/money/index.js';

const D = parseDate('2026-02-02');
const product = { method: 'equal-installment', termCount: 6, rate: { value: '0.0005', per: 'day' } };

function run() {
  let book: LedgerBook = EMPTY_LEDGER_BOOK;
  let log = emptyCommandLog<LedgerCommandResult>();
  const send = (command: LedgerCommand) => {
    const r = handleCommand(book, log, command);
    book = r.book;
    log = r.log;
    return r;
  };
  const close = (day: number) => {
    book = closeBusinessDaysThrough(book, day).book;
  };
  return {
    send,
    close,
    get book() {
      return book;
    },
    get log() {
      return log;
    },
  };
}

describe('handleCommand', () => {
  it('draws against the line, repays, restores the line, and answers repeats with the first result', () => {
    const t = run();
    t.send({
      kind: 'open-line',
      clientId: 'o-1',
      lineId: 'CL-1',
      customerId: 'C-1',
      limitMinor: 2_000_000,
      day: D,
    });
    const draw: LedgerCommand = {
      kind: 'draw',
      clientId: 'd-1',
      lineId: 'CL-1',
      loanId: 'L-1',
      product,
      principalMinor: 1_200_000,
      day: D,
    };
    const first = t.send(draw);
    expect(first.repeated).toBe(false);
    expect(first.result.loanEvents[0]?.type).toBe('LoanOpened');
    expect(availableMinor(t.book.lines['CL-1']!)).toBe(800_000);

    // The same drawdown again (a client retry): the first result, nothing new.
    const before = t.book;
    const again = t.send(draw);
    expect(again.repeated).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(t.book).toBe(before);

    // Same client id, another rate: refused, naming the nested field.
    try {
      t.send({ ...draw, product: { ...product, rate: { value: '0.0004', per: 'day' } } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CommandConflictError);
      expect((error as CommandConflictError).field).toBe('product.rate.value');
    }

    // Above the available amount: refused with the amount available, and nothing recorded.
    const tooMuch = () => t.send({ ...draw, clientId: 'd-2', loanId: 'L-2', principalMinor: 800_001 });
    expect(tooMuch).toThrow(CreditLineError);
    expect(tooMuch).toThrow(/available 8000\.00 CNY/);
    expect(Object.keys(t.book.loans)).toEqual(['L-1']);

    t.close(D + 40);
    const repayment: LedgerCommand = {
      kind: 'repay',
      clientId: 'r-1',
      loanId: 'L-1',
      amountMinor: 300_000,
      day: D + 41,
    };
    const paid = t.send(repayment);
    const position = loanPosition(t.book.loans['L-1']!.state);
    expect(t.book.lines['CL-1']!.usedMinor).toBe(position.outstandingPrincipalMinor);
    expect(position.outstandingPrincipalMinor).toBeLessThan(1_200_000);
    expect(paid.result.lineEvents.map((e) => e.type)).toEqual(['line-restored']);
    const afterPay = t.book;
    expect(t.send(repayment).result).toEqual(paid.result);
    expect(t.book).toBe(afterPay);
    expect(() => t.send({ ...repayment, amountMinor: 300_001 })).toThrow(
      /field "amountMinor" was 300000, now 300001/,
    );
    expect(reconcileBooks(t.book.loans['L-1']!)).toEqual([]);
  });

  it('takes a backdated repayment, and a write-off then a recovery; the books stay balanced', () => {
    const t = run();
    t.send({
      kind: 'open-line',
      clientId: 'o-1',
      lineId: 'CL-1',
      customerId: 'C-1',
      limitMinor: 2_000_000,
      day: D,
    });
    t.send({
      kind: 'draw',
      clientId: 'd-1',
      lineId: 'CL-1',
      loanId: 'L-1',
      product,
      principalMinor: 600_000,
      day: D,
    });
    t.close(D + 120);
    const late = t.book.loans['L-1']!;
    expect(loanPosition(late.state).overduePrincipalMinor).toBeGreaterThan(0);
    // Money that arrived on day D+35 is booked today, effective then.
    const r = t.send({ kind: 'repay', clientId: 'r-1', loanId: 'L-1', amountMinor: 120_000, day: D + 35 });
    expect(r.result.loanEvents[0]?.type).toBe('EventsSuperseded');
    const loan = t.book.loans['L-1']!;
    expect(loan.state.lastClosedDay).toBe(D + 120);
    expect(reconcileBooks(loan)).toEqual([]);
    expect(t.book.lines['CL-1']!.usedMinor).toBe(loanPosition(loan.state).outstandingPrincipalMinor);

    t.send({ kind: 'write-off', clientId: 'w-1', loanId: 'L-1', evidenceRef: 'case-1', day: D + 121 });
    expect(t.book.lines['CL-1']!.usedMinor).toBe(0);
    t.send({ kind: 'recover', clientId: 'rc-1', loanId: 'L-1', amountMinor: 5_000, day: D + 150 });
    const books = t.book.loans['L-1']!;
    expect(reconcileBooks(books)).toEqual([]);
    const b = accountBalances(books.postings);
    expect(b.principalCurrent.balanceMinor + b.principalOverdue.balanceMinor).toBe(0);
    expect(b.recoveriesIncome.balanceMinor).toBe(5_000);
    const tb = trialBalance(books.postings);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
    // The EOD leaves a written-off loan alone.
    t.close(D + 200);
    expect(t.book.loans['L-1']).toBe(books);
  });

  it('closes the days before a write-off first, so that everything owed up to then is written off', () => {
    const t = run();
    t.send({
      kind: 'open-line',
      clientId: 'o-1',
      lineId: 'CL-1',
      customerId: 'C-1',
      limitMinor: 2_000_000,
      day: D,
    });
    t.send({
      kind: 'draw',
      clientId: 'd-1',
      lineId: 'CL-1',
      loanId: 'L-1',
      product,
      principalMinor: 600_000,
      day: D,
    });
    t.close(D + 50);
    const expected = engineReceivables(closeDaysThrough(t.book.loans['L-1']!.state, D + 99).state);
    const w = t.send({
      kind: 'write-off',
      clientId: 'w-1',
      loanId: 'L-1',
      evidenceRef: 'case-1',
      day: D + 100,
    });
    expect(w.result.loanEvents.length).toBeGreaterThan(0);
    const owed =
      expected.principalCurrent +
      expected.principalOverdue +
      expected.interestReceivable +
      expected.penaltyReceivable +
      expected.feeReceivable;
    const books = t.book.loans['L-1']!;
    expect(accountBalances(books.postings).writeOffLoss.balanceMinor).toBe(owed);
    expect(expected.penaltyReceivable).toBeGreaterThan(0);
    expect(reconcileBooks(books)).toEqual([]);
  });

  it('restructures a loan past due and makes a settlement offer, as the change planner does; the line counts only what was drawn', () => {
    const t = run();
    t.send({
      kind: 'open-line',
      clientId: 'o-1',
      lineId: 'CL-1',
      customerId: 'C-1',
      limitMinor: 2_000_000,
      day: D,
    });
    t.send({
      kind: 'draw',
      clientId: 'd-1',
      lineId: 'CL-1',
      loanId: 'L-1',
      product,
      principalMinor: 600_000,
      day: D,
    });
    t.send({
      kind: 'draw',
      clientId: 'd-2',
      lineId: 'CL-1',
      loanId: 'L-2',
      product,
      principalMinor: 300_000,
      day: D,
    });
    t.close(D + 70);
    const before = t.book.loans['L-1']!.state;
    const request = {
      kind: 'negotiated-plan',
      months: 24,
      monthlyIncomeMinor: 800_000,
      penalty: 'capitalise',
    } as const;
    // Dated a few days after the last closed day: the days between are closed first, as the planner does.
    const planned = planCommand(before, null, {
      type: 'restructure',
      ...request,
      day: D + 75,
      clientId: 'rs-1',
    });
    const r = t.send({ kind: 'restructure', clientId: 'rs-1', loanId: 'L-1', day: D + 75, request });
    expect(r.result.loanEvents).toEqual(planned.events);
    const after = t.book.loans['L-1']!;
    expect(after.state).toEqual(planned.state);
    expect(reconcileBooks(after)).toEqual([]);
    expect(capitalisedPrincipalMinor(after.state)).toBeGreaterThan(0);
    // Capitalised penalty and interest were never drawn on the line: it counts the drawn principal only.
    const used = principalOf(after.state) + principalOf(t.book.loans['L-2']!.state);
    expect(t.book.lines['CL-1']!.usedMinor).toBe(used);
    expect(used).toBeLessThan(
      loanPosition(after.state).outstandingPrincipalMinor +
        loanPosition(t.book.loans['L-2']!.state).outstandingPrincipalMinor,
    );
    // A repeat answers the first result; a restructuring on a closed day is refused and changes nothing.
    expect(
      t.send({ kind: 'restructure', clientId: 'rs-1', loanId: 'L-1', day: D + 75, request }).repeated,
    ).toBe(true);
    const kept = t.book;
    expect(() =>
      t.send({ kind: 'restructure', clientId: 'rs-2', loanId: 'L-2', day: D + 60, request }),
    ).toThrow(/already closed/);
    expect(t.book).toBe(kept);

    const offer = t.send({
      kind: 'offer-settlement',
      clientId: 's-1',
      loanId: 'L-2',
      offerMinor: 200_000,
      validThroughDay: D + 90,
      day: D + 80,
    });
    const offered = offer.result.loanEvents.find((e) => e.type === 'SettlementOffered');
    expect(offered).toMatchObject({ offerMinor: 200_000, validThroughDay: D + 90 });
    t.send({ kind: 'repay', clientId: 'p-1', loanId: 'L-2', amountMinor: 200_000, day: D + 85 });
    const settled = t.book.loans['L-2']!;
    expect(settled.state.status).toBe('settled');
    expect(reconcileBooks(settled)).toEqual([]);
    const tb = trialBalance(settled.postings);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
  });

  it('refuses unknown lines and loans, frozen lines, and keeps nothing of a refusal', () => {
    const t = run();
    expect(() => t.send({ kind: 'repay', clientId: 'r-1', loanId: 'nope', amountMinor: 1, day: D })).toThrow(
      /no loan nope/,
    );
    t.send({
      kind: 'open-line',
      clientId: 'o-1',
      lineId: 'CL-1',
      customerId: 'C-1',
      limitMinor: 100_000,
      day: D,
    });
    t.send({ kind: 'freeze-line', clientId: 'f-1', lineId: 'CL-1', reason: 'review', day: D });
    const draw: LedgerCommand = {
      kind: 'draw',
      clientId: 'd-1',
      lineId: 'CL-1',
      loanId: 'L-1',
      product,
      principalMinor: 50_000,
      day: D,
    };
    expect(() => t.send(draw)).toThrow(/frozen/);
    t.send({ kind: 'unfreeze-line', clientId: 'u-1', lineId: 'CL-1', day: D });
    // The refused drawdown was not recorded: the same client id now goes through.
    expect(t.send(draw).repeated).toBe(false);
    const stored = JSON.parse(JSON.stringify(t.log));
    expect(commandLogEntry<LedgerCommandResult>(stored, 'd-1')?.result.kind).toBe('draw');
    expect([...commandLogEntries(t.log)].map(([id]) => id).sort()).toEqual(['d-1', 'f-1', 'o-1', 'u-1']);
  });
});
