import type { FastifyBaseLogger } from 'fastify';
import { findLoan, getBusinessDay, refreshCases } from '../../store/index.js';
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
      // A repayment never opens a case: only a borrower with an open case is refreshed.
      if (rows.length === 0) return;
      await refreshCases(tx, await getBusinessDay(tx), [loan.customerId]);
    });
  } catch (error) {
    log.warn({ err: error, loanId }, 'collection case refresh after a repayment failed; EOD refreshes it');
  }
}
