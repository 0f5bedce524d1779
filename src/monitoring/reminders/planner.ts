import { type CurrencyCode, type Day, formatDate, formatMinor, invariant } from '../../money/index.js';
import {
  type CadenceDocument,
  cadenceFor,
  type ParsedCadenceDocument,
  type ReminderChannel,
  type ReminderLang,
  type ReminderStage,
  type TemplateField,
} from './cadence.js';
import { reminderHoursFor } from './preferences.js';
import { type ContactHours, nextContactInstant, parseClock, zonedInstant } from './zone-time.js';

/** How a borrower is to be reached: zone, language and what they opted out of. */
export interface ReminderBorrower {
  readonly timeZone: string;
  readonly lang: ReminderLang;
  /** Channels the borrower asked not to be reminded through (never applied to legally required notices). */
  readonly optOuts: readonly ReminderChannel[];
  /** The borrower's own contact window inside the lender's hours (never applied to legally required notices). */
  readonly window?: ContactHours | null;
}

/** One instalment with something unpaid (billed or the next one to be billed) and the amount owed on it. */
export interface ReminderDue {
  readonly dueDay: Day;
  readonly amountMinor: number;
}

/** What the planner needs of one loan on the business day; the shell reads it from the ledger. */
export interface ReminderLoanFacts {
  readonly loanId: string;
  readonly customerId: string;
  readonly productId: string;
  readonly segment: string;
  readonly currency: CurrencyCode;
  readonly settled: boolean;
  /** Unpaid instalments, oldest first: the billed ones, then the next one not yet billed. */
  readonly dues: readonly ReminderDue[];
  readonly daysPastDue: number;
  /**
   * While the loan is overdue and its first negative report is still ahead: the last day for the notice
   * (reporting/ negativeNoticeDeadline) and the reporting day of the first negative month.
   */
  readonly negativeNotice: { readonly deadlineDay: Day; readonly reportDay: Day } | null;
  /** What staying overdue means, one sentence per language (from reporting/'s impact milestones). */
  readonly consequence: Readonly<Record<ReminderLang, string>>;
  readonly borrower: ReminderBorrower;
}

export type ReminderCancelReason =
  | 'opted-out'
  | 'daily-cap'
  | 'repaid'
  | 'settled'
  | 'restructured'
  | 'written-off'
  /** A collection-step message the contact rules refused at the send moment (the daily message cap, a complaint). */
  | 'contact-rule';

/** A reminder the planner decided on: to send, or recorded as not sent and why. */
export interface PlannedReminder {
  /** `loanId/stageId/anchor due date`: planning the same day twice gives the same keys. */
  readonly reminderKey: string;
  readonly loanId: string;
  readonly customerId: string;
  readonly cadenceId: string;
  readonly stageId: string;
  readonly channel: ReminderChannel;
  readonly legallyRequired: boolean;
  /** The due date the stage is counted from (for a negative notice: the oldest overdue instalment's). */
  readonly anchorDueDay: Day;
  readonly planDay: Day;
  /** When it may go out: the stage's time in the lender's zone, moved into the borrower's contact hours. */
  readonly scheduledAtMs: number;
  readonly amountDueMinor: number;
  readonly currency: CurrencyCode;
  readonly lang: ReminderLang;
  readonly subject: string;
  readonly body: string;
  readonly status: 'planned' | 'cancelled';
  readonly cancelReason: ReminderCancelReason | null;
}

export interface PlanRemindersInput {
  readonly document: ParsedCadenceDocument;
  /** The business day whose reminders are planned. */
  readonly day: Day;
  readonly loans: readonly ReminderLoanFacts[];
  /** Reminders that count against the cap already planned for a customer on `day` (other runs, other loans). */
  readonly plannedToday?: ReadonlyMap<string, number>;
  /**
   * Leave subject and body empty: the same reminders, statuses and times, without wording them, for a caller
   * that reads only which reminders are planned (the strategy lab). Every reminder sent is planned with text.
   */
  readonly withoutText?: boolean;
}

/** Fills `{field}` placeholders; the document's validation guarantees each is known. */
export function renderTemplate(text: string, values: Readonly<Record<TemplateField, string>>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
    name in values ? values[name as TemplateField] : whole,
  );
}

/** Everything owed by `dueDay`: the instalments due on or before it, still unpaid. */
function amountDueBy(facts: ReminderLoanFacts, dueDay: Day): number {
  let sum = 0;
  for (const d of facts.dues) if (d.dueDay <= dueDay) sum += d.amountMinor;
  return sum;
}

interface Candidate {
  readonly stage: ReminderStage;
  readonly order: number;
  readonly anchorDueDay: Day;
  readonly reportDay: Day | null;
}

