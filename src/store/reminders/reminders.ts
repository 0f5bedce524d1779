import { type Day, formatDate, formatMinor } from '../../money/index.js';
import type { PlannedReminder, ReminderCancelReason, ReminderChannel } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql } from '../ledger/index.js';

/** A reminder as the API lists it. */
export interface StoredReminder {
  reminderKey: string;
  loanId: string;
  customerId: string;
  stageId: string;
  channel: ReminderChannel;
  legallyRequired: boolean;
  anchorDueDate: string;
  scheduledAt: string;
  status: 'planned' | 'sent' | 'cancelled' | 'failed';
  cancelReason: string | null;
  failure: string | null;
  amountDueMinor: number;
  currency: string;
  lang: string;
  subject: string;
  body: string;
  sentAt: string | null;
  /** Delivery of the reminder's message: attempts so far. */
  attempts: number;
}

/** What the dispatcher sends for a reminder: everything but the address, which is looked up at send time. */
export interface ReminderPayload {
  reminderKey: string;
  loanId: string;
  customerId: string;
  stageId: string;
  channel: ReminderChannel;
  legallyRequired: boolean;
  lang: string;
  subject: string;
  body: string;
  amountDue: string;
  currency: string;
  dueDate: string;
  scheduledAt: string;
}

const ISO = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Writes the planner's reminders and, for each one to send, its outbox message — in the caller's
 * transaction, so that a reminder is planned exactly when its message is queued. Planning a day again
 * writes nothing twice: a reminder key already stored is left as it is. Returns the reminders written.
 */
export async function insertPlannedReminders(
  q: Queryable,
  planned: readonly PlannedReminder[],
  cadenceVersion: string,
  contactZones: ReadonlyMap<string, string>,
): Promise<number> {
  if (planned.length === 0) return 0;
  // The rows go as one JSON array read by `jsonb_to_recordset`: one native serialisation rather than the
  // driver's escaping of seventeen parallel arrays element by element (the texts are long).
  const { rows } = await q.query<{
    customer_id: string;
    loan_id: string;
    reminder_key: string;
    status: string;
  }>(
    `insert into reminders (customer_id, loan_id, reminder_key, cadence_version, cadence_id, stage_id, channel,
       legally_required, anchor_due_day, plan_day, scheduled_at, amount_due_minor, currency, lang, subject, body,
       status, cancel_reason)
     select u.customer_id, u.loan_id, u.reminder_key, $1, u.cadence_id, u.stage_id, u.channel, u.legally_required,
       u.anchor_due_day, u.plan_day, to_timestamp(u.scheduled_ms / 1000.0), u.amount_due_minor, u.currency, u.lang,
       u.subject, u.body, u.status, u.cancel_reason
     from jsonb_to_recordset($2::jsonb)
       as u(customer_id text, loan_id text, reminder_key text, cadence_id text, stage_id text, channel text,
            legally_required boolean, anchor_due_day date, plan_day date, scheduled_ms bigint,
            amount_due_minor bigint, currency text, lang text, subject text, body text, status text,
            cancel_reason text)
     on conflict do nothing
     returning customer_id, loan_id, reminder_key, status`,
    [
      cadenceVersion,
      JSON.stringify(
        planned.map((r) => ({
          customer_id: r.customerId,
          loan_id: r.loanId,
          reminder_key: r.reminderKey,
          cadence_id: r.cadenceId,
          stage_id: r.stageId,
          channel: r.channel,
          legally_required: r.legallyRequired,
          anchor_due_day: formatDate(r.anchorDueDay),
          plan_day: formatDate(r.planDay),
          scheduled_ms: r.scheduledAtMs,
          amount_due_minor: r.amountDueMinor,
          currency: r.currency,
          lang: r.lang,
          subject: r.subject,
          body: r.body,
          status: r.status,
          cancel_reason: r.cancelReason,
        })),
      ),
    ],
  );
  const written = new Set(rows.filter((r) => r.status === 'planned').map((r) => r.reminder_key));
  const toSend = planned.filter((r) => r.status === 'planned' && written.has(r.reminderKey));
  if (toSend.length > 0) {
    const payloads = toSend.map(
      (r): ReminderPayload => ({
        reminderKey: r.reminderKey,
        loanId: r.loanId,
        customerId: r.customerId,
        stageId: r.stageId,
        channel: r.channel,
        legallyRequired: r.legallyRequired,
        lang: r.lang,
        subject: r.subject,
        body: r.body,
        amountDue: formatMinor(r.amountDueMinor, r.currency),
        currency: r.currency,
        dueDate: formatDate(r.anchorDueDay),
        scheduledAt: new Date(r.scheduledAtMs).toISOString(),
      }),
    );
    await q.query(
      `insert into outbox_messages (idempotency_key, kind, channel, customer_id, loan_id, reminder_key, payload,
         contact_zone, status, next_attempt_at)
       select 'reminder:' || u.reminder_key, 'reminder', u.channel, u.customer_id, u.loan_id, u.reminder_key,
         u.payload, u.zone, 'pending', to_timestamp(u.scheduled_ms / 1000.0)
       from jsonb_to_recordset($1::jsonb)
         as u(reminder_key text, channel text, customer_id text, loan_id text, payload jsonb, zone text,
              scheduled_ms bigint)`,
      [
        JSON.stringify(
          toSend.map((r, i) => ({
            reminder_key: r.reminderKey,
            channel: r.channel,
            customer_id: r.customerId,
            loan_id: r.loanId,
            payload: payloads[i],
            zone: contactZones.get(r.customerId) ?? null,
            scheduled_ms: r.scheduledAtMs,
          })),
        ),
      ],
    );
  }
  return rows.length;
}

