import type { Day } from '../../money/index.js';
import { formatDate } from '../../money/index.js';
import type { CreditLineState } from '../credit-line/index.js';
import { LedgerInputError } from '../errors.js';
import { type LoanState, offerSettlement, writeOff } from '../loan/index.js';
import { changeOf, closeWithSnapshots } from './plan.js';
import type { LoanChange } from './types.js';

function requireOpenDay(state: LoanState, day: Day, what: string): void {
  if (day <= state.lastClosedDay) {
    throw new LedgerInputError(
      'day_already_closed',
      'day',
      `loan ${state.loanId} is closed through ${formatDate(state.lastClosedDay)}; ${what}s are dated the business day, not a closed one`,
    );
  }
}

/**
 * 核销 as one change: the loan's days closed through the day before (month-end snapshots on the way), then
 * the write-off with its postings (receivables to the write-off loss, principal to the memo), and the line
 * freed of the loan's principal. Money received afterwards goes through `planCommand` as a repayment, which
 * the engine books as a recovery.
 */
export function planWriteOff(
  state: LoanState,
  line: CreditLineState | null,
  input: { day: Day; clientId: string; evidenceRef: string },
): LoanChange {
  requireOpenDay(state, input.day, 'write-off');
  const closed = closeWithSnapshots(state, input.day - 1);
  const r = writeOff(closed.state, input);
  return changeOf(state, r.state, [...closed.events, ...r.events], closed.snapshots, input.day, { line });
}

/** 减免结清 offer as one change (see loan/settlement.ts): never backdated. */
export function planSettlementOffer(
  state: LoanState,
  line: CreditLineState | null,
  input: { day: Day; clientId: string; offerMinor: number; validThroughDay: Day },
): LoanChange {
  requireOpenDay(state, input.day, 'settlement offer');
  const closed = closeWithSnapshots(state, input.day - 1);
  const r = offerSettlement(closed.state, input);
  return changeOf(state, r.state, [...closed.events, ...r.events], closed.snapshots, input.day, { line });
}
