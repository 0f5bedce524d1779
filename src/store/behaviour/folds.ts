import type { Day } from '../../money/index.js';
import { behaviourFoldToJson } from '../../monitoring/index.js';
import { copyRows } from '../copy.js';
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
 * Writes a page's folds for a month (COPY); with `carry`, the other loans of the page's customer
 * range keep their fold of the month before (copied by the server: they had no event since).
 */
export async function insertMonthFolds(
  q: Queryable,
  month: Day,
  folds: readonly PageFold[],
  carry?: PageCarry,
): Promise<void> {
  // COPY rather than arrays of text: an array literal escapes every quote of the folds' JSON, which the
  // server then parses back.
  const day = sqlDate(month);
  if (folds.length > 0)
    await copyRows(
      q,
      'behaviour_loan_months',
      ['month', 'customer_id', 'loan_id', 'line_id', 'open', 'fold'],
      folds.map((f) => [
        day,
        f.customerId,
        f.loanId,
        f.lineId,
        f.fold.settledDay === null,
        behaviourFoldToJson(f.fold),
      ]),
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
