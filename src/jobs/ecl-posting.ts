import { type Day, endOfMonth, formatDate } from '../money/index.js';
import {
  formatMonthKey,
  monthKeyOfDay,
  provisionPosting,
  provisionRollForward,
  ReportInputError,
  type RollForward,
} from '../reporting/index.js';
import {
  allowanceOnBooks,
  type Db,
  findEclPosting,
  findEclRun,
  insertEclPosting,
  insertEclRun,
  listEclRunExposures,
  type StoredEclPosting,
} from '../store/index.js';
import { writtenOffBetween } from './reports/book-inputs.js';
import { computeEcl, type EclRunOptions, previousMonthEnd } from './reports/ecl.js';

export interface EclPostingResult {
  readonly monthEnd: Day;
  /** True when the month had been posted already: nothing was written. */
  readonly alreadyPosted: boolean;
  readonly posting: StoredEclPosting;
  /** The roll-forward the entry books (null when the month had been posted already). */
  readonly rollForward: RollForward | null;
}

/**
 * Month-end ECL: measures the book as of `monthEnd`, stores the run (the next month's opening), and posts
 * the entry that takes the loss allowance on the books to the run's ECL, all in one transaction. Once per
 * month: a second call for a posted month writes nothing and returns what was posted.
 */
export async function postMonthEndEcl(
  db: Db,
  monthEnd: Day,
  options: EclRunOptions = {},
): Promise<EclPostingResult> {
  if (endOfMonth(monthEnd) !== monthEnd) {
    throw new ReportInputError(
      `${formatDate(monthEnd)} is not a month end; the ECL is posted as of a month's last day`,
    );
  }
  const posted = await findEclPosting(db, monthEnd);
  if (posted !== null) return { monthEnd, alreadyPosted: true, posting: posted, rollForward: null };
  const run = await computeEcl(db, monthEnd, options);
  return db.transaction(async (tx) => {
    // Another process may have posted the month since the check above; the primary key refuses a second row.
    const again = await findEclPosting(tx, monthEnd);
    if (again !== null) return { monthEnd, alreadyPosted: true, posting: again, rollForward: null };
    const prior = previousMonthEnd(monthEnd);
    const opening = (await findEclRun(tx, prior)) === null ? [] : await listEclRunExposures(tx, prior);
    const closing = run.rows.map((r) => ({ exposureId: r.exposureId, stage: r.stage, eclMinor: r.eclMinor }));
    const rf = provisionRollForward(opening, closing, writtenOffBetween(run.book, prior, monthEnd));
    if ((await findEclRun(tx, monthEnd)) === null) {
      await insertEclRun(
        tx,
        {
          monthEnd,
          scenarioSet: run.model.scenarios
            .map((s) => `${s.id}@${s.version}:${s.weight_micro / 1_000_000}`)
            .join(' '),
          exposures: run.rows.length,
          eadMinor: run.rows.reduce((a, r) => a + r.eadMinor, 0),
          eclMinor: rf.closingMinor,
        },
        run.rows.map((r) => ({
          customerId: r.customerId,
          exposureId: r.exposureId,
          stage: r.stage,
          eadMinor: r.eadMinor,
          eclMinor: r.eclMinor,
        })),
      );
    }
    const onBooks = await allowanceOnBooks(tx, monthEnd);
    const eventRef = `ecl:${formatMonthKey(monthKeyOfDay(monthEnd))}`;
    const entry = provisionPosting({
      eventRef,
      day: monthEnd,
      allowanceOnBooksMinor: onBooks,
      closingMinor: rf.closingMinor,
      writtenOffMinor: rf.writtenOffMinor,
    });
    const posting = await insertEclPosting(tx, {
      monthEnd,
      eventRef,
      lines: entry.posting?.lines ?? null,
      openingMinor: onBooks,
      closingMinor: rf.closingMinor,
      usedMinor: entry.usedMinor,
      chargeMinor: entry.chargeMinor,
    });
    return { monthEnd, alreadyPosted: false, posting, rollForward: rf };
  });
}
