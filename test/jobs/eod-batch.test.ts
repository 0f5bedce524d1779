import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import { addDays, parseDate } from '../../src/money/index.js';
import {
  advanceQuietLoans,
  applyLoanCommand,
  closeLoansOneAtATime,
  closeLoansThrough,
  type Db,
  loansNeedingEod,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { dumpLedger } from './book-dump.js';

/**
 * Batched closing (one read, the engine in memory, one write per table) must store exactly what
 * closing the same loans one at a time stores: every loan row and marker, event, posting, snapshot,
 * credit line and row version. Two copies of one book are taken through the same business days, one
 * with each path, in batches of random sizes.
 */

const HISTORY_THROUGH = parseDate('2025-04-01');
/** Business days closed in each case: month ends, due dates and quiet days among them. */
const CLOSE_STEPS_MAX = 5;
const CLOSE_STEP_DAYS_MAX = 25;
const FIRST_STEP_DAYS = 30;

async function bookOf(backend: (typeof backends)[number], seed: number): Promise<Db> {
  const db = await openMigrated(backend);
  await writeBook(db, {
    seed,
    customers: 40,
    // Several loans per line: a line whose loans' principal moves in one batch is saved once per loan.
    loansPerCustomer_max: 3,
    drawFrom: parseDate('2025-01-02'),
    drawTo: parseDate('2025-03-31'),
    historyThrough: HISTORY_THROUGH,
  });
  // Every active loan pays well ahead, kept as a credit balance: the credit is applied when the next
  // instalments fall due, so closing those days moves principal and the credit lines must follow.
  const { rows } = await db.query<{ loan_id: string; principal_minor: number }>(
    `select loan_id, principal_minor from loans where status = 'active' order by loan_id`,
  );
  for (const { loan_id, principal_minor } of rows) {
    await db.transaction((tx) =>
      applyLoanCommand(tx, loan_id, {
        type: 'repay',
        amountMinor: Math.round(Number(principal_minor) / 3),
        day: addDays(HISTORY_THROUGH, 1),
        clientId: `ahead-${loan_id}`,
        excess: 'credit',
      }),
    );
  }
  return db;
}

type Close = typeof closeLoansThrough;

async function closeDay(db: Db, day: number, batchSize: number, close: Close): Promise<number> {
  let after: string | null = null;
  let events = 0;
  await db.transaction((tx) => advanceQuietLoans(tx, day));
  for (;;) {
    const from = after;
    const ids = await loansNeedingEod(db, day, undefined, from, batchSize);
    if (ids.length === 0) break;
    events += (await db.transaction((tx) => close(tx, ids, day))).eventsWritten;
    after = ids.at(-1) ?? null;
  }
  return events;
}

describe.each(backends)('batched EOD closing on $name', (backend) => {
  it('stores exactly what closing loan by loan stores', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: CLOSE_STEP_DAYS_MAX }), { maxLength: CLOSE_STEPS_MAX }),
        fc.integer({ min: 1, max: 40 }),
        async (seed, steps, batchSize) => {
          const batched = await bookOf(backend, seed);
          const single = await bookOf(backend, seed);
          try {
            let day = HISTORY_THROUGH;
            let events = 0;
            // The first close spans a month (every loan has a due date in it, and April's end).
            for (const step of [FIRST_STEP_DAYS, ...steps]) {
              day = addDays(day, step);
              const a = await closeDay(batched, day, batchSize, closeLoansThrough);
              const b = await closeDay(single, day, batchSize, closeLoansOneAtATime);
              expect(a).toBe(b);
              events += a;
            }
            const dumped = await dumpLedger(batched);
            expect(dumped).toEqual(await dumpLedger(single));
            // The days closed did work, and lines followed several loans each: the comparison is not
            // between two empty batches.
            expect(events).toBeGreaterThan(0);
            const lineSaves = (dumped.credit_lines as { row_version: number }[]).map((l) =>
              Number(l.row_version),
            );
            expect(Math.max(...lineSaves)).toBeGreaterThan(3);
          } finally {
            await batched.close();
            await single.close();
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});
