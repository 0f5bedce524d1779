/**
 * The month-end job: each active loan's row at a month end (days past due, bucket, outstanding principal and
 * its five-category class with the restructuring floor), computed by the core from the loan's month-end
 * snapshot and stored in one transaction. Reports build the month ends they need and find missing.
 */
import { counted, type Day, endOfMonth, formatDate, startOfMonth } from '../../money/index.js';
import {
  type ClassificationSettings,
  DEFAULT_CLASSIFICATION_SETTINGS,
  type MonthEndBuiltLoan,
  monthEndBuiltLoanOf,
} from '../../reporting/index.js';
import {
  builtMonthEnds,
  type Db,
  loansNotClosedThrough,
  MONTH_END_SNAPSHOTS_PER_PAGE,
  monthEndSnapshotPage,
  replaceMonthEnd,
} from '../../store/index.js';
import { ReportError } from './errors.js';

export type Progress = (done: number, total: number) => void;

/** The month end a report as of `day` describes: `day` itself when it is one, else the month end before it. */
export function monthEndOnOrBefore(day: Day): Day {
  return endOfMonth(day) === day ? day : lastMonthEndBefore(day);
}

function lastMonthEndBefore(day: Day): Day {
  return startOfMonth(day) - 1;
}

/** The `count` month ends ending with `monthEnd`, oldest first. */
export function monthEndsBack(monthEnd: Day, count: number): Day[] {
  const out: Day[] = [];
  let d = monthEnd;
  for (let i = 0; i < count; i++) {
    out.push(d);
    d = lastMonthEndBefore(d);
  }
  return out.reverse();
}

/** Builds (or rebuilds) one month end from the loans' month-end snapshots. Returns the loans stored. */
export async function buildMonthEnd(
  db: Db,
  monthEnd: Day,
  builtBy: string,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): Promise<number> {
  if (endOfMonth(monthEnd) !== monthEnd) {
    throw new ReportError(
      'not_a_month_end',
      422,
      `${formatDate(monthEnd)} is not the last day of a month`,
      'asOf',
    );
  }
  return db.transaction(async (tx) => {
    const open = await loansNotClosedThrough(tx, monthEnd);
    if (open > 0) {
      throw new ReportError(
        'report_month_not_closed',
        409,
        `${counted(open, 'loan')} ${open === 1 ? 'is' : 'are'} not closed through ${formatDate(monthEnd)}; run the end-of-day batch through that day first`,
        'asOf',
      );
    }
    const rows: MonthEndBuiltLoan[] = [];
    let after: { customerId: string; loanId: string } | null = null;
    for (;;) {
      const page = await monthEndSnapshotPage(tx, monthEnd, after, MONTH_END_SNAPSHOTS_PER_PAGE);
      for (const state of page) {
        const row = monthEndBuiltLoanOf(state, monthEnd, settings);
        if (row !== null) rows.push(row);
      }
      const last = page[page.length - 1];
      if (last === undefined || page.length < MONTH_END_SNAPSHOTS_PER_PAGE) break;
      after = { customerId: last.customerId, loanId: last.loanId };
    }
    await replaceMonthEnd(tx, monthEnd, rows, builtBy);
    return rows.length;
  });
}

/** Builds the month ends among `monthEnds` not built yet, oldest first. */
export async function ensureMonthEnds(
  db: Db,
  monthEnds: readonly Day[],
  builtBy: string,
  progress?: Progress,
): Promise<void> {
  const built = await builtMonthEnds(db, monthEnds);
  const missing = monthEnds.filter((d) => !built.has(d));
  let done = 0;
  progress?.(done, missing.length);
  for (const d of missing) {
    await buildMonthEnd(db, d, builtBy);
    done += 1;
    progress?.(done, missing.length);
  }
}
