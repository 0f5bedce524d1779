/**
 * monitoring/ (贷后监控): the watch over loans once they are on the book — early-warning signals, score and
 * population drift, vintage and roll-rate views, and the multi-stage reminders around due dates (pure core).
 * The measures it uses (PSI, KS, AUC) live in scoring/, the delinquency buckets in ledger/. It may import
 * money/, ledger/, scoring/ and origination/ (decision 0011).
 */
export {
  CADENCE_BOUNDS,
  type CadenceDocument,
  type CadenceIssue,
  type CadenceParse,
  type ContactHours,
  cadenceFor,
  isContactTimeZone,
  localTime,
  mootReminders,
  nextContactInstant,
  type ParsedCadenceDocument,
  type PendingReminder,
  type PlannedReminder,
  type PlanRemindersInput,
  parseCadenceDocument,
  parseClock,
  planReminders,
  REMINDER_CHANNELS,
  REMINDER_LANGS,
  type ReminderAnchor,
  type ReminderBorrower,
  type ReminderCadence,
  type ReminderCancelReason,
  type ReminderChannel,
  type ReminderDue,
  type ReminderLang,
  type ReminderLoanFacts,
  type ReminderStage,
  type ReminderTemplate,
  renderTemplate,
  TEMPLATE_FIELDS,
  type TemplateField,
  templateFields,
  zonedInstant,
} from './reminders/index.js';
