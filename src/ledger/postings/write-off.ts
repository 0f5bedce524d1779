import type { Day } from '../../money/index.js';

/**
 * Write-off and recovery are decisions of the books (财金〔2017〕90号: written off only with documented
 * evidence; the claim stays open and recovery goes on), so their events live here beside the postings they
 * produce. They share the shape of the loan engine's events (loan id, per-loan sequence, effective day,
 * client id) so that one log can hold both.
 */

/** 核销: the loan's receivables are taken off the balance sheet; the principal is kept in a memo account. */
export interface LoanWrittenOff {
  readonly type: 'LoanWrittenOff';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly clientId: string;
  /** Principal not yet overdue (not-due instalments and dues still in grace) taken off the books. */
  readonly principalCurrentMinor: number;
  readonly principalOverdueMinor: number;
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  readonly feeMinor: number;
  /** Why, and the evidence kept (a reference, not the document). */
  readonly evidenceRef: string;
}

/** 已核销贷款收回: cash collected on a written-off loan. */
export interface RecoveredAfterWriteOff {
  readonly type: 'RecoveredAfterWriteOff';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly clientId: string;
  readonly amountMinor: number;
  /** Part of the amount that reduces the written-off principal still claimed (the memo account). */
  readonly principalMinor: number;
}

export type BookEvent = LoanWrittenOff | RecoveredAfterWriteOff;
