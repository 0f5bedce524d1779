/** store/reports: what the month-end risk reports read of the book, the stored ECL runs and funding outflows. */
export {
  loadReportJournalDays,
  loadReportLines,
  loadReportLoanEvents,
  loadReportLoans,
  type ReportJournalDay,
  type ReportLineRow,
  type ReportLoanEvent,
  type ReportLoanRow,
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