/** Reminders counted against the daily cap already planned for these customers on `day`. */
export async function countPlannedOnDay(
  q: Queryable,
  day: Day,
  customerIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (customerIds.length === 0) return out;
  const { rows } = await q.query<{ customer_id: string; n: string | number }>(
    `select customer_id, count(*) as n from reminders
     where plan_day = $1 and customer_id = any($2::text[]) and status <> 'cancelled' and not legally_required
     group by customer_id`,
    [formatDate(day), customerIds],
  );
  for (const r of rows) out.set(r.customer_id, Number(r.n));
  return out;
}

/** Whether a loan has a reminder not yet sent (an indexed read, no lock). */
export async function hasPlannedReminders(q: Queryable, loanId: string): Promise<boolean> {
  const { rows } = await q.query<{ any: boolean }>(
    `select exists (select 1 from reminders where loan_id = $1 and status = 'planned') as any`,
    [loanId],
  );
  return rows[0]?.any === true;
}

/** A reminder not yet sent, with what the moot check (`mootReminders`) reads of it. */
export interface PlannedReminderFacts {
  customerId: string;
  loanId: string;
  reminderKey: string;
  anchorDueDay: Day;
  legallyRequired: boolean;
  planDay: Day;
}

interface PlannedRow {
  customer_id: string;
  loan_id: string;
  reminder_key: string;
  anchor_due_day: string;
  legally_required: boolean;
  plan_day: string;
}

const PLANNED_COLUMNS = `r.customer_id, r.loan_id, r.reminder_key, r.anchor_due_day::text as anchor_due_day,
  r.legally_required, r.plan_day::text as plan_day`;

function plannedFromRow(r: PlannedRow): PlannedReminderFacts {
  return {
    customerId: r.customer_id,
    loanId: r.loan_id,
    reminderKey: r.reminder_key,
    anchorDueDay: dayFromSql(r.anchor_due_day),
    legallyRequired: r.legally_required,
    planDay: dayFromSql(r.plan_day),
  };
}

/** A loan's reminders not yet sent, for the moot check (`mootReminders`). */
export async function plannedRemindersOfLoan(q: Queryable, loanId: string): Promise<PlannedReminderFacts[]> {
  const { rows } = await q.query<PlannedRow>(
    `select ${PLANNED_COLUMNS} from reminders r where r.loan_id = $1 and r.status = 'planned'`,
    [loanId],
  );
  return rows.map(plannedFromRow);
}

