import { describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  loanStateFromColumns,
  loansNeedingEod,
  migrate,
  migrations,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

/**
 * loan_eod (migration 0008, decision 0234): EOD's narrow copy of each loan's partition key, marker and
 * next event day, kept by triggers on loans so that the daily update of a loan row writes no index.
 */

const LOANS_EOD_COLUMNS = `customer_id, loan_id, partition_key, last_closed_day::text as last_closed_day,
  next_event_day::text as next_event_day`;

async function inStep(db: Db): Promise<void> {
  const loans = await db.query(`select ${LOANS_EOD_COLUMNS} from loans order by customer_id, loan_id`);
  const kept = await db.query(`select ${LOANS_EOD_COLUMNS} from loan_eod order by customer_id, loan_id`);
  expect(kept.rows).toEqual(loans.rows);
}

/** A loan row with a stand-in state, at schema version 8 (no terms column) or later. */
async function insertRawLoan(
  db: Db,
  customerId: string,
  loanId: string,
  closed: string,
  next: string,
  state = '{}',
) {
  const { rows } = await db.query<{ version: number }>(
    'select max(version) as version from schema_migrations',
  );
  const terms = (rows[0]?.version ?? 0) >= 9;
  await db.query(
    `insert into loans (customer_id, loan_id, line_id, product_id, product_version, status, principal_minor,
       opened_day, state, seq, last_closed_day, next_event_day${terms ? ', terms' : ''})
     values ($1, $2, 'cl_1', 'p', 1, 'active', 100, '2026-01-01', $5::jsonb, 1, $3::date, $4::date${terms ? ", '{}'" : ''})`,
    [customerId, loanId, closed, next, state],
  );
}

describe.each(backends)('loan_eod on $name', (backend) => {
  it('is filled from the loans already stored when migration 0008 runs', async () => {
    const db = await backend.open();
    try {
      await migrate(
        db,
        migrations.filter((m) => m.version < 8),
      );
      await insertRawLoan(db, 'cus_a', 'ln_1', '2026-01-31', '2026-02-10');
      await insertRawLoan(db, 'cus_b', 'ln_2', '2026-01-31', 'infinity');
      const report = await migrate(
        db,
        migrations.filter((m) => m.version <= 8),
      );
      expect(report.applied).toEqual([8]);
      await inStep(db);
      expect((await db.query('select count(*)::int as n from loan_eod')).rows[0]).toEqual({ n: 2 });
      const { rows } = await db.query<{ reloptions: string[] | null }>(
        `select reloptions from pg_class where oid = 'loans'::regclass`,
      );
      expect(rows[0]?.reloptions).toContain('fillfactor=75');
      const indexes = await db.query<{ indexname: string }>(
        `select indexname from pg_indexes where schemaname = current_schema() and tablename = 'loans'
          order by indexname`,
      );
      expect(indexes.rows.map((r) => r.indexname)).not.toContain('loans_eod');
    } finally {
      await db.close();
    }
  });

  it('follows every insert, update and delete of loans', async () => {
    const db = await openMigrated(backend);
    try {
      await insertRawLoan(db, 'cus_a', 'ln_1', '2026-01-31', '2026-02-10');
      await insertRawLoan(db, 'cus_a', 'ln_2', '2026-01-31', '2026-02-03');
      await insertRawLoan(db, 'cus_c', 'ln_3', '2026-01-31', '2026-02-05');
      await inStep(db);
      await db.query(`update loans set last_closed_day = '2026-02-09' where loan_id = 'ln_1'`);
      await db.query(
        `update loans set next_event_day = 'infinity', status = 'settled' where loan_id = 'ln_2'`,
      );
      // A write of the state alone keeps the marker: loan_eod is not touched, and stays in step.
      await db.query(`update loans set state = '{"bucket": "M0"}'::jsonb where loan_id = 'ln_3'`);
      await inStep(db);
      await db.query(`delete from loans where loan_id = 'ln_3'`);
      await inStep(db);
      expect((await db.query('select count(*)::int as n from loan_eod')).rows[0]).toEqual({ n: 2 });
    } finally {
      await db.close();
    }
  });

  it("closes a day's loans with work without writing any index of loans (HOT updates)", async () => {
    const db = await openMigrated(backend);
    try {
      const day = parseDate('2025-03-20');
      await writeBook(db, {
        seed: 7,
        customers: 60,
        loansPerCustomer_max: 2,
        drawFrom: parseDate('2025-01-02'),
        drawTo: parseDate('2025-02-28'),
        // A month behind: nearly every active loan has an instalment falling due before the day.
        historyThrough: day - 30,
      });
      const behind = await loansNeedingEod(db, day, undefined, null, 10_000);
      // One loan per page, as on a real day when a few percent of the book has work: the page's free room
      // (fill factor 75) takes one new row version, not a new version of every row on it.
      const { rows: onePerPage } = await db.query<{ loan_id: string }>(
        `select distinct on ((ctid::text::point)[0]) loan_id from loans where loan_id = any($1::text[])
          order by (ctid::text::point)[0], loan_id`,
        [behind],
      );
      const ids = onePerPage.map((r) => r.loan_id);
      expect(ids.length).toBeGreaterThan(20);
      const listColumns = async (q: Db | Parameters<Parameters<Db['transaction']>[0]>[0]) =>
        new Map(
          (
            await q.query<{ loan_id: string; figures: string }>(
              `select loan_id, concat_ws(' ', bucket, outstanding_principal_minor) as figures from loans
                where loan_id = any($1::text[])`,
              [ids],
            )
          ).rows.map((r) => [r.loan_id, r.figures]),
        );
      const before = await listColumns(db);
      // Rows of the TOAST table of loans, where `terms` lives: a value written again adds rows (the old
      // ones stay until vacuumed).
      const toastRows = async (q: Pick<Db, 'query'>) => {
        const { rows } = await q.query<{ toast: string }>(
          `select reltoastrelid::regclass::text as toast from pg_class where oid = 'loans'::regclass`,
        );
        const counted = await q.query<{ n: number }>(`select count(*)::int as n from ${rows[0]?.toast}`);
        return counted.rows[0]?.n ?? 0;
      };
      const toastBefore = await toastRows(db);
      expect(toastBefore).toBeGreaterThan(0);
      const { hot, unchanged, toastInserts } = await db.transaction(async (tx) => {
        const r = await closeLoansThrough(tx, ids, day);
        expect(r.loansClosed).toBe(ids.length);
        const after = await listColumns(tx);
        // This transaction's own counts (pg_stat_xact_*), not yet flushed to the shared statistics.
        const { rows } = await tx.query<{ updated: number; hot: number }>(
          `select n_tup_upd::int as updated, n_tup_hot_upd::int as hot from pg_stat_xact_user_tables
            where relid = 'loans'::regclass`,
        );
        expect(rows[0]?.updated).toBe(ids.length);
        const toast = await toastRows(tx);
        return {
          hot: rows[0]?.hot,
          unchanged: ids.filter((id) => before.get(id) === after.get(id)).length,
          toastInserts: toast - toastBefore,
        };
      });
      // A loan whose bucket or outstanding principal moved writes the list indexes of migration 0005;
      // every other update is HOT.
      expect(unchanged).toBeGreaterThan(0);
      expect(hot).toBe(unchanged);
      // Nor is the loan's plan and product written again (migration 0009): the TOAST table is not touched.
      expect(toastInserts).toBe(0);
      await inStep(db);
    } finally {
      await db.close();
    }
  });
});

describe.each(backends)('loan terms on $name', (backend) => {
  it('are split from the states already stored when migration 0009 runs, and read back as one state', async () => {
    const db = await backend.open();
    try {
      await migrate(
        db,
        migrations.filter((m) => m.version < 9),
      );
      const state = {
        loanId: 'ln_1',
        seq: 3,
        product: { id: 'p', termCount: 2 },
        plan: [{ number: 1, principalMinor: 50 }],
        dues: [],
        bucket: 'M0',
        notDuePrincipalMinor: 100,
        periodInterestExact: { $bigint: '12345678901234567890' },
      };
      await insertRawLoan(db, 'cus_a', 'ln_1', '2026-01-31', '2026-02-10', JSON.stringify(state));
      // A damaged state (not an object) is kept as it is, with empty terms.
      await insertRawLoan(db, 'cus_b', 'ln_2', '2026-01-31', '2026-02-10', 'null');
      expect(
        (
          await migrate(
            db,
            migrations.filter((m) => m.version <= 9),
          )
        ).applied,
      ).toEqual([9]);
      const { rows } = await db.query<{ loan_id: string; state: string; terms: string; outstanding: number }>(
        `select loan_id, state::text as state, terms::text as terms,
           outstanding_principal_minor::int as outstanding from loans order by loan_id`,
      );
      expect(rows.map((r) => r.loan_id)).toEqual(['ln_1', 'ln_2']);
      const [one, two] = rows;
      expect(JSON.parse(one?.state ?? '')).not.toHaveProperty('plan');
      expect(JSON.parse(one?.state ?? '')).not.toHaveProperty('product');
      expect(loanStateFromColumns(one?.state ?? '', one?.terms ?? '')).toEqual({
        ...state,
        periodInterestExact: 12345678901234567890n,
      });
      expect(one?.outstanding).toBe(100);
      expect([two?.state, two?.terms]).toEqual(['null', '{}']);
    } finally {
      await db.close();
    }
  });
});
