import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { type Db, setFirstBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

/** The refusal to move the first business day of a database with ledger activity counts what it found. */
describe('setFirstBusinessDay on a database with ledger activity', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backends[0]!);
  });
  afterAll(async () => {
    await db.close();
  });

  const refusal = () =>
    setFirstBusinessDay(db, '2025-01-01', '2026-06-30').then(
      () => 'set',
      (error: Error) => error.message,
    );
  const text = (found: string) =>
    `the database has ledger activity already (${found}); its business day moves only by EOD (lendguard eod --date). Set the first business day on a new database, before any line or loan is written`;
  const customer = (seed: number) =>
    writeBook(db, {
      seed,
      customers: 1,
      loansPerCustomer_max: 1,
      drawFrom: parseDate('2025-01-02'),
      drawTo: parseDate('2025-01-10'),
    });

  it('names one credit line and one loan in the singular, two in the plural', async () => {
    expect(await customer(4)).toMatchObject({ lines: 1, loans: 1 });
    expect(await refusal()).toBe(text('1 credit line, 1 loan'));
    expect(await customer(5)).toMatchObject({ lines: 1, loans: 1 });
    expect(await refusal()).toBe(text('2 credit lines, 2 loans'));
  });
});
