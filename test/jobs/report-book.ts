import { writeBook } from '../../src/jobs/book.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { type Db, migrate, openPglite } from '../../src/store/index.js';

/** The report tests' seeded book: a year and a half of drawdowns, every payer behaviour, closed to 2026-06-11. */
export const REPORT_BOOK_TODAY = parseDate('2026-06-15');
export const REPORT_AS_OF = '2026-05-31';

export async function reportBook(seed = 17, customers = 160): Promise<Db> {
  const db = await openPglite();
  await migrate(db);
  await writeBook(db, {
    seed,
    customers,
    loansPerCustomer_max: 3,
    drawFrom: addDays(REPORT_BOOK_TODAY, -540),
    drawTo: addDays(REPORT_BOOK_TODAY, -10),
    historyThrough: addDays(REPORT_BOOK_TODAY, -4),
  });
  await db.query(`update business_day set day = '2026-06-12'`);
  return db;
}
