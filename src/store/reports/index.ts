/** store/reports: what the month-end risk reports read of the book, the stored ECL runs and funding outflows. */
export {
  loadReportJournalDays,
  loadReportLines,
  loadReportLoanEvents,
  loadReportLoans,
  loadReportRiskFacts,
  type ReportJournalDay,
  type ReportLineRow,
  type ReportLoanEvent,
  type ReportLoanRow,
  type ReportRiskFacts,
} from './book-facts.js';
export {
  allowanceOnBooks,
  BOOK_CUSTOMER_ID,
  type FundingOutflow,
  findEclPosting,
  findEclRun,
  insertEclPosting,
  insertEclRun,
  insertFundingOutflows,
  listEclRunExposures,
  listFundingOutflows,
  previousEclRunMonth,
  type StoredEclExposure,
  type StoredEclPosting,
  type StoredEclRun,
} from './ecl-runs.js';
export {
  classGroupSums,
  monthBookSums,
  overriddenMonthEndLoans,
  transitionSums,
  vintageBadSums,
  vintageCohortSums,
} from './month-end-sums.js';
export {
  approvedOverrides,
  builtMonthEnds,
  ClassOverrideError,
  decideClassOverride,
  findClassOverride,
  findMonthEndLoan,
  insertClassOverride,
  loansNotClosedThrough,
  MONTH_END_SNAPSHOTS_PER_PAGE,
  monthEndSnapshotPage,
  readDrawnLoans,
  readMonthEnd,
  replaceMonthEnd,
  type StoredClassOverride,
} from './month-ends.js';
export { loanOriginationJoinSql } from './origination.js';
export { loadWriteOffRecoveries } from './write-offs.js';
