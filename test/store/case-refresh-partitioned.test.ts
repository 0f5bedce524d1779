import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { loanPosition } from '../../src/ledger/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  loanStateFromColumns,
  refreshCases,
  refreshCasesPartitioned,
} from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const D = parseDate('2026-03-10');
const SPEC = {
  seed: 11,
  customers: 60,
  loansPerCustomer_max: 3,
  drawFrom: addDays(D, -120),
  drawTo: addDays(D, -20),
  historyThrough: addDays(D, -1),
  behaviourShares: [
    ['never', 2],
    ['stops', 1],
    ['late', 1],
    ['on_time', 1],
  ] as [string, number][],
};

/** Every case column but its timestamps and (for cases opened on different databases) its random id. */
async function caseRows(db: Db, withId: boolean): Promise<string[]> {
  const { rows } = await db.query<{ t: string }>(
    `select concat_ws(',', ${withId ? 'case_id,' : ''} customer_id, status, opened_day, closed_day, close_reason,
       bucket, max_days_past_due, overdue_minor, total_owed_minor, past_due_loan_ids::text, borrower_zone,
       lost_contact, assignee, updated_day, row_version, strategy_arm, strategy_version, strategy_step, next_action,
       next_action_channel, next_action_reason, next_action_due_day, behaviour_score, assessment::text,
       assessment_version, vulnerabilities::text, complaint_open, cure_bp, priority_minor, opening_overdue_minor,
       paid_at_open_minor, paid_to_date_minor) as t
       from collection_cases order by customer_id, opened_day`,
  );
  return rows.map((r) => r.t);
}

/**
 * The refresh split by ranges of partition keys, each in its own transaction, writes the same cases as the
 * refresh over every borrower in one; and the refresh, which reads one instalment of each plan, finds each
 * borrower's figures as the position of the whole stored state does.
 */
describe.each(backends)('the case refresh by partition-key ranges on $name', (backend) => {
  let whole: Db;
  let split: Db;

  beforeAll(async () => {
    whole = await openMigrated(backend);
    split = await openMigrated(backend);
    for (const db of [whole, split]) await writeBook(db, SPEC as Parameters<typeof writeBook>[1]);
  }, 180_000);
  afterAll(async () => {
    await whole?.close();
    await split?.close();
  });

  it('opens the same cases, then updates them the same after one more day', async () => {
    const a = await whole.transaction((tx) => refreshCases(tx, addDays(D, -1), null));
    const b = await refreshCasesPartitioned(split, addDays(D, -1), { partitions: 5 });
    expect(a.opened).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(await caseRows(split, false)).toEqual(await caseRows(whole, false));

    // The same case ids on both from here, so the update is compared with them: the split run's cases and
    // what the refresh wrote against them (the steps' actions, decision 0757: the placements, the legal
    // requests and their events) go, and the whole run's are copied over.
    const refreshed = [
      'collection_cases',
      'collection_placements',
      'collection_legal_actions',
      'collection_legal_steps',
      'collection_legal_costs',
      'collection_step_actions',
    ];
    const present = new Set(
      (
        await split.query<{ table_name: string }>(
          `select table_name from information_schema.tables
            where table_schema = current_schema() and table_name = any($1::text[])`,
          [refreshed],
        )
      ).rows.map((r) => r.table_name),
    );
    const tables = refreshed.filter((t) => present.has(t));
    for (const t of [...tables].reverse()) await split.query(`delete from ${t}`);
    for (const t of tables) {
      const { rows } = await whole.query<Record<string, unknown>>(`select * from ${t}`);
      // JSON columns go as their text (a JSON array is no SQL array); text[] columns as arrays.
      const json = new Set(
        (
          await whole.query<{ column_name: string }>(
            `select column_name from information_schema.columns
              where table_name = $1 and table_schema = current_schema() and data_type in ('json', 'jsonb')`,
            [t],
          )
        ).rows.map((c) => c.column_name),
      );
      for (const r of rows) {
        const cols = Object.keys(r);
        await split.query(
          `insert into ${t} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          cols.map((c) => {
            const v = r[c];
            return v !== null && json.has(c) && typeof v !== 'string' ? JSON.stringify(v) : v;
          }),
        );
      }
    }
    for (const db of [whole, split]) {
      const ids = (await db.query<{ loan_id: string }>('select loan_id from loans')).rows.map(
        (r) => r.loan_id,
      );
      await db.transaction((tx) => closeLoansThrough(tx, ids, D));
    }
    const c = await whole.transaction((tx) => refreshCases(tx, D, null));
    const d = await refreshCasesPartitioned(split, D, { partitions: 3 });
    expect(d).toEqual(c);
    expect(c.updated + c.closed).toBeGreaterThan(10);
    expect(await caseRows(split, true)).toEqual(await caseRows(whole, true));
    // Run again for the same day: nothing moves.
    const before = await caseRows(split, true);
    await refreshCasesPartitioned(split, D, { partitions: 2 });
    expect(await caseRows(split, true)).toEqual(before);
  }, 180_000);

  it("sets each open case's figures from the whole state's position", async () => {
    const loans = await whole.query<{ customer_id: string; state: string; terms: string }>(
      `select customer_id, state::text as state, terms::text as terms from loans`,
    );
    const owed = new Map<string, number>();
    for (const r of loans.rows) {
      const p = loanPosition(loanStateFromColumns(r.state, r.terms));
      owed.set(r.customer_id, (owed.get(r.customer_id) ?? 0) + p.totalOwedMinor);
    }
    const open = await whole.query<{ customer_id: string; total_owed_minor: number }>(
      `select customer_id, total_owed_minor from collection_cases where status = 'open'`,
    );
    expect(open.rows.length).toBeGreaterThan(10);
    for (const r of open.rows) expect(Number(r.total_owed_minor)).toBe(owed.get(r.customer_id));
  });
});
