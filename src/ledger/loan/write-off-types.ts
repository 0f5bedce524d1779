import type { Day } from '../../money/index.js';

/**
 * 核销 write-off and 已核销贷款收回 recovery as events of the loan's own log (财金〔2017〕90号: written off only with
 * documented evidence; the claim stays open and recovery goes on). Their postings are in ledger/postings
 * (rules.ts); the commands in write-off.ts; the fold in fold.ts. See decision 0371.
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

export type WriteOffEvent = LoanWrittenOff | RecoveredAfterWriteOff;

/** What a written-off loan's state keeps: the claim off the books and what was recovered. */
export interface WrittenOff {
  readonly day: Day;
  readonly evidenceRef: string;
  /** Everything taken off the books (principal, interest, penalty, fees). */
  readonly writtenOffMinor: number;
  /** Written-off principal still claimed (the memo account). */
  readonly principalClaimedMinor: number;
  /** Recovered so far (recoveries income). */
  readonly recoveredMinor: number;
}
