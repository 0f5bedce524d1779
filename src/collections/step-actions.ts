import { addDays, counted, type Day, formatDate, formatMinor, invariant } from '../money/index.js';
import {
  nextContactInstant,
  type ParsedCadenceDocument,
  type PlannedReminder,
  parseClock,
  type ReminderChannel,
  type ReminderLang,
  type ReminderLoanFacts,
  reminderHoursFor,
  zonedInstant,
} from '../monitoring/index.js';
import {
  type ContactCaseFacts,
  type ContactChannel,
  type ContactRule,
  type ContactRules,
  DEFAULT_CONTACT_RULES,
  decideContact,
  type LoggedContact,
} from './contact-rules.js';
import type { StrategyReminderChannel, StrategyStep } from './strategy.js';

/**
 * Carrying out a case's step (decision 0757): the strategy decides a step per case on each refresh; the
 * steps a machine can do are done, not only shown — a `reminder` queues a collection reminder on the
 * step's channel, `agency-placement` places the case with an agency (委外), `legal-review` opens a legal
 * escalation request that a person must approve. Calls, letters and negotiation offers stay on the work
 * list for a person. Each action carries an idempotency key (case and step, and the day for a reminder,
 * which repeats), so a refresh run again carries out nothing twice. Pure: the cases, the day and the
 * settings come in.
 */

export const STEP_ACTION_KINDS = ['reminder', 'agency-placement', 'legal-review'] as const;
export type StepActionKind = (typeof STEP_ACTION_KINDS)[number];

export interface StepActionSettings {
  /**
   * A reminder step repeats while the case stays on it: at most once in this many days (or the step's own
   * `dueInDays`, when longer). 1 = every refresh day.
   */
  readonly reminderRepeatDays: number;
  /** No action while a complaint on the case is open (the contact rules' cool-off). */
  readonly pauseWhileComplaintOpen: boolean;
  /** The lender's clock time a collection reminder is planned for, moved into the borrower's contact hours. */
  readonly reminderSendAt: string;
}

export const DEFAULT_STEP_ACTION_SETTINGS: StepActionSettings = Object.freeze({
  reminderRepeatDays: 3,
  pauseWhileComplaintOpen: true,
  reminderSendAt: '10:00',
});

export function checkStepActionSettings(settings: StepActionSettings): StepActionSettings {
  invariant(
    Number.isSafeInteger(settings.reminderRepeatDays) && settings.reminderRepeatDays >= 1,
    'reminderRepeatDays must be a whole number of days, at least 1',
  );
  invariant(parseClock(settings.reminderSendAt) !== undefined, 'reminderSendAt must be a clock time HH:MM');
  return settings;
}

/** A case whose step was decided on this refresh, with what the actions depend on. */
export interface StepActionCase {
  readonly caseId: string;
  readonly customerId: string;
  readonly step: StrategyStep;
  readonly complaintOpen: boolean;
  /** The agency the case is placed with, or null. */
  readonly agencyId: string | null;
  /** A legal action of the case is live (proposed, approved, filed …): no second request. */
  readonly legalActionLive: boolean;
  /** The last day a reminder of this case's current step was carried out, or null. */
  readonly lastReminderDay: Day | null;
  /**
   * The case's latest recall from an agency (decision 0912), or null: `holdStep` is the step the recall holds
   * the case off (the step it was on when taken back with a reason; null once the case left that step, or
   * when the recall was made to move the case to another agency, `placeAgain`).
   */
  readonly lastRecall?: {
    readonly placementId: string;
    readonly agencyId: string;
    readonly placeAgain: boolean;
    readonly holdStep: string | null;
  } | null;
}

/** An action to carry out: its kind, the case and step it comes from, and its idempotency key. */
export interface StepAction {
  /** `kind:caseId:stepCode` (`:date` for a reminder): carrying out the same key twice does nothing. */
  readonly key: string;
  readonly kind: StepActionKind;
  readonly caseId: string;
  readonly customerId: string;
  readonly stepCode: string;
  /** The reminder's channel (a reminder only). */
  readonly channel: StrategyReminderChannel | null;
  /** An agency placement only: the agency the case was recalled from to move it elsewhere (not chosen again). */
  readonly notAgency?: string;
  /** The step's reason, kept with the action. */
  readonly reason: string;
}

/** Why a case whose step names an action got none on this refresh. */
export type StepActionSkip =
  | 'complaint_open'
  | 'reminder_not_yet_due'
  | 'already_placed'
  /** Recalled from its agency with a reason while on this step: the step does not place it again (0912). */
  | 'recalled'
  | 'legal_action_live';

export interface StepActionPlan {
  readonly carryOut: readonly StepAction[];
  readonly skipped: readonly {
    readonly caseId: string;
    readonly kind: StepActionKind;
    readonly why: StepActionSkip;
  }[];
}

const isKind = (a: string): a is StepActionKind => (STEP_ACTION_KINDS as readonly string[]).includes(a);