/** The stages of a loan's cadence that fall on `day`, each with the due date it is counted from. */
function stagesOnDay(stages: readonly ReminderStage[], facts: ReminderLoanFacts, day: Day): Candidate[] {
  const out: Candidate[] = [];
  stages.forEach((stage, order) => {
    if (stage.anchor === 'due') {
      for (const due of facts.dues) {
        if (due.dueDay + stage.offsetDays === day && due.amountMinor > 0) {
          out.push({
            stage,
            order,
            anchorDueDay: due.dueDay,
            reportDay: facts.negativeNotice?.reportDay ?? null,
          });
        }
      }
      return;
    }
    const notice = facts.negativeNotice;
    const oldest = facts.dues[0];
    if (
      notice !== null &&
      oldest !== undefined &&
      facts.daysPastDue > 0 &&
      notice.deadlineDay + stage.offsetDays === day
    ) {
      out.push({ stage, order, anchorDueDay: oldest.dueDay, reportDay: notice.reportDay });
    }
  });
  // Legally required first, so that a cap never crowds one out; then the cadence's own order.
  return out.sort(
    (a, b) => Number(b.stage.legallyRequired) - Number(a.stage.legallyRequired) || a.order - b.order,
  );
}

/**
 * The reminders of one business day (多阶段提醒): for every loan, the stages of its cadence that fall on the
 * day, rendered in the borrower's language with the exact amount due, the due date and what staying
 * overdue means; scheduled at the stage's time moved into the borrower's contact hours; recorded as
 * cancelled when the borrower opted out of the channel or the day's cap is reached — except legally
 * required notices, which are always planned. Pure: the same input gives the same reminders, in order.
 */
/** Stage send times already read ("HH:MM" → minute of the day); bounded, cleared past a fixed size. */
const sendMinutes = new Map<string, number | undefined>();
/**
 * Send instants already worked out, by lender zone, borrower zone, contact hours, day and stage minute: the
 * same question has the same answer, and runs plan the same days for many loans. Bounded as above.
 */
const sendInstants = new Map<string, Map<string, Map<number, Map<number, number>>>>();
let sendInstantCount = 0;
const PLANNER_MEMO_MAX = 50_000;

function sendInstant(
  lenderZone: string,
  day: Day,
  sendMinute: number,
  zone: string,
  hours: ContactHours,
): number {
  let byZone = sendInstants.get(lenderZone);
  if (byZone === undefined) {
    byZone = new Map();
    sendInstants.set(lenderZone, byZone);
  }
  let byHours = byZone.get(zone);
  if (byHours === undefined) {
    byHours = new Map();
    byZone.set(zone, byHours);
  }
  const hoursKey = hours.startMinute * 1441 + hours.endMinute;
  let byMinute = byHours.get(hoursKey);
  if (byMinute === undefined) {
    byMinute = new Map();
    byHours.set(hoursKey, byMinute);
  }
  const minuteKey = day * 1440 + sendMinute;
  let at = byMinute.get(minuteKey);
  if (at === undefined) {
    at = nextContactInstant(zonedInstant(day, sendMinute, lenderZone), zone, hours);
    if (sendInstantCount >= PLANNER_MEMO_MAX) {
      sendInstants.clear();
      sendInstantCount = 0;
    }
    sendInstantCount += 1;
    byMinute.set(minuteKey, at);
  }
  return at;
}

function sendMinuteOf(sendAt: string): number | undefined {
  if (sendMinutes.has(sendAt)) return sendMinutes.get(sendAt);
  const minute = parseClock(sendAt);
  if (sendMinutes.size >= PLANNER_MEMO_MAX) sendMinutes.clear();
  sendMinutes.set(sendAt, minute);
  return minute;
}

