/**
 * What the month-end build holds of each loan (its state closed through the month end, already parsed to
 * classify it) against what the ECL report reads from the journal and the events for the same day: the
 * receivable balance (gross carrying amount), the principal, and which loans are exposures. The ECL could
 * take these from the month-end rows instead of replaying the journal only where they agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import { loadBookAsOf, observationDays } from '../../src/jobs/reports/book-inputs.js';
import { engineReceivables, type LoanState } from '../../src/ledger/index.js';
import { addDays, type Day, parseDate } from '../../src/money/index.js';
import { type Db, loadReportJournalDays, migrate, monthEndSnapshotPage } from '../../src/store/index.js';
import { backends } from '../store/backends.js';

const JUNE = parseDate('2026-06-30');

async function statesAt(db: Db, day: Day): Promise<LoanState[]> {
  const out: LoanState[] = [];
  let after: { customerId: string; loanId: string } | null = null;
  for (;;) {
    const page = await monthEndSnapshotPage(db, day, after, 500);
    out.push(...page);
    const last = page.at(-1);
    if (last === undefined || page.length < 500) return out;
    after = { customerId: last.customerId, loanId: last.loanId };
  }
}

describe.each(backends)('on $name', (backend) => {
  let db: Db;

  beforeAll(async () => {
    db = await backend.open();
    await migrate(db);
    await writeBook(db, {
      seed: 7,
      customers: 150,
      loansPerCustomer_max: 3,
      drawFrom: addDays(JUNE, -540),
      drawTo: addDays(JUNE, -5),
      historyThrough: JUNE,
    });
  }, 600_000);

  afterAll(async () => {
    await db.close();
  });

  it('gives, at each observed month end, the receivable and principal the journal holds, loan by loan', async () => {
    const journal = await loadReportJournalDays(db, JUNE);
    const { rows: loans } = await db.query<{ loan_id: string; opened_day: string }>(
      'select loan_id, opened_day::text as opened_day from loans',
    );
    let compared = 0;
    let closed = 0;
    for (const day of observationDays(JUNE)) {
      const receivable = new Map<string, number>();
      const principal = new Map<string, number>();
      for (const j of journal) {
        if (j.day > day) continue;
        receivable.set(j.loanId, (receivable.get(j.loanId) ?? 0) + j.receivableNetMinor);
        principal.set(j.loanId, (principal.get(j.loanId) ?? 0) + j.principalNetMinor);
      }
      const active = new Map<string, LoanState>();
      for (const s of await statesAt(db, day)) if (s.status === 'active') active.set(s.loanId, s);
      for (const loan of loans) {
        if (parseDate(loan.opened_day) > day) continue;
        const state = active.get(loan.loan_id);
        const books = [receivable.get(loan.loan_id) ?? 0, principal.get(loan.loan_id) ?? 0];
        if (state === undefined) {
          // Settled or written off by then: nothing left on the receivable accounts.
          expect([loan.loan_id, day, ...books]).toEqual([loan.loan_id, day, 0, 0]);
          closed += 1;
          continue;
        }
        const r = engineReceivables(state);
        const engine = [
          r.principalCurrent +
            r.principalOverdue +
            r.interestReceivable +
            r.penaltyReceivable +
            r.feeReceivable,
          r.principalCurrent + r.principalOverdue,
        ];
        expect([loan.loan_id, day, ...engine]).toEqual([loan.loan_id, day, ...books]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(closed).toBeGreaterThan(100);
  });

  it('has an active month-end state for exactly the loans the ECL measures, with their balance', async () => {
    const book = await loadBookAsOf(db, JUNE);
    const drawn = book.exposures.filter((e) => e.kind === 'drawn');
    const states = (await statesAt(db, JUNE)).filter((s) => s.status === 'active');
    const fromStates = states
      .map((s) => {
        const r = engineReceivables(s);
        return {
          loanId: s.loanId,
          balance:
            r.principalCurrent +
            r.principalOverdue +
            r.interestReceivable +
            r.penaltyReceivable +
            r.feeReceivable,
        };
      })
      .filter((x) => x.balance > 0)
      .sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
    expect(drawn.length).toBeGreaterThan(100);
    expect(fromStates).toEqual(
      drawn
        .map((e) => ({ loanId: e.exposureId, balance: e.balanceMinor }))
        .sort((a, b) => (a.loanId < b.loanId ? -1 : 1)),
    );
  });
});