/**
 * The actions of the cases' steps on `day`. Only the current step acts: a case that moved off a step gets
 * nothing more of it. Nothing acts while a complaint is open (when the lender pauses collection for it); a
 * case on hold (a restructuring's observation, a complaint) has a `hold` step, which does nothing.
 */
export function planStepActions(
  cases: readonly StepActionCase[],
  day: Day,
  settings: StepActionSettings = DEFAULT_STEP_ACTION_SETTINGS,
): StepActionPlan {
  checkStepActionSettings(settings);
  const carryOut: StepAction[] = [];
  const skipped: { caseId: string; kind: StepActionKind; why: StepActionSkip }[] = [];
  const sorted = [...cases].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  for (const c of sorted) {
    const kind = c.step.action;
    if (!isKind(kind)) continue;
    const skip = (why: StepActionSkip) => skipped.push({ caseId: c.caseId, kind, why });
    if (c.complaintOpen && settings.pauseWhileComplaintOpen) {
      skip('complaint_open');
      continue;
    }
    const base = {
      kind,
      caseId: c.caseId,
      customerId: c.customerId,
      stepCode: c.step.code,
      reason: c.step.reason,
    };
    if (kind === 'reminder') {
      const every = Math.max(settings.reminderRepeatDays, c.step.dueInDays);
      if (c.lastReminderDay !== null && day - c.lastReminderDay < every) {
        skip('reminder_not_yet_due');
        continue;
      }
      carryOut.push({
        ...base,
        key: `reminder:${c.caseId}:${c.step.code}:${formatDate(day)}`,
        channel: c.step.channel ?? 'sms',
      });
    } else if (kind === 'agency-placement') {
      if (c.agencyId !== null) {
        skip('already_placed');
        continue;
      }
      const recall = c.lastRecall ?? null;
      if (recallHolds(c.step.code, c.agencyId, recall)) {
        skip('recalled');
        continue;
      }
      // After a recall the placement is a new one: its key names the placement it follows.
      carryOut.push({
        ...base,
        key: `agency-placement:${c.caseId}:${c.step.code}${recall === null ? '' : `:after:${recall.placementId}`}`,
        channel: null,
        ...(recall?.placeAgain === true ? { notAgency: recall.agencyId } : {}),
      });
    } else {
      if (c.legalActionLive) {
        skip('legal_action_live');
        continue;
      }
      carryOut.push({ ...base, key: `legal-review:${c.caseId}:${c.step.code}`, channel: null });
    }
  }
  return { carryOut, skipped };
}

/**
 * Whether the case's latest recall holds it off the step it is on (decision 0912): taken back with a reason
 * (not to move agencies) while on that step, and not placed since. The plan skips the step's placement
 * (`recalled`) exactly when this holds; the case view says so.
 */
export function recallHolds(
  stepCode: string | null,
  agencyId: string | null,
  lastRecall: StepActionCase['lastRecall'],
): boolean {
  return (
    stepCode !== null &&
    agencyId === null &&
    lastRecall !== undefined &&
    lastRecall !== null &&
    !lastRecall.placeAgain &&
    lastRecall.holdStep === stepCode
  );
}

/** An active agency with the cases placed with it now. */
export interface AgencyLoad {
  readonly agencyId: string;
  readonly placedOpen: number;
}

/**
 * The agency a case goes to: balanced — the one with the fewest open cases placed with it, then the lowest
 * id; null when no agency is active. `placed` counts the placements made earlier in the same run.
 */
export function chooseAgency(agencies: readonly AgencyLoad[]): string | null {
  let best: AgencyLoad | null = null;
  for (const a of agencies) {
    if (
      best === null ||
      a.placedOpen < best.placedOpen ||
      (a.placedOpen === best.placedOpen && a.agencyId < best.agencyId)
    )
      best = a;
  }
  return best?.agencyId ?? null;
}

/** The strategy's reminder channels as the reminder machinery names them. */
export const REMINDER_CHANNEL_OF: Readonly<Record<StrategyReminderChannel, ReminderChannel>> = {
  sms: 'sms',
  app: 'app-push',
  email: 'email',
};

const COLLECTION_REMINDER_TEXT: Readonly<
  Record<ReminderLang, { subject: string; body: (amount: string, dpd: number) => string }>
> = {
  'zh-CN': {
    subject: '逾期还款提醒',
    body: (amount, dpd) =>
      `您的借款已逾期 ${dpd} 天，逾期应还 ${amount} 元。请尽快还款；如有困难，请联系我们协商。`,
  },
  en: {
    subject: 'Overdue payment reminder',
    body: (amount, dpd) =>
      `Your loan is ${counted(dpd, 'day')} past due: ${amount} is overdue. Please pay as soon as you can; if you are in difficulty, contact us to agree a plan.`,
  },
};

/** The day a reminder decided by the refresh of `day` goes out: the next day. */
export function collectionReminderDay(day: Day): Day {
  return addDays(day, 1);
}

