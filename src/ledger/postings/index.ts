/** The books: chart of accounts, balanced postings from loan events, trial balance and reconciliation. */
export {
  ACCOUNT_NAMES,
  ACCOUNTS,
  type Account,
  type AccountKind,
  type AccountName,
  type NormalSide,
  RECEIVABLE_ACCOUNTS,
} from './accounts.js';
export {
  expectedReceivables,
  type LoanBooks,
  openLoanBooks,
  postLoanEvents,
  reconcileBooks,
  recoverAfterWriteOff,
  writeOffLoan,
} from './books.js';
export {
  type AccountBalance,
  type AccountBalances,
  accountBalances,
  balancedPosting,
  credit,
  debit,
  lineCreditMinor,
  lineDebitMinor,
  netDebitMinusCreditMinor,
  type Posting,
  type PostingLine,
  type TrialBalance,
  trialBalance,
} from './posting.js';
export {
  engineReceivables,
  type LoanReceivables,
  type ReconciliationBreak,
  reconcileLoan,
} from './reconcile.js';
export { eventRefOf, type OverdueInstallments, type PostableEvent, postingsForEvent } from './rules.js';
export type { BookEvent, LoanWrittenOff, RecoveredAfterWriteOff } from './write-off.js';
