import type { Day } from '../../money/index.js';
import { behaviourFoldToJson } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { sqlDate } from '../ledger/codec.js';
import type { PageCarry, PageFold } from './history.js';

/**
 * Each loan's behaviour fold as of a month end (decision 0647), so that the next month's job reads one row
 * per loan and the events of its own month only.
 */

/** Removes a month's folds (a rerun writes them again) and the mark that they are complete. */
export async function deleteMonthFolds(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_fold_months where month = $1::date', [sqlDate(month)]);
  await q.query('delete from behaviour_loan_months where month = $1::date', [sqlDate(month)]);
}

/**
 * Writes a page's folds for a month in one statement; with `carry`, the other loans of the page's customer
 * range keep their fold of the month before (copied by the server: they had no event since).
 */
export async function insertMonthFolds(
  q: Queryable,
  month: Day,
  folds: readonly PageFold[],
  carry?: PageCarry,
): Promise<void> {
  if (folds.length > 0)
    await q.query(
      `insert into behaviour_loan_months (month, customer_id, loan_id, line_id, open, fold)
       select $1::date, c, l, n, o, f
       from unnest($2::text[], $3::text[], $4::text[], $5::bool[], $6::text[]) as t(c, l, n, o, f)`,
      [
        sqlDate(month),
        folds.map((f) => f.customerId),
        folds.map((f) => f.loanId),
        folds.map((f) => f.lineId),
        folds.map((f) => f.fold.settledDay === null),
        folds.map((f) => behaviourFoldToJson(f.fold)),
      ],
    );
  if (carry !== undefined)
    await q.query(
      `insert into behaviour_loan_months (month, customer_id, loan_id, line_id, open, fold)
       select $1::date, customer_id, loan_id, line_id, open, fold from behaviour_loan_months
       where month = $2::date and customer_id >= $3 and customer_id <= $4
       on conflict (month, customer_id, loan_id) do nothing`,
      [sqlDate(month), sqlDate(carry.foldMonth), carry.firstCustomerId, carry.lastCustomerId],
    );
}

/** Marks a month's folds complete (every loan of every line opened by its last day has one). */
export async function saveFoldMonth(q: Queryable, month: Day, asOf: Day): Promise<void> {
  await q.query(
    `insert into behaviour_fold_months (month, as_of, loans)
     select $1::date, $2::date, count(*) from behaviour_loan_months where month = $1::date
     on conflict (month) do update set as_of = excluded.as_of, loans = excluded.loans, built_at = now()`,
    [sqlDate(month), sqlDate(asOf)],
  );
}

/** True when a month's folds are complete. */
export async function hasMonthFolds(q: Queryable, month: Day): Promise<boolean> {
  const { rows } = await q.query('select 1 from behaviour_fold_months where month = $1::date', [
    sqlDate(month),
  ]);
  return rows.length > 0;
}

/** Removes the folds of months before `month` (only the latest months are gone on from). */
export async function deleteFoldsBefore(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_fold_months where month < $1::date', [sqlDate(month)]);
  await q.query('delete from behaviour_loan_months where month < $1::date', [sqlDate(month)]);
}
