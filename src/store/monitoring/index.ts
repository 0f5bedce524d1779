/** store/monitoring: early-warning versions, monitoring profiles, declared incomes, bureau refreshes, the industry shock list, health reviews and signals. */
export { customersToMonitor, loadSignalInputs } from './inputs.js';
export { EARLY_WARNING_ACTOR, freezeLinesForSignal } from './lines.js';
export {
  type BureauRefresh,
  customersInIndustry,
  customersWithoutProfile,
  endIndustryShock,
  existingCustomerIds,
  findIndustryShock,
  type IncomeDeclaration,
  type IndustryShock,
  insertBureauRefreshes,
  insertIncomeDeclaration,
  insertIndustryShock,
  listIndustryShocks,
  type MonitoringProfile,
  monitoringProfiles,
  saveMonitoringProfile,
  updateIndustryShock,
} from './profiles.js';
export {
  insertReviewDocument,
  insertReviewRequests,
  listReviewDocuments,
  listReviewRequests,
  type ReviewDocumentInput,
  reviewStateOf,
  type StoredReviewDocument,
  type StoredReviewRequest,
  setDocumentReassessment,
} from './reviews.js';
export {
  applySignalPlan,
  decideSignal,
  findSignal,
  knownSignals,
  listSignals,
  type SignalActionStatus,
  type SignalQuery,
  type StoredSignal,
  setSignalAction,
} from './signals.js';
export {
  approveEarlyWarning,
  draftEarlyWarning,
  EarlyWarningError,
  listEarlyWarningVersions,
  publishedEarlyWarning,
  type StoredEarlyWarningVersion,
} from './versions.js';
