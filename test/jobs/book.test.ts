import { describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import { loanPosition } from '../../src/ledger/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { type Db, loanStateFromColumns } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';

/** A settled loan may keep at most this much credit (rounding of a plan's amounts), in fen. */
const SETTLED_CREDIT_MINOR_MAX = 100;
const TODAY = parseDate('2026-06-15');

async function demoLikeBook(seed: number): Promise<Db> {
  const db = await openMigratedPglite();
  // The demo's shape: a year of loans with every repayment behaviour, history up to the last days.
  await writeBook(db, {
    seed,
    customers: 120,
    loansPerCustomer_max: 3,
    drawFrom: addDays(TODAY, -365),
    drawTo: addDays(TODAY, -10),
    historyThrough: addDays(TODAY, -4),
  });
  return db;
}

describe('the synthetic book', () => {
  it('leaves no settled loan with a credit balance: payers pay what is due, the last instalment with the payoff', {
    timeout: 120_000,
  }, async () => {
    for (const seed of [1, 2]) {
      const db = await demoLikeBook(seed);
      try {
        const { rows } = await db.query<{ state: string; terms: string }>(
          `select state::text as state, terms::text as terms from loans where status = 'settled'`,
        );
        const credits = rows.map((r) => loanPosition(loanStateFromColumns(r.state, r.terms)).creditMinor);
        // Many loans settle within a year, so the bound is checked on a real population.
        expect(credits.length).toBeGreaterThan(50);
        expect(Math.max(...credits)).toBeLessThanOrEqual(SETTLED_CREDIT_MINOR_MAX);
      } finally {
        await db.close();
      }
    }
  });
});
