import {
  CONTACT_CHANNEL_OF_REMINDER,
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintSettings,
  type ContactChannel,
  type ContactOutcome,
  type ContactRules,
  complaintStopsContact,
  DEFAULT_COMPLAINT_SETTINGS,
  DEFAULT_CONTACT_RULES,
  decideStepMessage,
  isStepReminderStage,
  type LoggedContact,
  type OpenComplaintFacts,
} from '../../collections/index.js';
import type { ReminderChannel } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { type ClaimedMessage, cancelReminders } from '../reminders/index.js';
import { contactHistories, insertContactAttempts } from './contacts.js';
import { STRATEGY_ACTOR } from './step-actions.js';

/**
 * A strategy step's messages in the contact log (decision 0911): the dispatcher asks the contact rules about
 * each one at the moment it would go out, against the case's log, and logs what became of it — refused (with
 * the rule), delivered, or undelivered — as a collector's attempt is logged, so the caps count them and the
 * compliance report sees them.
 */

/** A step message on its way, with the case whose log it belongs to. */
export interface StepMessage {
  readonly message: ClaimedMessage;
  readonly caseId: string;
  readonly channel: ContactChannel;
}

export interface StepMessageGate {
  /** The step messages the rules allow now, by message id. */
  readonly allowed: ReadonlyMap<number, StepMessage>;
  /** The refused ones' ids: not delivered now. */
  readonly refused: ReadonlySet<number>;
  /** Refused and moved to when the rules allow them (the quiet hours). */
  readonly moved: number;
  /** Refused and cancelled (the day's message cap, a complaint's cool-off). */
  readonly cancelled: number;
}

const noteOf = (m: ClaimedMessage, what: string) =>
  `strategy step ${String(m.payload.stageId ?? '').replace(/^collection\./, '')} reminder ${m.reminderKey}: ${what}`;

/**
 * Decides the step messages among `messages` at `nowMs` with the core's rules and logs each refusal, in the
 * caller's transaction. Each case row is locked, so a collector's attempt on the case waits for the decision;
 * the messages allowed in the same round count towards the cap of the next (logged as sent once delivered).
 * The round's cases, logs and complaints are read once each.
 * A refused message is moved (its attempt not spent) or cancelled with its reminder (`contact-rule`); the
 * step's action says so. A message whose borrower has no case is not a step message any more and goes as any
 * reminder.
 */
