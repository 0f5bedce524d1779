import { instantAt } from '../collections/index.js';
import { addDays, parseDate } from '../money/index.js';
import type { Queryable } from '../store/index.js';
import {
  closeLoansOneAtATime,
  closeLoansThrough,
  countQuietLoans,
  getBusinessDay,
  loansNeedingEod,
  refreshCases,
  removeRepaidListings,
  setBusinessDay,
} from '../store/index.js';
import { LENDER_TIME_ZONE_DEFAULT } from './business-day.js';
import { controlLinesAfterEod } from './line-controls.js';
import { monitorAfterEod, queueBucketChanges } from './monitoring/index.js';
import { planReminderWave } from './reminders/index.js';
import type { ClosedBatch, EodLedger, KeyRange, LoanFailure } from './worker.js';

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Closes `loanIds` one by one, each under its own savepoint, so that a loan the engine refuses is rolled
 * back alone and named, while the others are kept. Used only after a whole batch failed, and through the
 * `per-table` writer (closeLoansOneAtATime) rather than the bulk one (closeLoansThrough).
 */
async function closeOneByOne(
  tx: Queryable,
  loanIds: readonly string[],
  day: number,
): Promise<{ loansClosed: number; eventsWritten: number; failures: LoanFailure[] }> {
  let loansClosed = 0;
  let eventsWritten = 0;
  const failures: LoanFailure[] = [];
  for (const loanId of loanIds) {
    await tx.query('savepoint eod_loan');
    try {
      const r = await closeLoansOneAtATime(tx, [loanId], day);
      await tx.query('release savepoint eod_loan');
      loansClosed += r.loansClosed;
      eventsWritten += r.eventsWritten;
    } catch (error) {
      await tx.query('rollback to savepoint eod_loan');
      failures.push({ loanId, message: messageOf(error) });
    }
  }
  return { loansClosed, eventsWritten, failures };
}

/** The EOD batch over the ledger store (src/store/ledger): markers, quiet loans counted, and the business day. */
export const ledgerEod: EodLedger = {
  async countQuiet(tx: Queryable, range: KeyRange, day: string): Promise<number> {
    return countQuietLoans(tx, parseDate(day), { fromKey: range.keyFrom, toKey: range.keyTo });
  },

  async closeBatch(
    tx: Queryable,
    range: KeyRange,
    day: string,
    limit: number,
    afterLoanId: string | null,
  ): Promise<ClosedBatch> {
    const closeDay = parseDate(day);
    const ids = await loansNeedingEod(
      tx,
      closeDay,
      { fromKey: range.keyFrom, toKey: range.keyTo },
      afterLoanId,
      limit,
    );
    const lastLoanId = ids.at(-1) ?? afterLoanId;
    if (ids.length === 0) return { loansClosed: 0, eventsWritten: 0, loansSeen: 0, lastLoanId, failures: [] };
    // The whole batch at once; only when it fails is it done again loan by loan to name the culprits.
    await tx.query('savepoint eod_batch');
    try {
      const r = await closeLoansThrough(tx, ids, closeDay);
      await tx.query('release savepoint eod_batch');
      return { ...r, loansSeen: ids.length, lastLoanId, failures: [] };
    } catch {
      await tx.query('rollback to savepoint eod_batch');
      const r = await closeOneByOne(tx, ids, closeDay);
      return { ...r, loansSeen: ids.length, lastLoanId };
    }
  },

  async advanceBusinessDay(tx: Queryable, closedDay: string): Promise<void> {
    await controlLinesAfterEod(tx, closedDay);
    // bucket.changed for the loans the closed day moved, with the run (nothing is read without a subscriber).
    await queueBucketChanges(tx, closedDay);
    const next = addDays(parseDate(closedDay), 1);
    const current = await getBusinessDay(tx);
    if (next > current) {
      await setBusinessDay(tx, next);
      // The new day's reminders (its due-date wave) are planned with the move, in the same transaction.
      await planReminderWave(tx, next);
    }
    // Collection cases follow the closed day's ledger, in the same transaction that ends the run.
    await refreshCases(tx, parseDate(closedDay), null, undefined, { closedThrough: parseDate(closedDay) });
    // A listing from a legal escalation ends once its borrower has repaid (removal on repayment), from the
    // start of the next business day.
    await removeRepaidListings(
      tx,
      parseDate(closedDay),
      new Date(instantAt(next, 0, LENDER_TIME_ZONE_DEFAULT)).toISOString(),
    );
    // Early-warning signals and health-review requests on the closed day's facts, in the same transaction.
    await monitorAfterEod(tx, closedDay);
  },
};
