/** store/ledger: persistence of products, credit lines, loans, their events, snapshots and postings. */
export {
  appendLoanHistories,
  debitOf,
  insertLineRows,
  insertLoanRows,
  type LoanHistory,
  type SeqPosting,
} from './bulk.js';
export {
  dayFromSql,
  fromJsonText,
  type LoanTerms,
  loanDailyText,
  loanStateFromColumns,
  loanTerms,
  loanTermsChanged,
  loanTermsText,
  sqlDate,
  toJsonText,
} from './codec.js';
export {
  type CommandChange,
  type CommandRecords,
  type CommandTarget,
  type CommandWrite,
  changedSinceRead,
  type LockedForCommand,
  lockForCommand,
  type PendingCommandWrite,
  readForCommands,
  writeCommand,
  writeCommands,
} from './command-path.js';
export {
  type AccountTotals,
  accountTotalsThrough,
  getBusinessDay,
  listLoanEvents,
  listPostings,
  type PostingFilter,
  type StoredEvent,
  type StoredPosting,
  setBusinessDay,
} from './journal.js';
export {
  type AfterRepaymentFacts,
  afterRepaymentFacts,
  applyLineControls,
  insertLineChanges,
  type LineChangeRecord,
  type LineChangeSource,
  type LineControlOutcome,
  lastFreeze,
  linesToControl,
  listLineChanges,
} from './line-controls.js';
export { findLine, insertLine, listLines, type StoredLine, saveLine, VersionConflictError } from './lines.js';
export {
  findLoan,
  LOAN_COLUMNS,
  type LoanFilter,
  type LoanRow,
  listLoans,
  loadLoanLog,
  loadSnapshots,
  loanFromRow,
  loanRowValues,
  type StoredLoan,
} from './loan-rows.js';
export { insertLoan, persistLoanChange } from './loan-writers.js';
export {
  advanceQuietLoans,
  applyLoanCommand,
  type CreditLineState,
  closeLoansOneAtATime,
  closeLoansThrough,
  countQuietLoans,
  type LoanCommand,
  LoanNotFoundError,
  loansNeedingEod,
  PARTITION_KEY_COUNT,
  type PartitionRange,
} from './loans.js';
export { findProduct, insertProductVersion, listProducts, type StoredProduct } from './products.js';
export {
  approveWriteOffProposal,
  createWriteOffProposal,
  currentWriteOffRule,
  findWriteOffProposal,
  listWriteOffCandidates,
  listWriteOffProposals,
  rejectWriteOffProposal,
  type StoredWriteOffProposal,
  type StoredWriteOffRule,
  saveWriteOffRule,
  WRITE_OFF_CANDIDATES_MAX,
  WRITE_OFF_PROPOSAL_LOANS_MAX,
  type WriteOffApproval,
  WriteOffError,
  type WriteOffProposalLoan,
} from './write-offs.js';
