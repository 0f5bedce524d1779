import { type Day, endOfMonth, formatDate, formatMinor } from '../money/index.js';
import {
  formatMonthKey,
  monthKeyOfDay,
  provisionPosting,
  provisionRollForward,
  type RollForward,
} from '../reporting/index.js';
import {
  type AuditEntry,
  allowanceOnBooks,
  appendAudit,
  type Db,
  eclPostingLines,
  findEclPosting,
  findEclRun,
  insertEclPosting,
  insertEclRun,
  listEclPostings,
  listEclRunExposures,
  loansWrittenOffBetween,
  type Queryable,
  type StoredEclPosting,
} from '../store/index.js';
import { loadEclBookAsOf, writtenOffBetween } from './reports/book-inputs.js';
import { closedMonthEnd } from './reports/closed-day.js';
import { computeEcl, type EclRun, type EclRunOptions, previousMonthEnd } from './reports/ecl.js';
import { ReportError } from './reports/errors.js';

export interface EclPostingResult {
  readonly monthEnd: Day;
  /** True when the month had been posted already: nothing was written. */
  readonly alreadyPosted: boolean;
  readonly posting: StoredEclPosting;
  /** The roll-forward the entry books (null when the month had been posted already). */
  readonly rollForward: RollForward | null;
}

/** The audit entry of a posting made (its figures; a repeat that wrote nothing has none). */
export function eclPostingAudit(
  result: EclPostingResult,
): Omit<AuditEntry, 'actorUserId' | 'actorRole' | 'requestId'> {
  const p = result.posting;
  return {
    action: 'ecl.post',
    resourceType: 'ecl_posting',
    resourceId: formatDate(p.monthEnd),
    customerId: null,
    details: {
      postingNo: p.postingNo,
      openingMinor: p.openingMinor,
      closingMinor: p.closingMinor,
      usedMinor: p.usedMinor,
      chargeMinor: p.chargeMinor,
    },
  };
}

/**
 * The month end an ECL posting is made as of: a month's last day that the end-of-day batch has closed
 * (`report_not_month_end`, `report_month_not_closed` otherwise).
 */
export async function eclPostingMonthEnd(db: Db, monthEnd: Day): Promise<Day> {
  if (endOfMonth(monthEnd) !== monthEnd) {
    throw new ReportError(
      'report_not_month_end',
      400,
      `${formatDate(monthEnd)} is not a month end; the ECL is posted as of a month's last day (${formatDate(endOfMonth(monthEnd))})`,
      'monthEnd',
    );
  }
  return closedMonthEnd(db, monthEnd, 'monthEnd');
}

/**
 * Refuses a month end earlier than the latest one posted (`ecl_posting_out_of_order`): the loss allowance is a
 * running balance, and a later month's entry already took it to that month's ECL, so an earlier month's entry
 * made now would be added on top of it and overstate the allowance by the whole earlier ECL.
 */
export async function refuseEarlierThanPosted(q: Queryable, monthEnd: Day): Promise<void> {
  const [latest] = await listEclPostings(q, 1);
  if (latest !== undefined && latest.monthEnd > monthEnd) {
    throw new ReportError(
      'ecl_posting_out_of_order',
      409,
      `the ECL of ${formatDate(latest.monthEnd)} is posted already, so ${formatDate(monthEnd)} can no longer be: the allowance on the books is ${formatDate(latest.monthEnd)}'s; post the months in order, each after the one before`,
      'monthEnd',
    );
  }
}

/**
 * Writes a measured month-end run in the caller's transaction: stores the run (the next month's opening) and
 * posts the entry that takes the loss allowance on the books to the run's ECL. A month posted already (by
 * another process since the caller looked) writes nothing and answers what was posted.
 */
export async function writeMonthEndEcl(tx: Queryable, run: EclRun): Promise<EclPostingResult> {
  const monthEnd = run.book.asOf;
  // The primary key of ecl_postings refuses a second row should two processes pass this check at once.
  const again = await findEclPosting(tx, monthEnd);
  if (again !== null) return { monthEnd, alreadyPosted: true, posting: again, rollForward: null };
  await refuseEarlierThanPosted(tx, monthEnd);
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
}

