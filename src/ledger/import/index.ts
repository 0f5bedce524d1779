/** ledger/import: reading a file of existing loans, replaying them through the engine, reconciling them. */
export { type ImportLoanRecord, importRecordOfLoan } from './export.js';
export {
  CSV_COLUMNS_OPTIONAL,
  CSV_COLUMNS_REQUIRED,
  type CsvRecord,
  IMPORT_ERRORS_MAX,
  IMPORT_LOANS_MAX,
  IMPORT_REF_LENGTH_MAX,
  type ImportCustomer,
  type ImportFault,
  type ImportLoan,
  type ImportProduct,
  type ImportRead,
  type ImportRepayment,
  idNumberFault,
  importDayFaults,
  readImportCsv,
  readImportJson,
  type StatedBalances,
} from './layout.js';
export {
  firstBalanceDifference,
  formatFigure,
  type ImportDifference,
  type ImportedLoan,
  type ImportLineInput,
  type ImportLineResult,
  type ImportProblem,
  type ReconciledField,
  reconciledFigures,
  replayImportLine,
} from './replay.js';
