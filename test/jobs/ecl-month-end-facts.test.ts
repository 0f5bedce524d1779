/**
 * What the month-end build holds of each loan (its state closed through the month end, already parsed to
 * classify it) against what the ECL report reads from the journal and the events for the same day: the
 * receivable balance (gross carrying amount), the principal, and which loans are exposures. The ECL could
 * take these from the month-end rows instead of replaying the journal only where they agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMonthEndEcl } from '../../src/jobs/ecl-posting.js';
import { loadBookAsOf, loadEclBookAsOf, observationDays } from '../../src/jobs/reports/book-inputs.js';
import { computeEcl, eclLoader, rollForwardFromStored } from '../../src/jobs/reports/ecl.js';
import { buildMonthEnd } from '../../src/jobs/reports/month-end.js';
import { loadScenarioPack } from '../../src/jobs/reports/scenarios.js';
import { engineReceivables, type LoanState } from '../../src/ledger/index.js';
import { type Day, parseDate } from '../../src/money/index.js';
import { buildEclReport } from '../../src/reporting/index.js';
import { type Db, loadReportJournalDays, monthEndSnapshotPage } from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { eclBook } from './report-book.js';

const MAY = parseDate('2026-05-31');
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
    db = await eclBook(() => backend.open());
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

  describe('the ECL read from the built month end', () => {
    /** The report as the replay of every loan's journal and terms gives it. */
    async function replayed(asOf: Day) {
      const run = await computeEcl(db, asOf, { pack: loadScenarioPack() }, loadBookAsOf);
      return buildEclReport({
        asOf,
        model: run.model,
        rows: run.rows,
        rollForward: await rollForwardFromStored(db, run),
      });
    }

    it('falls back to the replay where the month end is not built', async () => {
      const fromFacts = await loadEclBookAsOf(db, MAY);
      const book = await loadBookAsOf(db, MAY);
      expect(fromFacts).toEqual(book);
    });

    it('gives the same report as the replay, figure for figure, with and without a roll-forward', async () => {
      for (const d of [MAY, JUNE]) await buildMonthEnd(db, d, 'test');
      const books = [await loadEclBookAsOf(db, JUNE), await loadBookAsOf(db, JUNE)];
      const shaped = books.map((b) => ({ paths: b.paths, workouts: b.workouts, exposures: b.exposures }));
      expect(shaped[0]).toEqual(shaped[1]);
      expect(books[0]!.workouts.length).toBeGreaterThan(10);
      // Read from the month end: only the defaulted loans' journal was read.
      const withJournal = books.map((b) => b.loans.filter((l) => l.journal.length > 0).length);
      expect(withJournal[0]).toBe(books[0]!.workouts.length);
      expect(withJournal[1]).toBeGreaterThan(5 * withJournal[0]!);
      const runs = [
        await computeEcl(db, JUNE, {}, loadEclBookAsOf),
        await computeEcl(db, JUNE, {}, loadBookAsOf),
      ];
      expect(runs[0]!.rows).toEqual(runs[1]!.rows);
      expect(JSON.stringify(await eclLoader.load(db, { asOf: '2026-06-30' }))).toBe(
        JSON.stringify(await replayed(JUNE)),
      );
      // May's run stored and posted: June's report then carries the roll-forward from it.
      await postMonthEndEcl(db, MAY);
      const withRollForward = await eclLoader.load(db, { asOf: '2026-06-30' });
      expect(withRollForward.tables.some((t) => t.name === 'roll-forward')).toBe(true);
      expect(JSON.stringify(withRollForward)).toBe(JSON.stringify(await replayed(JUNE)));
      expect(JSON.stringify(await eclLoader.load(db, { asOf: '2026-05-31' }))).toBe(
        JSON.stringify(await replayed(MAY)),
      );
    });
  });
});
