import { describe, expect, it } from 'vitest';
import {
  isLedgerInputError,
  type LoanEvent,
  planClose,
  planCommand,
  planSettlementOffer,
  replay,
  type SettlementOfferCommand,
} from '../../../src/ledger/index.js';
import { openLoan } from '../../../src/ledger/loan/index.js';
import { openLoanBooks, reconcileBooks, trialBalance } from '../../../src/ledger/postings/index.js';
import { d, product } from '../loan/driver.js';

/*
 * A settlement offer (减免结清) through the planner as the server runs it: the same change as
 * `planSettlementOffer`, idempotent through the command log like any command, and never on a closed day.
 * The loan is the scenario tables' (driver.ts): 3,000.00 drawn 2026-01-15, nothing paid; on 2026-03-20 it
 * owes 3,105.50 (settlement.test.ts works it out by hand).
 */
function pastDue() {
  const opened = openLoan({
    loanId: 'L-1',
    customerId: 'C-1',
    lineId: 'CL-1',
    product: product(),
    principalMinor: 300000,
    day: d('2026-01-15'),
  });
  const closed = planClose(opened.state, d('2026-03-19'));
  return { state: closed.state, log: [...opened.events, ...closed.events] as LoanEvent[] };
}

const command = (day: string, offerMinor: number): SettlementOfferCommand => ({
  type: 'offer-settlement',
  offerMinor,
  validThroughDay: d('2026-03-31'),
  day: d(day),
  clientId: 'offer-1',
});

describe('a settlement offer through the change planner', () => {
  it('plans the same change as planSettlementOffer, states what is owed and the discount, and its postings balance', () => {
    const { state, log } = pastDue();
    const viaCommand = planCommand(state, null, command('2026-03-20', 200000));
    const direct = planSettlementOffer(state, null, {
      offerMinor: 200000,
      validThroughDay: d('2026-03-31'),
      day: d('2026-03-20'),
      clientId: 'offer-1',
    });
    expect(viaCommand).toEqual(direct);
    const offered = viaCommand.events.find((e) => e.type === 'SettlementOffered');
    expect(offered).toMatchObject({ owedMinor: 310550, offerMinor: 200000, discountMinor: 110550 });
    const all = [...log, ...viaCommand.events];
    expect(replay(all).settlement).toEqual(viaCommand.state.settlement);
    const books = openLoanBooks(all).books;
    expect(reconcileBooks(books)).toEqual([]);
    const tb = trialBalance(books.postings);
    expect(tb.totalDebitMinor).toBe(tb.totalCreditMinor);
  });

  it('is refused on a closed day, as a restructuring is, naming the day', () => {
    const { state } = pastDue();
    try {
      planCommand(state, null, command('2026-03-10', 200000));
      expect.unreachable('a settlement offer on a closed day was planned');
    } catch (error) {
      expect(isLedgerInputError(error) && error.code).toBe('day_already_closed');
      expect(String(error)).toContain('a settlement offer takes effect on the business day or later');
    }
  });
});
