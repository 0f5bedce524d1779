/** jobs/: the end-of-day batch (runs, partitions, workers) over the ledger store. See docs/eod.md. */

export * from './behaviour/index.js';
export { type BookCounts, type WriteBookOptions, writeBook } from './book.js';
export { businessInstant, checkTimeZone, LENDER_TIME_ZONE_DEFAULT, lenderToday } from './business-day.js';
export { allocateAs, CollectionsUserError, complianceReportFor, worklistOf } from './collections.js';
export { EOD_BOUNDS, EOD_OPTIONS_DEFAULT, type EodOptions } from './config.js';
export {
  buildCreditReportMonth,
  CREDIT_REPORT_ACCOUNTS_PER_TRANSACTION,
  type CreditReportBuildCounts,
  type CreditReportBuildOptions,
  type CreditReportExport,
  CreditReportJobError,
  exportCreditReportMonth,
  parseReportMonth,
} from './credit-report.js';
export {
  type EclPostingActor,
  type EclPostingResult,
  eclPostingAudit,
  eclPostingMonthEnd,
  eclPostingSummary,
  eclPostingView,
  postMonthEndEcl,
  refuseEarlierThanPosted,
  storedRollForward,
  writeMonthEndEcl,
} from './ecl-posting.js';
export { type RunEodInput, runEod } from './eod.js';
export {
  IMPORT_LOANS_PER_TRANSACTION_DEFAULT,
  ImportFileError,
  type ImportLoansOptions,
  type ImportLoansReport,
  importLoans,
} from './import-loans.js';
export { InputFileError } from './input-file-error.js';
export { ledgerEod } from './ledger-eod.js';
export {
  BUREAU_COLUMNS,
  BUREAU_IMPORT_BOUNDS,
  BureauImportError,
  earlyWarningInForce,
  evaluateCustomers,
  importBureauRefresh,
  MONITORING_PAGE_CUSTOMERS,
  type MonitoringRun,
  monitorAfterEod,
  parseBureauFile,
  SHIPPED_EARLY_WARNING_FILE,
  SHIPPED_EARLY_WARNING_VERSION,
  shippedEarlyWarning,
} from './monitoring/index.js';
export {
  DEFAULT_CHALLENGER_MODEL,
  DEFAULT_CHAMPION_MODEL,
  DEFAULT_POLICY_DIR,
  issuesText,
  readJsonFile,
  readModel,
  readModels,
  readPolicy,
} from './origination-files.js';
export {
  approveCadenceAs,
  CADENCE_ROLES,
  CadenceUserError,
  CHANNEL_BOUNDS,
  type ChannelConfig,
  ChannelConfigError,
  type ChannelIssue,
  cadenceInForce,
  cancelMootBeforeSending,
  cancelMootReminders,
  cancelMootRemindersOfLoans,
  cancelRemindersMootAfter,
  DeliveryError,
  DISPATCH_BOUNDS,
  type DispatchOptions,
  type DispatchReport,
  type EmailChannelConfig,
  IDEMPOTENCY_HEADER,
  parseChannelConfig,
  planReminderWave,
  REMINDER_PLAN_PAGE_LOANS,
  runDispatcher,
  SHIPPED_CADENCE_FILE,
  SHIPPED_CADENCE_VERSION,
  SIGNATURE_HEADER,
  shippedCadence,
  signBody,
  submitCadenceAs,
  TIMESTAMP_HEADER,
  type WaveReport,
  type WebhookChannelConfig,
} from './reminders/index.js';
export { loadEclBookAsOf } from './reports/book-inputs.js';
export { creditReportLoader } from './reports/credit-report.js';
export { computeEcl, type EclRun, eclLoader, eclReport } from './reports/ecl.js';
export {
  importFundingOutflows,
  readFundingOutflows,
  writeFundingOutflows,
} from './reports/funding.js';
export {
  buildMonthEnd,
  decideClassOverrideAs,
  decideClassOverrideIn,
  type EclRunOptions,
  eclRunOptions,
  ensureMonthEnds,
  isReportKind,
  loadMonthEndReports,
  loadReport,
  loadReportCell,
  loadRiskReport,
  loadRiskReportInput,
  MONTH_END_REPORT_KINDS,
  type MonthEndReportKind,
  type MonthEndReports,
  monthEndOnOrBefore,
  monthEndsBack,
  NPL_TREND_MONTHS,
  type OverrideActor,
  type OverrideProposal,
  overrideAudit,
  type Progress,
  proposeClassOverride,
  proposeClassOverrideIn,
  REPORT_LOADERS,
  type ReportCell,
  type ReportContext,
  ReportError,
  type ReportLoader,
  readEclSettingsFile,
  reportLoader,
  reportXlsxBuffer,
  requestMonthEnd,
  riskReportHtml,
  riskReportPdf,
  writeReportXlsx,
  XLSX_SHEET_ROWS_MAX,
  type XlsxOptions,
} from './reports/index.js';
export { liquidityLoader, liquidityReport } from './reports/liquidity.js';
export { loadScenarioPack, type ScenarioPack, SHIPPED_SCENARIO_DIR } from './reports/scenarios.js';
export {
  DEFAULT_STRESS_STRATEGY,
  type StressSimulation,
  stressLoader,
  stressReport,
} from './reports/stress.js';
export {
  type AdvanceBusinessDay,
  appendPartitionErrors,
  type BatchCounts,
  type Claim,
  checkBusinessDay,
  claimPartition,
  type EodError,
  type EodPartition,
  type EodPartitionStatus,
  type EodRun,
  type EodRunDetail,
  EodRunError,
  type EodRunStatus,
  findOpenRun,
  findRunByDay,
  finishPartition,
  finishRunIfComplete,
  getRun,
  LeaseLostError,
  listRuns,
  partitionRanges,
  type RunPage,
  releaseDeadClaims,
  type StartedRun,
  type StartRunInput,
  startRun,
  startRunIn,
  withClaim,
} from './runs.js';
export {
  contextFor,
  readPopulation,
  readScenario,
  readStrategy,
  type SimulationArgs,
} from './simulation/files.js';
export { runSimulation, type SimulationOptions } from './simulation/run.js';
export {
  createSplitRun,
  SPLIT_BOUNDS,
  SPLIT_RUN_ID_PATTERN,
  SplitRunError,
  type SplitRunInput,
  type SplitWorkOptions,
  splitPartitions,
  workSplitRun,
} from './simulation/split.js';
export {
  type ClosedBatch,
  type EodLedger,
  type KeyRange,
  type LoanFailure,
  newWorkerId,
  runWorker,
  type WorkerOptions,
  type WorkerReport,
} from './worker.js';
export {
  decideWriteOffAs,
  proposeWriteOffAs,
  WRITE_OFF_ROLES,
  WriteOffUserError,
  writeOffCandidatesNow,
} from './write-offs.js';