export async function gateStepMessages(
  tx: Queryable,
  messages: readonly ClaimedMessage[],
  nowMs: number,
  rules: ContactRules = DEFAULT_CONTACT_RULES,
  complaintSettings: ComplaintSettings = DEFAULT_COMPLAINT_SETTINGS,
): Promise<StepMessageGate> {
  const allowed = new Map<number, StepMessage>();
  const refused = new Set<number>();
  let moved = 0;
  let cancelled = 0;
  const histories = new Map<string, LoggedContact[]>();
  const steps = messages
    .filter((m) => m.kind === 'reminder' && m.customerId !== null && isStepReminderStage(m.payload.stageId))
    .sort((a, b) => a.messageId - b.messageId);
  // One read each for the round: the borrowers' cases (locked), their logs and their open complaints.
  const customers = [...new Set(steps.map((m) => m.customerId!))];
  const cases = new Map<string, { case_id: string; borrower_zone: string; lost_contact: boolean }>();
  const complaints = new Map<string, OpenComplaintFacts[]>();
  if (customers.length > 0) {
    const { rows } = await tx.query<{
      customer_id: string;
      case_id: string;
      borrower_zone: string;
      lost_contact: boolean;
    }>(
      `select distinct on (customer_id) customer_id, case_id, borrower_zone, lost_contact from collection_cases
        where customer_id = any($1::text[])
        order by customer_id, (status = 'open') desc, opened_day desc, case_id desc`,
      [customers],
    );
    for (const r of rows) cases.set(r.customer_id, r);
    const caseIds = [...cases.values()].map((c) => c.case_id).sort();
    await tx.query(
      'select 1 from collection_cases where case_id = any($1::text[]) order by case_id for update',
      [caseIds],
    );
    for (const [caseId, log] of await contactHistories(tx, caseIds, nowMs)) histories.set(caseId, log);
    const { rows: open } = await tx.query<{
      customer_id: string;
      channel: ComplaintChannel;
      category: ComplaintCategory;
    }>(
      `select customer_id, channel, category from complaints
        where customer_id = any($1::text[]) and status <> 'resolved'`,
      [customers],
    );
    for (const r of open) {
      const list = complaints.get(r.customer_id) ?? [];
      list.push({ channel: r.channel, category: r.category });
      complaints.set(r.customer_id, list);
    }
  }
  for (const m of steps) {
    const channel = CONTACT_CHANNEL_OF_REMINDER[m.channel as ReminderChannel] ?? null;
    if (channel === null) continue;
    const kase = cases.get(m.customerId!);
    if (kase === undefined) continue;
    let history = histories.get(kase.case_id);
    if (history === undefined) {
      history = [];
      histories.set(kase.case_id, history);
    }
    const complaintOpen = complaintStopsContact(
      complaints.get(m.customerId!) ?? [],
      channel,
      complaintSettings,
    );
    const verdict = decideStepMessage(
      channel,
      nowMs,
      history,
      { zone: kase.borrower_zone, lostContact: kase.lost_contact, complaintOpen },
      rules,
    );
    if (verdict.go === 'send') {
      allowed.set(m.messageId, { message: m, caseId: kase.case_id, channel });
      history.push({ atMs: nowMs, channel, party: 'borrower', outcome: 'sent', allowed: true });
      continue;
    }
    refused.add(m.messageId);
    const nextAllowedAtMs = verdict.go === 'move' ? verdict.atMs : verdict.nextAllowedAtMs;
    await insertContactAttempts(tx, [
      {
        caseId: kase.case_id,
        atMs: nowMs,
        channel,
        party: 'borrower',
        outcome: 'undelivered',
        decision: { allowed: false, rule: verdict.rule, message: verdict.message, nextAllowedAtMs },
        actor: STRATEGY_ACTOR,
        note: noteOf(m, verdict.go === 'move' ? 'moved to when the rules allow it' : 'cancelled'),
      },
    ]);
    history.push({ atMs: nowMs, channel, party: 'borrower', outcome: 'undelivered', allowed: false });
    if (verdict.go === 'move') {
      // The claim counted an attempt that was not made: it is given back with the move.
      await tx.query(
        `update outbox_messages set next_attempt_at = $2, lease_until = null, attempts = greatest(0, attempts - 1)
          where message_id = $1 and status = 'pending'`,
        [m.messageId, new Date(verdict.atMs).toISOString()],
      );
      await tx.query(
        `update reminders set scheduled_at = $3, updated_at = now()
          where loan_id = $1 and reminder_key = $2 and status = 'planned'`,
        [m.loanId, m.reminderKey, new Date(verdict.atMs).toISOString()],
      );
      moved++;
      continue;
    }
    if (m.loanId !== null && m.reminderKey !== null)
      await cancelReminders(tx, m.loanId, [{ reminderKey: m.reminderKey, reason: 'contact-rule' }]);
    await tx.query(
      `update outbox_messages set status = 'cancelled', lease_until = null where message_id = $1 and status = 'pending'`,
      [m.messageId],
    );
    await tx.query(
      `update collection_step_actions set outcome = $3, updated_at = now()
        where case_id = $1 and kind = 'reminder' and reference = $2`,
      [kase.case_id, m.reminderKey, `reminder not sent: the contact rules refused it (${verdict.rule})`],
    );
    cancelled++;
  }
  return { allowed, refused, moved, cancelled };
}

/**
 * Logs step messages as attempts on their cases with the outcome the delivery gave, in the transaction that
 * records the delivery (sent) or the dead letter (undelivered).
 */
export async function logStepMessages(
  tx: Queryable,
  items: readonly StepMessage[],
  outcome: Extract<ContactOutcome, 'sent' | 'undelivered'>,
  atMs: number,
): Promise<void> {
  await insertContactAttempts(
    tx,
    items.map((i) => ({
      caseId: i.caseId,
      atMs,
      channel: i.channel,
      party: 'borrower' as const,
      outcome,
      decision: { allowed: true } as const,
      actor: STRATEGY_ACTOR,
      note: noteOf(i.message, outcome === 'sent' ? 'delivered' : 'not delivered'),
    })),
  );
}
