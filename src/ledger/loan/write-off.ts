import { AMOUNT_MINOR_MAX, type Day, formatDate, formatMinor } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { EventBuilder } from './builder.js';
import type { LoanEvent } from './events.js';
import type { LoanState } from './state.js';

/** A command's outcome (as `CommandResult` of commands.ts). */
interface CommandResult {
  readonly state: LoanState;
  readonly events: LoanEvent[];
}

/** What the loan owes on its receivable accounts, from the state (posted amounts only). */
export function receivablesOf(s: LoanState): {
  principalCurrentMinor: number;
  principalOverdueMinor: number;
  interestMinor: number;
  penaltyMinor: number;
  feeMinor: number;
} {
  let current = s.notDuePrincipalMinor;
  let overdue = 0;
  for (const d of s.dues) {
    if (d.overdue) overdue += d.principalMinor;
    else current += d.principalMinor;
  }
  return {
    principalCurrentMinor: current,
    principalOverdueMinor: overdue,
    interestMinor: s.interestPostedTotalMinor - s.interestPaidTotalMinor - s.interestWaivedTotalMinor,
    penaltyMinor: s.penaltyPostedMinor - s.penaltyPaidMinor - s.penaltyWaivedMinor,
    feeMinor: s.feeChargedTotalMinor - s.feePaidTotalMinor - s.feeWaivedTotalMinor,
  };
}

/** Evidence references: a case-file id or document reference, not the document. */
export const EVIDENCE_REF_LENGTH_MAX = 200;

/**
 * 核销: writes the loan off on `day` (its days closed through the day before by the caller). Every posted
 * receivable goes to the write-off loss and the principal to the memo account; from then on the loan accrues
 * nothing and the end-of-day step leaves it alone. Money received later is a recovery (`recoverWrittenOff`).
 */
export function writeOff(
  state: LoanState,
  input: { day: Day; clientId: string; evidenceRef: string },
): CommandResult {
  if (state.status === 'written-off') {
    throw new LedgerInputError('loan_written_off', 'loanId', `loan ${state.loanId} is already written off`);
  }
  if (state.status === 'settled') {
    throw new LedgerInputError(
      'loan_settled',
      'loanId',
      `loan ${state.loanId} is settled; nothing to write off`,
    );
  }
  const evidenceRef = input.evidenceRef.trim();
  if (evidenceRef === '' || evidenceRef.length > EVIDENCE_REF_LENGTH_MAX) {
    throw new LedgerInputError(
      'write_off_evidence_missing',
      'evidenceRef',
      `a write-off needs documented evidence (财金〔2017〕90号): give the reference of the case file (1 to ${EVIDENCE_REF_LENGTH_MAX} characters)`,
    );
  }
  if (input.day <= state.lastClosedDay || input.day < state.lastEventDay) {
    throw new LedgerInputError(
      'write_off_backdated',
      'day',
      `loan ${state.loanId} is closed through ${formatDate(state.lastClosedDay)}; write it off on a later day`,
    );
  }
  const r = receivablesOf(state);
  const b = new EventBuilder(state);
  b.emit({ type: 'LoanWrittenOff', day: input.day, clientId: input.clientId, ...r, evidenceRef });
  return { state: b.state, events: b.events };
}

/**
 * 已核销贷款收回: money received on a written-off loan, on `day` (never before its last event: a recovery is
 * booked when received). It is income when received; the part up to the principal still claimed reduces
 * the memo account. It is at most what was written off and is not recovered yet (`recovery_above_claim`):
 * money beyond the claim is not the lender's to keep.
 */
export function recoverWrittenOff(
  state: LoanState,
  input: { day: Day; clientId: string; amountMinor: number },
): CommandResult {
  const w = state.writtenOff;
  if (state.status !== 'written-off' || w === undefined || w === null) {
    throw new LedgerInputError(
      'loan_not_written_off',
      'loanId',
      `loan ${state.loanId} is not written off; take the money as a repayment instead`,
    );
  }
  if (
    !Number.isSafeInteger(input.amountMinor) ||
    input.amountMinor <= 0 ||
    input.amountMinor > AMOUNT_MINOR_MAX
  ) {
    throw new LedgerInputError(
      'amount_not_positive',
      'amountMinor',
      `amountMinor must be a whole number of fen above 0, got ${input.amountMinor}`,
    );
  }
  const claimMinor = w.writtenOffMinor - w.recoveredMinor;
  if (input.amountMinor > claimMinor) {
    throw new LedgerInputError(
      'recovery_above_claim',
      'amountMinor',
      `loan ${state.loanId} was written off for ${formatMinor(w.writtenOffMinor)} and ${formatMinor(w.recoveredMinor)} of it is recovered: a recovery is at most the ${formatMinor(claimMinor)} still claimed, not ${formatMinor(input.amountMinor)}; give the borrower back what is beyond it`,
      { claim: formatMinor(claimMinor), amount: formatMinor(input.amountMinor) },
    );
  }
  if (input.day < state.lastEventDay) {
    throw new LedgerInputError(
      'recovery_backdated',
      'day',
      `loan ${state.loanId} has events up to ${formatDate(state.lastEventDay)}; a recovery is dated on or after it`,
    );
  }
  const b = new EventBuilder(state);
  b.emit({
    type: 'RecoveredAfterWriteOff',
    day: input.day,
    clientId: input.clientId,
    amountMinor: input.amountMinor,
    principalMinor: Math.min(input.amountMinor, w.principalClaimedMinor),
  });
  // A written-off loan takes no end-of-day step: its marker follows the recovery's day.
  if (b.state.lastClosedDay < input.day) b.set({ lastClosedDay: input.day });
  return { state: b.state, events: b.events };
}