export function planReminders(input: PlanRemindersInput): PlannedReminder[] {
  const { document, day } = input;
  const withText = input.withoutText !== true;
  const counted = new Map(input.plannedToday ?? []);
  const loans = [...input.loans].sort((a, b) =>
    a.customerId === b.customerId ? (a.loanId < b.loanId ? -1 : 1) : a.customerId < b.customerId ? -1 : 1,
  );
  const out: PlannedReminder[] = [];
  for (const facts of loans) {
    if (facts.settled) continue;
    const cadence = cadenceFor(document, facts.productId, facts.segment);
    if (cadence === undefined) continue;
    for (const c of stagesOnDay(cadence.stages, facts, day)) {
      const { stage } = c;
      const sendMinute = sendMinuteOf(stage.sendAt);
      invariant(sendMinute !== undefined, 'a parsed cadence has valid send times');
      const hours = stage.legallyRequired
        ? document.hours
        : reminderHoursFor(document.hours, facts.borrower.window);
      const scheduledAtMs = sendInstant(
        document.lenderTimeZone,
        day,
        sendMinute,
        facts.borrower.timeZone,
        hours,
      );
      let cancelReason: ReminderCancelReason | null = null;
      if (!stage.legallyRequired) {
        const count = counted.get(facts.customerId) ?? 0;
        if (facts.borrower.optOuts.includes(stage.channel)) cancelReason = 'opted-out';
        else if (count >= document.capPerCustomerPerDay) cancelReason = 'daily-cap';
        else counted.set(facts.customerId, count + 1);
      }
      const amountDueMinor = amountDueBy(facts, c.anchorDueDay);
      let subject = '';
      let body = '';
      if (withText) {
        const values: Record<TemplateField, string> = {
          amountDue: formatMinor(amountDueMinor, facts.currency),
          currency: facts.currency,
          dueDate: formatDate(c.anchorDueDay),
          daysPastDue: String(facts.daysPastDue),
          negativeReportDate: c.reportDay === null ? '' : formatDate(c.reportDay),
          consequence: facts.consequence[facts.borrower.lang],
        };
        const template = stage.templates[facts.borrower.lang];
        subject = renderTemplate(template.subject, values);
        body = renderTemplate(template.body, values);
      }
      out.push({
        reminderKey: `${facts.loanId}/${stage.stageId}/${formatDate(c.anchorDueDay)}`,
        loanId: facts.loanId,
        customerId: facts.customerId,
        cadenceId: cadence.cadenceId,
        stageId: stage.stageId,
        channel: stage.channel,
        legallyRequired: stage.legallyRequired,
        anchorDueDay: c.anchorDueDay,
        planDay: day,
        scheduledAtMs,
        amountDueMinor,
        currency: facts.currency,
        lang: facts.borrower.lang,
        subject,
        body,
        status: cancelReason === null ? 'planned' : 'cancelled',
        cancelReason,
      });
    }
  }
  return out;
}

/** A reminder planned and not yet sent, as the store keeps it. */
export interface PendingReminder {
  readonly reminderKey: string;
  readonly anchorDueDay: Day;
  /** A notice the law requires (the one before the first negative report); absent: false. */
  readonly legallyRequired?: boolean;
  /** The business day it was planned on; absent: before any restructuring the facts name. */
  readonly planDay?: Day;
}

/**
 * What the moot check needs of a loan: the planner's own facts (settled, the unpaid instalments) and what
 * took the loan off its plan — a write-off, or a restructuring on a day (reporting/ reminderMootFacts).
 */
export interface ReminderMootFacts extends Pick<ReminderLoanFacts, 'settled' | 'dues'> {
  /** Written off (核销): still owed, but no longer reminded of instalment by instalment. */
  readonly writtenOff?: boolean;
  /** The day of the loan's latest restructuring (重组), if any. */
  readonly restructuredDay?: Day | null;
}

/**
 * The pending reminders a change of the loan made moot (a repayment, a waiver, a settlement, a
 * restructuring, a write-off):
 * - once the loan is settled, all of them (`settled`);
 * - a reminder planned on or before the loan's latest restructuring quotes the old plan (`restructured`);
 * - on a written-off loan, every reminder of an instalment (`written-off`);
 * - otherwise those whose instalment is no longer unpaid (`repaid`); a reminder about a later instalment
 *   that is still owed stays.
 * A legally required notice concerns a debt, not a plan: it is cancelled only when that debt is gone —
 * the loan settled, or its instalment repaid — never because the debt was re-planned or written off.
 */
export function mootReminders(
  pending: readonly PendingReminder[],
  facts: ReminderMootFacts,
): { reminderKey: string; reason: ReminderCancelReason }[] {
  const open = new Set(facts.dues.filter((d) => d.amountMinor > 0).map((d) => d.dueDay));
  const restructured = facts.restructuredDay ?? null;
  const out: { reminderKey: string; reason: ReminderCancelReason }[] = [];
  for (const p of pending) {
    const replanned = restructured !== null && (p.planDay === undefined || p.planDay <= restructured);
    let reason: ReminderCancelReason | null = null;
    if (facts.settled) reason = 'settled';
    else if (p.legallyRequired === true) {
      if (!replanned && facts.writtenOff !== true && !open.has(p.anchorDueDay)) reason = 'repaid';
    } else if (facts.writtenOff === true) reason = 'written-off';
    else if (replanned) reason = 'restructured';
    else if (!open.has(p.anchorDueDay)) reason = 'repaid';
    if (reason !== null) out.push({ reminderKey: p.reminderKey, reason });
  }
  return out;
}

export type { CadenceDocument };