/**
 * The collection reminder of a `reminder` action, as the reminder machinery stores and sends it: about the
 * borrower's loan longest past due (its oldest unpaid instalment is the anchor, so the reminder is cancelled
 * as moot once that instalment is paid, the loan settled, restructured or written off — the rule of every
 * reminder), planned for the next day at the lender's send time moved into the borrower's contact hours (the lender's hours
 * narrowed by the borrower's own window), and recorded as not sent when the borrower opted out of the
 * channel or the day's cap of reminders is reached. Null when the loan has nothing unpaid.
 */
export function collectionReminder(input: {
  readonly action: StepAction;
  readonly loan: ReminderLoanFacts;
  /** The case's overdue amount over all its loans, fen. */
  readonly overdueMinor: number;
  readonly daysPastDue: number;
  readonly document: ParsedCadenceDocument;
  readonly day: Day;
  /** Reminders counted against the cap already planned for the borrower on the send day (`collectionReminderDay`). */
  readonly plannedToday: number;
  readonly settings?: StepActionSettings;
}): PlannedReminder | null {
  const { action, loan, document, day } = input;
  const settings = input.settings ?? DEFAULT_STEP_ACTION_SETTINGS;
  invariant(
    action.kind === 'reminder' && action.channel !== null,
    'a collection reminder needs a reminder action',
  );
  const anchor = loan.dues.find((d) => d.amountMinor > 0);
  if (anchor === undefined || loan.settled) return null;
  const channel = REMINDER_CHANNEL_OF[action.channel];
  const minute = parseClock(settings.reminderSendAt);
  invariant(minute !== undefined, 'reminderSendAt is a clock time');
  const hours = reminderHoursFor(document.hours, loan.borrower.window);
  // A refresh runs once its day is closed (EOD, at night) or during it: the reminder goes out the next day,
  // planned for that day as the due-date wave's reminders are (so the day's cap counts both).
  const sendDay = collectionReminderDay(day);
  const scheduledAtMs = nextContactInstant(
    zonedInstant(sendDay, minute, document.lenderTimeZone),
    loan.borrower.timeZone,
    hours,
  );
  const cancelReason = loan.borrower.optOuts.includes(channel)
    ? ('opted-out' as const)
    : input.plannedToday >= document.capPerCustomerPerDay
      ? ('daily-cap' as const)
      : null;
  const text = COLLECTION_REMINDER_TEXT[loan.borrower.lang];
  return {
    reminderKey: `${loan.loanId}/collection.${action.stepCode}/${formatDate(day)}`,
    loanId: loan.loanId,
    customerId: loan.customerId,
    cadenceId: 'collection-strategy',
    stageId: `collection.${action.stepCode}`,
    channel,
    legallyRequired: false,
    anchorDueDay: anchor.dueDay,
    planDay: sendDay,
    scheduledAtMs,
    amountDueMinor: input.overdueMinor,
    currency: loan.currency,
    lang: loan.borrower.lang,
    subject: text.subject,
    body: text.body(formatMinor(input.overdueMinor, loan.currency), input.daysPastDue),
    status: cancelReason === null ? 'planned' : 'cancelled',
    cancelReason,
  };
}

/** The contact log's channel of a reminder channel; null for a call task (a person makes the call and logs it). */
export const CONTACT_CHANNEL_OF_REMINDER: Readonly<Record<ReminderChannel, ContactChannel | null>> = {
  sms: 'sms',
  'app-push': 'app',
  email: 'email',
  letter: 'letter',
  'call-task': null,
};

/** Whether a reminder's stage is a collection strategy step's (`collection.<step>`, see `collectionReminder`). */
export function isStepReminderStage(stageId: unknown): boolean {
  return typeof stageId === 'string' && stageId.startsWith('collection.');
}

/**
 * What becomes of a strategy step's message at the moment it would go out (decision 0911): the contact rules
 * decide it with their own code, against the case's log, as they decide a collector's attempt. Refused in
 * the quiet hours, it is moved to when they end (the same message, later); refused for any other rule — the
 * day's message cap, a complaint's cool-off — it is cancelled, not carried over: the step sends its next
 * reminder when it is next due, with the figures of that day.
 */
export type StepMessageVerdict =
  | { readonly go: 'send' }
  | { readonly go: 'move'; readonly rule: ContactRule; readonly message: string; readonly atMs: number }
  | {
      readonly go: 'cancel';
      readonly rule: ContactRule;
      readonly message: string;
      readonly nextAllowedAtMs: number | null;
    };

export function decideStepMessage(
  channel: ContactChannel,
  atMs: number,
  history: readonly LoggedContact[],
  facts: ContactCaseFacts,
  rules: ContactRules = DEFAULT_CONTACT_RULES,
): StepMessageVerdict {
  const decision = decideContact({ atMs, channel, party: 'borrower' }, history, facts, rules);
  if (decision.allowed) return { go: 'send' };
  if (decision.rule === 'quiet_hours' && decision.nextAllowedAtMs !== null)
    return { go: 'move', rule: decision.rule, message: decision.message, atMs: decision.nextAllowedAtMs };
  return {
    go: 'cancel',
    rule: decision.rule,
    message: decision.message,
    nextAllowedAtMs: decision.nextAllowedAtMs,
  };
}
