import { counted, formatDate, parseDate } from '../money/index.js';
import type { Db } from './db.js';

/** Why the first business day of a database could not be set; the message says what to do. */
export class FirstBusinessDayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirstBusinessDayError';
  }
}

/**
 * Sets the first business day of a database that has no ledger activity yet (no credit line, loan or
 * posting), so that a book can start behind the clock (a lender moving over, a test, the demo) and EOD
 * then runs forward to today. A migration starts the business day at the database's current date; once a
 * line or loan exists the day only moves by EOD, so this is refused, naming what exists. `today` is the
 * lender's date, read by the caller: a first day after it is refused too.
 */
export async function setFirstBusinessDay(db: Db, day: string, today: string): Promise<void> {
  let value: number;
  try {
    value = parseDate(day, 'business day');
  } catch {
    throw new FirstBusinessDayError(`the business day must be a calendar date YYYY-MM-DD; got "${day}"`);
  }
  if (value > parseDate(today)) {
    throw new FirstBusinessDayError(
      `the first business day ${formatDate(value)} is after today ${today}; give today or an earlier date`,
    );
  }
  await db.transaction(async (tx) => {
    // The ledger's writers read this row; holding it keeps a first line from slipping in meanwhile.
    await tx.query('select day from business_day for update');
    const { rows } = await tx.query<{ lines: number; loans: number; postings: number }>(
      `select (select count(*) from credit_lines)::int as lines, (select count(*) from loans)::int as loans,
              (select count(*) from (select 1 from postings limit 1) p)::int as postings`,
    );
    const found = rows[0]!;
    if (found.lines > 0 || found.loans > 0 || found.postings > 0) {
      throw new FirstBusinessDayError(
        `the database has ledger activity already (${counted(found.lines, 'credit line')}, ${counted(found.loans, 'loan')}); its business day moves only by EOD (lendguard eod --date). Set the first business day on a new database, before any line or loan is written`,
      );
    }
    await tx.query('update business_day set day = $1::date, updated_at = now()', [formatDate(value)]);
  });
}