/** Of these reminders (by loan and key), those still planned — the dispatcher's check before sending. */
export async function plannedRemindersByKey(
  q: Queryable,
  keys: readonly { loanId: string; reminderKey: string }[],
): Promise<PlannedReminderFacts[]> {
  if (keys.length === 0) return [];
  const { rows } = await q.query<PlannedRow>(
    `select ${PLANNED_COLUMNS} from reminders r
     join unnest($1::text[], $2::text[]) as u(loan_id, reminder_key)
       on r.loan_id = u.loan_id and r.reminder_key = u.reminder_key
     where r.status = 'planned'`,
    [keys.map((k) => k.loanId), keys.map((k) => k.reminderKey)],
  );
  return rows.map(plannedFromRow);
}

/**
 * Cancels planned reminders of a loan with their reasons, and their outbox messages that have not gone
 * out. A message already sent keeps its reminder `sent`. Returns the reminders cancelled.
 */
export async function cancelReminders(
  q: Queryable,
  loanId: string,
  cancels: readonly { reminderKey: string; reason: ReminderCancelReason }[],
): Promise<number> {
  if (cancels.length === 0) return 0;
  const keys = cancels.map((c) => c.reminderKey);
  const { rows } = await q.query<{ reminder_key: string }>(
    `update outbox_messages set status = 'cancelled', lease_until = null
     where kind = 'reminder' and reminder_key = any($1::text[]) and status = 'pending'
     returning reminder_key`,
    [keys],
  );
  const still = new Set(rows.map((r) => r.reminder_key));
  const pick = cancels.filter((c) => still.has(c.reminderKey));
  if (pick.length === 0) return 0;
  const r = await q.query(
    `update reminders r set status = 'cancelled', cancel_reason = u.reason, updated_at = now()
     from unnest($2::text[], $3::text[]) as u(reminder_key, reason)
     where r.loan_id = $1 and r.reminder_key = u.reminder_key and r.status = 'planned'`,
    [loanId, pick.map((c) => c.reminderKey), pick.map((c) => c.reason)],
  );
  return r.rowCount;
}

interface Row {
  reminder_key: string;
  loan_id: string;
  customer_id: string;
  stage_id: string;
  channel: ReminderChannel;
  legally_required: boolean;
  anchor_due_day: string;
  scheduled_at: string;
  status: StoredReminder['status'];
  cancel_reason: string | null;
  failure: string | null;
  amount_due_minor: string | number;
  currency: string;
  lang: string;
  subject: string;
  body: string;
  sent_at: string | null;
  attempts: number | null;
}

/** A loan's reminders, by scheduled time, then key (bounded by `limit`). */
export async function listLoanReminders(
  q: Queryable,
  loanId: string,
  limit: number,
): Promise<StoredReminder[]> {
  const { rows } = await q.query<Row>(
    `select r.reminder_key, r.loan_id, r.customer_id, r.stage_id, r.channel, r.legally_required,
       r.anchor_due_day::text as anchor_due_day, ${ISO('r.scheduled_at')} as scheduled_at, r.status, r.cancel_reason,
       r.failure, r.amount_due_minor, r.currency, r.lang, r.subject, r.body, ${ISO('r.sent_at')} as sent_at,
       o.attempts
     from reminders r
     left join outbox_messages o on o.kind = 'reminder' and o.reminder_key = r.reminder_key
     where r.loan_id = $1
     order by r.scheduled_at, r.reminder_key collate "C"
     limit $2`,
    [loanId, limit],
  );
  return rows.map((r) => ({
    reminderKey: r.reminder_key,
    loanId: r.loan_id,
    customerId: r.customer_id,
    stageId: r.stage_id,
    channel: r.channel,
    legallyRequired: r.legally_required,
    anchorDueDate: r.anchor_due_day,
    scheduledAt: r.scheduled_at,
    status: r.status,
    cancelReason: r.cancel_reason,
    failure: r.failure,
    amountDueMinor: Number(r.amount_due_minor),
    currency: r.currency,
    lang: r.lang,
    subject: r.subject,
    body: r.body,
    sentAt: r.sent_at,
    attempts: r.attempts ?? 0,
  }));
}
