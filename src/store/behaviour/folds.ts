import type { Day } from '../../money/index.js';
import { behaviourFoldToJson } from '../../monitoring/index.js';
import { copyRows } from '../copy.js';
import type { Queryable } from '../db.js';
import { sqlDate } from '../ledger/codec.js';
import type { FoldsSuperseded, PageFold } from './history.js';

/**
 * Each loan's behaviour fold as of a month end (decisions 0647 and 0649), so that the next month's job reads
 * one row per loan and the events of its own month only. A loan's row is kept with the month in which its
 * fold last changed: its fold as of a month end is its row of the latest month on or before it.
 */

/** Removes a month's folds (a rerun writes them again) and the mark that they are complete. */
export async function deleteMonthFolds(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_fold_months where month = $1::date', [sqlDate(month)]);
  await q.query('delete from behaviour_loan_months where month = $1::date', [sqlDate(month)]);
}

/**
 * Writes a page's changed folds for a month (COPY), and removes the rows they leave unread (`superseded`):
 * each changed loan keeps its row of the month before's end (a rerun of this month goes on from it), and
 * nothing older.
 */
export async function insertMonthFolds(
  q: Queryable,
  month: Day,
  folds: readonly PageFold[],
  superseded?: FoldsSuperseded,
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
  if (superseded === undefined) return;
  if (superseded.kind === 'range')
    // Every loan of the range was folded from its whole log: no earlier row is read again.
    await q.query(
      `delete from behaviour_loan_months
       where customer_id >= $2 and customer_id <= $3 and month < $1::date`,
      [day, superseded.firstCustomerId, superseded.lastCustomerId],
    );
  else if (superseded.customerIds.length > 0)
    await q.query(
      `delete from behaviour_loan_months s
       using unnest($1::text[], $2::text[], $3::date[]) as k(c, l, m)
       where s.customer_id = k.c and s.loan_id = k.l and s.month < k.m`,
      [superseded.customerIds, superseded.loanIds, superseded.months.map(sqlDate)],
    );
}

/** Marks a month's folds complete (every loan of every line opened by its last day has a row on or before it). */
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

/**
 * Removes the marks of months before `month`: only the latest months are gone on from (the pages removed
 * the rows no later month reads as they wrote their own).
 */
export async function deleteFoldsBefore(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_fold_months where month < $1::date', [sqlDate(month)]);
}
