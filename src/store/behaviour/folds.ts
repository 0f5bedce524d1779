import type { Day } from '../../money/index.js';
import { behaviourFoldToJson } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { sqlDate } from '../ledger/codec.js';
import type { PageFold } from './history.js';

/**
 * Each loan's behaviour fold as of a month end (decision 0647), so that the next month's job reads one row
 * per loan and the events of its own month only.
 */

/** Removes a month's folds (a rerun writes them again) and the mark that they are complete. */
export async function deleteMonthFolds(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_fold_months where month = $1::date', [sqlDate(month)]);
  await q.query('delete from behaviour_loan_months where month = $1::date', [sqlDate(month)]);
}

/** Writes a page's folds for a month in one statement. */
export async function insertMonthFolds(q: Queryable, month: Day, folds: readonly PageFold[]): Promise<void> {
  if (folds.length === 0) return;
  await q.query(
    `insert into behaviour_loan_months (month, customer_id, loan_id, line_id, fold)
     select $1::date, c, l, n, f from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(c, l, n, f)`,
    [
      sqlDate(month),
      folds.map((f) => f.customerId),
      folds.map((f) => f.loanId),
      folds.map((f) => f.lineId),
      folds.map((f) => behaviourFoldToJson(f.fold)),
    ],
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
