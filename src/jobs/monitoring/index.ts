export {
  earlyWarningInForce,
  SHIPPED_EARLY_WARNING_FILE,
  SHIPPED_EARLY_WARNING_VERSION,
  shippedEarlyWarning,
} from './early-warning.js';
export { BUCKET_EVENT_PAGE_LOANS, queueBucketChanges } from './events.js';
export {
  BUREAU_COLUMNS,
  BUREAU_IMPORT_BOUNDS,
  BureauImportError,
  importBureauRefresh,
  parseBureauFile,
} from './import-bureau.js';
export { evaluateCustomers, MONITORING_PAGE_CUSTOMERS, type MonitoringRun, monitorAfterEod } from './run.js';
