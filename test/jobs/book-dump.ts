import type { Queryable } from '../../src/store/index.js';

/**
 * Everything the ledger holds that EOD writes, in a stable order and without the columns that record
 * when a row was written (timestamps, the journal's identity numbers, which depend on the order in which
 * concurrent workers inserted): two books that went through the same business days must dump equal.
 */
export async function dumpLedger(db: Queryable): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    loans: await q(
      `select customer_id, loan_id, line_id, status, state::text as state, terms::text as terms, seq, last_closed_day::text as last_closed_day,
              next_event_day::text as next_event_day, partition_key, row_version
         from loans order by customer_id, loan_id`,
    ),
    loan_eod: await q(
      `select customer_id, loan_id, partition_key, last_closed_day::text as last_closed_day,
              next_event_day::text as next_event_day
         from loan_eod order by customer_id, loan_id`,
    ),
    loan_events: await q(
      `select customer_id, loan_id, seq, day::text as day, type, payload::text as payload, client_id
         from loan_events order by customer_id, loan_id, seq`,
    ),
    postings: await q(
      `select customer_id, loan_id, day::text as day, event_seq, event_ref, lines::text as lines, debit_minor
         from postings order by customer_id, loan_id, event_seq, event_ref, lines::text`,
    ),
    loan_snapshots: await q(
      `select customer_id, loan_id, seq, day::text as day, state::text as state
         from loan_snapshots order by customer_id, loan_id, seq`,
    ),
    credit_lines: await q(
      `select customer_id, line_id, limit_minor, used_minor, status, state::text as state, row_version
         from credit_lines order by customer_id, line_id`,
    ),
    business_day: await q('select day::text as day from business_day'),
    eod_runs: await q(
      `select business_day::text as business_day, status, loans_closed, loans_advanced, events_written
         from eod_runs order by business_day`,
    ),
  };
}
