import { capitalisedOf, type LoanState } from '../loan/index.js';
import type { AccountName } from './accounts.js';
import type { AccountBalances } from './posting.js';

/** What the engine says the borrower owes, by receivable account (and the credit held in suspense). */
export interface LoanReceivables {
  readonly principalCurrent: number;
  readonly principalOverdue: number;
  readonly interestReceivable: number;
  readonly penaltyReceivable: number;
  readonly feeReceivable: number;
  readonly suspense: number;
}

/**
 * The engine's balances per receivable account. Principal: not-due plus billed-but-not-overdue principal
 * is current; billed and past grace is overdue. Interest, penalty and fees: posted (accrued or billed) less
 * paid less waived — the books never hold interest that has not been posted.
 */
export function engineReceivables(state: LoanState): LoanReceivables {
  // Written off through the loan's own log: the receivables left the books (the claim is in the memo).
  if (state.status === 'written-off') {
    return {
      principalCurrent: 0,
      principalOverdue: 0,
      interestReceivable: 0,
      penaltyReceivable: 0,
      feeReceivable: 0,
      suspense: state.creditMinor,
    };
  }
  let current = state.notDuePrincipalMinor;
  let overdue = 0;
  for (const due of state.dues) {
    if (due.overdue) overdue += due.principalMinor;
    else current += due.principalMinor;
  }
  // Amounts a restructuring capitalised left their receivable for principal.
  const capitalised = capitalisedOf(state);
  return {
    principalCurrent: current,
    principalOverdue: overdue,
    interestReceivable:
      state.interestPostedTotalMinor -
      state.interestPaidTotalMinor -
      state.interestWaivedTotalMinor -
      capitalised.interestMinor,
    penaltyReceivable:
      state.penaltyPostedMinor - state.penaltyPaidMinor - state.penaltyWaivedMinor - capitalised.penaltyMinor,
    feeReceivable:
      state.feeChargedTotalMinor - state.feePaidTotalMinor - state.feeWaivedTotalMinor - capitalised.feeMinor,
    suspense: state.creditMinor,
  };
}

export interface ReconciliationBreak {
  readonly account: AccountName;
  readonly booksMinor: number;
  readonly engineMinor: number;
}

/**
 * Compares one loan's account balances (from its postings only) with the engine's state. Returns the
 * accounts that differ; empty means the books and the engine agree to the fen.
 */
export function reconcileLoan(balances: AccountBalances, expected: LoanReceivables): ReconciliationBreak[] {
  const breaks: ReconciliationBreak[] = [];
  for (const account of Object.keys(expected) as (keyof LoanReceivables)[]) {
    const booksMinor = balances[account].balanceMinor;
    if (booksMinor !== expected[account])
      breaks.push({ account, booksMinor, engineMinor: expected[account] });
  }
  return breaks;
}
