import type { FastifyBaseLogger } from 'fastify';
import { findLoan, getBusinessDay, refreshCases, removeRepaidListings } from '../../store/index.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';

/**
 * After a repayment, the borrower's collection case is refreshed in a short transaction of its own, as the
 * line controls are (decision 0714): a repayment that cures the borrower closes the case, and one that
 * reaches a promise keeps it, before the answer goes out. The repayment is committed whatever happens here;
 * a failure is logged, and the next EOD run refreshes the case again.
 */
export async function refreshCaseOfLoan(
  deps: ServerDeps,
  loanId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    await deps.db.transaction(async (tx) => {
      const loan = await findLoan(tx, loanId);
      if (loan === undefined) return;
      const { rows } = await tx.query(
        `select 1 from collection_cases where customer_id = $1 and status = 'open'`,
        [loan.customerId],
      );
      const day = await getBusinessDay(tx);
      // A listing from a legal escalation ends as soon as the borrower has repaid (removal on repayment).
      await removeRepaidListings(tx, day, await businessNow(deps, tx), [loan.customerId]);
      // A repayment never opens a case: only a borrower with an open case is refreshed.
      if (rows.length === 0) return;
      await refreshCases(tx, day, [loan.customerId]);
    });
  } catch (error) {
    log.warn({ err: error, loanId }, 'collection case refresh after a repayment failed; EOD refreshes it');
  }
}
