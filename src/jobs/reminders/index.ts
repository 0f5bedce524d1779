export { cadenceInForce, SHIPPED_CADENCE_FILE, SHIPPED_CADENCE_VERSION, shippedCadence } from './cadence.js';
export {
  approveCadenceAs,
  CADENCE_ROLES,
  CadenceUserError,
  submitCadenceAs,
} from './cadence-versions.js';
export {
  CHANNEL_BOUNDS,
  type ChannelConfig,
  ChannelConfigError,
  type ChannelIssue,
  DeliveryError,
  type EmailChannelConfig,
  IDEMPOTENCY_HEADER,
  parseChannelConfig,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  type WebhookChannelConfig,
} from './channels.js';
export { DISPATCH_BOUNDS, type DispatchOptions, type DispatchReport, runDispatcher } from './dispatch.js';
export {
  cancelMootBeforeSending,
  cancelMootReminders,
  cancelMootRemindersOfLoans,
  cancelRemindersMootAfter,
  planReminderWave,
  REMINDER_PLAN_PAGE_LOANS,
  type WaveReport,
} from './plan.js';