/** Who posts: recorded in the audit log with the posting (the command line is `system` with `via`). */
export interface EclPostingActor {
  readonly userId: string | null;
  readonly role: string;
  readonly via?: string;
}

/**
 * Month-end ECL: measures the book as of `monthEnd` (a closed month end), stores the run and posts the
 * allowance entry, with its audit entry, in one transaction. Once per month: a second call for a posted month
 * writes nothing and returns what was posted.
 */
export async function postMonthEndEcl(
  db: Db,
  monthEnd: Day,
  options: EclRunOptions & { actor?: EclPostingActor } = {},
): Promise<EclPostingResult> {
  await eclPostingMonthEnd(db, monthEnd);
  const posted = await findEclPosting(db, monthEnd);
  if (posted !== null) return { monthEnd, alreadyPosted: true, posting: posted, rollForward: null };
  await refuseEarlierThanPosted(db, monthEnd);
  const run = await computeEcl(db, monthEnd, options, loadEclBookAsOf);
  const actor = options.actor ?? { userId: null, role: 'system' };
  return db.transaction(async (tx) => {
    const result = await writeMonthEndEcl(tx, run);
    if (!result.alreadyPosted) {
      const entry = eclPostingAudit(result);
      await appendAudit(tx, {
        ...entry,
        actorUserId: actor.userId,
        actorRole: actor.role,
        requestId: null,
        details: actor.via === undefined ? entry.details : { ...entry.details, via: actor.via },
      });
    }
    return result;
  });
}

/** A stored posting with the run it booked, as the API lists it (decimal yuan). */
export async function eclPostingSummary(q: Queryable, posting: StoredEclPosting, alreadyPosted: boolean) {
  const run = await findEclRun(q, posting.monthEnd);
  return {
    monthEnd: formatDate(posting.monthEnd),
    alreadyPosted,
    postingNo: posting.postingNo,
    opening: formatMinor(posting.openingMinor),
    closing: formatMinor(posting.closingMinor),
    used: formatMinor(posting.usedMinor),
    charge: formatMinor(posting.chargeMinor),
    exposures: run?.exposures ?? null,
    scenarioSet: run?.scenarioSet ?? null,
  };
}

/**
 * The roll-forward of the loss allowance from the previous month end's stored run to this one's, per stage, as
 * the posting booked it (no run the month before: everything is new). Null when the month has no stored run.
 */
export async function storedRollForward(q: Queryable, monthEnd: Day): Promise<RollForward | null> {
  const prior = previousMonthEnd(monthEnd);
  if ((await findEclRun(q, monthEnd)) === null) return null;
  const position = (e: { exposureId: string; stage: 1 | 2 | 3; eclMinor: number }) => ({
    exposureId: e.exposureId,
    stage: e.stage,
    eclMinor: e.eclMinor,
  });
  return provisionRollForward(
    ((await findEclRun(q, prior)) === null ? [] : await listEclRunExposures(q, prior)).map(position),
    (await listEclRunExposures(q, monthEnd)).map(position),
    await loansWrittenOffBetween(q, prior, monthEnd),
  );
}

/**
 * A stored posting as the API and the CLI show one month (decimal yuan): the figures, the roll-forward of the
 * allowance by stage, and the journal lines the entry posted.
 */
export async function eclPostingView(q: Queryable, posting: StoredEclPosting, alreadyPosted: boolean) {
  const rf = await storedRollForward(q, posting.monthEnd);
  const lines = posting.postingNo === null ? [] : await eclPostingLines(q, posting.postingNo);
  return {
    ...(await eclPostingSummary(q, posting, alreadyPosted)),
    rollForward:
      rf === null
        ? null
        : rf.lines.map((l) => ({
            movement: l.movement,
            stage1: formatMinor(l.byStage[0]),
            stage2: formatMinor(l.byStage[1]),
            stage3: formatMinor(l.byStage[2]),
            total: formatMinor(l.totalMinor),
          })),
    journal: lines.map((l) => ({
      account: l.account,
      debit: 'debitMinor' in l ? formatMinor(l.debitMinor) : null,
      credit: 'creditMinor' in l ? formatMinor(l.creditMinor) : null,
    })),
  };
}
