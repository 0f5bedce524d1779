/** store/reminders: cadence versions, reminder contacts, reminders, the outbox and webhook subscriptions. */
export {
  approveCadence,
  CadenceError,
  cadenceInForce,
  draftCadence,
  findCadenceVersion,
  listCadenceVersions,
  publishedCadence,
  SHIPPED_CADENCE_FILE,
  SHIPPED_CADENCE_VERSION,
  type StoredCadenceVersion,
  shippedCadence,
} from './cadences.js';
export {
  loadReminderBorrowers,
  type ReminderContact,
  type ReminderContactDefaults,
  ReminderContactError,
  reminderEmailOf,
  reminderPreferencesOf,
  type StoredReminderPreferences,
  saveReminderContact,
  saveReminderPreferences,
} from './contacts.js';
export {
  type ClaimedMessage,
  claimDueMessages,
  enqueueBusinessEvent,
  enqueueBusinessEvents,
  markMessageDead,
  markMessageRetry,
  markMessageSent,
  markMessagesSent,
  outboxCounts,
} from './outbox.js';
export {
  cancelReminders,
  countPlannedOnDay,
  hasPlannedReminders,
  insertPlannedReminders,
  listLoanReminders,
  type PlannedReminderFacts,
  plannedRemindersByKey,
  plannedRemindersOfLoan,
  type ReminderPayload,
  type StoredReminder,
} from './reminders.js';
export {
  createWebhookSubscription,
  deleteWebhookSubscription,
  findWebhookSubscription,
  listWebhookSubscriptions,
  updateWebhookSubscription,
  type WebhookSubscription,
  webhookTarget,
} from './subscriptions.js';
