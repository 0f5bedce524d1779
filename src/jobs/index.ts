/** jobs/: the end-of-day batch (runs, partitions, workers) over the ledger store. See docs/eod.md. */

export * from './behaviour/index.js';
export { type BookCounts, type WriteBookOptions, writeBook } from './book.js';
export { businessInstant, checkTimeZone, LENDER_TIME_ZONE_DEFAULT, lenderToday } from './business-day.js';
export { EOD_BOUNDS, EOD_OPTIONS_DEFAULT, type EodOptions } from './config.js';
export { type RunEodInput, runEod } from './eod.js';
export {
  IMPORT_LOANS_PER_TRANSACTION_DEFAULT,
  ImportFileError,
  type ImportLoansOptions,
  type ImportLoansReport,
  importLoans,
} from './import-loans.js';
export { ledgerEod } from './ledger-eod.js';
export {
  CHANNEL_BOUNDS,
  type ChannelConfig,
  ChannelConfigError,
  type ChannelIssue,
  cadenceInForce,
  cancelMootReminders,
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
  TIMESTAMP_HEADER,
  type WaveReport,
  type WebhookChannelConfig,
} from './reminders/index.js';
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
