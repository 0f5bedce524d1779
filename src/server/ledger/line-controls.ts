import type { FastifyBaseLogger } from 'fastify';
import { applyLineControls, findLoan, getBusinessDay } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';

/**
 * After a repayment, the line controls run on the loan's line in a transaction of their own (docs/
 * monitoring.md): a repayment that cures the line unfreezes it before the answer goes out. The repayment
 * is committed whatever happens here; a failure is logged, and EOD applies the controls again that night.
 */
export async function controlLineOfLoan(
  deps: ServerDeps,
  loanId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    await deps.db.transaction(async (tx) => {
      const loan = await findLoan(tx, loanId);
      if (loan === undefined) return;
      await applyLineControls(tx, loan.lineId, await getBusinessDay(tx));
    });
  } catch (error) {
    log.warn({ err: error, loanId }, 'line controls after a repayment failed; EOD applies them again');
  }
}
